import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call } from './helpers.mjs';

describe('REST v1', () => {
	let emu;
	let v1;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
		v1 = `${emu.url}/crm/rest/v1`;
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	test('contact create (201), get, patch (only given fields), delete (204)', async () => {
		const created = await call(`${v1}/contacts`, {
			method: 'POST',
			json: {
				given_name: 'John', family_name: 'Doe', job_title: 'Plumber',
				email_addresses: [{ email: 'john@example.com', field: 'EMAIL1' }, { email: 'jd@work.example', field: 'EMAIL2' }],
				phone_numbers: [{ number: '480-555-0100', field: 'PHONE1', type: 'Work' }],
				addresses: [{ field: 'BILLING', line1: '1 Main St', locality: 'Phoenix', region: 'Arizona', country_code: 'USA', zip_code: '85001' }],
				custom_fields: [{ id: 6, content: 'Teal' }, { id: 14, content: 3 }],
				opt_in_reason: 'Customer opted-in through webform',
			},
		});
		assert.equal(created.status, 201);
		const c = created.body;
		assert.equal(typeof c.id, 'number');
		assert.equal(c.email_status, 'SingleOptIn');
		assert.equal(c.email_opted_in, true);
		assert.match(c.date_created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

		const got = await call(`${v1}/contacts/${c.id}`);
		assert.equal(got.status, 200);
		assert.equal(got.body.job_title, undefined, 'job_title is an optional property');
		assert.equal(got.body.custom_fields, undefined);
		assert.deepEqual(got.body.tag_ids, []);
		const withOpt = await call(`${v1}/contacts/${c.id}?optional_properties=job_title,custom_fields`);
		assert.equal(withOpt.body.job_title, 'Plumber');
		assert.deepEqual(withOpt.body.custom_fields.find((f) => f.id === 6), { id: 6, content: 'Teal' });

		const patched = await call(`${v1}/contacts/${c.id}`, { method: 'PATCH', json: { family_name: 'Dough', email_addresses: [{ email: 'new@example.com', field: 'EMAIL1' }] } });
		assert.equal(patched.status, 200);
		assert.equal(patched.body.given_name, 'John');
		assert.equal(patched.body.family_name, 'Dough');
		assert.deepEqual(patched.body.email_addresses.map((e) => e.email), ['new@example.com', 'jd@work.example'], 'v1 PATCH merges collection items by field');
		assert.ok(patched.body.last_updated >= c.last_updated);

		const masked = await call(`${v1}/contacts/${c.id}?update_mask=given_name`, { method: 'PATCH', json: { given_name: 'Johnny', family_name: 'Ignored' } });
		assert.equal(masked.body.given_name, 'Johnny');
		assert.equal(masked.body.family_name, 'Dough');

		assert.equal((await call(`${v1}/contacts/${c.id}`, { method: 'DELETE' })).status, 204);
		const gone = await call(`${v1}/contacts/${c.id}`);
		assert.equal(gone.status, 404);
		assert.equal(typeof gone.body.message, 'string');
	});

	test('create needs an email or a phone; country_code is required with region', async () => {
		const r = await call(`${v1}/contacts`, { method: 'POST', json: { given_name: 'Nobody' } });
		assert.equal(r.status, 400);
		assert.ok(r.body.message);
		const r2 = await call(`${v1}/contacts`, { method: 'POST', json: { phone_numbers: [{ number: '555-0100', field: 'PHONE1' }], addresses: [{ field: 'BILLING', region: 'Arizona' }] } });
		assert.equal(r2.status, 400);
		assert.match(r2.body.message, /country_code/);
	});

	test('PUT upsert: creates, then updates the duplicate found by email', async () => {
		const first = await call(`${v1}/contacts`, { method: 'PUT', json: { duplicate_option: 'Email', given_name: 'Ann', email_addresses: [{ email: 'ann@example.com', field: 'EMAIL1' }] } });
		assert.equal(first.status, 200);
		const second = await call(`${v1}/contacts`, { method: 'PUT', json: { duplicate_option: 'Email', family_name: 'Lee', email_addresses: [{ email: 'ANN@example.com', field: 'EMAIL1' }] } });
		assert.equal(second.status, 200);
		assert.equal(second.body.id, first.body.id);
		assert.equal(second.body.given_name, 'Ann');
		assert.equal(second.body.family_name, 'Lee');
		const third = await call(`${v1}/contacts`, { method: 'PUT', json: { duplicate_option: 'EmailAndName', given_name: 'Other', email_addresses: [{ email: 'ann@example.com', field: 'EMAIL1' }] } });
		assert.notEqual(third.body.id, first.body.id);
		assert.equal(emu.store.contacts.size, 2);
	});

	test('list: filters, order, and following next to the end gives every contact once', async () => {
		const seeded = emu.seed({ contacts: Array.from({ length: 23 }, (_, i) => ({ given_name: i % 2 ? 'Odd' : 'Even', family_name: `F${i}`, email_addresses: [{ email: `p${i}@example.com`, field: 'EMAIL1' }] })) });
		const byEmail = await call(`${v1}/contacts?email=P7@example.com`);
		assert.deepEqual(byEmail.body.contacts.map((c) => c.id), [seeded.contacts[7]]);
		const odd = await call(`${v1}/contacts?given_name=odd&limit=100`);
		assert.equal(odd.body.count, 11);
		const desc = await call(`${v1}/contacts?order=id&order_direction=DESCENDING&limit=3`);
		assert.deepEqual(desc.body.contacts.map((c) => c.id), seeded.contacts.slice(-3).reverse());

		const seen = [];
		let url = `${v1}/contacts?limit=5`;
		for (let pages = 0; pages < 20; pages++) {
			const r = await call(url);
			assert.equal(r.status, 200);
			assert.equal(r.body.count, 23);
			seen.push(...r.body.contacts.map((c) => c.id));
			if (r.body.contacts.length < 5) break;
			assert.ok(r.body.next.startsWith(`${emu.url}/crm/rest/v1/contacts/?`), r.body.next);
			url = r.body.next;
		}
		assert.deepEqual(seen, seeded.contacts);
	});

	test('list since/until filter on last_updated', async () => {
		const [a] = emu.seed({ contacts: [{ given_name: 'Old', email_addresses: [{ email: 'old@example.com', field: 'EMAIL1' }] }] }).contacts;
		emu.advanceClock(60_000);
		const mid = new Date(emu.now()).toISOString();
		emu.advanceClock(60_000);
		const b = (await call(`${v1}/contacts`, { method: 'POST', json: { given_name: 'New', email_addresses: [{ email: 'new@example.com', field: 'EMAIL1' }] } })).body.id;
		assert.deepEqual((await call(`${v1}/contacts?since=${mid}`)).body.contacts.map((c) => c.id), [b]);
		assert.deepEqual((await call(`${v1}/contacts?until=${mid}`)).body.contacts.map((c) => c.id), [a]);
	});

	test('tags: create, categories, apply (object map), list, remove', async () => {
		const cat = await call(`${v1}/tags/categories`, { method: 'POST', json: { name: 'Lifecycle' } });
		assert.equal(cat.status, 200);
		const tag = await call(`${v1}/tags`, { method: 'POST', json: { name: 'Customer', description: 'Paying', category: { id: cat.body.id } } });
		assert.equal(tag.status, 200);
		assert.deepEqual(tag.body.category, { id: cat.body.id, name: 'Lifecycle' });
		const tag2 = (await call(`${v1}/tags`, { method: 'POST', json: { name: 'Lead' } })).body;
		const c = (await call(`${v1}/contacts`, { method: 'POST', json: { email_addresses: [{ email: 't@example.com', field: 'EMAIL1' }] } })).body;

		const applied = await call(`${v1}/contacts/${c.id}/tags`, { method: 'POST', json: { tagIds: [tag.body.id, tag2.id, 999999] } });
		assert.equal(applied.status, 200);
		assert.deepEqual(applied.body, { [tag.body.id]: 'SUCCESS', [tag2.id]: 'SUCCESS', 999999: 'TAG_ID_NOT_FOUND' });
		const again = await call(`${v1}/contacts/${c.id}/tags`, { method: 'POST', json: { tagIds: [tag.body.id] } });
		assert.deepEqual(again.body, { [tag.body.id]: 'DUPLICATE' });

		const listed = await call(`${v1}/contacts/${c.id}/tags`);
		assert.equal(listed.body.count, 2);
		assert.equal(listed.body.tags[0].tag.category, 'Lifecycle', 'SimpleTag.category is a string');
		assert.deepEqual((await call(`${v1}/contacts/${c.id}`)).body.tag_ids, [tag.body.id, tag2.id]);

		const byName = await call(`${v1}/tags?name=customer`);
		assert.deepEqual(byName.body.tags.map((t) => t.id), [tag.body.id]);
		const tagContacts = await call(`${v1}/tags/${tag.body.id}/contacts`);
		assert.deepEqual(tagContacts.body.contacts[0].contact, { id: c.id, email: 't@example.com' });

		assert.equal((await call(`${v1}/contacts/${c.id}/tags?ids=${tag.body.id}`, { method: 'DELETE' })).status, 204);
		assert.equal((await call(`${v1}/contacts/${c.id}/tags/${tag2.id}`, { method: 'DELETE' })).status, 204);
		assert.deepEqual((await call(`${v1}/contacts/${c.id}`)).body.tag_ids, []);

		const bulk = await call(`${v1}/tags/${tag2.id}/contacts`, { method: 'POST', json: { ids: [c.id] } });
		assert.deepEqual(bulk.body, { [c.id]: 'SUCCESS' });
		assert.equal((await call(`${v1}/tags/${tag2.id}/contacts?ids=${c.id}`, { method: 'DELETE' })).status, 204);
		assert.equal(emu.store.applied.get(c.id).size, 0);
	});

	test('model, users, option types and userinfo serve the fixtures', async () => {
		const model = await call(`${v1}/contacts/model`);
		const labels = model.body.custom_fields.map((f) => f.label);
		assert.ok(labels.includes('Favorite Color') && labels.includes('VIP'));
		assert.deepEqual(model.body.custom_fields.find((f) => f.label === 'Membership Level').options.map((o) => o.label), ['Bronze', 'Silver', 'Gold', 'Platinum']);
		assert.ok(model.body.optional_properties.includes('custom_fields'));
		const users = await call(`${v1}/users`);
		assert.deepEqual(users.body.users.map((u) => u.id), [1, 3]);
		assert.equal((await call(`${v1}/users?include_inactive=true`)).body.users.length, 3);
		assert.equal((await call(`${v1}/setting/contact/optionTypes`)).body.value, 'Lead,Customer,Partner,Other');
		const me = await call(`${v1}/oauth/connect/userinfo`, { auth: emu.issueTokens().access_token });
		for (const k of ['email', 'family_name', 'given_name', 'global_user_id', 'infusionsoft_id', 'sub']) assert.ok(k in me.body, k);
		// userinfo is the OAuth identity: a PAT gets 403 (switch userinfoWithKey)
		const withKey = await call(`${v1}/oauth/connect/userinfo`);
		assert.equal(withKey.status, 403);
		assert.match(withKey.body.message, /OAuth2 access token/);
		emu.setConfig({ userinfoWithKey: 'refuse-401' });
		assert.equal((await call(`${v1}/oauth/connect/userinfo`)).body.fault.detail.errorcode, 'keymanagement.service.invalid_access_token');
		emu.setConfig({ userinfoWithKey: 'allow' });
		assert.equal((await call(`${v1}/oauth/connect/userinfo`)).body.email, me.body.email);
	});
});
