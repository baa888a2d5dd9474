// Keap CRM node, Opportunity and Opportunity Stage resources, run by n8n-core's engine against
// the emulator (REST v2, the demo pipeline: stages 21 New Opportunity … 26 Lost, opportunities
// 11001-11005), with its OpenAPI request validation on. Also the editor methods of these
// parameters (opportunity and stage search, opportunity custom field columns).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './methods-harness.mjs';

const OLIVIA = { id: '1001', email: 'olivia.garcia@example.com' };
const STAGES = ['New Opportunity', 'Qualified', 'Proposal Sent', 'Negotiation', 'Won', 'Lost'];

let fx;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
});
afterAll(async () => {
	assert.equal(fx.emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	await fx.close();
});

const opp = (params, items, options) => fx.keap({ resource: 'opportunity', ...params }, items, options);
const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const byName = (name) => ({ __rl: true, mode: 'name', value: name });
const stored = (id) => fx.emu.store.opportunities.get(Number(id));
const since = (mark) => fx.emu.log().slice(mark);
const method = (kind, name, args = []) =>
	runNodeMethod({ kind, method: name, args, parameters: { resource: 'opportunity' }, store: fx.newStore() });

async function createOpportunity(extra = {}) {
	const [out] = jsonOf(
		await opp({
			operation: 'create',
			title: extra.title ?? 'Engine deal',
			contact: extra.contact ?? byId(OLIVIA.id),
			stage: extra.stage ?? { __rl: true, mode: 'list', value: '21' },
			additionalFields: extra.additionalFields ?? {},
			customFields: extra.customFields ?? { mappingMode: 'defineBelow', value: null },
		}),
	);
	return out;
}

describe('opportunity: create', () => {
	test('for a contact, in a stage picked by name, assigned to a user, with revenue, dates and custom fields', async () => {
		const out = await createOpportunity({
			title: 'Second location fit-out',
			contact: { __rl: true, mode: 'email', value: OLIVIA.email },
			stage: byName('qualified'),
			additionalFields: {
				assignedTo: { __rl: true, mode: 'list', value: '3' },
				projected_revenue_low: 4000,
				projected_revenue_high: 6500.5,
				estimated_close_time: '2031-06-30T00:00:00Z',
				next_action_time: '2031-01-10T15:00:00Z',
				next_action_notes: 'Send floor plans',
				include_in_forecast: true,
			},
			customFields: { mappingMode: 'defineBelow', value: { 22: 'Referral', 'Renewal Date': '2032-01-31' } },
		});
		assert.match(out.id, /^\d+$/);
		assert.equal(out.opportunity_title, 'Second location fit-out');
		assert.equal(out.contact_id, OLIVIA.id);
		assert.equal(out.contact_name, 'Olivia Garcia');
		assert.deepEqual([out.stage_id, out.stage_name], ['22', 'Qualified']);
		assert.deepEqual([out.user_id, out.user_name], ['3', 'Sam Seller']);
		assert.deepEqual([out.projected_revenue_low, out.projected_revenue_high], [4000, 6500.5]);
		assert.equal(out.estimated_close_time, '2031-06-30T00:00:00.000Z');
		assert.equal(out.include_in_forecast, true);
		assert.deepEqual(out.custom_fields, { 'Deal Source': 'Referral', 'Renewal Date': '2032-01-31' });
		assert.equal(stored(out.id).next_action_notes, 'Send floor plans');
	});

	test('bad input is rejected before anything is written, naming the item and the field', async () => {
		const mark = fx.emu.log().length;
		const unknownStage = await opp({ operation: 'create', title: 'x', contact: byId(OLIVIA.id), stage: byName('Closing') });
		assert.equal(
			unknownStage.error?.message,
			`Item 0, Stage: Keap has no stage named "Closing" (the stages are: ${STAGES.join(', ')})`,
		);
		const blank = await opp({ operation: 'create', title: ' ', contact: byId(OLIVIA.id), stage: byId('21') });
		assert.match(blank.error?.message ?? '', /^Item 0, Title: is required/);
		const revenue = await opp({
			operation: 'create',
			title: 'x',
			contact: byId(OLIVIA.id),
			stage: byId('21'),
			additionalFields: { projected_revenue_low: 900, projected_revenue_high: 100 },
		});
		assert.match(revenue.error?.message ?? '', /^Item 0, Projected Revenue Low: is more than Projected Revenue High/);
		const date = await opp({ operation: 'create', title: 'x', contact: byId(OLIVIA.id), stage: byId('21'), customFields: { value: { 24: 'soon' } } });
		assert.match(date.error?.message ?? '', /^Item 0, Custom Fields > Renewal Date: "soon" is not a valid date/);
		assert.deepEqual(
			since(mark).filter((e) => e.method !== 'GET'),
			[],
			'only look-ups (stages, the model) were made',
		);
	});

	test('continue on fail: one output or error item per input item, paired', async () => {
		const res = await opp(
			{ operation: 'create', title: '={{ $json.title }}', contact: byId(OLIVIA.id), stage: byName('={{ $json.stage }}') },
			[{ title: 'One', stage: 'Won' }, { title: 'Two', stage: 'Nowhere' }, { title: 'Three', stage: 'Lost' }],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
		assert.equal(res.items[0].json.stage_name, 'Won');
		assert.match(res.items[1].json.error, /^Item 1, Stage: Keap has no stage named "Nowhere"/);
		assert.equal(res.items[2].json.stage_name, 'Lost');
		const stageReads = fx.emu.log().filter((e) => e.path === '/crm/rest/v2/opportunities/stages');
		assert.ok(stageReads.length > 0);
	});
});

describe('opportunity: get, update, move to stage, delete', () => {
	test('get: All Fields, Simplified and Raw; an unknown ID names it', async () => {
		const get = (output) => opp({ operation: 'get', opportunity: byId('11001'), output });
		const [all] = jsonOf(await get('normalized'));
		assert.equal(all.opportunity_title, 'Website redesign');
		assert.equal(all.stage_name, 'New Opportunity');
		assert.deepEqual(all.custom_fields, { 'Deal Source': 'Trade show', 'Renewal Date': null });
		const [simple] = jsonOf(await get('simplified'));
		assert.deepEqual(Object.keys(simple).sort(), [
			'contact_id',
			'contact_name',
			'id',
			'opportunity_title',
			'projected_revenue_high',
			'projected_revenue_low',
			'stage_id',
			'stage_name',
			'update_time',
			'user_name',
		]);
		const [raw] = jsonOf(await get('raw'));
		assert.equal(raw.stage.name, 'New Opportunity', 'Raw is Keap’s own record');
		const missing = await opp({ operation: 'get', opportunity: byId('999999') });
		assert.equal(missing.error?.message, 'Keap has no opportunity with ID 999999');
	});

	test('update changes only the fields set; one custom field keeps the other', async () => {
		const created = await createOpportunity({ customFields: { value: { 22: 'Webinar' } } });
		const mark = fx.emu.log().length;
		const [out] = jsonOf(
			await opp({
				operation: 'update',
				opportunity: { __rl: true, mode: 'list', value: created.id },
				updateFields: { opportunity_title: 'Renamed', stage: byName('Negotiation'), projected_revenue_high: 1200 },
				customFields: { value: { 24: '2033-03-03' } },
			}),
		);
		assert.equal(out.opportunity_title, 'Renamed');
		assert.equal(out.stage_name, 'Negotiation');
		assert.equal(out.projected_revenue_high, 1200);
		assert.deepEqual(out.custom_fields, { 'Deal Source': 'Webinar', 'Renewal Date': '2033-03-03' }, 'Deal Source was kept');
		const patch = since(mark).find((e) => e.method === 'PATCH');
		assert.deepEqual([...patch.query.update_mask].sort(), ['custom_fields', 'opportunity_title', 'projected_revenue_high', 'stage_id']);
		const none = await opp({ operation: 'update', opportunity: byId(created.id), updateFields: {} });
		assert.match(none.error?.message ?? '', /^Item 0, Update Fields: set at least one field/);
	});

	test('move to stage is a PATCH of stage_id; Keap records the move', async () => {
		const created = await createOpportunity({ title: 'Mover' });
		const mark = fx.emu.log().length;
		const [won] = jsonOf(await opp({ operation: 'moveToStage', opportunity: byId(created.id), stage: byName('Won') }));
		assert.deepEqual([won.stage_id, won.stage_name], ['25', 'Won']);
		const writes = since(mark).filter((e) => e.method !== 'GET');
		assert.deepEqual(writes.map((e) => `${e.method} ${e.path}`), [`PATCH /crm/rest/v2/opportunities/${created.id}`]);
		assert.deepEqual(writes[0].query.update_mask, 'stage_id');
		assert.deepEqual(writes[0].body, { stage_id: '25' });
		const moves = [...fx.emu.store.stageMoves.values()].filter((m) => m.opportunity_id === Number(created.id));
		assert.deepEqual(moves.map((m) => [m.from_stage_id, m.to_stage_id]), [[0, 21], [21, 25]]);
		const [lost] = jsonOf(await opp({ operation: 'moveToStage', opportunity: byId(created.id), stage: byId('26') }));
		assert.equal(lost.stage_name, 'Lost');
		const missing = await opp({ operation: 'moveToStage', opportunity: byId('999999'), stage: byId('26') });
		assert.equal(missing.error?.message, 'Keap has no opportunity with ID 999999');
	});

	test('delete answers { deleted: true }; deleting again names the opportunity', async () => {
		const created = await createOpportunity({ title: 'Short-lived' });
		assert.deepEqual(jsonOf(await opp({ operation: 'delete', opportunity: byId(created.id) })), [{ deleted: true }]);
		assert.equal(stored(created.id), undefined);
		const again = await opp({ operation: 'delete', opportunity: byId(created.id) });
		assert.equal(again.error?.message, `Keap has no opportunity with ID ${created.id}`);
	});
});

describe('opportunity: get many', () => {
	const many = async (params) => jsonOf(await opp({ operation: 'getAll', returnAll: true, ...params }));

	test('Keap’s filters: stage, user, contact, title, revenue', async () => {
		const proposal = await many({ filters: { stage: byName('Proposal Sent') } });
		assert.deepEqual(proposal.map((o) => o.opportunity_title), ['Team training package']);
		const sam = await many({ filters: { assignedTo: byId('3') } });
		assert.ok(sam.length >= 2 && sam.every((o) => o.user_id === '3'));
		const olivia = await many({ filters: { contact: { __rl: true, mode: 'email', value: OLIVIA.email } } });
		assert.ok(olivia.length >= 1 && olivia.every((o) => o.contact_id === OLIVIA.id));
		const titled = await many({ filters: { opportunity_title: 'annual*' } });
		assert.deepEqual(titled.map((o) => o.id), ['11002']);
		const big = await many({ filters: { projected_revenue_high_min: 5000 } });
		assert.ok(big.length >= 1 && big.every((o) => o.projected_revenue_high >= 5000));
		const mark = fx.emu.log().length;
		await many({ filters: { projected_revenue_high_min: 1000, projected_revenue_low_max: 3000, stage: byId('22') } });
		assert.equal(since(mark)[0].query.filter, 'stage_id==22;projected_revenue_high>=1000;projected_revenue_low<=3000');
		const bad = await opp({ operation: 'getAll', returnAll: true, filters: { opportunity_title: 'a*b' } });
		assert.match(bad.error?.message ?? '', /^Item 0, Filters > Title: a \* may only end the value/);
	});

	test('limit and sort', async () => {
		const two = jsonOf(
			await opp({ operation: 'getAll', returnAll: false, limit: 2, sort: { order_by: 'opportunity_title', order_direction: 'asc' } }),
		);
		assert.equal(two.length, 2);
		assert.ok(two[0].opportunity_title.localeCompare(two[1].opportunity_title) <= 0);
	});
});

describe('opportunity stage: get many', () => {
	const stages = (params) => fx.keap({ resource: 'opportunityStage', operation: 'getAll', ...params });

	test('the pipeline in order; name prefix; limit', async () => {
		const all = jsonOf(await stages({ returnAll: true }));
		assert.deepEqual(all.map((s) => s.name), STAGES);
		assert.deepEqual(all.map((s) => s.order), [1, 2, 3, 4, 5, 6]);
		assert.deepEqual(all[1].checklist_items.map((c) => c.description), ['Budget confirmed', 'Decision maker known']);
		const pro = jsonOf(await stages({ returnAll: true, filters: { name: 'pro' } }));
		assert.deepEqual(pro.map((s) => s.id), ['23']);
		const two = jsonOf(await stages({ returnAll: false, limit: 2, output: 'selected', selectedFields: 'name' }));
		assert.deepEqual(two, [{ name: 'New Opportunity' }, { name: 'Qualified' }]);
		const bad = await stages({ returnAll: true, filters: { name: 'Q*' } });
		assert.match(bad.error?.message ?? '', /^Item 0, Filters > Name Starts With: /);
	});
});

describe('opportunity: editor methods', () => {
	test('searchOpportunities by the beginning of the title, with the contact’s name', async () => {
		const res = await method('listSearch', 'searchOpportunities', ['website']);
		assert.deepEqual(res.results, [{ name: 'Website redesign (Olivia Garcia)', value: '11001' }]);
	});

	test('searchStages lists the pipeline in order, searchable', async () => {
		const all = await method('listSearch', 'searchStages', ['']);
		assert.deepEqual(all.results.map((r) => r.name), STAGES);
		const won = await method('listSearch', 'searchStages', ['wo']);
		assert.deepEqual(won.results, [{ name: 'Won', value: '25' }]);
	});

	test('getOpportunityCustomFieldColumns types the opportunity custom fields', async () => {
		const { fields } = await method('resourceMapping', 'getOpportunityCustomFieldColumns');
		assert.deepEqual(
			fields.map((f) => [f.id, f.displayName, f.type]),
			[
				['22', 'Deal Source', 'string'],
				['24', 'Renewal Date', 'dateTime'],
			],
		);
	});
});
