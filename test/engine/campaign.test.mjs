// Keap CRM node, Campaign (Automation) resource, through n8n-core's engine against the emulator
// (REST v2 /campaigns and /automations with Keap's document as the request schema): Get and Get
// Many with sequences and goals, Add / Remove Contacts to / from a Sequence batched across items
// (100 contacts per call, Keap's cap in the emulator's sequenceContactIdsMax), Achieve API Goal,
// Continue On Fail, the campaign and sequence pickers.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

let fx;
let contactIds;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
	const seeded = fx.emu.seed({
		contacts: Array.from({ length: 150 }, (_, n) => ({ given_name: `Seq${n}`, email_addresses: [{ email: `seq${n}@example.com`, field: 'EMAIL1' }] })),
	});
	contactIds = seeded.contacts.map(String);
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const campaign = (parameters, items, options) => fx.keap({ resource: 'campaign', ...parameters }, items, options);
const calls = (method, fragment) => fx.emu.log().filter((e) => e.method === method && e.path.endsWith(fragment));
const inSequence = (seqId) =>
	fx.emu.store.snapshot().automations.flatMap((a) => a.sequences).find((s) => s.id === seqId).contact_ids.map(String);

describe('campaign', () => {
	test('get many campaigns with their sequences and goals; the automations list; a draft shows none', async () => {
		const all = jsonOf(await campaign({ operation: 'getAll', returnAll: true }));
		assert.deepEqual(all.map((c) => [c.id, c.name, c.status]), [
			['22', 'Spring Promo (draft)', 'DRAFT'],
			['21', 'Welcome Series', 'PUBLISHED'],
		].sort((a, b) => a[0].localeCompare(b[0])));
		const welcome = all.find((c) => c.id === '21');
		assert.deepEqual(welcome.sequences.map((s) => [s.id, s.name]), [['31', 'Welcome Emails'], ['32', 'Nurture']]);
		assert.deepEqual(welcome.goals.map((g) => [g.id, g.name, g.type, g.next_sequence_ids]), [
			['41', 'Signed up (API)', 'API', ['31']],
			['42', 'Tag applied', 'Tag', ['32']],
		]);
		assert.deepEqual(all.find((c) => c.id === '22').sequences, []);

		const automations = jsonOf(
			await campaign({ operation: 'getAll', source: 'automations', returnAll: true, filters: { name: 'Welcome' }, includeSequences: false }),
		);
		assert.deepEqual(automations.map((a) => [a.id, a.name, a.status, a.categories]), [['21', 'Welcome Series', 'PUBLISHED', ['1']]]);
		assert.equal('sequences' in automations[0], false);
		assert.equal(calls('GET', '/v2/automations').at(-1).query.filter, 'name==Welcome');

		const sorted = jsonOf(await campaign({ operation: 'getAll', returnAll: false, limit: 1, sort: { by: 'name', direction: 'desc' }, output: 'simplified' }));
		assert.deepEqual(sorted, [{ id: '21', name: 'Welcome Series', status: 'PUBLISHED', active_contact_count: 0, sequences: ['Welcome Emails (31)', 'Nurture (32)'], goals: ['Signed up (API) (41)', 'Tag applied (42)'] }]);
		assert.equal(calls('GET', '/v2/campaigns').at(-1).query.order_by, 'name desc');
	});

	test('get one campaign; an unknown one fails its item', async () => {
		const [c] = jsonOf(await campaign({ operation: 'get', campaign: byId('21') }));
		assert.equal(c.name, 'Welcome Series');
		assert.equal(c.sequences.length, 2);
		const res = await campaign({ operation: 'get', campaign: byId('999') }, [{}], { continueOnFail: true });
		assert.equal(res.items[0].json.error, 'Keap has no campaign with ID 999');
	});

	test('add contacts to a sequence: 150 contacts over 3 items in 2 calls (at most 100 each); results per contact', async () => {
		const before = calls('POST', ':addContacts').length;
		const items = [{ ids: contactIds.slice(0, 60) }, { ids: contactIds.slice(60, 120).join(', ') }, { ids: [...contactIds.slice(120), '1001'] }];
		const res = jsonOf(
			await campaign({ operation: 'addToSequence', campaign: byId('21'), sequence: byId('31'), contactIds: '={{ $json.ids }}' }, items),
		);
		const made = calls('POST', ':addContacts').slice(before);
		assert.equal(made.length, 2, 'fewest calls');
		assert.ok(made.every((c) => c.body.contact_ids.length <= 100));
		assert.equal(res.length, 3);
		assert.deepEqual(Object.keys(res[1].results), contactIds.slice(60, 120));
		assert.ok(Object.values(res[0].results).every((r) => r === 'SUCCESS'));
		assert.equal(res[2].results['1001'], 'SUCCESS');
		assert.equal(res[0].campaign_id, '21');
		assert.equal(res[0].sequence_id, '31');
		assert.equal(inSequence(31).length, 151);

		const again = jsonOf(await campaign({ operation: 'addToSequence', campaign: byId('21'), sequence: byId('31'), contactIds: '1001, 987654' }));
		assert.deepEqual(again[0].results, { 1001: 'ALREADY_IN_SEQUENCE', 987654: 'CONTACT_DOES_NOT_EXIST' });
	});

	test('remove contacts from a sequence, batched; a contact named by two items is sent in two calls, never merged away', async () => {
		const before = calls('POST', ':removeContacts').length;
		const res = jsonOf(
			await campaign(
				{ operation: 'removeFromSequence', campaign: byId('21'), sequence: byId('31'), contactIds: '={{ $json.ids }}' },
				[{ ids: contactIds.slice(0, 100) }, { ids: [contactIds[0], contactIds[100]] }],
			),
		);
		const made = calls('POST', ':removeContacts').slice(before);
		assert.equal(made.length, 2);
		assert.equal(res[0].results[contactIds[0]], 'SUCCESS');
		assert.equal(res[1].results[contactIds[0]], 'FAILED', 'already removed by the first item (not in the sequence)');
		assert.equal(res[1].results[contactIds[100]], 'SUCCESS');
		assert.equal(inSequence(31).includes(contactIds[0]), false);
	});

	test('bad input fails its item before anything is sent; a failed call fails the items it carried (Continue On Fail)', async () => {
		const before = fx.calls();
		const res = await campaign(
			{ operation: 'addToSequence', campaign: byId('={{ $json.c }}'), sequence: byId('={{ $json.s }}'), contactIds: '={{ $json.ids }}' },
			[
				{ c: '21', s: '32', ids: '' },
				{ c: '21', s: '32', ids: '1001, abc' },
				{ c: 'x', s: '32', ids: '1001' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => [i.pairedItem.item, i.json.error]),
			[
				[0, 'Item 0, Contact IDs: at least one contact ID is required'],
				[1, 'Item 1, Contact IDs: "abc" is not a Keap ID (a whole number)'],
				[2, 'Item 2, Campaign: "x" is not a Keap ID (a whole number)'],
			],
		);
		assert.equal(fx.calls(), before, 'nothing sent');
		const missing = await campaign(
			{ operation: 'addToSequence', campaign: byId('21'), sequence: byId('={{ $json.s }}'), contactIds: '1001' },
			[{ s: '999' }, { s: '32' }],
			{ continueOnFail: true },
		);
		assert.match(missing.items[0].json.error, /Sequence 999 not found/);
		assert.deepEqual(missing.items[1].json.results, { 1001: 'SUCCESS' });
	});

	test('achieve an API goal for many contacts: one call per contact (Keap takes one); the goal starts its sequence', async () => {
		const before = calls('POST', '/goals/achieve').length;
		const [out] = jsonOf(
			await campaign({ operation: 'achieveGoal', integration: 'emulator', callName: 'signup', contactIds: `${contactIds[140]}, ${contactIds[141]}` }),
		);
		assert.equal(calls('POST', '/goals/achieve').length - before, 2);
		assert.deepEqual(calls('POST', '/goals/achieve').at(-1).body, { integration: 'emulator', call_name: 'signup', contact_id: Number(contactIds[141]) });
		assert.equal(out.results.length, 2);
		assert.equal(out.results[0].achieved, true);
		assert.deepEqual(out.results[0].goals[0].started_sequence_ids, ['31']);
		assert.equal(out.results[0].goals[0].goal_id, '41');
		const [none] = jsonOf(await campaign({ operation: 'achieveGoal', integration: 'emulator', callName: 'nothing', contactIds: '1001' }));
		assert.deepEqual(none.results, [{ contact_id: '1001', achieved: false, goals: [] }]);
		const bad = await campaign({ operation: 'achieveGoal', integration: ' ', callName: 'signup', contactIds: '1001' }, [{}], { continueOnFail: true });
		assert.equal(bad.items[0].json.error, 'Item 0, Integration: an API goal needs its integration name');
	});

	test('pickers: campaigns by name, the sequences of the chosen campaign', async () => {
		const store = fx.newStore();
		const found = await runNodeMethod({ kind: 'listSearch', method: 'searchCampaigns', store, args: ['promo'] });
		assert.deepEqual(found.results, [{ name: 'Spring Promo (draft) (draft)', value: '22' }], 'the name, and (draft) for an unpublished one');
		const sequences = await runNodeMethod({
			kind: 'listSearch',
			method: 'searchSequences',
			store,
			parameters: { resource: 'campaign', operation: 'addToSequence', campaign: byId('21') },
			args: [],
		});
		assert.deepEqual(sequences.results, [
			{ name: 'Welcome Emails', value: '31' },
			{ name: 'Nurture', value: '32' },
		]);
		const none = await runNodeMethod({ kind: 'listSearch', method: 'searchSequences', store, parameters: { resource: 'campaign', operation: 'addToSequence' }, args: [] });
		assert.deepEqual(none.results, []);
	});
});

describe('campaign, a call of a batch failing', () => {
	let ff;
	beforeAll(async () => {
		const { faultFixture } = await import('./fault-fixture.mjs');
		ff = await faultFixture({ emulator: { seed: 'demo' } });
	});
	afterAll(async () => await ff.close());

	test("the second call of an item fails: the item's error names the contacts the first call took", async () => {
		const seeded = ff.emu.seed({
			contacts: Array.from({ length: 120 }, (_, n) => ({ given_name: `Part${n}`, email_addresses: [{ email: `part${n}@example.com`, field: 'EMAIL1' }] })),
		});
		const all = seeded.contacts.map(String);
		ff.proxy.setRules({ method: 'POST', pathRegex: ':addContacts$', fault: 'status', status: 500, nth: 2 });
		const res = await ff.keap(
			{ operation: 'addToSequence', resource: 'campaign', campaign: byId('21'), sequence: byId('31'), contactIds: '={{ $json.ids }}' },
			[{ ids: all.slice(0, 5) }, { ids: all.slice(5) }],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items[0].json.results, Object.fromEntries(all.slice(0, 5).map((id) => [id, 'SUCCESS'])), 'item 0 went in the first call');
		assert.match(res.items[1].json.error, /an earlier call already took contact\(s\) .*\(95 in all\) of this item\)$/);
		assert.ok(res.items[1].json.error.includes(all[5]));
		assert.equal(inSequenceOf(ff.emu, 31).length, 100, 'the first call went through');
	});
});

function inSequenceOf(emu, seqId) {
	return emu.store.snapshot().automations.flatMap((a) => a.sequences).find((s) => s.id === seqId).contact_ids;
}
