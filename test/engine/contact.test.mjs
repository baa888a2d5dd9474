// Keap CRM node, Contact resource, run by n8n-core's engine against the emulator (REST v2),
// with the emulator's OpenAPI request validation on: a request Keap would reject fails here.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture();
});
afterAll(async () => {
	assert.equal(fx.emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	await fx.close();
});

const create = (params, items) => fx.keap({ resource: 'contact', operation: 'create', ...params }, items);

describe('contact: create', () => {
	test('creates a contact with fields, phones, address, custom fields and tags', async () => {
		const addr = email('create');
		const [out] = jsonOf(
			await create({
				email: addr,
				createMissingTags: true, // 'VIP Customer' is new
				additionalFields: {
					given_name: 'Ada',
					family_name: 'Lovelace',
					job_title: 'Analyst',
					birthday: '1815-12-10T00:00:00',
					email_2: 'ada.two@example.com',
					opt_in_reason: 'Signed up on the website',
					tags: ['VIP Customer'],
				},
				phones: { phone: [{ field: 'PHONE1', number: '+1 555 123 4567', type: 'Work' }] },
				addresses: { address: [{ field: 'BILLING', line1: '1 Main St', locality: 'Phoenix', region_code: 'US-AZ', country_code: 'USA', postal_code: '85001' }] },
			}),
		);
		assert.match(out.id, /^\d+$/);
		assert.equal(out.given_name, 'Ada');
		assert.equal(out.family_name, 'Lovelace');
		assert.equal(out.birthday, '1815-12-10');
		assert.deepEqual(out.email_addresses.map((e) => [e.field, e.email]), [['EMAIL1', addr], ['EMAIL2', 'ada.two@example.com']]);
		assert.equal(out.phone_numbers[0].number, '+1 555 123 4567');
		assert.equal(out.addresses[0].country_code, 'USA');
		assert.equal(out.tag_ids.length, 1, 'the tag was applied');
	});

	test('bad input is rejected before any call, naming the item and the field', async () => {
		const before = fx.calls();
		const res = await create({ email: 'not-an-email' });
		assert.ok(res.error, 'the node fails');
		assert.match(res.error.message, /not a valid email/);
		assert.equal(fx.calls(), before, 'no call reached Keap');
		const res2 = await create({ email: email('x'), addresses: { address: [{ field: 'BILLING', country_code: 'ZZZ' }] } });
		assert.match(res2.error.message, /alpha-3/);
	});

	test('continue on fail: one output or error item per input item, paired', async () => {
		const items = [{ e: email('a') }, { e: 'broken' }, { e: email('c') }];
		const res = await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.e}}' },
			items,
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 3);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
		assert.ok(res.items[0].json.id);
		assert.match(res.items[1].json.error, /not a valid email/);
		assert.ok(res.items[2].json.id);
	});
});

describe('contact: create or update', () => {
	test('matches on email: the second run updates the same contact', async () => {
		const addr = email('upsert');
		const params = { resource: 'contact', operation: 'upsert', matchOn: 'Email', email: addr };
		const [first] = jsonOf(await fx.keap({ ...params, additionalFields: { given_name: 'First' } }));
		const [second] = jsonOf(await fx.keap({ ...params, additionalFields: { given_name: 'Second' } }));
		assert.equal(second.id, first.id);
		assert.equal(second.given_name, 'Second');
	});

	test('an upsert never erases what it does not mention (other emails, phones), on every match mode', async () => {
		for (const [matchOn, extra] of [
			['Email', {}],
			['EmailAndName', { given_name: 'Kay', family_name: 'Kept' }],
			['EmailAndNameAndCompany', { given_name: 'Kay', family_name: 'Kept', company_id: '7' }],
		]) {
			const addr = email(`keep-${matchOn}`);
			const [c] = jsonOf(
				await create({
					email: addr,
					additionalFields: { email_2: 'second@example.com', ...extra },
					phones: { phone: [{ field: 'PHONE2', number: '555-0102' }] },
				}),
			);
			const [u] = jsonOf(
				await fx.keap({
					resource: 'contact',
					operation: 'upsert',
					matchOn,
					email: addr,
					additionalFields: { job_title: 'Updated', ...extra },
					addresses: { address: [{ field: 'SHIPPING', line1: '2 Side St', country_code: 'USA' }] },
				}),
			);
			assert.equal(u.id, c.id, `${matchOn}: matched`);
			assert.equal(u.job_title, 'Updated');
			assert.deepEqual(u.email_addresses.map((e) => e.email), [addr, 'second@example.com'], `${matchOn}: EMAIL2 kept`);
			assert.deepEqual(u.phone_numbers.map((p) => p.number), ['555-0102'], `${matchOn}: phone kept`);
			assert.deepEqual(u.addresses.map((a) => a.field), ['SHIPPING']);
		}
		// Two calls, whatever the match: a look-up by email, then a merging v2 PATCH (v1's PUT
		// /contacts is not used: how it treats lists is undocumented, issue 15 defect 5).
		const addr = email('twocalls');
		jsonOf(await create({ email: addr, additionalFields: { email_3: 'third@example.com' } }));
		const before = fx.calls();
		const [u] = jsonOf(await fx.keap({ resource: 'contact', operation: 'upsert', matchOn: 'Email', email: addr, additionalFields: { given_name: 'One' } }));
		assert.equal(fx.calls() - before, 2, 'a look-up and an update');
		assert.deepEqual(u.email_addresses.map((e) => e.field), ['EMAIL1', 'EMAIL3']);
	});

	test('matching on name needs the names', async () => {
		const res = await fx.keap({ resource: 'contact', operation: 'upsert', matchOn: 'EmailAndName', email: email('n') });
		assert.match(res.error.message, /First Name and Last Name/);
	});
});

describe('contact: update, get, delete', () => {
	test('update by id keeps the other emails (v2 replaces whole collections)', async () => {
		const addr = email('upd');
		const [c] = jsonOf(await create({ email: addr, additionalFields: { email_2: 'keep.me@example.com', given_name: 'Old' } }));
		const [u] = jsonOf(
			await fx.keap({
				resource: 'contact',
				operation: 'update',
				contact: { mode: 'id', value: c.id },
				updateFields: { email_3: 'third@example.com', given_name: 'New' },
			}),
		);
		assert.equal(u.given_name, 'New');
		assert.deepEqual(
			u.email_addresses.map((e) => e.email),
			[addr, 'keep.me@example.com', 'third@example.com'],
		);
	});

	test('update by email, get by id and by email, delete returns { deleted: true }', async () => {
		const addr = email('life');
		const [c] = jsonOf(await create({ email: addr }));
		jsonOf(await fx.keap({ resource: 'contact', operation: 'update', contact: { mode: 'email', value: addr }, updateFields: { job_title: 'CTO' } }));
		const [byId] = jsonOf(await fx.keap({ resource: 'contact', operation: 'get', contact: { mode: 'id', value: c.id } }));
		assert.equal(byId.job_title, 'CTO');
		const [byEmail] = jsonOf(await fx.keap({ resource: 'contact', operation: 'get', contact: { mode: 'email', value: addr }, output: 'simplified' }));
		assert.deepEqual(Object.keys(byEmail).sort().slice(0, 3), ['create_time', 'email', 'id']);
		assert.equal(byEmail.id, c.id);
		const del = jsonOf(await fx.keap({ resource: 'contact', operation: 'delete', contact: { mode: 'id', value: c.id } }));
		assert.deepEqual(del, [{ deleted: true }]);
		const gone = await fx.keap({ resource: 'contact', operation: 'get', contact: { mode: 'id', value: c.id } });
		assert.match(gone.error.message, /no contact with ID/);
	});

	test('raw output is what Keap sent (v2 string ids, v2 field names)', async () => {
		const [c] = jsonOf(await create({ email: email('raw'), additionalFields: { birthday: '2000-01-31' }, output: 'raw' }));
		assert.equal(typeof c.id, 'string');
		assert.equal(c.birth_date, '2000-01-31');
	});
});

describe('contact: get many', () => {
	test('filters by email prefix and name, follows paging for Return All', async () => {
		const prefix = `bulk${Date.now()}`;
		const items = Array.from({ length: 25 }, (_, i) => ({ e: `${prefix}.${i}@example.com` }));
		jsonOf(await fx.keap({ resource: 'contact', operation: 'create', email: '={{$json.e}}', additionalFields: { family_name: prefix } }, items));
		const all = jsonOf(await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { family_name: prefix } }));
		assert.equal(all.length, 25);
		assert.equal(new Set(all.map((c) => c.id)).size, 25, 'no duplicates across pages');
		const limited = jsonOf(await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 7, filters: { email: `${prefix}*` } }));
		assert.equal(limited.length, 7);
		const sorted = jsonOf(
			await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { family_name: prefix }, sort: { order_by: 'id', order_direction: 'desc' } }),
		);
		assert.deepEqual(sorted.map((c) => Number(c.id)), [...sorted.map((c) => Number(c.id))].sort((a, b) => b - a));
	});

	test('filters by tag name', async () => {
		const tagName = `Tagged ${Date.now()}`;
		const [c] = jsonOf(await create({ email: email('tagged'), createMissingTags: true, additionalFields: { tags: [tagName] } }));
		const found = jsonOf(await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { tag: { __rl: true, mode: 'name', value: tagName } } }));
		assert.deepEqual(found.map((x) => x.id), [c.id]);
	});
});
