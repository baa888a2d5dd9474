// The emulator is never kinder than Keap's documents: the gateway's request-line limit, routes
// Keap does not document, request shapes the OpenAPI documents do not allow, and every switch
// (switches.mjs) in each of its settings.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { startEmulator, call, form, basic, xmlrpc, hookReceiver, PAT, CLIENT_ID, CLIENT_SECRET } from './helpers.mjs';
import { SWITCHES, switchDefaults, parseSwitches, switchValue } from './switches.mjs';
import { CONFIG_DEFAULTS } from './index.mjs';

/** A raw HTTP/1.1 request (fetch would not send a 10 KB URL unchanged): { status, body }. */
function rawGet(emu, target, headers = { 'x-keap-api-key': PAT }) {
	const { hostname, port } = new URL(emu.url);
	return new Promise((resolve, reject) => {
		const req = http.request({ hostname, port, path: target, method: 'GET', headers, agent: false }, (res) => {
			let text = '';
			res.setEncoding('utf8').on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('the gateway: request lines over 7,168 bytes get 414 protocol.http.TooBigLine', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());

	test('a ~10.4 KB ids filter (1000 seven-digit ids) is refused; one byte under the limit is served', async () => {
		const ids = Array.from({ length: 1000 }, (_, i) => 4_200_000 + i).join(',');
		const target = `/crm/rest/v2/contacts?filter=${encodeURIComponent(`ids==${ids}`)}&page_size=1000`;
		const long = await rawGet(emu, target);
		assert.equal(long.status, 414, 'not 431 or a reset: Node\'s own header limit is raised');
		assert.deepEqual(long.body, { fault: { faultstring: 'request line size exceeding 7,168', detail: { errorcode: 'protocol.http.TooBigLine' } } });
		assert.equal(emu.counters().requestLineTooLong, 1);
		// "GET " + target + " HTTP/1.1" = 7168 bytes exactly: allowed.
		const fixed = 'GET  HTTP/1.1'.length;
		const base = '/crm/rest/v2/contacts?filter=';
		const pad = `given_name==${'a'.repeat(7168 - fixed - base.length - 'given_name=='.length)}`;
		const atLimit = await rawGet(emu, `${base}${pad}`);
		assert.equal(atLimit.status, 200);
		const over = await rawGet(emu, `${base}${pad}a`);
		assert.equal(over.status, 414);
		// before auth, like the gateway: no credential still gets 414
		assert.equal((await rawGet(emu, target, {})).status, 414);
	});
});

describe('routes and request shapes Keap does not document', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	test('unknown path 404, known path with another method 405, a documented route the emulator lacks 501', async () => {
		assert.equal((await call(`${emu.url}/crm/rest/v2/nothing/here`)).status, 404);
		assert.equal((await call(`${emu.url}/crm/rest/v2/tags`, { method: 'PUT', json: {} })).status, 405);
		// A documented operation no object module serves (yet): if one does, pick another.
		const bundles = await call(`${emu.url}/crm/rest/v2/productInterestBundles`);
		assert.equal(bundles.status, 501, 'Keap documents it; the emulator must not pretend it does not exist');
		assert.match(bundles.body.message, /does not implement GET \/crm\/rest\/v2\/productInterestBundles/);
	});

	test('a body where the operation takes none, a body that is not JSON, a non-array query parameter given twice', async () => {
		const body = await call(`${emu.url}/crm/rest/v2/tags`, { method: 'GET', headers: { 'content-type': 'application/json' }, body: '{}' }).catch((e) => ({ error: e }));
		// fetch refuses a GET body; DELETE with a body shows the rule
		assert.ok(body.error || body.status === 400);
		const c = (await call(`${emu.url}/crm/rest/v2/contacts`, { method: 'POST', json: { email_addresses: [{ email: 'b@example.com', field: 'EMAIL1' }] } })).body;
		const del = await call(`${emu.url}/crm/rest/v2/contacts/${c.id}`, { method: 'DELETE', json: { why: 'x' } });
		assert.equal(del.status, 400);
		assert.match(del.body.message, /takes no request body/);
		const text = await call(`${emu.url}/crm/rest/v2/tags`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"T"}' });
		assert.equal(text.status, 415);
		const twice = await call(`${emu.url}/crm/rest/v2/contacts?page_size=5&page_size=6`);
		assert.equal(twice.status, 400);
		assert.match(twice.body.message, /page_size' is given 2 times/);
		const users = await call(`${emu.url}/crm/rest/v2/users?page_size=1000`);
		assert.equal(users.status, 400, '/v2/users documents page_size 1..100');
		assert.match(users.body.message, /page_size.*<= 100/);
		assert.equal((await call(`${emu.url}/crm/rest/v2/users?page_size=0`)).status, 400);
		assert.equal((await call(`${emu.url}/crm/rest/v2/users?page_size=100`)).status, 200);
	});

	test('wildcards only where Keap documents them: contacts\' names and email yes; tags, categories, addresses no', async () => {
		emu.seed({ demo: true });
		const v2 = `${emu.url}/crm/rest/v2`;
		const q = (path, filter) => call(`${v2}${path}?filter=${encodeURIComponent(filter)}`);
		assert.ok((await q('/contacts', 'given_name==A*')).body.contacts.length > 0);
		assert.ok((await q('/contacts', 'email==a*')).body.contacts.length > 0);
		assert.deepEqual((await q('/tags', 'name==We*')).body.tags, [], 'literal *');
		assert.deepEqual((await q('/tags/categories', 'name==*')).body.tag_categories, []);
		assert.deepEqual((await q('/contacts', 'billing_address_locality==P*')).body.contacts, []);
		emu.setConfig({ undocumentedWildcard: 'reject' });
		const rejected = await q('/tags', 'name==We*');
		assert.equal(rejected.status, 400);
		assert.match(rejected.body.message, /wildcards are not supported for filter field name/);
		assert.equal((await q('/contacts', 'given_name==A*')).status, 200);
	});
});

describe('switches (switches.mjs)', () => {
	test('one registry: each switch has settings, a default that is CONFIG_DEFAULTS, a silent document and suites that exist', () => {
		const here = fileURLToPath(new URL('../..', import.meta.url));
		const names = new Set();
		for (const sw of SWITCHES) {
			assert.ok(!names.has(sw.name), `${sw.name} listed once`);
			names.add(sw.name);
			assert.ok(sw.settings.length >= 2, `${sw.name} has alternatives`);
			assert.ok(sw.silent.length > 10, `${sw.name} says which document is silent`);
			assert.deepEqual(CONFIG_DEFAULTS[sw.name], sw.settings[0].value, `${sw.name}: the first setting is the default`);
			for (const suite of sw.suites) {
				const r = spawnSync('test', ['-f', `${here}${suite}`]);
				assert.equal(r.status, 0, `${sw.name}: suite ${suite} exists`);
			}
		}
		assert.deepEqual(Object.keys(switchDefaults()).sort(), [...names].sort());
		assert.equal(CONFIG_DEFAULTS.acceptBodyCredentialsOnRefresh, undefined, 'replaced by oauthRefreshCredentials');
	});

	test('KEAP_EMULATOR_SWITCHES sets the start config; typed values; unknown names and settings are refused', async () => {
		assert.deepEqual(parseSwitches('v1PatchCollections=replace, v1UpsertCreateStatus=201,revokeAccessTokenOnRefresh=true'), {
			v1PatchCollections: 'replace', v1UpsertCreateStatus: 201, revokeAccessTokenOnRefresh: true,
		});
		assert.throws(() => parseSwitches('nope=1'), /unknown emulator switch "nope"/);
		assert.throws(() => switchValue('v1PatchCollections', 'sometimes'), /no setting "sometimes"/);
		const saved = process.env.KEAP_EMULATOR_SWITCHES;
		process.env.KEAP_EMULATOR_SWITCHES = 'v1PatchCollections=replace';
		try {
			const { startEmulator: raw } = await import('./index.mjs');
			const fromEnv = await raw({ quiet: true });
			const pinned = await raw({ quiet: true, config: { v1PatchCollections: 'merge' } });
			const own = await startEmulator({ quiet: true }); // the emulator's own tests ignore the variable
			try {
				assert.equal(fromEnv.config.v1PatchCollections, 'replace');
				fromEnv.setConfig({ v1PatchCollections: 'merge' });
				fromEnv.reset();
				assert.equal(fromEnv.config.v1PatchCollections, 'replace', 'reset() returns to the start config');
				assert.equal(pinned.config.v1PatchCollections, 'merge', 'a test\'s own config wins');
				assert.equal(own.config.v1PatchCollections, 'merge');
			} finally {
				await Promise.all([fromEnv.close(), pinned.close(), own.close()]);
			}
		} finally {
			if (saved === undefined) delete process.env.KEAP_EMULATOR_SWITCHES;
			else process.env.KEAP_EMULATOR_SWITCHES = saved;
		}
	});
});

describe('switch settings', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());
	const v1 = () => `${emu.url}/crm/rest/v1`;
	const v2 = () => `${emu.url}/crm/rest/v2`;
	const newContact = async (email, extra = {}) =>
		(await call(`${v2()}/contacts`, { method: 'POST', json: { email_addresses: [{ email, field: 'EMAIL1' }], ...extra } })).body;

	test('oauthExchangeBasic: reject (default), reject-header, accept', async () => {
		const code = async () => {
			const q = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: 'https://n8n.example/cb', response_type: 'code', scope: 'full' });
			return new URL((await call(`${emu.url}/app/oauth/authorize?${q}`, { auth: null })).headers.get('location')).searchParams.get('code');
		};
		const exchange = async (c, { withBasic, inBody }) =>
			call(`${emu.url}/token`, {
				method: 'POST', auth: null,
				headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withBasic ? { authorization: basic() } : {}) },
				body: form({ grant_type: 'authorization_code', code: c, redirect_uri: 'https://n8n.example/cb', ...(inBody ? { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } : {}) }),
			});
		const basicOnly = await exchange(await code(), { withBasic: true, inBody: false });
		assert.equal(basicOnly.status, 401, "what n8n sends with authentication 'header'");
		assert.deepEqual(basicOnly.body, { error: 'invalid_grant', error_description: 'Unable to authenticate username and password' });
		assert.equal(emu.log().at(-1).auth, 'basic');
		assert.equal((await exchange(await code(), { withBasic: false, inBody: true })).status, 200, "what n8n sends with 'body'");
		assert.equal((await exchange(await code(), { withBasic: true, inBody: true })).status, 200);
		assert.equal(emu.log().at(-1).auth, 'basic+body');
		emu.setConfig({ oauthExchangeBasic: 'reject-header' });
		assert.equal((await exchange(await code(), { withBasic: true, inBody: true })).status, 401);
		emu.setConfig({ oauthExchangeBasic: 'accept' });
		assert.equal((await exchange(await code(), { withBasic: true, inBody: false })).status, 200);
	});

	test('upsertLookup: racy (default) lets two upserts of one new email both create; atomic does not', async () => {
		const upsert = (given) =>
			call(`${v1()}/contacts`, { method: 'PUT', json: { given_name: given, email_addresses: [{ email: 'race@example.com', field: 'EMAIL1' }], duplicate_option: 'Email' } });
		await Promise.all([upsert('A'), upsert('B')]);
		assert.equal([...emu.store.contacts.values()].length, 2);
		emu.reset();
		emu.setConfig({ upsertLookup: 'atomic' });
		await Promise.all([upsert('A'), upsert('B')]);
		assert.equal([...emu.store.contacts.values()].length, 1);
		const v2upsert = (given) => call(`${v2()}/contacts?duplicate_option=Email`, { method: 'POST', json: { given_name: given, email_addresses: [{ email: 'race@example.com', field: 'EMAIL1' }] } });
		assert.deepEqual((await Promise.all([v2upsert('C'), v2upsert('D')])).map((r) => r.status), [200, 200]);
	});

	test('v1PatchCollections: merge (default) keeps other list items; replace drops them', async () => {
		const c = await newContact('m@example.com', { email_addresses: [{ email: 'm@example.com', field: 'EMAIL1' }, { email: 'm2@example.com', field: 'EMAIL2' }] });
		const put = () => call(`${v1()}/contacts`, { method: 'PUT', json: { email_addresses: [{ email: 'm@example.com', field: 'EMAIL1' }], job_title: 'X' } });
		await put();
		assert.equal(emu.store.getContact(Number(c.id)).email_addresses.length, 2);
		emu.setConfig({ v1PatchCollections: 'replace' });
		await put();
		assert.equal(emu.store.getContact(Number(c.id)).email_addresses.length, 1);
	});

	test('applyTagsResults and tagBatchMax (Keap\'s PHP SDK: at most 100 contact ids a call)', async () => {
		const c = await newContact('t@example.com');
		const tag = (await call(`${v2()}/tags`, { method: 'POST', json: { name: 'S' } })).body;
		const apply = (ids) => call(`${v2()}/tags/${tag.id}/contacts:applyTags`, { method: 'POST', json: { contact_ids: ids } });
		assert.deepEqual((await apply([c.id, '99999'])).body.results, { [c.id]: 'SUCCESS', 99999: 'CONTACT_NOT_FOUND' });
		emu.setConfig({ applyTagsResults: 'omit-not-found' });
		assert.deepEqual((await apply([c.id, '99998'])).body.results, { [c.id]: 'DUPLICATE' });
		emu.setConfig({ applyTagsResults: 'none' });
		assert.deepEqual((await apply([c.id])).body.results, {});
		const many = Array.from({ length: 101 }, (_, i) => String(50_000 + i));
		const capped = await apply(many);
		assert.equal(capped.status, 400);
		assert.match(capped.body.message, /maximum of 100 contact ids/);
		assert.equal((await call(`${v2()}/tags/${tag.id}/contacts:removeTags`, { method: 'POST', json: { contact_ids: many } })).status, 400);
		assert.equal((await call(`${v1()}/tags/${tag.id}/contacts`, { method: 'POST', json: { ids: many.map(Number) } })).status, 400);
		assert.equal((await call(`${v1()}/tags/${tag.id}/contacts?ids=${many.join(',')}`, { method: 'DELETE' })).status, 400);
		emu.setConfig({ tagBatchMax: 'none' });
		assert.equal((await apply(many)).status, 200);
	});

	test('v2EmailFilter: any-address (default) or primary-only', async () => {
		await newContact('p1@example.com', { email_addresses: [{ email: 'p1@example.com', field: 'EMAIL1' }, { email: 'second@example.com', field: 'EMAIL2' }] });
		const find = () => call(`${v2()}/contacts?filter=${encodeURIComponent('email==second@example.com')}`);
		assert.equal((await find()).body.contacts.length, 1);
		emu.setConfig({ v2EmailFilter: 'primary-only' });
		assert.equal((await find()).body.contacts.length, 0);
	});

	test('hookTagPayload and hookDeleteApiUrl', async () => {
		const receiver = await hookReceiver('echo');
		try {
			emu.setConfig({ hookDelayMs: 60_000 });
			for (const eventKey of ['contactGroup.applied', 'contact.delete']) {
				await call(`${v1()}/hooks`, { method: 'POST', json: { eventKey, hookUrl: receiver.url } });
			}
			const c = await newContact('h@example.com');
			const tag = (await call(`${v2()}/tags`, { method: 'POST', json: { name: 'H' } })).body;
			await call(`${v2()}/tags/${tag.id}/contacts:applyTags`, { method: 'POST', json: { contact_ids: [c.id] } });
			await call(`${v2()}/contacts/${c.id}`, { method: 'DELETE' });
			await emu.flushHooks();
			const byKey = (k) => receiver.events().find((e) => e.body.event_key === k).body.object_keys;
			assert.deepEqual(byKey('contactGroup.applied').map((o) => [o.id, o.contactDetails]), [[Number(tag.id), [{ id: Number(c.id) }]]]);
			assert.equal(byKey('contact.delete')[0].apiUrl, '');
			receiver.requests.length = 0;
			emu.setConfig({ hookTagPayload: 'contact-keys', hookDeleteApiUrl: 'url' });
			const d = await newContact('h2@example.com');
			await call(`${v2()}/tags/${tag.id}/contacts:applyTags`, { method: 'POST', json: { contact_ids: [d.id] } });
			await call(`${v2()}/contacts/${d.id}`, { method: 'DELETE' });
			await emu.flushHooks();
			assert.deepEqual(byKey('contactGroup.applied').map((o) => [o.id, o.apiUrl.endsWith(`/contacts/${d.id}`)]), [[Number(d.id), true]]);
			assert.ok(byKey('contact.delete')[0].apiUrl.endsWith(`/contacts/${d.id}`));
		} finally {
			await receiver.close();
		}
	});

	test('xmlrpcRemoveFromGroupNotApplied, xmlrpcGetAppSetting', async () => {
		const id = (await xmlrpc(emu, 'ContactService.add', ['k', { Email: 'x@example.com' }])).value;
		const tagId = (await xmlrpc(emu, 'DataService.add', ['k', 'ContactGroup', { GroupName: 'X' }])).value;
		assert.equal((await xmlrpc(emu, 'ContactService.removeFromGroup', ['k', id, tagId])).value, false);
		emu.setConfig({ xmlrpcRemoveFromGroupNotApplied: true });
		assert.equal((await xmlrpc(emu, 'ContactService.removeFromGroup', ['k', id, tagId])).value, true);
		assert.equal((await xmlrpc(emu, 'DataService.getAppSetting', ['k', 'Contact', 'optiontypes'])).fault.code, 14);
		emu.setConfig({ xmlrpcGetAppSetting: 'allow' });
		assert.equal((await xmlrpc(emu, 'DataService.getAppSetting', ['k', 'Contact', 'optiontypes'])).value, 'Lead,Customer,Partner,Other');
	});

	test('xmlrpcRetired: off, http-404, http-410, http-503, html-page, fault', async () => {
		const load = () => xmlrpc(emu, 'DataService.getUserInfo', []);
		assert.ok((await load()).value.localUserId);
		emu.setConfig({ xmlrpcRetired: 'http-404' });
		const gone = await fetch(`${emu.url}/crm/xmlrpc/v1`, { method: 'POST', body: '<methodCall/>' });
		assert.equal(gone.status, 404);
		assert.equal((await gone.json()).fault.detail.errorcode, 'messaging.adaptors.http.flow.ApplicationNotFound');
		emu.setConfig({ xmlrpcRetired: 'http-410' });
		assert.equal((await load()).status, 410);
		emu.setConfig({ xmlrpcRetired: 'http-503' });
		const down = await fetch(`${emu.url}/crm/xmlrpc/v1`, { method: 'POST', body: '<methodCall/>' });
		assert.equal(down.status, 503);
		assert.equal((await down.json()).fault.detail.errorcode, 'messaging.adaptors.http.flow.ServiceUnavailable');
		emu.setConfig({ xmlrpcRetired: 'html-page' });
		const page = await load();
		assert.equal(page.status, 200);
		assert.match(page.headers.get('content-type'), /text\/html/);
		emu.setConfig({ xmlrpcRetired: 'fault' });
		const fault = await load();
		assert.deepEqual([fault.status, fault.fault], [200, { code: 14, string: '[NoAccess]API access not permitted' }]);
		assert.equal(emu.counters().xmlrpcRetired, 5);
	});
});

describe('xmlrpcLegacyThrottle: the 2012 credit bank', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false, config: { xmlrpcCreditMs: 100 } });
	});
	afterAll(() => emu.close());

	test('a full bank serves at once; an empty one holds calls for a credit each and refuses a 4th waiting call (fault, HTTP 200)', async () => {
		const info = () => xmlrpc(emu, 'DataService.getUserInfo', []);
		const t0 = Date.now();
		const fast = await Promise.all(Array.from({ length: 6 }, info));
		assert.ok(fast.every((r) => r.value), 'an idle app has credits');
		assert.ok(Date.now() - t0 < 1000);
		emu.setXmlRpcCredits(0);
		const started = Date.now();
		const burst = await Promise.all(Array.from({ length: 5 }, info));
		const refused = burst.filter((r) => r.fault);
		assert.equal(refused.length, 2, 'three wait, the 4th and 5th are refused');
		assert.deepEqual(refused.map((r) => [r.status, r.fault.code]), [[200, 3], [200, 3]]);
		assert.match(refused[0].fault.string, /throttled/);
		assert.ok(Date.now() - started >= 250, 'the three waited for a credit each');
		assert.equal(emu.counters().xmlrpcThrottleRejected, 2);
		emu.setConfig({ xmlrpcLegacyThrottle: 'off' });
		emu.setXmlRpcCredits(0);
		assert.ok((await Promise.all(Array.from({ length: 5 }, info))).every((r) => r.value));
	});
});
