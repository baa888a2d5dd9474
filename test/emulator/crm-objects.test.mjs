// The CRM object modules (test/emulator/objects/): companies, notes, tasks, opportunities and
// stages, users, email address status, the custom field models, the v1 application configuration.
// Every answer is checked against the response schema of Keap's OpenAPI document (strictly: no
// property it does not name), every route rejects what the request schema rejects, and each
// switch is run in both settings.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, hookReceiver, xmlrpc, PAT } from './helpers.mjs';
import { objectRoutes, OBJECT_CONFIG_DEFAULTS } from './objects/index.mjs';
import { CONFIG_DEFAULTS } from './index.mjs';
import { Validator, specPathFor } from './validate.mjs';
import { routeOf, responseProblems } from './spec-responses.mjs';

let emu;
beforeAll(async () => {
	emu = await startEmulator({ quiet: true, limits: false, seed: 'demo', config: { hookDelayMs: 10_000 } });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

/** A REST call whose answer must fit the documented response (2xx and errors alike). */
async function api(method, path, { json, version = 'v2', auth = PAT, raw } = {}) {
	const r = await call(`${emu.url}/crm/rest/${version}${path}`, { method, json, auth, body: raw, headers: raw ? { 'content-type': 'application/json' } : {} });
	const template = routeOf(version, method, path);
	assert.ok(template, `${method} ${path} is served`);
	const problems = responseProblems(version, method, template, r.status, r.status === 204 ? null : r.body);
	assert.deepEqual(problems, [], `${method} ${path} -> ${r.status} fits the ${version} document: ${JSON.stringify(r.body).slice(0, 300)}`);
	return r;
}
const get = (p, o) => api('GET', p, o);
const post = (p, json, o) => api('POST', p, { json, ...o });
const patch = (p, json, o) => api('PATCH', p, { json, ...o });
const del = (p, o) => api('DELETE', p, o);
const q = (filter) => `filter=${encodeURIComponent(filter)}`;

function rejects(r, pattern, status = 400) {
	assert.equal(r.status, status, JSON.stringify(r.body));
	assert.match(r.body.message, pattern);
}

/** Collects every page of a v2 list. */
async function all(path, key, pageSize = 2) {
	const out = [];
	let token = '';
	do {
		const sep = path.includes('?') ? '&' : '?';
		const r = await get(`${path}${sep}page_size=${pageSize}${token ? `&page_token=${token}` : ''}`);
		assert.equal(r.status, 200, JSON.stringify(r.body));
		out.push(...r.body[key]);
		token = r.body.next_page_token;
	} while (token);
	return out;
}

/** A time after every write so far (store stamps run ahead of the clock while seeding). */
const afterLastWrite = () => new Date(emu.store.lastStamp + 1).toISOString();
const demoContact = (i) => [...emu.store.contacts.values()][i];
const demoEmail = (i) => demoContact(i).email_addresses[0].email;

// ---- wiring -------------------------------------------------------------------------------------
describe('object routes', () => {
	test('every object route is an operation of Keap\'s documents and gets request validation (an unknown query parameter is a 400)', async () => {
		const validator = new Validator(() => ({ strictUnknownProperties: true }));
		const ids = { contact_id: demoContact(0).id, company_id: 5001, tag_id: 101, note_id: 7001, task_id: 9001, opportunity_id: 11001, stage_id: 21, stage_move_id: 31001, custom_field_id: 18, user_id: 1, email: demoEmail(0) };
		let n = 0;
		for (const [version, routes] of Object.entries(objectRoutes)) {
			for (const r of routes) {
				assert.doesNotThrow(() => validator.operation(version, r.method, specPathFor(version, r.path)), `${version} ${r.method} ${r.path}`);
				const path = r.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(ids[name]));
				const res = await call(`${emu.url}/crm/rest/${version}${path}?bogus_parameter=1`, { method: r.method, json: ['POST', 'PATCH', 'PUT'].includes(r.method) ? {} : undefined });
				assert.equal(res.status, 400, `${version} ${r.method} ${r.path}`);
				assert.match(JSON.stringify(res.body), /bogus_parameter/, `${version} ${r.method} ${r.path}`);
				n++;
			}
		}
		assert.ok(n >= 50, `${n} routes`);
	});

	test('the response check itself: it flags a property the document does not name, a wrong type and an undocumented status', () => {
		const ok = { id: '1', company_name: 'A' };
		assert.deepEqual(responseProblems('v2', 'GET', '/companies/{company_id}', 200, ok), []);
		assert.match(responseProblems('v2', 'GET', '/companies/{company_id}', 200, { ...ok, name: 'A' }).join(), /additional properties: name/);
		assert.match(responseProblems('v2', 'GET', '/companies/{company_id}', 200, { ...ok, owner_id: 3 }).join(), /owner_id must be string/);
		assert.match(responseProblems('v2', 'GET', '/companies/{company_id}', 201, ok).join(), /status 201 is not documented/);
		assert.match(responseProblems('v2', 'GET', '/tasks/{task_id}', 200, { id: '1', remind_time_mins: 45 }).join(), /remind_time_mins/);
	});

	test('the object switches are emulator config keys with their strict defaults', () => {
		for (const [k, v] of Object.entries(OBJECT_CONFIG_DEFAULTS)) assert.deepEqual(CONFIG_DEFAULTS[k], v, k);
		// every object module's switches (the commerce ones: commerce-objects.test.mjs checks their defaults)
		assert.deepEqual(Object.keys(OBJECT_CONFIG_DEFAULTS).sort(), [
			'affiliateCodeUnique', 'companyDuplicateNames', 'companyNameFilterCaseSensitive', 'companyNameRequired', 'companyTagIdempotent',
			'contactCompanyMustExist', 'contactDeleteCascade', 'customFieldDuplicateLabels', 'emailBatchRemoveMax', 'emailSendContactsMax',
			'emailSendRequiresMarketable', 'emailStatusUnknownAddress', 'fileMaxBytes', 'goalNoMatch', 'inactiveUserAssignable', 'noteTypes',
			'opportunityLegacyFields', 'opportunityStageDeleteInUse', 'productSkuUnique', 'sequenceContactIdsMax', 'sequenceRemoveNotInSequence',
			'subscriptionAutoChargeNeedsPaymentMethod', 'taskTimeFilterField', 'taskTitleRequired', 'taskTypes', 'unknownPromoCode',
		]);
	});

	test('the demo set has companies linked to contacts, notes, tasks, a pipeline with opportunities, note templates', async () => {
		const s = emu.store;
		assert.equal(s.companies.size, 6);
		assert.equal(s.notes.size, 6);
		assert.equal(s.tasks.size, 6);
		assert.equal(s.stages.size, 6);
		assert.equal(s.opportunities.size, 5);
		assert.equal(s.stageMoves.size, 5, 'each opportunity entered its first stage');
		assert.equal(s.noteTemplates.size, 2);
		const acme = [...s.companies.values()].find((c) => c.company_name === 'Acme Plumbing');
		const linked = (await get(`/contacts?${q(`company_id==${acme.id}`)}&page_size=100`)).body.contacts;
		assert.ok(linked.length >= 2 && linked.every((c) => c.company?.id === String(acme.id)), 'contacts point at their company');
		const snap = (await call(`${emu.url}/__admin/store`)).body;
		for (const k of ['companies', 'notes', 'noteTemplates', 'tasks', 'opportunities', 'stages', 'stageMoves', 'objectFields']) assert.ok(Array.isArray(snap[k]) || typeof snap[k] === 'object', k);
	});

	test('seed format: objects by reference (contact email, stage name, tag name); ids come back', async () => {
		emu.store.reset();
		const r = await call(`${emu.url}/__admin/seed`, {
			method: 'POST',
			json: {
				tags: [{ name: 'Partner' }],
				contacts: [{ given_name: 'Sid', email_addresses: [{ email: 'sid@example.com', field: 'EMAIL1' }] }],
				companies: [{ company_name: 'Seeded Co', tags: ['Partner'], contacts: ['sid@example.com'] }],
				stages: [{ name: 'Only', order: 1, probability: 50, target_number_days: 3 }],
				opportunities: [{ contact: 'sid@example.com', stage: 'Only', opportunity_title: 'Seeded deal' }],
				notes: [{ contact: 'sid@example.com', user_id: '1', title: 'Seeded note' }],
				tasks: [{ contact: 'sid@example.com', assigned_to_user_id: '3', title: 'Seeded task' }],
				noteTemplates: [{ title: 'T' }],
			},
		});
		assert.equal(r.status, 200, JSON.stringify(r.body));
		for (const k of ['companies', 'stages', 'opportunities', 'notes', 'tasks', 'noteTemplates']) assert.equal(r.body[k].length, 1, k);
		const c = emu.store.contacts.get(r.body.contacts[0]);
		assert.equal(c.company_id, r.body.companies[0]);
		assert.equal(emu.hookDeliveries().length, 0);
		const bad = await call(`${emu.url}/__admin/seed`, { method: 'POST', json: { notes: [{ contact: 'nobody@example.com', user_id: '1', title: 'x' }] } });
		assert.equal(bad.status, 400);
		assert.match(bad.body.error, /unknown contact/);
	});

	test('hook events: company, note, task and opportunity add/edit/delete and opportunity.stage_move, with v1 apiUrls', async () => {
		const rx = await hookReceiver();
		try {
			const keys = ['company.add', 'company.edit', 'company.delete', 'note.add', 'note.edit', 'note.delete', 'task.add', 'task.edit', 'task.delete', 'opportunity.add', 'opportunity.edit', 'opportunity.stage_move', 'opportunity.delete'];
			const listed = (await call(`${emu.url}/crm/rest/v1/hooks/event_keys`)).body;
			for (const k of keys) assert.ok(listed.includes(k), k);
			emu.seed({ hooks: keys.map((eventKey) => ({ eventKey, hookUrl: rx.url })) });
			const cid = demoContact(0).id;
			const co = (await post('/companies', { company_name: 'Hooked Inc' })).body.id;
			await patch(`/companies/${co}`, { website: 'https://hooked.example' });
			await del(`/companies/${co}`);
			const note = (await post(`/contacts/${cid}/notes`, { user_id: '1', title: 'Hook note' })).body.id;
			await patch(`/contacts/${cid}/notes/${note}`, { user_id: '1', text: 'edited' });
			await del(`/contacts/${cid}/notes/${note}`);
			const task = (await post('/tasks', { assigned_to_user_id: '1', title: 'Hook task' })).body.id;
			await patch(`/tasks/${task}`, { completed: true });
			await del(`/tasks/${task}`);
			const opp = (await post('/opportunities', { contact_id: String(cid), stage_id: '21', opportunity_title: 'Hook deal' })).body.id;
			await patch(`/opportunities/${opp}`, { stage_id: '22' });
			await del(`/opportunities/${opp}`);
			const attempts = await emu.flushHooks();
			const byKey = Object.fromEntries(attempts.map((a) => [a.eventKey, a.payload]));
			assert.deepEqual(Object.keys(byKey).sort(), [...keys].sort());
			assert.equal(byKey['company.add'].object_type, 'company');
			assert.equal(byKey['company.add'].object_keys[0].apiUrl, `${emu.url}/crm/rest/v1/companies/${co}`);
			assert.equal(byKey['note.edit'].object_keys[0].apiUrl, `${emu.url}/crm/rest/v1/notes/${note}`);
			assert.equal(byKey['task.add'].object_keys[0].apiUrl, `${emu.url}/crm/rest/v1/tasks/${task}`);
			assert.equal(byKey['opportunity.stage_move'].object_keys[0].apiUrl, `${emu.url}/crm/rest/v1/opportunities/${opp}`);
			assert.equal(byKey['opportunity.delete'].object_keys[0].apiUrl, '');
			assert.equal(byKey['opportunity.stage_move'].object_type, 'opportunity');
		} finally {
			await rx.close();
		}
	});
});

// ---- companies ----------------------------------------------------------------------------------
describe('companies', () => {
	const body = () => ({
		company_name: 'Zenith Roofing',
		email_address: { email: 'info@zenith.example', field: 'EMAIL1', opt_in_reason: 'Signed a contract' },
		phone_number: { number: '(480) 555-0199', field: 'PHONE1', type: 'Work' },
		fax_number: { number: '(480) 555-0198', field: 'FAX1' },
		address: { field: 'BILLING', line1: '1 Summit Rd', locality: 'Chandler', region_code: 'US-AZ', country_code: 'USA', postal_code: '85224' },
		website: 'https://zenith.example', notes: 'Roofers', owner_id: '3',
		custom_fields: [{ id: '18', content: 'Services' }, { id: '20', content: 40 }],
	});

	test('create (201, every property), get leaves out the optional ones unless asked, delete (204) unlinks contacts', async () => {
		const r = await post('/companies', body());
		assert.equal(r.status, 201);
		assert.equal(r.body.company_name, 'Zenith Roofing');
		assert.equal(r.body.address.region, 'Arizona');
		assert.equal(r.body.phone_number.number_e164, '+14805550199');
		assert.equal(r.body.email_address.email_opt_status, 'SINGLE_OPT_IN', 'opt_in_reason opts the address in');
		assert.deepEqual(r.body.custom_fields, [{ id: '18', content: 'Services' }, { id: '20', content: 40 }]);
		const id = r.body.id;
		const plain = await get(`/companies/${id}`);
		for (const k of ['address', 'email_address', 'phone_number', 'fax_number', 'notes', 'website', 'custom_fields', 'create_time', 'update_time']) assert.ok(!(k in plain.body), k);
		assert.equal(plain.body.owner_id, '3');
		const some = await get(`/companies/${id}?fields=address,custom_fields,website`);
		assert.deepEqual(Object.keys(some.body).sort(), ['address', 'custom_fields', 'id', 'website']);
		rejects(await get(`/companies/${id}?fields=nonsense`), /fields: nonsense/);

		const contact = (await post('/contacts', { given_name: 'Rae', email_addresses: [{ email: 'rae@zenith.example', field: 'EMAIL1' }], company: { id } })).body;
		assert.equal(contact.company.id, id);
		assert.equal((await del(`/companies/${id}`)).status, 204);
		assert.equal(emu.store.contacts.get(Number(contact.id)).company_id, null, 'the contact lost its company');
		rejects(await get(`/companies/${id}`), /not found/, 404);
		rejects(await del(`/companies/${id}`), /not found/, 404);
		rejects(await get('/companies/abc'), /Invalid company_id/);
	});

	test('request validation: unknown and mistyped properties, a bad update_mask value, page_size over 1000, a missing body', async () => {
		rejects(await post('/companies', { company_name: 'X', name: 'X' }), /unknown field 'name'/);
		rejects(await post('/companies', { company_name: 'X', owner_id: 3 }), /owner_id.*string/);
		rejects(await post('/companies', { company_name: 'X', email_address: { email: 'a@b.example', field: 'WORK' } }), /email_address\.field/);
		rejects(await api('POST', '/companies', { raw: '' }), /Required request body is missing/);
		rejects(await patch('/companies/5001?update_mask=colour', { company_name: 'Y' }), /update_mask/);
		rejects(await get('/companies?page_size=1001'), /page_size/);
		rejects(await get('/companies?page_size=-1'), /page_size/);
		rejects(await post('/companies', { company_name: 'X', address: { field: 'BILLING', region: 'Arizona' } }), /country_code is required if region/);
		rejects(await post('/companies', { company_name: 'X', email_address: { email: 'not-an-email' } }), /Invalid email/);
		rejects(await post('/companies', { company_name: 'X', owner_id: '99' }), /owner_id: user 99 not found/);
		rejects(await post('/companies', { company_name: 'X', custom_fields: [{ id: '6', content: 'contact field' }] }), /Custom field 6 does not exist/);
		rejects(await post('/companies', { company_name: 'X', custom_fields: [{ id: '18', content: 'Mining' }] }), /expects one of/);
		rejects(await post('/companies', { company_name: 'X', birth_date: '01/02/2000' }), /birth_date/);
		assert.equal(emu.store.companies.size, 6, 'nothing was written');
	});

	test('switch companyNameRequired: a company needs a name (true) or not (false)', async () => {
		rejects(await post('/companies', { website: 'https://nameless.example' }), /company_name is required/);
		rejects(await patch('/companies/5001?update_mask=company_name', {}), /company_name is required/);
		emu.setConfig({ companyNameRequired: false });
		assert.equal((await post('/companies', { website: 'https://nameless.example' })).status, 201);
	});

	test('switch companyDuplicateNames: a second company with a taken name (any case) is a 409 (reject) or created (allow)', async () => {
		rejects(await post('/companies', { company_name: '  acme plumbing ' }), /already exists/, 409);
		rejects(await patch('/companies/5002', { company_name: 'ACME PLUMBING' }), /already exists/, 409);
		assert.equal((await patch('/companies/5001', { company_name: 'Acme Plumbing' })).status, 200, 'keeping its own name is fine');
		emu.setConfig({ companyDuplicateNames: 'allow' });
		assert.equal((await post('/companies', { company_name: 'Acme Plumbing' })).status, 201);
		assert.equal((await get(`/companies?${q('company_name==Acme Plumbing')}`)).body.companies.length, 2);
	});

	test('list filters: company_name (exact), name/city/state (prefix wildcard), email, company_id comparisons, update window, custom fields', async () => {
		const names = async (f) => (await get(`/companies?${q(f)}&page_size=100`)).body.companies.map((c) => c.company_name);
		assert.deepEqual(await names('company_name==Acme Plumbing'), ['Acme Plumbing']);
		assert.deepEqual(await names('company_name==acme plumbing'), [], 'company_name is exact and case-sensitive');
		assert.deepEqual(await names('company_name==Acme*'), [], 'company_name takes no wildcard');
		assert.deepEqual(await names('name==acme*'), ['Acme Plumbing']);
		assert.deepEqual(await names('name==acme'), [], 'name without * is a whole-name match');
		assert.deepEqual(await names('email==OFFICE@acmeplumbing.example'), ['Acme Plumbing']);
		assert.deepEqual(await names('city==Chan*'), ['Bright Smile Dental']);
		assert.deepEqual(await names('city==Chandler;state==Arizona'), ['Bright Smile Dental']);
		assert.deepEqual(await names('company_id>5004'), ['Evergreen Landscaping', 'Fox & Hound Bakery']);
		assert.deepEqual(await names('company_id<=5001'), ['Acme Plumbing']);
		assert.deepEqual(await names('Industry==Retail'), ['Desert Bloom Florist', 'Fox & Hound Bakery']);
		assert.deepEqual(await names('industry==Ret*'), ['Desert Bloom Florist', 'Fox & Hound Bakery'], 'custom field names are case-insensitive');
		assert.deepEqual(await names('Employees>=12'), ['Acme Plumbing', 'Evergreen Landscaping']);
		const [before, t0] = [new Date(emu.store.lastStamp).toISOString(), afterLastWrite()];
		await patch('/companies/5003', { notes: 'touched' });
		assert.deepEqual(await names(`since_time==${t0}`), ['Cedar Yoga Studio']);
		assert.equal((await names(`until_time==${before}`)).length, 5);
		emu.setConfig({ companyNameFilterCaseSensitive: false });
		assert.deepEqual(await names('company_name==acme plumbing'), ['Acme Plumbing'], 'switch: case-insensitive company_name');

		rejects(await get(`/companies?${q('colour==red')}`), /Invalid filter field: colour/);
		rejects(await get(`/companies?${q('name>Acme')}`), /Operator > is not supported/);
		rejects(await get(`/companies?${q('name==*plumbing')}`), /wildcard may only end/);
		rejects(await get(`/companies?${q('company_id>abc')}`), /Invalid filter value/);
		rejects(await get(`/companies?${q('Employees>many')}`), /Invalid filter value for custom field Employees/);
		rejects(await get(`/companies?${q('since_time==2025-01-01')}`), /ISO-8601/);
	});

	test('order_by, paging with next_page_token bound to the query', async () => {
		const desc = (await get('/companies?order_by=name%20desc')).body.companies.map((c) => c.company_name);
		assert.deepEqual(desc, ['Fox & Hound Bakery', 'Evergreen Landscaping', 'Desert Bloom Florist', 'Cedar Yoga Studio', 'Bright Smile Dental', 'Acme Plumbing']);
		const email = (await get('/companies?order_by=email&fields=email_address')).body.companies.map((c) => c.email_address.email);
		assert.deepEqual(email, [...email].sort());
		const paged = await all('/companies', 'companies', 4);
		assert.equal(paged.length, 6);
		const first = await get('/companies?page_size=2');
		rejects(await get(`/companies?page_size=2&order_by=name&page_token=${first.body.next_page_token}`), /page_token/);
		rejects(await get('/companies?order_by=website'), /Invalid order_by/);
	});

	test('PATCH: body properties, or only update_mask ones (a masked one missing from the body is cleared); read-only masks are a 400', async () => {
		const id = (await post('/companies', body())).body.id;
		const p = await patch(`/companies/${id}`, { notes: 'Now also gutters', custom_fields: [{ id: '20', content: 41 }] });
		assert.equal(p.body.notes, 'Now also gutters');
		assert.deepEqual(p.body.custom_fields, [{ id: '18', content: null }, { id: '20', content: 41 }], 'custom_fields replaced whole');
		assert.equal(p.body.website, 'https://zenith.example', 'properties not in the body stay');
		const m = await patch(`/companies/${id}?update_mask=website,fax_number`, { website: 'https://zenith.example/new', notes: 'ignored' });
		assert.equal(m.body.website, 'https://zenith.example/new');
		assert.equal(m.body.notes, 'Now also gutters', 'not masked: unchanged');
		assert.ok(!('fax_number' in m.body), 'masked and absent: cleared');
		rejects(await patch(`/companies/${id}?update_mask=create_time`, {}), /create_time cannot be updated/);
		rejects(await patch(`/companies/${id}?update_mask=groups`, {}), /groups cannot be updated/);
		rejects(await patch('/companies/999999', { notes: 'x' }), /not found/, 404);
	});

	test('tags on a company: apply (204), list with filters, a tag\'s companies; removal; deleting the tag removes it', async () => {
		const vip = [...emu.store.tags.values()].find((t) => t.name === 'VIP');
		const lead = [...emu.store.tags.values()].find((t) => t.name === 'Lead');
		assert.equal((await post(`/companies/5002/tags/${lead.id}`)).status, 204);
		assert.equal((await post(`/companies/5002/tags/${vip.id}`)).status, 204);
		const tags = (await get('/companies/5002/tags?order_by=name')).body.tags;
		assert.deepEqual(tags.map((t) => t.tag.name), ['Lead', 'VIP']);
		assert.ok(tags.every((t) => /Z$/.test(t.applied_time)));
		// Keap documents no wildcard for a company's tag filters: `*` is literal there.
		assert.deepEqual((await get(`/companies/5002/tags?${q('name==Lead')}`)).body.tags.map((t) => t.tag.name), ['Lead']);
		assert.deepEqual((await get(`/companies/5002/tags?${q('name==Le*')}`)).body.tags, []);
		assert.deepEqual((await get(`/companies/5002/tags?${q('category_id==NONE')}`)).body.tags.map((t) => t.tag.name), ['VIP']);
		rejects(await get(`/companies/5002/tags?${q('tag_ids==1')}`), /Invalid filter field: tag_ids/);
		assert.equal((await get('/companies/5002?fields=groups')).body.groups, [lead.id, vip.id].sort((a, b) => a - b).join(','));
		const tagged = (await get(`/tags/${vip.id}/companies?order_by=company_name`)).body.tagged_companies;
		assert.deepEqual(tagged.map((t) => t.company.company_name), ['Acme Plumbing', 'Bright Smile Dental', 'Evergreen Landscaping']);
		// Nor for a tag's companies (company_name "Company", email "test@gmail.com" are its examples).
		assert.deepEqual((await get(`/tags/${vip.id}/companies?${q('company_name==Bright Smile Dental')}`)).body.tagged_companies.map((t) => t.company.id), ['5002']);
		assert.deepEqual((await get(`/tags/${vip.id}/companies?${q('company_name==Bright*')}`)).body.tagged_companies, []);
		assert.equal((await del(`/companies/5002/tags/${lead.id}`)).status, 204);
		rejects(await post('/companies/5002/tags/99999'), /Tag 99999 not found/, 404);
		rejects(await post(`/companies/99999/tags/${vip.id}`), /Company 99999 not found/, 404);
		await call(`${emu.url}/crm/rest/v2/tags/${vip.id}`, { method: 'DELETE' });
		assert.deepEqual((await get('/companies/5002/tags')).body.tags, []);
	});

	test('switch companyTagIdempotent: applying an applied tag is a 409 and removing a missing one a 404 (false), or both 204 (true)', async () => {
		const vip = [...emu.store.tags.values()].find((t) => t.name === 'VIP');
		rejects(await post(`/companies/5001/tags/${vip.id}`), /already applied/, 409);
		rejects(await del(`/companies/5002/tags/${vip.id}`), /not applied/, 404);
		emu.setConfig({ companyTagIdempotent: true });
		assert.equal((await post(`/companies/5001/tags/${vip.id}`)).status, 204);
		assert.equal((await del(`/companies/5002/tags/${vip.id}`)).status, 204);
	});

	test('switch contactCompanyMustExist: off, a contact may name any company id; on, only an existing one', async () => {
		const email = (n) => [{ email: `cc${n}@example.com`, field: 'EMAIL1' }];
		assert.equal((await post('/contacts', { email_addresses: email(1), company: { id: '424242' } })).status, 201);
		emu.setConfig({ contactCompanyMustExist: true });
		rejects(await post('/contacts', { email_addresses: email(2), company: { id: '424242' } }), /company 424242 does not exist/);
		assert.equal((await post('/contacts', { email_addresses: email(3), company: { id: '5001' } })).status, 201);
	});
});

// ---- custom field models ------------------------------------------------------------------------
describe('custom field models', () => {
	test('contact model: fields with their group, optional properties; create checks label, type and options; delete', async () => {
		const m = (await get('/contacts/model')).body;
		assert.deepEqual(m.custom_fields.map((f) => f.id), ['6', '8', '10', '12', '14', '16']);
		assert.equal(m.custom_fields[1].group_name, 'Custom Fields');
		assert.ok(m.optional_properties.includes('custom_fields'));
		const f = await post('/contacts/model/customFields', { label: 'Shirt Size', field_type: 'DROPDOWN', options: [{ label: 'S' }, { label: 'M' }] });
		assert.equal(f.status, 201);
		assert.equal(f.body.field_name, 'ShirtSize');
		assert.deepEqual(f.body.options, [{ id: 'S', label: 'S' }, { id: 'M', label: 'M' }]);
		assert.equal((await post('/contacts', { email_addresses: [{ email: 'shirt@example.com', field: 'EMAIL1' }], custom_fields: [{ id: f.body.id, content: 'M' }] })).status, 201);
		rejects(await post('/contacts/model/customFields', { label: 'Shoe', field_type: 'DROPDOWN' }), /needs at least one option/);
		rejects(await post('/contacts/model/customFields', { label: 'Note', field_type: 'TEXT', options: [{ label: 'x' }] }), /options are only allowed/);
		rejects(await post('/contacts/model/customFields', { label: 'Twice', field_type: 'RADIO', options: [{ label: 'a' }, { label: 'A' }] }), /distinct/);
		rejects(await post('/contacts/model/customFields', { label: '  ', field_type: 'TEXT' }), /label cannot be empty/);
		rejects(await post('/contacts/model/customFields', { label: 'Grouped', field_type: 'TEXT', group_id: '2' }), /not a custom field group of CONTACT/);
		rejects(await post('/contacts/model/customFields', { label: 'Who', field_type: 'TEXT', user_group_id: '1' }), /user_group_id/);
		rejects(await post('/contacts/model/customFields', { field_type: 'TEXT' }), /'label' is required/);
		rejects(await post('/contacts/model/customFields', { label: 'X', field_type: 'COLOUR' }), /field_type/);
		assert.equal((await post('/contacts/model/customFields', { label: 'Shirt-Size', field_type: 'TEXT' })).body.field_name, 'ShirtSize1', 'a taken field_name is numbered');
		const noPatch = await call(`${emu.url}/crm/rest/v2/contacts/model/customFields/${f.body.id}`, { method: 'PATCH', json: { group_id: '1' } });
		assert.equal(noPatch.status, 405, 'the v2 document has no PATCH for contact custom fields');
		assert.equal((await del(`/contacts/model/customFields/${f.body.id}`)).status, 204);
		rejects(await del(`/contacts/model/customFields/${f.body.id}`), /not found/, 404);
	});

	test('switch customFieldDuplicateLabels: a second field with a taken label is a 409 (reject) or created (allow)', async () => {
		rejects(await post('/contacts/model/customFields', { label: 'favorite color', field_type: 'TEXT' }), /already exists/, 409);
		rejects(await post('/companies/model/customFields', { label: 'INDUSTRY', field_type: 'TEXT' }), /already exists/, 409);
		assert.equal((await post('/opportunities/model/customFields', { label: 'Industry', field_type: 'TEXT' })).status, 201, 'labels are per record type');
		emu.setConfig({ customFieldDuplicateLabels: 'allow' });
		const dup = await post('/contacts/model/customFields', { label: 'Favorite Color', field_type: 'TEXT' });
		assert.equal(dup.status, 201);
		assert.equal(dup.body.field_name, 'FavoriteColor1');
	});

	test('company, opportunity, note and task models: create, PATCH (label, options by id, group), delete clears values; notes and tasks share one list; a task create answers {custom_field}', async () => {
		const co = await post('/companies/model/customFields', { label: 'Region', field_type: 'RADIO', options: [{ label: 'North' }, { label: 'South' }] });
		assert.equal(co.body.record_type, 'COMPANY');
		assert.equal(co.body.group_id, '2');
		const p = await patch(`/companies/model/customFields/${co.body.id}`, { group_id: '2', label: 'Sales Region', options: [{ id: 'North', label: 'Northern' }, { label: 'West' }] });
		assert.equal(p.body.label, 'Sales Region');
		assert.deepEqual(p.body.options.map((o) => o.label), ['Northern', 'West']);
		rejects(await patch(`/companies/model/customFields/${co.body.id}`, { label: 'x' }), /'group_id' is required/);
		rejects(await patch(`/companies/model/customFields/${co.body.id}`, { group_id: '2', options: [{ id: 'East', label: 'E' }] }), /not an option/);
		rejects(await patch(`/companies/model/customFields/${co.body.id}?update_mask=colour`, { group_id: '2' }), /update_mask/);
		rejects(await patch('/companies/model/customFields/6', { group_id: '2' }), /not found/, 404);
		await patch('/companies/5001', { custom_fields: [{ id: co.body.id, content: 'West' }] });
		assert.equal((await del(`/companies/model/customFields/${co.body.id}`)).status, 204);
		assert.ok(!(Number(co.body.id) in emu.store.companies.get(5001).custom), 'values of a deleted field go');

		const t = await post('/tasks/model/customFields', { label: 'Effort', field_type: 'WHOLE_NUMBER' });
		assert.equal(t.status, 201);
		assert.equal(t.body.custom_field.record_type, 'TASK_NOTE_APPOINTMENT');
		const noteModel = (await get('/notes/model')).body.custom_fields.map((f) => f.label);
		assert.deepEqual(noteModel, ['Call Outcome', 'Follow Up', 'Effort'], 'one list for notes and tasks');
		const n = await post('/notes/model/customFields', { label: 'Mood', field_type: 'TEXT' });
		assert.equal(n.body.id !== undefined && !('custom_field' in n.body), true, 'notes answer the field itself');
		assert.ok((await get('/tasks/model')).body.custom_fields.some((f) => f.label === 'Mood'));
		assert.deepEqual((await get('/opportunities/model')).body.custom_fields.map((f) => f.label), ['Deal Source', 'Renewal Date']);
		assert.equal((await patch(`/tasks/model/customFields/${t.body.custom_field.id}?update_mask=label`, { group_id: '4', label: 'Effort (h)' })).body.label, 'Effort (h)');
		assert.equal((await patch(`/notes/model/customFields/${n.body.id}`, { group_id: '4', label: 'Mood today' })).status, 200);
		assert.equal((await patch('/opportunities/model/customFields/22', { group_id: '3', label: 'Lead Channel' })).body.field_name, 'DealSource', 'field_name stays');
		assert.equal((await del(`/notes/model/customFields/${n.body.id}`)).status, 204);
		assert.equal((await del(`/tasks/model/customFields/${t.body.custom_field.id}`)).status, 204);
		assert.equal((await del('/opportunities/model/customFields/24')).status, 204);
		assert.ok(!('24' in emu.store.opportunities.get(11003).custom));
	});
});

// ---- notes --------------------------------------------------------------------------------------
describe('notes', () => {
	test('create (201) for a contact, get, per-contact and all-notes lists, PATCH, delete (204)', async () => {
		const cid = demoContact(4).id;
		const r = await post(`/contacts/${cid}/notes?fields=custom_fields`, { user_id: '3', type: 'Call', title: 'Called', text: 'Talked about pricing', is_pinned: true, custom_fields: [{ id: '26', content: 'Reached' }] });
		assert.equal(r.status, 201);
		assert.equal(r.body.contact_id, String(cid));
		assert.deepEqual(r.body.assigned_to_user, { id: '3', given_name: 'Sam', family_name: 'Seller', email_address: 'sam.seller@emulator.example' });
		assert.equal(r.body.created_by_user_id, '1', 'created as the authenticated user');
		assert.equal(r.body.pinned_at, r.body.create_time);
		assert.deepEqual(r.body.custom_fields, [{ id: '26', content: 'Reached' }, { id: '28', content: null }]);
		const id = r.body.id;
		assert.ok(!('custom_fields' in (await get(`/contacts/${cid}/notes/${id}`)).body), 'custom_fields only when asked');
		assert.deepEqual((await get(`/contacts/${cid}/notes`)).body.notes.map((n) => n.id), [id]);
		rejects(await get(`/contacts/${demoContact(0).id}/notes/${id}`), /not found for contact/, 404);
		const moved = await patch(`/contacts/${cid}/notes/${id}`, { user_id: '1', contact_id: String(demoContact(5).id), is_pinned: false });
		assert.equal(moved.body.contact_id, String(demoContact(5).id));
		assert.ok(!('pinned_at' in moved.body));
		assert.equal(moved.body.title, 'Called', 'not in the body: unchanged');
		const masked = await patch(`/contacts/${demoContact(5).id}/notes/${id}?update_mask=text`, { user_id: '1', title: 'ignored' });
		assert.ok(!('text' in masked.body), 'masked and absent: cleared');
		assert.equal(masked.body.title, 'Called');
		assert.equal((await del(`/contacts/${demoContact(5).id}/notes/${id}`)).status, 204);
		rejects(await get(`/contacts/${demoContact(5).id}/notes/${id}`), /not found/, 404);
		rejects(await get('/contacts/999999/notes'), /Contact 999999 not found/, 404);
	});

	test('rules: user_id required and real, title or type required, type from the note types (config noteTypes), contact must exist', async () => {
		const cid = demoContact(0).id;
		rejects(await post(`/contacts/${cid}/notes`, { title: 'No user' }), /'user_id' is required/);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '42', title: 'Ghost' }), /user_id: user 42 not found/);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '1', text: 'Only text' }), /either title or type/);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '1', type: 'Meeting' }), /type must be one of: Appointment, Call, Email, Fax, Letter, Other/);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: 1, title: 'x' }), /user_id.*string/);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '1', title: 'x', pinned: true }), /unknown field 'pinned'/);
		rejects(await post('/contacts/999999/notes', { user_id: '1', title: 'x' }), /not found/, 404);
		rejects(await patch(`/contacts/${cid}/notes/7001`, { title: 'x' }), /'user_id' is required/);
		rejects(await patch(`/contacts/${cid}/notes/7001?update_mask=title,type`, { user_id: '1' }), /either title or type/);
		rejects(await patch(`/contacts/${cid}/notes/7001`, { user_id: '1', contact_id: '999999' }), /contact 999999 not found/);
		rejects(await patch(`/contacts/${cid}/notes/7001?update_mask=pinned`, { user_id: '1' }), /update_mask/);
		emu.setConfig({ noteTypes: ['Meeting', 'Call'] });
		assert.equal((await post(`/contacts/${cid}/notes`, { user_id: '1', type: 'Meeting' })).status, 201);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '1', type: 'Fax' }), /type must be one of: Meeting, Call/);
	});

	test('switch inactiveUserAssignable: an inactive user cannot be given notes, tasks, opportunities or companies (false), or can (true)', async () => {
		const cid = String(demoContact(0).id);
		rejects(await post(`/contacts/${cid}/notes`, { user_id: '5', title: 'x' }), /user 5 is not active \(switch inactiveUserAssignable\)/);
		rejects(await post('/tasks', { assigned_to_user_id: '5', title: 'x' }), /user 5 is not active/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: 'x', user_id: '5' }), /user 5 is not active/);
		rejects(await post('/companies', { company_name: 'Idle Co', owner_id: '5' }), /user 5 is not active/);
		emu.setConfig({ inactiveUserAssignable: true });
		assert.equal((await post(`/contacts/${cid}/notes`, { user_id: '5', title: 'x' })).status, 201);
		assert.equal((await post('/tasks', { assigned_to_user_id: '5', title: 'x' })).status, 201);
		assert.equal((await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: 'x', user_id: '5' })).status, 201);
		assert.equal((await post('/companies', { company_name: 'Idle Co', owner_id: '5' })).status, 201);
	});

	test('list filters: id (all comparisons), ids, title (contains / prefix), contact_id, assigned_to_user_id, update window, custom fields; order_by', async () => {
		const ids = async (f, extra = '') => (await get(`/notes?${q(f)}${extra}`)).body.notes.map((n) => Number(n.id));
		assert.deepEqual(await ids('id!=7001'), [7002, 7003, 7004, 7005, 7006]);
		assert.deepEqual(await ids('id>=7005'), [7005, 7006]);
		assert.deepEqual(await ids('ids==7002,7004'), [7002, 7004]);
		assert.deepEqual(await ids('title==call'), [7001, 7003], 'a bare value matches anywhere in the title');
		assert.deepEqual(await ids('title==Follow*'), [7003, 7006]);
		assert.deepEqual(await ids(`contact_id==${demoContact(0).id}`), [7001, 7002]);
		assert.deepEqual(await ids('assigned_to_user_id==3'), [7002, 7003, 7006]);
		assert.deepEqual(await ids('CallOutcome==Voice*'), [7003]);
		assert.deepEqual(await ids('FollowUp==1'), [7006]);
		assert.deepEqual(await ids('id<7004', '&order_by=id%20desc'), [7003, 7002, 7001]);
		const [before, t0] = [new Date(emu.store.lastStamp).toISOString(), afterLastWrite()];
		await patch(`/contacts/${demoContact(2).id}/notes/7004`, { user_id: '1', text: 'again' });
		assert.deepEqual(await ids(`since_time==${t0}`), [7004]);
		assert.deepEqual(await ids(`until_time==${before}`), [7001, 7002, 7003, 7005, 7006]);
		const perContact = (await get(`/contacts/${demoContact(0).id}/notes?${q('title==Sent*')}`)).body.notes.map((n) => n.id);
		assert.deepEqual(perContact, ['7002']);
		assert.equal((await all('/notes', 'notes', 4)).length, 6);
		rejects(await get(`/notes?${q('id>7001;ids==7002')}`), /id and ids cannot be combined/);
		rejects(await get(`/notes?${q('title==*call')}`), /wildcard may only end/);
		rejects(await get(`/notes?${q('FollowUp==true')}`), /0 or 1/);
		rejects(await get(`/notes?${q('type==Call')}`), /Invalid filter field: type/);
		rejects(await get('/notes?order_by=title'), /Invalid order_by/);
		rejects(await get('/notes?fields=text'), /fields: text/);
	});

	test('note templates: list with a title filter', async () => {
		const r = await get('/notes/templates');
		assert.deepEqual(r.body.note_templates.map((t) => t.title), ['Post-Sale Follow-up', 'Quote Sent']);
		assert.equal(r.body.note_templates[0].assignment_user_id, 1);
		assert.deepEqual((await get(`/notes/templates?${q('title==quote sent')}`)).body.note_templates.map((t) => t.id), ['62']);
		// Keap's document names no filter fields here, let alone a wildcard: a trailing * is literal.
		assert.deepEqual((await get(`/notes/templates?${q('title==Quote*')}`)).body.note_templates, []);
		rejects(await get(`/notes/templates?${q('given_name==x')}`), /Invalid filter field/);
	});

	test('switch contactDeleteCascade: deleting a contact deletes its notes, tasks and opportunities (true) or keeps them (false)', async () => {
		const c0 = demoContact(0).id;
		const c1 = demoContact(1).id;
		await call(`${emu.url}/crm/rest/v2/contacts/${c0}`, { method: 'DELETE' });
		assert.equal((await get(`/notes?${q(`contact_id==${c0}`)}`)).body.notes.length, 0);
		assert.equal((await get(`/tasks?${q(`contact_id==${c0}`)}`)).body.tasks.length, 0);
		assert.equal((await get(`/opportunities?${q(`contact_id==${c0}`)}`)).body.opportunities.length, 0);
		emu.setConfig({ contactDeleteCascade: false });
		await call(`${emu.url}/crm/rest/v2/contacts/${c1}`, { method: 'DELETE' });
		assert.equal((await get(`/notes?${q(`contact_id==${c1}`)}`)).body.notes.length, 1);
		const opp = (await get(`/opportunities?${q(`contact_id==${c1}`)}`)).body.opportunities[0];
		assert.deepEqual(opp.contact, { id: String(c1) }, 'a deleted contact is only its id');
	});
});

// ---- tasks --------------------------------------------------------------------------------------
describe('tasks', () => {
	test('create (201) as the authenticated user, get, PATCH completes and reopens, delete (204)', async () => {
		const cid = String(demoContact(3).id);
		const r = await post('/tasks?fields=custom_fields', {
			title: 'Quote follow-up', description: 'Ask about the quote', type: 'Call', priority: 'CRITICAL', due_time: '2030-01-02T15:00:00.000Z',
			remind_time_mins: 30, assigned_to_user_id: '3', contact_id: cid, opportunity_id: '11001', custom_fields: [{ id: '28', content: true }],
		});
		assert.equal(r.status, 201);
		assert.equal(r.body.completed, false);
		assert.equal(r.body.accepted, false);
		assert.equal(r.body.created_by_user_id, '1');
		assert.equal(r.body.modification_time, r.body.create_time);
		assert.deepEqual(r.body.custom_fields, [{ id: '26', content: null }, { id: '28', content: true }]);
		const id = r.body.id;
		const done = await patch(`/tasks/${id}`, { completed: true });
		assert.equal(done.body.completed, true);
		assert.match(done.body.completion_time, /Z$/);
		assert.equal(done.body.title, 'Quote follow-up');
		const again = await patch(`/tasks/${id}?update_mask=priority`, { completed: false, priority: 'ESSENTIAL' });
		assert.equal(again.body.completed, true, 'not masked: unchanged');
		assert.equal(again.body.priority, 'ESSENTIAL');
		const reopened = await patch(`/tasks/${id}`, { completed: false });
		assert.equal(reopened.body.completed, false);
		assert.ok(!('completion_time' in reopened.body));
		const stamped = await patch(`/tasks/${id}`, { completed: true, completion_time: '2029-12-31T10:00:00Z' });
		assert.equal(stamped.body.completion_time, '2029-12-31T10:00:00.000Z');
		const unassigned = await patch(`/tasks/${id}?update_mask=assigned_to_user_id`, {});
		assert.ok(!('assigned_to_user_id' in unassigned.body), 'a task can lose its user');
		assert.deepEqual((await get(`/tasks?${q('user_id==UNASSIGNED')}`)).body.tasks.map((t) => t.id), [id]);
		assert.equal((await del(`/tasks/${id}`)).status, 204);
		rejects(await get(`/tasks/${id}`), /not found/, 404);
	});

	test('rules: assigned_to_user_id, enums, date-times, completion consistency, references; read-only masks', async () => {
		rejects(await post('/tasks', { title: 'Nobody' }), /'assigned_to_user_id' is required/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', priority: 'HIGH' }), /priority/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', remind_time_mins: 45 }), /remind_time_mins/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', due_time: '2030-01-02' }), /due_time must be an ISO-8601 date-time/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', completion_time: '2030-01-02T00:00:00Z' }), /completion_time needs completed: true/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', contact_id: '999999' }), /contact 999999 not found/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', opportunity_id: '999999' }), /opportunity not found/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', type: 'Errand' }), /type must be one of/);
		rejects(await post('/tasks', { title: 'x', assigned_to_user_id: '1', user_id: '1' }), /unknown field 'user_id'/);
		rejects(await post('/tasks?fields=title', { title: 'x', assigned_to_user_id: '1' }), /fields: title/);
		rejects(await patch('/tasks/9001?update_mask=id', {}), /id cannot be updated/);
		rejects(await patch('/tasks/9001?update_mask=last_updated_by_user_id', {}), /cannot be updated/);
		rejects(await patch('/tasks/9001?update_mask=modification_time', {}), /update_mask/);
		emu.setConfig({ taskTypes: ['Errand'] });
		assert.equal((await post('/tasks', { title: 'x', assigned_to_user_id: '1', type: 'Errand' })).status, 201);
	});

	test('switch taskTitleRequired: a task needs a title (true) or not (false)', async () => {
		rejects(await post('/tasks', { assigned_to_user_id: '1' }), /title is required/);
		rejects(await patch('/tasks/9001?update_mask=title', {}), /title is required/);
		emu.setConfig({ taskTitleRequired: false });
		assert.equal((await post('/tasks', { assigned_to_user_id: '1' })).status, 201);
	});

	test('list filters: contact_id, user_id, is_completed, has_due_date, priority, opportunity_id, task_ids, id, title, custom fields; order_by due_time', async () => {
		await patch('/tasks/9005', { opportunity_id: '11002' });
		const ids = async (f, extra = '') => (await get(`/tasks?${q(f)}${extra}`)).body.tasks.map((t) => Number(t.id));
		assert.deepEqual(await ids(`contact_id==${demoContact(1).id}`), [9002, 9003]);
		assert.deepEqual(await ids('user_id==3'), [9002, 9003, 9006]);
		assert.deepEqual(await ids('is_completed==true'), [9003]);
		assert.deepEqual(await ids('has_due_date==false'), [9004]);
		assert.deepEqual(await ids('priority==CRITICAL'), [9002]);
		assert.deepEqual(await ids('opportunity_id==11002'), [9005]);
		assert.deepEqual(await ids('task_ids==9001,9006'), [9001, 9006]);
		assert.deepEqual(await ids('id>9004'), [9005, 9006]);
		assert.deepEqual(await ids('title==call*'), [9002]);
		assert.deepEqual(await ids('CallOutcome==Reached'), [9004]);
		assert.deepEqual(await ids('is_completed==false;user_id==1', '&order_by=due_time%20desc'), [9004, 9005, 9001], 'no due date: last ascending, first descending (the shared compareBy)');
		rejects(await get(`/tasks?${q('priority==HIGH')}`), /priority/);
		rejects(await get(`/tasks?${q('is_completed==yes')}`), /true or false/);
		rejects(await get(`/tasks?${q('user_id==somebody')}`), /user_id/);
		rejects(await get(`/tasks?${q('due_time>2030-01-01T00:00:00.000Z')}`), /Invalid filter field: due_time/);
		rejects(await get('/tasks?order_by=title'), /Invalid order_by/);
	});

	test('switch taskTimeFilterField: since_time/until_time compare the update time (update_time) or the due time (due_time)', async () => {
		const t0 = afterLastWrite();
		await patch('/tasks/9002', { description: 'touched' });
		const ids = async (f) => (await get(`/tasks?${q(f)}`)).body.tasks.map((t) => Number(t.id));
		assert.deepEqual(await ids(`since_time==${t0}`), [9002]);
		emu.setConfig({ taskTimeFilterField: 'due_time' });
		assert.deepEqual(await ids('since_time==2030-01-01T00:00:00.000Z;until_time==2030-03-01T00:00:00.000Z'), [9001]);
		assert.deepEqual(await ids('until_time==2025-01-01T00:00:00.000Z'), [9002, 9003]);
		rejects(await get(`/tasks?${q('since_time==2030-01-01')}`), /ISO-8601/);
	});
});

// ---- opportunities ------------------------------------------------------------------------------
describe('opportunities', () => {
	test('create (201) records the first stage move; get; moving to a stage is a PATCH of stage_id with a stage move; delete (204)', async () => {
		const cid = String(demoContact(8).id);
		const r = await post('/opportunities?fields=custom_fields,created_by,last_updated_by', {
			contact_id: cid, stage_id: '21', opportunity_title: 'Bulk order', user_id: '3', projected_revenue_low: 100.5, projected_revenue_high: 250,
			next_action_time: '2030-06-01T12:00:00Z', include_in_forecast: true, custom_fields: [{ id: '22', content: 'Referral' }],
		});
		assert.equal(r.status, 201);
		assert.equal(r.body.contact.id, cid);
		assert.equal(r.body.contact.email, demoEmail(8));
		assert.equal(r.body.stage.name, 'New Opportunity');
		assert.equal(r.body.stage.details.probability, 10);
		assert.deepEqual(r.body.user, { id: '3', first_name: 'Sam', last_name: 'Seller' });
		assert.equal(r.body.next_action_time, '2030-06-01T12:00:00.000Z');
		assert.equal(r.body.created_by, '1');
		assert.ok(!('stage_entrance_time' in r.body), 'a legacy field');
		const id = r.body.id;
		const plain = (await get(`/opportunities/${id}`)).body;
		for (const k of ['custom_fields', 'created_by', 'last_updated_by']) assert.ok(!(k in plain), k);
		assert.equal(plain.lead_source, 'Website');
		const moved = await patch(`/opportunities/${id}`, { stage_id: '23' });
		assert.equal(moved.body.stage.id, '23');
		assert.equal(moved.body.opportunity_title, 'Bulk order');
		const moves = (await get(`/opportunities/stageMoves?${q(`opportunity_id==${id}`)}&order_by=move_date`)).body.stage_moves;
		assert.deepEqual(moves.map((m) => [m.move_from_stage_id, m.move_to_stage_id]), [['0', '21'], ['21', '23']]);
		assert.equal(moves[1].prev_stage_move_time, moves[0].move_time);
		assert.ok(!('prev_stage_move_time' in moves[0]));
		assert.deepEqual((await get(`/opportunities/stageMoves/${moves[1].id}`)).body, moves[1]);
		await patch(`/opportunities/${id}`, { opportunity_notes: 'no move' });
		assert.equal((await get(`/opportunities/stageMoves?${q(`opportunity_id==${id}`)}`)).body.stage_moves.length, 2, 'no move without a stage change');
		await patch('/tasks/9001', { opportunity_id: id });
		assert.equal((await del(`/opportunities/${id}`)).status, 204);
		assert.equal(emu.store.tasks.get(9001).opportunity_id, null, 'tasks lose the link');
		rejects(await get(`/opportunities/${id}`), /not found/, 404);
		rejects(await get('/opportunities/stageMoves/1'), /not found/, 404);
	});

	test('rules: required contact_id, opportunity_title, stage_id; real references; masks cannot clear what is required', async () => {
		const cid = String(demoContact(0).id);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21' }), /'opportunity_title' is required/);
		rejects(await post('/opportunities', { contact_id: cid, opportunity_title: 'x' }), /'stage_id' is required/);
		rejects(await post('/opportunities', { contact_id: '999999', stage_id: '21', opportunity_title: 'x' }), /contact 999999 not found/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '999', opportunity_title: 'x' }), /stage not found/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: 'x', affiliate_id: '7' }), /affiliate 7 not found/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: 'x', projected_revenue_low: '100' }), /projected_revenue_low.*number/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: '  ' }), /opportunity_title is required/);
		rejects(await post('/opportunities', { contact_id: cid, stage_id: '21', opportunity_title: 'x', estimated_close_time: 'next week' }), /estimated_close_time/);
		rejects(await patch('/opportunities/11001?update_mask=stage_id', {}), /stage_id is required/);
		rejects(await patch('/opportunities/11001?update_mask=opportunity_title', {}), /opportunity_title is required/);
		rejects(await patch('/opportunities/11001?update_mask=stage', {}), /update_mask/);
		rejects(await patch('/opportunities/11001', { stage: { id: '22' } }), /unknown field 'stage'/);
	});

	test('switch opportunityLegacyFields: the legacy `fields` values are a 400 (false) or answered (true)', async () => {
		rejects(await get('/opportunities/11001?fields=stage_entrance_time'), /legacy opportunities feature/);
		rejects(await get('/opportunities?fields=colour'), /fields/);
		emu.setConfig({ opportunityLegacyFields: true });
		const r = await get('/opportunities/11001?fields=stage_entrance_time');
		assert.match(r.body.stage_entrance_time, /Z$/);
	});

	test('list filters (stage, user, contact, title, lead source, ids, opportunity_id, contact phone/city/state, revenue, custom fields) and order_by', async () => {
		const ids = async (f, extra = '') => (await get(`/opportunities?${q(f)}${extra}`)).body.opportunities.map((o) => Number(o.id));
		assert.deepEqual(await ids('stage_id==22'), [11002]);
		assert.deepEqual(await ids('user_id==1'), [11001, 11004, 11005]);
		assert.deepEqual(await ids(`contact_id==${demoContact(2).id}`), [11003]);
		assert.deepEqual(await ids('opportunity_title==team*'), [11003]);
		assert.deepEqual(await ids('lead_source_name==Refer*'), [11002]);
		assert.deepEqual(await ids('ids==11001,11005'), [11001, 11005]);
		assert.deepEqual(await ids('opportunity_id>=11004'), [11004, 11005]);
		assert.deepEqual(await ids('projected_revenue_high>=1800'), [11002, 11003, 11001].sort());
		assert.deepEqual(await ids('projected_revenue_low<1000'), [11004]);
		assert.deepEqual(await ids('contact_city==Chand*'), [11002]);
		assert.deepEqual(await ids('contact_state==Ariz*'), [11001, 11002, 11005]);
		const phone = demoContact(1).phone_numbers[0].number;
		assert.deepEqual(await ids(`contact_phone==${phone}`), [11002]);
		assert.deepEqual(await ids(`contact_phone==${phone.replace(/\D/g, '')}`), [], 'exact against the stored formatting');
		assert.deepEqual(await ids('contact_phone==(480)*'), [11002, 11003]);
		assert.deepEqual(await ids('DealSource==Trade*'), [11001]);
		assert.deepEqual(await ids('RenewalDate>2031-01-01T00:00:00.000Z'), [11003]);
		assert.deepEqual(await ids('user_id==1', '&order_by=opportunity_title%20desc'), [11001, 11004, 11005]);
		assert.deepEqual(await ids('user_id==1', '&order_by=opportunity_title'), [11005, 11004, 11001]);
		rejects(await get(`/opportunities?${q('RenewalDate>2031-01-01')}`), /full ISO-8601/);
		rejects(await get(`/opportunities?${q('opportunity_id>1;ids==11001')}`), /cannot be combined/);
		rejects(await get(`/opportunities?${q(`ids==${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)}`), /at most 100/);
		rejects(await get(`/opportunities?${q('stage_name==Won')}`), /Invalid filter field/);
		rejects(await get('/opportunities?order_by=id'), /Invalid order_by/);
		assert.equal((await all('/opportunities', 'opportunities', 2)).length, 5);
	});

	test('stages: list (pipeline order, filters), create, get, PATCH with update_mask and checklist items, delete', async () => {
		const names = (await get('/opportunities/stages')).body.stages.map((s) => s.name);
		assert.deepEqual(names, ['New Opportunity', 'Qualified', 'Proposal Sent', 'Negotiation', 'Won', 'Lost']);
		assert.deepEqual((await get('/opportunities/stages?order_by=stage_order%20desc&page_size=2')).body.stages.map((s) => s.name), ['Lost', 'Won']);
		assert.deepEqual((await get(`/opportunities/stages?${q('opportunity_stage_name==pro*')}`)).body.stages.map((s) => s.id), ['23']);
		assert.deepEqual((await get(`/opportunities/stages?${q('opportunity_stage_id>24')}`)).body.stages.map((s) => s.id), ['25', '26']);
		const st = await post('/opportunities/stages', { name: 'Demo Booked', order: 3, probability: 40, target_number_days: 5, checklist_items: [{ description: 'Invite sent', required: true, order: 1 }] });
		assert.equal(st.status, 201);
		assert.equal(st.body.checklist_items[0].description, 'Invite sent');
		const id = st.body.id;
		const itemId = st.body.checklist_items[0].id;
		const p = await patch(`/opportunities/stages/${id}?update_mask=probability,checklist_items`, {
			name: 'ignored', probability: 45, checklist_items: [{ id: itemId, description: 'Invite accepted', required: true, order: 1 }, { description: 'Agenda', required: false, order: 2 }],
		});
		assert.equal(p.body.name, 'Demo Booked');
		assert.equal(p.body.probability, 45);
		assert.deepEqual(p.body.checklist_items.map((c) => [c.id === itemId, c.description]), [[true, 'Invite accepted'], [false, 'Agenda']]);
		assert.equal((await get(`/opportunities/stages/${id}`)).body.probability, 45);
		rejects(await patch(`/opportunities/stages/${id}`, { probability: 101 }), /between 0 and 100/);
		rejects(await patch(`/opportunities/stages/${id}`, { target_number_days: -1 }), /target_number_days/);
		rejects(await patch(`/opportunities/stages/${id}`, { checklist_items: [{ id: '1', description: 'x', required: true, order: 1 }] }), /not an item of this stage/);
		rejects(await patch(`/opportunities/stages/${id}?update_mask=order`, {}), /order cannot be cleared/);
		rejects(await post('/opportunities/stages', { name: 'x', order: 1, probability: 101, target_number_days: 1 }), /probability/);
		rejects(await post('/opportunities/stages', { name: 'x', order: 1, probability: 10, target_number_days: -2 }), /target_number_days/);
		rejects(await post('/opportunities/stages', { name: 'x', order: 1, probability: 10 }), /'target_number_days' is required/);
		rejects(await post('/opportunities/stages', { name: 'x', order: 1, probability: 10, target_number_days: 1, checklist_items: [{ description: 'x', order: 1 }] }), /required/);
		assert.equal((await del(`/opportunities/stages/${id}`)).status, 204);
		rejects(await get(`/opportunities/stages/${id}`), /not found/, 404);
	});

	test('switch opportunityStageDeleteInUse: a stage holding opportunities is a 409 to delete (reject) or goes (allow)', async () => {
		rejects(await del('/opportunities/stages/21'), /holds 1 opportunities/, 409);
		emu.setConfig({ opportunityStageDeleteInUse: 'allow' });
		assert.equal((await del('/opportunities/stages/21')).status, 204);
		assert.deepEqual((await get('/opportunities/11001')).body.stage, { id: '21' });
	});
});

// ---- users --------------------------------------------------------------------------------------
describe('users', () => {
	test('list: active users by default, include_inactive, user_ids, email, given_name, order_by name; page_size 1..100; get', async () => {
		assert.deepEqual((await get('/users')).body.users.map((u) => u.id), ['1', '3']);
		assert.deepEqual((await get(`/users?${q('include_inactive==true')}`)).body.users.map((u) => u.id), ['1', '3', '5']);
		assert.deepEqual((await get(`/users?${q('include_inactive==true;user_ids==5,1')}`)).body.users.map((u) => u.id), ['1', '5']);
		assert.deepEqual((await get(`/users?${q('email==SAM.SELLER@emulator.example')}`)).body.users.map((u) => u.id), ['3']);
		assert.deepEqual((await get(`/users?${q('given_name==avery')}`)).body.users.map((u) => u.id), ['1']);
		assert.deepEqual((await get(`/users?${q('include_inactive==true')}&order_by=name%20desc`)).body.users.map((u) => u.family_name), ['Seller', 'Idle', 'Admin']);
		assert.deepEqual((await all('/users?filter=include_inactive%3D%3Dtrue', 'users', 1)).map((u) => u.id), ['1', '3', '5']);
		rejects(await get('/users?page_size=0'), /page_size/);
		rejects(await get('/users?page_size=101'), /page_size/);
		rejects(await get('/users?page_size=1000'), /page_size/);
		rejects(await get(`/users?${q('include_inactive==yes')}`), /true or false/);
		rejects(await get(`/users?${q('family_name==Admin')}`), /Invalid filter field/);
		rejects(await get('/users?order_by=id'), /Invalid order_by/);
		const u = await get('/users/5');
		assert.equal(u.body.status, 'INACTIVE');
		rejects(await get('/users/77'), /not found/, 404);
	});
});

// ---- email address status -----------------------------------------------------------------------
describe('email address status', () => {
	test('get, opt out (MANUAL) and opt back in (SINGLE_OPT_IN) with a reason; the contact and XML-RPC see the same status', async () => {
		const email = demoEmail(1);
		const cid = demoContact(1).id;
		const st = await get(`/emailAddresses/${encodeURIComponent(email)}/status`);
		assert.deepEqual({ ...st.body, create_time: undefined }, { email, opted_in: false, status: 'NON_MARKETABLE', create_time: undefined });
		const out = await patch(`/emailAddresses/${encodeURIComponent(email)}/status`, { opted_in: false, reason: 'Asked to stop' });
		assert.equal(out.body.status, 'MANUAL');
		assert.equal((await xmlrpc(emu, 'APIEmailService.getOptStatus', ['k', email])).value, -1);
		const inAgain = await patch(`/emailAddresses/${encodeURIComponent(email.toUpperCase())}/status`, { opted_in: true, reason: 'Signed up again' });
		assert.equal(inAgain.body.status, 'SINGLE_OPT_IN');
		assert.equal(inAgain.body.opted_in, true);
		const contact = (await get(`/contacts/${cid}`)).body;
		assert.equal(contact.email_addresses[0].email_opt_status, 'SINGLE_OPT_IN');
		assert.equal(contact.email_addresses[0].opt_in_reason, 'Signed up again');
	});

	test('statuses an opt-in or opt-out leaves alone; unknown and invalid addresses; required reason and opted_in', async () => {
		const email = demoEmail(3);
		emu.store.emailStatus.set(email, { status: 'HardBounce', reason: 'bounced', time: emu.now() });
		assert.equal((await patch(`/emailAddresses/${email}/status`, { opted_in: true, reason: 'try' })).body.status, 'HARD_BOUNCE');
		assert.equal((await patch(`/emailAddresses/${email}/status`, { opted_in: false, reason: 'try' })).body.status, 'HARD_BOUNCE');
		emu.store.emailStatus.set(email, { status: 'ListUnsubscribe', reason: 'link', time: emu.now() });
		assert.equal((await patch(`/emailAddresses/${email}/status`, { opted_in: true, reason: 'try' })).body.status, 'LIST_UNSUBSCRIBE');
		rejects(await patch(`/emailAddresses/${email}/status`, { opted_in: true, reason: ' ' }), /reason cannot be empty/);
		rejects(await patch(`/emailAddresses/${email}/status`, { opted_in: true }), /'reason' is required/);
		rejects(await patch(`/emailAddresses/${email}/status`, { reason: 'x' }), /'opted_in' is required/);
		rejects(await patch(`/emailAddresses/${email}/status`, { opted_in: 'yes', reason: 'x' }), /opted_in.*boolean/);
		rejects(await get('/emailAddresses/not-an-email/status'), /Invalid email address/);
		const company = await get('/emailAddresses/office%40acmeplumbing.example/status');
		assert.equal(company.body.status, 'NON_MARKETABLE', 'a company address is known');
	});

	test('switch emailStatusUnknownAddress: an address nobody has is a 404 (404) or NON_MARKETABLE (nonMarketable)', async () => {
		rejects(await get('/emailAddresses/nobody%40example.com/status'), /not found/, 404);
		rejects(await patch('/emailAddresses/nobody%40example.com/status', { opted_in: true, reason: 'x' }), /not found/, 404);
		emu.setConfig({ emailStatusUnknownAddress: 'nonMarketable' });
		assert.equal((await get('/emailAddresses/nobody%40example.com/status')).body.status, 'NON_MARKETABLE');
		assert.equal((await patch('/emailAddresses/nobody%40example.com/status', { opted_in: true, reason: 'x' })).body.status, 'SINGLE_OPT_IN');
	});

	test('list: every known address, filters emails, statuses, opted_in; order_by; paging', async () => {
		const list = await all('/emailAddresses', 'email_addresses', 10);
		assert.equal(list.length, 36 + 6, 'demo contacts and companies');
		assert.deepEqual(list.map((e) => e.email), [...list.map((e) => e.email)].sort());
		const opted = (await get(`/emailAddresses?${q('opted_in==true')}&page_size=100`)).body.email_addresses;
		assert.equal(opted.length, 18);
		assert.ok(opted.every((e) => e.status === 'SINGLE_OPT_IN'));
		const two = `${demoEmail(0)},${demoEmail(1).toUpperCase()}`;
		const pair = (await get(`/emailAddresses?${q(`emails==${two}`)}`)).body.email_addresses;
		assert.deepEqual(pair.map((e) => [e.email, e.status]), [[demoEmail(1), 'NON_MARKETABLE'], [demoEmail(0), 'SINGLE_OPT_IN']], 'case-insensitive, ordered by email');
		assert.equal((await get(`/emailAddresses?${q('statuses==NON_MARKETABLE,MANUAL')}&page_size=100`)).body.email_addresses.length, 24);
		const byStatus = (await get('/emailAddresses?order_by=status%20desc&page_size=100')).body.email_addresses.map((e) => e.status);
		assert.equal(byStatus[0], 'SINGLE_OPT_IN');
		rejects(await get(`/emailAddresses?${q('statuses==OPTED_OUT')}`), /statuses/);
		rejects(await get(`/emailAddresses?${q('email==x@example.com')}`), /Invalid filter field/);
		rejects(await get('/emailAddresses?order_by=reason'), /Invalid order_by/);
	});
});

// ---- v1 application configuration ------------------------------------------------------------------
describe('v1 application configuration', () => {
	test('note and task types (config noteTypes / taskTypes) and the pipeline stages, in the v1 shape', async () => {
		const r = await api('GET', '/setting/application/configuration', { version: 'v1' });
		assert.equal(r.status, 200);
		assert.equal(r.body.note.appointment_types, 'Appointment,Call,Email,Fax,Letter,Other');
		assert.equal(r.body.task.appointment_types, 'Appointment,Call,Email,Fax,Letter,Other');
		assert.equal(r.body.opportunity.states.active.stages, 'New Opportunity,Qualified,Proposal Sent,Negotiation,Won,Lost');
		assert.equal(r.body.contact.contact_types, 'Lead,Customer,Partner,Other');
		emu.setConfig({ noteTypes: ['Visit'] });
		assert.equal((await api('GET', '/setting/application/configuration', { version: 'v1' })).body.note.appointment_types, 'Visit');
		const bad = await call(`${emu.url}/crm/rest/v1/setting/application/configuration?module=note`);
		assert.equal(bad.status, 400);
		assert.deepEqual(Object.keys(bad.body), ['message']);
	});
});
