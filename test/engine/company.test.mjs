// Keap CRM node, Company resource (and the company picker on contacts), run by n8n-core's engine
// against the emulator (REST v2) with its OpenAPI request validation on.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { callMethod } from './editor-methods.mjs';
import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture({ limits: false });
});
afterAll(async () => {
	const rejects = fx.emu.counters().validationRejects ?? 0;
	await fx.close();
	assert.equal(rejects, 0, 'the emulator rejected a request as invalid');
});

const company = (params, items, options) => fx.keap({ resource: 'company', ...params }, items, options);
const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const unique = (name) => `${name} ${Math.random().toString(36).slice(2, 8)}`;
/** Requests since log entry `mark`, as "METHOD path". */
const callsSince = (mark) => fx.emu.log().slice(mark).map((e) => `${e.method} ${e.path}`);

describe('company: create and get', () => {
	test('every kind of field, custom fields by name and typed, the owner picked from the list', async () => {
		const name = unique('Acme Plumbing');
		const [created] = jsonOf(
			await company({
				operation: 'create',
				companyName: name,
				additionalFields: {
					email: 'office@acme.example',
					opt_in_reason: 'Signed the contract',
					phone: '480-555-0110',
					phone_extension: '12',
					phone_type: 'Work',
					fax: '480 555 0111',
					line1: '12 Pipe Rd',
					locality: 'Phoenix',
					region_code: 'us-az',
					country_code: 'usa',
					postal_code: '85001',
					website: 'https://acme.example',
					notes: 'Key account',
					first_name: 'Ada',
					last_name: 'Pipe',
					job_title: 'Owner',
					birth_date: '1980-02-03T00:00:00',
					owner_id: { __rl: true, mode: 'list', value: '3' },
				},
				customFields: { mappingMode: 'defineBelow', value: { Industry: 'services', 20: '12' } },
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.company_name, name);
		assert.equal(created.email, 'office@acme.example');
		assert.equal(created.email_opt_status, 'SINGLE_OPT_IN', 'the opt-in reason made the email marketable');
		assert.deepEqual(created.phone, { number: '480-555-0110', extension: '12', type: 'Work' });
		assert.equal(created.fax.number, '480 555 0111');
		assert.equal(created.address.region_code, 'US-AZ');
		assert.equal(created.address.country_code, 'USA');
		assert.equal(created.address.line1, '12 Pipe Rd');
		assert.equal(created.owner_id, '3');
		assert.equal(created.birth_date, '1980-02-03');
		assert.deepEqual(created.custom_fields, { Industry: 'Services', Employees: 12 }, 'by label, typed, the option spelled as Keap has it');
		assert.deepEqual(created.tag_ids, []);

		for (const locator of [byId(created.id), { __rl: true, mode: 'list', value: created.id }, { __rl: true, mode: 'name', value: name.toUpperCase() }]) {
			const [got] = jsonOf(await company({ operation: 'get', company: locator }));
			assert.equal(got.id, created.id, `found ${locator.mode}`);
			assert.equal(got.notes, 'Key account', 'optional properties are asked for');
			assert.equal(got.custom_fields.Industry, 'Services');
		}
		const [simple] = jsonOf(await company({ operation: 'get', company: byId(created.id), output: 'simplified' }));
		assert.equal(simple.city, 'Phoenix');
		assert.equal(simple.phone, '480-555-0110');
		const [raw] = jsonOf(await company({ operation: 'get', company: byId(created.id), output: 'raw' }));
		assert.equal(raw.email_address.email, 'office@acme.example', 'raw: Keap’s own record');
	});

	test('bad input fails before any call, naming the item and the field', async () => {
		const before = fx.calls();
		const cases = [
			[{ companyName: '  ' }, /Company Name: a company needs a name/],
			[{ companyName: 'X', additionalFields: { email: 'nope' } }, /Email: "nope" is not a valid email/],
			[{ companyName: 'X', additionalFields: { region_code: 'US-AZ' } }, /Country Code: a country code is required/],
			[{ companyName: 'X', additionalFields: { opt_in_reason: 'why' } }, /Email Opt-In Reason: an opt-in reason needs/],
			[{ companyName: 'X', additionalFields: { owner_id: byId('x1') } }, /Owner: "x1" is not a Keap ID/],
			[{ companyName: 'X', additionalFields: { phone_type: 'Work' } }, /Phone: a phone extension or type needs/],
		];
		for (const [params, message] of cases) {
			const res = await company({ operation: 'create', ...params });
			assert.match(res.error?.message ?? '', message);
			assert.match(res.error.message, /^Item 0, /);
		}
		assert.equal(fx.calls(), before, 'nothing reached Keap');
		// custom fields are checked against the model (one call to read it)
		const res = await company({ operation: 'create', companyName: 'X', customFields: { mappingMode: 'defineBelow', value: { Industry: 'Farming' } } });
		assert.match(res.error?.message ?? '', /Custom Fields > Industry: "Farming" is not one of the options: Retail, Services/);
		assert.deepEqual(callsSince(fx.emu.log().length - 1), ['GET /crm/rest/v2/companies/model']);
	});
});

describe('company: update and delete', () => {
	test('an update changes what it names and keeps the rest of the address, phone and custom fields', async () => {
		const [c] = jsonOf(
			await company({
				operation: 'create',
				companyName: unique('Cedar Yoga'),
				additionalFields: { line1: '77 Lotus Ln', locality: 'Austin', region_code: 'US-TX', country_code: 'USA', phone: '512 555 0130', phone_type: 'Work' },
				customFields: { mappingMode: 'defineBelow', value: { Industry: 'Health', Employees: 4 } },
			}),
		);
		const [u] = jsonOf(
			await company({
				operation: 'update',
				company: byId(c.id),
				updateFields: { locality: 'Round Rock', phone_extension: '', phone: '512 555 0199', website: 'cedar.example' },
				customFields: { mappingMode: 'defineBelow', value: { Employees: 5 } },
			}),
		);
		assert.equal(u.address.locality, 'Round Rock');
		assert.equal(u.address.line1, '77 Lotus Ln', 'the street is kept');
		assert.equal(u.address.region_code, 'US-TX');
		assert.deepEqual(u.phone, { number: '512 555 0199', type: 'Work' }, 'the phone type is kept');
		assert.equal(u.website, 'cedar.example');
		assert.deepEqual(u.custom_fields, { Industry: 'Health', Employees: 5 }, 'Industry is kept');

		const newName = unique('Cedar Yoga Studio');
		const [renamed] = jsonOf(await company({ operation: 'update', company: byId(c.id), updateFields: { company_name: newName } }));
		assert.equal(renamed.company_name, newName);
		assert.equal(renamed.address.locality, 'Round Rock');

		const [unchanged] = jsonOf(await company({ operation: 'update', company: byId(c.id) }));
		assert.equal(unchanged.company_name, newName, 'nothing to change: the company as it is');

		assert.deepEqual(jsonOf(await company({ operation: 'delete', company: { __rl: true, mode: 'name', value: newName } })), [{ deleted: true }]);
		const gone = await company({ operation: 'get', company: byId(c.id) });
		assert.match(gone.error?.message ?? '', new RegExp(`no company with ID ${c.id}`));
	});

	test('continue on fail: deleting a missing company and a bad name are error items, paired', async () => {
		const [c] = jsonOf(await company({ operation: 'create', companyName: unique('Doomed') }));
		const res = await company(
			{ operation: 'delete', company: { __rl: true, mode: '={{ $json.mode }}', value: '={{ $json.v }}' } },
			[
				{ mode: 'id', v: c.id },
				{ mode: 'id', v: c.id },
				{ mode: 'name', v: 'No Such Company Anywhere' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
		assert.deepEqual(res.items[0].json, { deleted: true });
		assert.match(res.items[1].json.error, new RegExp(`no company with ID ${c.id}`));
		assert.match(res.items[2].json.error, /no company named "No Such Company Anywhere"/);
	});
});

describe('company: get many', () => {
	test('name (exact or prefix), email, city, update time, sort; Limit and Return All', async () => {
		const stem = unique('Zeta');
		const made = [];
		for (const [suffix, city] of [['North', 'Chandler'], ['South', 'Chandler'], ['East', 'Tempe']]) {
			const [c] = jsonOf(
				await company({
					operation: 'create',
					companyName: `${stem} ${suffix}`,
					additionalFields: { email: `${suffix.toLowerCase()}@${stem.split(' ')[1]}.example`, locality: city },
				}),
			);
			made.push(c);
		}
		const prefix = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { name: `${stem.toLowerCase()}*` } }));
		assert.deepEqual(prefix.map((c) => c.id), made.map((c) => c.id));
		const exact = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { name: `${stem} South` } }));
		assert.deepEqual(exact.map((c) => c.id), [made[1].id]);
		const city = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { name: `${stem}*`, city: 'chan*' } }));
		assert.deepEqual(city.map((c) => c.id), [made[0].id, made[1].id]);
		const mail = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { email: made[2].email } }));
		assert.deepEqual(mail.map((c) => c.id), [made[2].id]);
		const since = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { name: `${stem}*`, updated_since: made[1].update_time } }));
		assert.deepEqual(since.map((c) => c.id), [made[1].id, made[2].id]);
		const sorted = jsonOf(
			await company({ operation: 'getAll', returnAll: false, limit: 2, filters: { name: `${stem}*` }, sort: { order_by: 'name', order_direction: 'desc' } }),
		);
		assert.deepEqual(sorted.map((c) => c.company_name), [`${stem} South`, `${stem} North`]);

		const bad = await company({ operation: 'getAll', returnAll: true, filters: { name: 'Ze*ta' } });
		assert.match(bad.error?.message ?? '', /^Item 0, Filters > Name: a \* may only end the value/);
	});

	test('Limit asks Keap for no more than it needs; Return All follows the page tokens', async () => {
		const stem = unique('Paged');
		for (let n = 0; n < 7; n++) fx.emu.seed({ companies: [{ company_name: `${stem} ${n}` }] });
		let mark = fx.emu.log().length;
		const some = jsonOf(await company({ operation: 'getAll', returnAll: false, limit: 6, filters: { name: `${stem}*` } }));
		assert.equal(some.length, 6);
		assert.deepEqual(fx.emu.log().slice(mark).map((e) => e.query.page_size), ['6'], 'one call of page_size 6');
		// 1005 companies are two pages of Keap's largest page (1000).
		fx.emu.seed({ companies: Array.from({ length: 998 }, (_, n) => ({ company_name: `${stem} more ${n}` })) });
		mark = fx.emu.log().length;
		const all = jsonOf(await company({ operation: 'getAll', returnAll: true, filters: { name: `${stem}*` }, output: 'simplified' }));
		assert.equal(all.length, 1005);
		assert.equal(new Set(all.map((c) => c.id)).size, 1005);
		assert.deepEqual(fx.emu.log().slice(mark).map((e) => e.query.page_size), ['1000', '1000']);
	});
});

describe('company: create or update, matched on the name', () => {
	test('an existing company (any case) is updated; a new name is created once even when several items carry it', async () => {
		const existing = unique('Bright Smile');
		const [c] = jsonOf(await company({ operation: 'create', companyName: existing, additionalFields: { notes: 'old' } }));
		const fresh = unique('Fox Bakery');
		// Duplicate names are allowed by this setting: only the node keeps one name one company.
		fx.emu.setConfig({ companyDuplicateNames: 'allow' });
		try {
			const res = await company(
				{ operation: 'upsert', companyName: '={{ $json.name }}', additionalFields: { notes: '={{ $json.notes }}' } },
				[
					{ name: ` ${existing.toLowerCase()} `, notes: 'new' },
					{ name: fresh, notes: 'first' },
					{ name: fresh.toUpperCase(), notes: 'second' },
					{ name: fresh, notes: 'third' },
				],
			);
			const out = jsonOf(res);
			assert.equal(out[0].id, c.id, 'matched the existing company, ignoring case and spaces');
			assert.equal(out[0].notes, 'new');
			assert.equal(new Set(out.slice(1).map((o) => o.id)).size, 1, 'one company for the new name');
			assert.equal(out[3].notes, 'third', 'the items wrote in order');
			const named = [...fx.emu.store.companies.values()].filter((x) => x.company_name.toLowerCase() === fresh.toLowerCase());
			assert.equal(named.length, 1, 'Keap holds the name once');
		} finally {
			fx.emu.setConfig({ companyDuplicateNames: 'reject' });
		}
	});

	test('a create Keap refuses as a conflict (the name was created in between) becomes an update', async () => {
		const name = unique('Racing');
		// The create waits 400 ms at the emulator; meanwhile, after the node's name look-up found
		// nothing, another writer creates the name.
		fx.emu.setFaults({ match: { method: 'POST', pathPrefix: '/crm/rest/v2/companies' }, count: 1, latencyMs: 400 });
		const mark = fx.emu.log().length;
		const running = company({ operation: 'upsert', companyName: name, additionalFields: { notes: 'mine' } });
		while (!callsSince(mark).includes('GET /crm/rest/v2/companies')) await new Promise((r) => setTimeout(r, 10));
		const seeded = fx.emu.seed({ companies: [{ company_name: name, notes: 'theirs' }] }).companies[0];
		const [out] = jsonOf(await running);
		fx.emu.clearFaults();
		assert.equal(out.id, String(seeded), 'the company the other writer made');
		assert.equal(out.notes, 'mine');
		assert.deepEqual(
			callsSince(mark).filter((c) => !c.endsWith('/model')),
			['GET /crm/rest/v2/companies', 'POST /crm/rest/v2/companies', 'GET /crm/rest/v2/companies', `PATCH /crm/rest/v2/companies/${seeded}`],
		);
	});
});

describe('company: tags', () => {
	test('apply (creating a missing tag, reporting one already there) and remove (reporting one not there)', async () => {
		const [c] = jsonOf(await company({ operation: 'create', companyName: unique('Tagged') }));
		const tagName = unique('Company VIP');
		const [t2] = jsonOf(await fx.keap({ resource: 'tag', operation: 'create', name: unique('Wholesale') }));
		const [applied] = jsonOf(
			await company({ operation: 'applyTags', company: byId(c.id), tags: [tagName, t2.id], createMissing: true }),
		);
		assert.equal(applied.company_id, c.id);
		const newTag = applied.tags.find((t) => t.name === tagName);
		assert.ok(newTag, 'the missing tag was created');
		assert.deepEqual(applied.results, { [newTag.id]: 'SUCCESS', [t2.id]: 'SUCCESS' });
		const [again] = jsonOf(await company({ operation: 'applyTags', company: byId(c.id), tags: `${t2.id}` }));
		assert.deepEqual(again.results, { [t2.id]: 'DUPLICATE' });
		const [got] = jsonOf(await company({ operation: 'get', company: byId(c.id) }));
		assert.deepEqual(got.tag_ids.sort(), [newTag.id, t2.id].sort());

		const [removed] = jsonOf(await company({ operation: 'removeTags', company: byId(c.id), tags: [newTag.id, t2.id] }));
		assert.deepEqual(removed.results, { [newTag.id]: 'SUCCESS', [t2.id]: 'SUCCESS' });
		const [none] = jsonOf(await company({ operation: 'removeTags', company: byId(c.id), tags: [t2.id] }));
		assert.deepEqual(none.results, { [t2.id]: 'NOT_APPLIED' });
		const [after] = jsonOf(await company({ operation: 'get', company: byId(c.id) }));
		assert.deepEqual(after.tag_ids, []);
	});

	test('continue on fail: an unknown tag name, a missing company and no tags are error items', async () => {
		const [c] = jsonOf(await company({ operation: 'create', companyName: unique('Tag Errors') }));
		const res = await company(
			{ operation: 'applyTags', company: byId('={{ $json.id }}'), tags: '={{ $json.tags }}' },
			[
				{ id: c.id, tags: 'No Such Tag Here' },
				{ id: '999999', tags: 'No Such Tag Here' },
				{ id: c.id, tags: '' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
		assert.match(res.items[0].json.error, /no tag named "No Such Tag Here" \(turn on "Create Missing Tags"/);
		assert.match(res.items[1].json.error, /no tag named/);
		assert.match(res.items[2].json.error, /Tag Names or IDs: at least one tag is required/);
		const [t] = jsonOf(await fx.keap({ resource: 'tag', operation: 'create', name: unique('Known') }));
		const missing = await company({ operation: 'applyTags', company: byId('999999'), tags: [t.id] });
		assert.match(missing.error?.message ?? '', /no company with ID 999999/);
	});
});

describe('company pickers and the editor', () => {
	test('the company search finds by name prefix, A to Z, with pages', async () => {
		const stem = unique('Quill');
		for (const n of ['b', 'a', 'c']) fx.emu.seed({ companies: [{ company_name: `${stem} ${n}` }] });
		const found = await callMethod(fx.emu.url, 'listSearch', 'searchCompanies', {}, stem.toLowerCase());
		assert.deepEqual(found.results.map((r) => r.name), [`${stem} a`, `${stem} b`, `${stem} c`]);
		const first = await callMethod(fx.emu.url, 'listSearch', 'searchCompanies', {}, '');
		assert.ok(first.results.length > 0);
	});

	test('the custom field mapper lists the company model, typed', async () => {
		const { fields } = await callMethod(fx.emu.url, 'resourceMapping', 'getCompanyCustomFieldColumns', { resource: 'company', operation: 'create' });
		const industry = fields.find((f) => f.displayName === 'Industry');
		assert.equal(industry.type, 'options');
		assert.deepEqual(industry.options.map((o) => o.value), ['Retail', 'Services', 'Manufacturing', 'Health']);
		assert.equal(fields.find((f) => f.displayName === 'Employees').type, 'number');
	});

	test('a contact’s company is picked from the list (or by ID, or a plain ID from older workflows)', async () => {
		const [c] = jsonOf(await company({ operation: 'create', companyName: unique('Employer') }));
		for (const value of [{ __rl: true, mode: 'list', value: c.id }, byId(c.id), c.id]) {
			const [contact] = jsonOf(
				await fx.keap({ resource: 'contact', operation: 'create', email: email('employee'), additionalFields: { company_id: value } }),
			);
			assert.equal(contact.company_id, c.id);
		}
		const bad = await fx.keap({ resource: 'contact', operation: 'create', email: email('employee'), additionalFields: { company_id: byId('acme') } });
		assert.match(bad.error?.message ?? '', /^Item 0, Company: "acme" is not a Keap ID/);
	});
});
