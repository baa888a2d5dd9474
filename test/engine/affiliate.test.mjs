// Keap CRM node, Affiliate resource, through n8n-core's engine against the emulator (REST v2
// /affiliates with Keap's document as the request schema): Create (Keap's code rules checked
// before sending, custom fields by name), Get, Get Many, Continue On Fail, the affiliate list search
// and the custom field columns.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

let fx;
let provoked = 0;
let fieldId;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
	const res = await fetch(`${fx.emu.url}/crm/rest/v2/affiliates/model/customFields`, {
		method: 'POST',
		headers: { 'X-Keap-API-Key': 'KeapPAT-emulator-pat', 'content-type': 'application/json' },
		body: JSON.stringify({ label: 'Tier', field_type: 'DROPDOWN', options: [{ label: 'Gold' }, { label: 'Silver' }] }),
	});
	assert.equal(res.status, 201, await res.clone().text());
	fieldId = (await res.json()).id;
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, provoked, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const affiliate = (parameters, items, options) => fx.keap({ resource: 'affiliate', ...parameters }, items, options);
const lastCall = (method, fragment) =>
	fx.emu
		.log()
		.filter((e) => e.method === method && e.path.endsWith(fragment))
		.at(-1);

describe('affiliate', () => {
	test('create for a contact by email, with custom fields by name; get in every output mode', async () => {
		const [created] = jsonOf(
			await affiliate({
				operation: 'create',
				contact: { __rl: true, mode: 'email', value: 'olivia.garcia@example.com' },
				code: 'OLIVIA25',
				additionalFields: { name: 'Olivia G', status: 'ACTIVE', notify_on_sale: true, track_leads_days: 30, password: 'Secret-123' },
				customFields: { mappingMode: 'defineBelow', value: { Tier: 'Gold' } },
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.contact_id, '1001');
		assert.equal(created.code, 'OLIVIA25');
		assert.equal(created.status, 'ACTIVE');
		assert.equal(created.track_leads_days, 30);
		assert.deepEqual(created.custom_fields, { Tier: 'Gold' });
		const body = lastCall('POST', '/v2/affiliates').body;
		assert.deepEqual(body.custom_fields, [{ id: String(fieldId), content: 'Gold' }]);
		assert.equal(body.contact_id, '1001');

		const [simple] = jsonOf(await affiliate({ operation: 'get', affiliate: byId(created.id), output: 'simplified' }));
		assert.deepEqual(simple, { id: created.id, code: 'OLIVIA25', name: 'Olivia G', status: 'ACTIVE', contact_id: '1001' });
		const [raw] = jsonOf(await affiliate({ operation: 'get', affiliate: byId(created.id), output: 'raw' }));
		assert.deepEqual(raw.custom_fields, [{ id: String(fieldId), content: 'Gold' }]);
		const [picked] = jsonOf(await affiliate({ operation: 'get', affiliate: byId(created.id), output: 'selected', selectedFields: 'code, custom_fields.Tier' }));
		assert.deepEqual(picked, { code: 'OLIVIA25', custom_fields: { Tier: 'Gold' } });
	});

	test('get many: code, status, name prefix, contact; sort; limit', async () => {
		const all = jsonOf(await affiliate({ operation: 'getAll', returnAll: true }));
		assert.ok(all.length >= 2);
		const noah = jsonOf(await affiliate({ operation: 'getAll', returnAll: true, filters: { code: 'NOAH10' } }));
		assert.deepEqual(noah.map((a) => a.name), ['Noah Nguyen']);
		const byName = jsonOf(await affiliate({ operation: 'getAll', returnAll: true, filters: { name: 'Noah*', status: 'ACTIVE' } }));
		assert.deepEqual(byName.map((a) => a.code), ['NOAH10']);
		const olivia = jsonOf(await affiliate({ operation: 'getAll', returnAll: true, filters: { contact: byId('1001') } }));
		assert.deepEqual(olivia.map((a) => a.code), ['OLIVIA25']);
		const one = jsonOf(await affiliate({ operation: 'getAll', returnAll: false, limit: 1, sort: { by: 'code', direction: 'desc' } }));
		assert.deepEqual(one.map((a) => a.code), ['OLIVIA25']);
		assert.equal(lastCall('GET', '/v2/affiliates').query.order_by, 'code desc');
	});

	test("bad input fails its item before anything is sent: Keap's code rules, contact, custom field; Continue On Fail", async () => {
		const before = fx.calls();
		const res = await affiliate(
			{ operation: 'create', contact: byId('={{ $json.contact }}'), code: '={{ $json.code }}' },
			[
				{ contact: '1002', code: 'AB' },
				{ contact: '1002', code: '1ABC' },
				{ contact: '1002', code: 'AB CD' },
				{ contact: 'x', code: 'GOODCODE' },
				{ contact: '1002', code: '' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => [i.pairedItem.item, i.json.error]),
			[
				[0, 'Item 0, Code: "AB": an affiliate code has at least 4 characters'],
				[1, 'Item 1, Code: "1ABC": an affiliate code starts with a letter'],
				[2, 'Item 2, Code: "AB CD": an affiliate code has no spaces'],
				[3, 'Item 3, Contact: "x" is not a Keap ID (a whole number)'],
				[4, 'Item 4, Code: an affiliate needs a code'],
			],
		);
		assert.equal(fx.calls(), before, 'nothing sent');
		const unknownField = await affiliate(
			{ operation: 'create', contact: byId('1002'), code: 'MIA2024', customFields: { mappingMode: 'defineBelow', value: { Region: 'x' } } },
			[{}],
			{ continueOnFail: true },
		);
		assert.equal(unknownField.items[0].json.error, 'Item 0, Custom Fields > Region: Keap has no affiliate custom field "Region"');
		const missing = await affiliate({ operation: 'get', affiliate: byId('99999') }, [{}], { continueOnFail: true });
		assert.equal(missing.items[0].json.error, 'Keap has no affiliate with ID 99999');
	});

	test('a code Keap already has: its refusal is the item’s error', async () => {
		const rejected = fx.emu.counters().validationRejects ?? 0;
		const res = await affiliate({ operation: 'create', contact: byId('1003'), code: 'noah10' }, [{}], { continueOnFail: true });
		assert.match(res.items[0].json.error, /code noah10 is already used/);
		assert.equal((fx.emu.counters().validationRejects ?? 0) - rejected, 1, 'Keap’s uniqueness rule (switch affiliateCodeUnique)');
		provoked++;
	});

	test('list search and custom field columns', async () => {
		const store = fx.newStore();
		const found = await runNodeMethod({ kind: 'listSearch', method: 'searchAffiliates', store, args: ['Noah'] });
		assert.deepEqual(found.results, [{ name: 'Noah Nguyen (NOAH10)', value: '71' }]);
		const byCode = await runNodeMethod({ kind: 'listSearch', method: 'searchAffiliates', store, args: ['OLIVIA25'] });
		assert.deepEqual(byCode.results.map((r) => r.name), ['Olivia G (OLIVIA25)']);
		const columns = await runNodeMethod({ kind: 'resourceMapping', method: 'getAffiliateCustomFieldColumns', store });
		assert.deepEqual(columns.fields.map((f) => [f.displayName, f.type, f.options?.map((o) => o.name)]), [['Tier', 'options', ['Gold', 'Silver']]]);
	});
});
