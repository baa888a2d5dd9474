import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call } from './helpers.mjs';
import { v1Routes } from './rest-v1.mjs';
import { v2Routes } from './rest-v2.mjs';
import { Validator, specPathFor } from './validate.mjs';

test('every REST route the emulator serves is an operation of Keap\'s OpenAPI documents', () => {
	const validator = new Validator(() => ({ strictUnknownProperties: true }));
	for (const [version, routes] of [['v1', v1Routes], ['v2', v2Routes]]) {
		for (const r of routes) assert.doesNotThrow(() => validator.operation(version, r.method, specPathFor(version, r.path)), `${version} ${r.method} ${r.path}`);
	}
});

describe('OpenAPI request validation', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	const email = [{ email: 'v@example.com', field: 'EMAIL1' }];

	test('v2 body: unknown property, wrong enum and wrong type are 400 with Keap error shape and field path', async () => {
		const unknown = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { first_name: 'Wrong', email_addresses: email } });
		assert.equal(unknown.status, 400);
		assert.deepEqual(Object.keys(unknown.body), ['code', 'message', 'status', 'details']);
		assert.equal(unknown.body.code, 400);
		assert.equal(unknown.body.status, 'Bad Request');
		assert.match(unknown.body.message, /first_name/);

		const badEnum = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: [{ email: 'v@example.com', field: 'PRIMARY' }] } });
		assert.equal(badEnum.status, 400);
		assert.match(badEnum.body.message, /email_addresses\[0\]\.field/);

		const badType = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { owner_id: 3, email_addresses: email } });
		assert.equal(badType.status, 400);
		assert.match(badType.body.message, /owner_id.*string/);

		const nested = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: [{ email: 'v@example.com', field: 'EMAIL1', status: 'x' }] } });
		assert.match(nested.body.message, /email_addresses\[0\]\.status/);

		const tooLong = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { given_name: 'x'.repeat(41), email_addresses: email } });
		assert.equal(tooLong.status, 400);
		assert.match(tooLong.body.message, /given_name/);

		assert.equal(emu.store.contacts.size, 0, 'nothing was written');
		assert.equal(emu.counters().validationRejects, 5);
	});

	test('v1 body: v1 error shape {message}; springfox Object content accepts any custom value', async () => {
		const wrong = await call(`${emu.url}/crm/rest/v1/contacts`, { method: 'POST', json: { email_addresses: email, email_status: 'SingleOptIn' } });
		assert.equal(wrong.status, 400);
		assert.deepEqual(Object.keys(wrong.body), ['message']);
		assert.match(wrong.body.message, /email_status/);
		const enumBad = await call(`${emu.url}/crm/rest/v1/contacts`, { method: 'POST', json: { email_addresses: email, source_type: 'Web' } });
		assert.match(enumBad.body.message, /source_type/);
		const ok = await call(`${emu.url}/crm/rest/v1/contacts`, { method: 'POST', json: { email_addresses: email, custom_fields: [{ id: 6, content: 'text is fine' }] } });
		assert.equal(ok.status, 201);
		const tagBody = await call(`${emu.url}/crm/rest/v1/contacts/${ok.body.id}/tags`, { method: 'POST', json: { tag_ids: [1] } });
		assert.equal(tagBody.status, 400, 'tagIds is the v1 property name');
		assert.match(tagBody.body.message, /tag_ids/);
	});

	test('query values: wrong type, range, enum, unknown parameter', async () => {
		const size = await call(`${emu.url}/crm/rest/v2/contacts?page_size=1001`);
		assert.equal(size.status, 400);
		assert.match(size.body.message, /page_size/);
		const notInt = await call(`${emu.url}/crm/rest/v1/contacts?limit=ten`);
		assert.equal(notInt.status, 400);
		assert.match(notInt.body.message, /limit.*integer/);
		const order = await call(`${emu.url}/crm/rest/v1/contacts?order=surname`);
		assert.match(order.body.message, /order/);
		const dup = await call(`${emu.url}/crm/rest/v2/contacts?duplicate_option=Phone`, { method: 'POST', json: { email_addresses: email } });
		assert.match(dup.body.message, /duplicate_option/);
		const unknown = await call(`${emu.url}/crm/rest/v2/contacts?pageSize=5`);
		assert.equal(unknown.status, 400);
		assert.match(unknown.body.message, /pageSize/);
		const mask = await call(`${emu.url}/crm/rest/v2/contacts/1?update_mask=shoe_size`, { method: 'PATCH', json: {} });
		assert.equal(mask.status, 400);
		assert.match(mask.body.message, /update_mask/);
		const pathType = await call(`${emu.url}/crm/rest/v1/contacts/abc`);
		assert.equal(pathType.status, 400);
	});

	test('business rules also answer 400: bad custom field values and unknown ids', async () => {
		const dropdown = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: email, custom_fields: [{ id: '8', content: 'Diamond' }] } });
		assert.equal(dropdown.status, 400);
		assert.match(dropdown.body.message, /Membership Level/);
		const number = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: email, custom_fields: [{ id: '14', content: 'many' }] } });
		assert.equal(number.status, 400);
		const missing = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: email, custom_fields: [{ id: '777', content: 'x' }] } });
		assert.equal(missing.status, 400);
		const owner = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: email, owner_id: '42' } });
		assert.equal(owner.status, 400);
		const json = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
		assert.equal(json.status, 400);
	});

	test('strictUnknownProperties: false accepts properties the published schema does not list; validate: false skips the schema', async () => {
		emu.setConfig({ strictUnknownProperties: false });
		const r = await call(`${emu.url}/crm/rest/v2/contacts?extra=1`, { method: 'POST', json: { email_addresses: email, shoe_size: 9 } });
		assert.equal(r.status, 201);
		const stillEnum = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: [{ email: 'a@example.com', field: 'EMAIL9' }] } });
		assert.equal(stillEnum.status, 400);
		emu.setConfig({ validate: false, strictUnknownProperties: true });
		const loose = await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: email, shoe_size: 9 } });
		assert.equal(loose.status, 201);
	});
});
