// The Keap CRM node's editor methods, called as n8n's editor calls them (n8n-core's
// LoadOptionsContext, test/engine/harness.mjs runNodeMethod) against the emulator: the "From
// list" contact search and the custom-field columns of the Create / Create or Update / Update
// mapper. That every editor method of every node is called at all, over REST and XML-RPC, is
// coverage.test.mjs's (it enumerates them); this file checks what some of them answer.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNodeMethod } from './harness.mjs';
import { PAT } from './keap-helpers.mjs';

let emu;
let store;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, quiet: true, seed: 'demo' });
	store = new CredentialStore({ pat: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
	// Contacts the demo set does not have, so each search below has a known answer.
	emu.seed({
		contacts: [
			{ given_name: 'Ada', family_name: 'Lovelace', email_addresses: [{ email: 'ada@example.com', field: 'EMAIL1' }] },
			{ given_name: 'Grace', family_name: 'Hopper', email_addresses: [{ email: 'grace.hopper@example.com', field: 'EMAIL1' }] },
			{ given_name: 'Adam', family_name: 'Smith', email_addresses: [{ email: 'adam.smith@example.com', field: 'EMAIL1' }] },
			{ given_name: 'Charles', family_name: 'Babbage', email_addresses: [{ email: 'adaptive@example.com', field: 'EMAIL1' }] },
			// More than one page (50) of contacts in all.
			...Array.from({ length: 20 }, (_, i) => ({
				given_name: `Page${i}`,
				family_name: 'Filler',
				email_addresses: [{ email: `filler${i}@example.com`, field: 'EMAIL1' }],
			})),
		],
	});
});
afterAll(async () => {
	assert.equal(emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	await emu.close();
});

const method = (kind, name, { api = 'rest', args = [] } = {}) =>
	runNodeMethod({
		type: 'keapCrm',
		kind,
		method: name,
		parameters: { authentication: 'apiKey', api, resource: 'contact', operation: 'get' },
		credentials: { keapCrmApiKeyApi: 'pat' },
		store,
		args,
	});

/** The names the picker shows for `term`, and the contact-list calls that took. */
async function search(term, options = {}) {
	const before = emu.log().length;
	const result = await method('listSearch', 'searchContacts', { ...options, args: [term, options.token] });
	const calls = emu.log().slice(before).filter((e) => e.method === 'GET' || e.method === 'POST');
	return { names: result.results.map((r) => r.name), ids: result.results.map((r) => r.value), token: result.paginationToken, calls };
}

describe('"From list" contact search', () => {
	test('one word finds it at the start of a first name, a last name or an email, whatever its case', async () => {
		const { names } = await search('ada');
		assert.deepEqual(names.slice().sort(), [
			'Ada Lovelace <ada@example.com>',
			'Adam Smith <adam.smith@example.com>',
			'Charles Babbage <adaptive@example.com>',
		]);
		assert.deepEqual((await search('Hopper')).names, ['Grace Hopper <grace.hopper@example.com>']);
		assert.deepEqual((await search('lovelace')).names, ['Ada Lovelace <ada@example.com>']);
		assert.deepEqual((await search('grace.h')).names, ['Grace Hopper <grace.hopper@example.com>']);
	});

	test('one word costs three calls at most, and a contact found twice is listed once', async () => {
		const { names, calls } = await search('Ada');
		assert.equal(calls.length, 3, JSON.stringify(calls.map((c) => c.query)));
		assert.equal(names.filter((n) => n.startsWith('Ada Lovelace')).length, 1, 'ada@ matches first name and email: listed once');
	});

	test('results come newest first', async () => {
		const { ids } = await search('ada');
		assert.deepEqual(ids, ids.slice().sort((a, b) => Number(b) - Number(a)));
	});

	test('"first last" matches both names with one call; an @ searches emails with one call', async () => {
		const both = await search('Ada Love');
		assert.deepEqual(both.names, ['Ada Lovelace <ada@example.com>']);
		assert.equal(both.calls.length, 1);
		const mail = await search('grace.hopper@');
		assert.deepEqual(mail.names, ['Grace Hopper <grace.hopper@example.com>']);
		assert.equal(mail.calls.length, 1);
		assert.deepEqual((await search('hopper@')).names, [], 'emails match from their start only (all Keap offers)');
	});

	test("Keap's filter syntax in the term (; and *) is not sent as syntax", async () => {
		const { names } = await search('ada;*');
		assert.ok(names.includes('Ada Lovelace <ada@example.com>'), JSON.stringify(names));
	});

	test('no term lists every contact newest first; the token pages through them', async () => {
		const first = await search('');
		assert.equal(first.names.length, 50);
		assert.ok(first.token, 'a token for more');
		const second = await search('', { token: first.token });
		assert.ok(second.names.length > 0);
		assert.equal(new Set([...first.ids, ...second.ids]).size, first.ids.length + second.ids.length, 'no contact on both pages');
		assert.ok(Number(second.ids[0]) < Number(first.ids.at(-1)), 'the second page continues where the first stopped');
	});

	test('the same search over XML-RPC', async () => {
		const { names } = await search('hopper', { api: 'xmlrpc' });
		assert.deepEqual(names, ['Grace Hopper <grace.hopper@example.com>']);
	});
});

describe('custom-field columns of the contact mapper', () => {
	test('a date field is typed as YYYY-MM-DD text, yes/no is a Yes/No list, the others keep their widgets', async () => {
		const { fields } = await method('resourceMapping', 'getCustomFieldColumns');
		const byId = Object.fromEntries(fields.map((f) => [f.id, f]));
		assert.equal(byId['10'].displayName, 'Signup Date (YYYY-MM-DD)');
		assert.equal(byId['10'].type, 'string', 'not n8n’s date-and-time picker');
		assert.equal(byId['16'].displayName, 'VIP');
		assert.equal(byId['16'].type, 'options', 'not a toggle that sends false when left alone');
		assert.deepEqual(byId['16'].options, [
			{ name: 'Yes', value: 'Yes' },
			{ name: 'No', value: 'No' },
		]);
		assert.equal(byId['8'].type, 'options');
		assert.deepEqual(
			byId['8'].options.map((o) => o.value),
			['Bronze', 'Silver', 'Gold', 'Platinum'],
		);
		assert.equal(byId['12'].type, 'number');
		assert.equal(byId['6'].type, 'string');
	});
});
