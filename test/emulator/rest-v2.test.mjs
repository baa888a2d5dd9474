import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call } from './helpers.mjs';

describe('REST v2', () => {
	let emu;
	let v2;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
		v2 = `${emu.url}/crm/rest/v2`;
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	const base = () => ({
		given_name: 'Mary', family_name: 'Major',
		email_addresses: [{ email: 'mary@example.com', field: 'EMAIL1', opt_in_reason: 'Web form' }, { email: 'mm@work.example', field: 'EMAIL2' }],
		phone_numbers: [{ number: '480-555-0101', field: 'PHONE1' }, { number: '480-555-0102', field: 'PHONE2' }],
		addresses: [{ field: 'BILLING', line1: '9 Elm', locality: 'Chandler', region_code: 'US-AZ', country_code: 'USA', postal_code: '85224' }],
		custom_fields: [{ id: '6', content: 'Red' }, { id: '8', content: 'Gold' }],
		owner_id: '3',
	});

	test('create (201) with string ids, get with fields, delete (204)', async () => {
		const r = await call(`${v2}/contacts`, { method: 'POST', json: base() });
		assert.equal(r.status, 201);
		assert.equal(typeof r.body.id, 'string');
		assert.equal(r.body.owner_id, '3');
		assert.equal(r.body.addresses[0].region, 'Arizona');
		assert.equal(r.body.email_addresses[0].email_opt_status, 'SINGLE_OPT_IN');
		assert.equal(r.body.email_addresses[1].is_opt_in, false);
		assert.match(r.body.update_time, /\.\d{3}Z$/);
		const got = await call(`${v2}/contacts/${r.body.id}?fields=given_name,custom_fields,tag_ids`);
		assert.deepEqual(Object.keys(got.body).sort(), ['custom_fields', 'given_name', 'id', 'tag_ids']);
		assert.deepEqual(got.body.custom_fields.filter((f) => f.content !== null), [{ id: '6', content: 'Red' }, { id: '8', content: 'Gold' }]);
		assert.equal((await call(`${v2}/contacts/${r.body.id}`, { method: 'DELETE' })).status, 204);
		const gone = await call(`${v2}/contacts/${r.body.id}`);
		assert.equal(gone.status, 404);
		assert.deepEqual(Object.keys(gone.body), ['code', 'message', 'status', 'details']);
		assert.equal(gone.body.status, 'Not Found');
	});

	test('PATCH replaces whole collections; update_mask limits and clears fields', async () => {
		const id = (await call(`${v2}/contacts`, { method: 'POST', json: base() })).body.id;
		const p = await call(`${v2}/contacts/${id}?fields=email_addresses,phone_numbers,custom_fields,family_name,given_name`, {
			method: 'PATCH',
			json: { email_addresses: [{ email: 'only@example.com', field: 'EMAIL1' }], custom_fields: [{ id: '14', content: 7 }] },
		});
		assert.equal(p.status, 200);
		assert.deepEqual(p.body.email_addresses.map((e) => e.email), ['only@example.com'], 'EMAIL2 removed');
		assert.equal(p.body.phone_numbers.length, 2, 'collections not in the body stay');
		assert.deepEqual(p.body.custom_fields.filter((f) => f.content !== null), [{ id: '14', content: 7 }], 'custom fields replaced whole');
		assert.equal(p.body.given_name, 'Mary');

		const masked = await call(`${v2}/contacts/${id}?update_mask=family_name,phone_numbers&fields=given_name,family_name,phone_numbers`, {
			method: 'PATCH', json: { given_name: 'Ignored', family_name: 'Minor' },
		});
		assert.equal(masked.body.given_name, 'Mary');
		assert.equal(masked.body.family_name, 'Minor');
		assert.deepEqual(masked.body.phone_numbers, [], 'a masked collection missing from the body is emptied');

		const empty = await call(`${v2}/contacts/${id}?fields=addresses`, { method: 'PATCH', json: { addresses: [] } });
		assert.deepEqual(empty.body.addresses, []);
	});

	test('duplicate_option: 200 when a duplicate is updated, 201 when created', async () => {
		const first = await call(`${v2}/contacts?duplicate_option=Email`, { method: 'POST', json: base() });
		assert.equal(first.status, 201);
		const dup = await call(`${v2}/contacts?duplicate_option=Email`, { method: 'POST', json: { given_name: 'Maria', email_addresses: [{ email: 'MARY@example.com', field: 'EMAIL1' }] } });
		assert.equal(dup.status, 200);
		assert.equal(dup.body.id, first.body.id);
		assert.equal(dup.body.given_name, 'Maria');
		const nameMismatch = await call(`${v2}/contacts?duplicate_option=EmailAndName`, { method: 'POST', json: { given_name: 'Other', family_name: 'Major', email_addresses: [{ email: 'mary@example.com', field: 'EMAIL1' }] } });
		assert.equal(nameMismatch.status, 201);
		const plain = await call(`${v2}/contacts`, { method: 'POST', json: base() });
		assert.equal(plain.status, 201, 'without duplicate_option Keap always creates');
		assert.equal(emu.store.contacts.size, 3);
	});

	test('create needs an email, phone or address', async () => {
		const r = await call(`${v2}/contacts`, { method: 'POST', json: { given_name: 'X' } });
		assert.equal(r.status, 400);
		assert.equal(r.body.code, 400);
		const ok = await call(`${v2}/contacts`, { method: 'POST', json: { given_name: 'X', addresses: [{ field: 'SHIPPING', line1: '1 Road', country_code: 'CAN' }] } });
		assert.equal(ok.status, 201);
	});

	test('list filters: email, names with wildcard, ids, update window, contact_id, custom field', async () => {
		const ids = emu.seed({ contacts: [
			{ given_name: 'Mary', family_name: 'Smith', email_addresses: [{ email: 'mary.smith@example.com', field: 'EMAIL1' }], custom_fields: [{ id: 14, content: 5 }] },
			{ given_name: 'Mark', family_name: 'Smithers', email_addresses: [{ email: 'mark@example.com', field: 'EMAIL1' }], custom_fields: [{ id: 14, content: 50 }] },
			{ given_name: 'Ann', family_name: 'Jones', email_addresses: [{ email: 'ann@example.com', field: 'EMAIL1' }] },
		] }).contacts.map(String);
		const list = async (filter) => (await call(`${v2}/contacts?filter=${encodeURIComponent(filter)}`)).body.contacts.map((c) => c.id);
		assert.deepEqual(await list('email==mark@example.com'), [ids[1]]);
		assert.deepEqual(await list('given_name==Mar*'), [ids[0], ids[1]]);
		assert.deepEqual(await list('family_name==smith'), [ids[0]]);
		assert.deepEqual(await list('given_name==Mar*;family_name==Smithers'), [ids[1]]);
		assert.deepEqual(await list(`ids==${ids[0]},${ids[2]}`), [ids[0], ids[2]]);
		assert.deepEqual(await list(`contact_id>${ids[0]}`), [ids[1], ids[2]]);
		assert.deepEqual(await list('VisitCount>=10'), [ids[1]]);
		emu.advanceClock(5000);
		const start = new Date(emu.now()).toISOString();
		await call(`${v2}/contacts/${ids[2]}`, { method: 'PATCH', json: { middle_name: 'Q' } });
		assert.deepEqual(await list(`start_update_time==${start}`), [ids[2]]);
		assert.deepEqual(await list(`end_update_time==${start}`), [ids[0], ids[1]]);
		const bad = await call(`${v2}/contacts?filter=${encodeURIComponent('shoe_size==9')}`);
		assert.equal(bad.status, 400);
		const order = await call(`${v2}/contacts?order_by=${encodeURIComponent('email desc')}`);
		assert.deepEqual(order.body.contacts.map((c) => c.id), [ids[0], ids[1], ids[2]]);
	});

	test('paging with next_page_token visits every contact exactly once', async () => {
		const ids = emu.seed({ contacts: Array.from({ length: 57 }, (_, i) => ({ email_addresses: [{ email: `x${i}@example.com`, field: 'EMAIL1' }] })) }).contacts.map(String);
		const seen = [];
		let token = '';
		for (let i = 0; i < 20; i++) {
			const r = await call(`${v2}/contacts?page_size=10${token ? `&page_token=${token}` : ''}`);
			assert.equal(r.status, 200);
			seen.push(...r.body.contacts.map((c) => c.id));
			token = r.body.next_page_token;
			if (!token) break;
		}
		assert.deepEqual(seen, ids);
		const defaultSize = await call(`${v2}/contacts`);
		assert.equal(defaultSize.body.contacts.length, 50);
		const tampered = await call(`${v2}/contacts?page_size=10&page_token=garbage`);
		assert.equal(tampered.status, 400);
	});

	test('tags: create (201), categories, applyTags (200 results), removeTags (204), tag lists', async () => {
		const cat = await call(`${v2}/tags/categories`, { method: 'POST', json: { name: 'Interests' } });
		assert.equal(cat.status, 201);
		const tag = await call(`${v2}/tags`, { method: 'POST', json: { name: 'Webinar', category: { id: cat.body.id } } });
		assert.equal(tag.status, 201);
		assert.deepEqual(tag.body.category, { id: cat.body.id });
		const c = (await call(`${v2}/contacts`, { method: 'POST', json: { given_name: 'Tia', email_addresses: [{ email: 'tia@example.com', field: 'EMAIL1' }] } })).body;

		const applied = await call(`${v2}/tags/${tag.body.id}/contacts:applyTags`, { method: 'POST', json: { contact_ids: [c.id, '99999'] } });
		assert.equal(applied.status, 200);
		assert.deepEqual(applied.body, { results: { [c.id]: 'SUCCESS', 99999: 'CONTACT_NOT_FOUND' } });
		const dup = await call(`${v2}/tags/${tag.body.id}/contacts:applyTags`, { method: 'POST', json: { contact_ids: [c.id] } });
		assert.deepEqual(dup.body.results, { [c.id]: 'DUPLICATE' });

		const theirTags = await call(`${v2}/contacts/${c.id}/tags`);
		assert.deepEqual(theirTags.body.tags.map((t) => t.tag.name), ['Webinar']);
		assert.ok(theirTags.body.tags[0].applied_time);
		const tagged = await call(`${v2}/tags/${tag.body.id}/contacts`);
		assert.deepEqual(tagged.body.contacts.map((x) => [x.id, x.email]), [[c.id, 'tia@example.com']]);
		assert.deepEqual((await call(`${v2}/contacts/${c.id}?fields=tag_ids`)).body.tag_ids, [tag.body.id]);
		const byName = await call(`${v2}/tags?filter=${encodeURIComponent('name==webinar')}`);
		assert.deepEqual(byName.body.tags.map((t) => t.id), [tag.body.id], 'name filter: exact, case-insensitive');
		// Keap documents no wildcard for tags: `*` is literal (switch undocumentedWildcard)
		assert.deepEqual((await call(`${v2}/tags?filter=${encodeURIComponent('name==Web*')}`)).body.tags, []);
		assert.deepEqual((await call(`${v2}/tags?filter=${encodeURIComponent('category_id==NONE')}`)).body.tags, []);

		const removed = await call(`${v2}/tags/${tag.body.id}/contacts:removeTags`, { method: 'POST', json: { contact_ids: [c.id] } });
		assert.equal(removed.status, 204);
		assert.equal(removed.text, '');
		assert.deepEqual((await call(`${v2}/contacts/${c.id}?fields=tag_ids`)).body.tag_ids, []);

		const patched = await call(`${v2}/tags/${tag.body.id}?update_mask=name`, { method: 'PATCH', json: { name: 'Webinar 2026' } });
		assert.equal(patched.body.name, 'Webinar 2026');
		assert.equal((await call(`${v2}/tags/${tag.body.id}`, { method: 'DELETE' })).status, 204);
		assert.equal((await call(`${v2}/tags/${tag.body.id}`)).status, 404);
	});

	test('one store: a contact created over v1 is the same contact over v2 (and the other way)', async () => {
		const v1 = (await call(`${emu.url}/crm/rest/v1/contacts`, { method: 'POST', json: { given_name: 'Una', email_addresses: [{ email: 'una@example.com', field: 'EMAIL1' }], custom_fields: [{ id: 16, content: true }] } })).body;
		const viaV2 = await call(`${v2}/contacts/${v1.id}?fields=given_name,email_addresses,custom_fields,create_time`);
		assert.equal(viaV2.body.id, String(v1.id));
		assert.equal(viaV2.body.given_name, 'Una');
		assert.equal(viaV2.body.create_time, v1.date_created);
		assert.equal(viaV2.body.custom_fields.find((f) => f.id === '16').content, true);
		await call(`${v2}/contacts/${v1.id}`, { method: 'PATCH', json: { family_name: 'Two' } });
		const back = await call(`${emu.url}/crm/rest/v1/contacts/${v1.id}`);
		assert.equal(back.body.family_name, 'Two');
		assert.ok(Date.parse(back.body.last_updated) > Date.parse(v1.last_updated) || back.body.last_updated !== v1.last_updated);
	});

	test('model, custom field create, users, lead sources, option types, userinfo', async () => {
		const model = await call(`${v2}/contacts/model`);
		assert.ok(model.body.custom_fields.some((f) => f.field_type === 'DROPDOWN' && f.label === 'Membership Level'));
		const cf = await call(`${v2}/contacts/model/customFields`, { method: 'POST', json: { label: 'Shoe Size', field_type: 'WHOLE_NUMBER' } });
		assert.equal(cf.status, 201);
		assert.equal(cf.body.field_name, 'ShoeSize');
		assert.equal((await call(`${v2}/users`)).body.users[0].id, '1');
		assert.ok((await call(`${v2}/leadSources`)).body.lead_sources.some((l) => l.name === 'Referral'));
		assert.deepEqual((await call(`${v2}/settings/contactOptionTypes`)).body.option_types, ['Lead', 'Customer', 'Partner', 'Other']);
		assert.equal((await call(`${v2}/oauth/connect/userinfo`, { auth: emu.issueTokens().access_token })).body.is_admin, true);
		assert.equal((await call(`${v2}/oauth/connect/userinfo`)).status, 403, 'not for a PAT (switch userinfoWithKey)');
	});
});
