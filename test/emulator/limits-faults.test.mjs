import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, xmlrpc, PAT, SAK } from './helpers.mjs';

describe('limits', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		emu.reset();
		// a frozen clock at the start of a second: every call below falls in the same windows
		emu.freezeClock(Math.ceil(Date.now() / 60_000) * 60_000);
	});

	test('the 11th PAT call in one second gets 429 with body, headers and Retry-After', async () => {
		const url = `${emu.url}/crm/rest/v2/contacts`;
		for (let i = 1; i <= 10; i++) {
			const r = await call(url, { auth: PAT });
			assert.equal(r.status, 200, `call ${i}`);
			assert.equal(r.headers.get('x-keap-product-quota-used'), String(i));
		}
		const r = await call(url, { auth: PAT });
		assert.equal(r.status, 429);
		assert.deepEqual(r.body, { code: '429', message: 'Quota Exceeded', status: 'Request Throttled', details: null });
		assert.equal(r.headers.get('retry-after'), '1');
		assert.equal(r.headers.get('x-keap-product-quota-limit'), '30000');
		assert.equal(r.headers.get('x-keap-product-throttle-limit'), '240');
		assert.equal(emu.counters().throttled429, 1);
		// another key has its own bucket; the next second resets the per-second window
		assert.equal((await call(url, { auth: SAK })).status, 200);
		emu.advanceClock(1000);
		assert.equal((await call(url, { auth: PAT })).status, 200);
		// XML-RPC calls count too and carry the headers
		const x = await xmlrpc(emu, 'DataService.getUserInfo', [], { headers: { 'x-keap-api-key': PAT } });
		assert.equal(x.headers.get('x-keap-product-quota-used'), '12');
	});

	test('OAuth headers: day quota, minute throttle, tenant pipe-delimited; minute limit and Retry-After', async () => {
		emu.setConfig({ limits: { oauth: { perMinute: 3 } } });
		const t = emu.issueTokens();
		const url = `${emu.url}/crm/rest/v1/contacts`;
		const first = await call(url, { auth: t.access_token });
		const h = first.headers;
		assert.equal(h.get('x-keap-product-quota-limit'), '150000');
		assert.equal(h.get('x-keap-product-quota-time-unit'), 'day');
		assert.equal(h.get('x-keap-product-quota-interval'), '1');
		assert.equal(h.get('x-keap-product-quota-available'), '149999');
		assert.ok(Number(h.get('x-keap-product-quota-expiry-time')) > emu.now());
		assert.equal(h.get('x-keap-product-throttle-limit'), '3');
		assert.equal(h.get('x-keap-product-throttle-time-unit'), 'minute');
		assert.equal(h.get('x-keap-product-throttle-available'), '2');
		assert.equal(h.get('x-keap-tenant-throttle-limit'), '10000|250000');
		assert.equal(h.get('x-keap-tenant-throttle-time-unit'), 'minute|day');
		assert.equal(h.get('x-keap-tenant-throttle-used'), '1|1');
		await call(url, { auth: t.access_token });
		await call(url, { auth: t.access_token });
		const limited = await call(url, { auth: t.access_token });
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('retry-after'), '60');
		emu.setConfig({ retryAfter: false });
		assert.equal((await call(url, { auth: t.access_token })).headers.get('retry-after'), null);
		emu.advanceClock(60_000);
		assert.equal((await call(url, { auth: t.access_token })).status, 200);
	});

	test('limits: false turns throttling off (headers stay)', async () => {
		const off = await startEmulator({ quiet: true, limits: false });
		try {
			for (let i = 0; i < 15; i++) assert.equal((await call(`${off.url}/crm/rest/v2/contacts`, { auth: PAT })).status, 200);
			const r = await call(`${off.url}/crm/rest/v2/contacts`, { auth: PAT });
			assert.equal(r.headers.get('x-keap-product-quota-used'), '16');
		} finally {
			await off.close();
		}
	});
});

describe('faults and admin API', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	test('status faults limited to N matching requests', async () => {
		emu.setFaults({ status: 503, count: 2, match: { method: 'GET', pathPrefix: '/crm/rest/v2/contacts' } });
		const a = await call(`${emu.url}/crm/rest/v2/contacts`);
		assert.equal(a.status, 503);
		assert.ok(a.body.fault);
		assert.equal((await call(`${emu.url}/crm/rest/v1/contacts`)).status, 200, 'other paths are not matched');
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 503);
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 200);
		emu.setFaults([{ status: 500, count: 1 }]);
		const e = await call(`${emu.url}/crm/rest/v2/tags`);
		assert.equal(e.status, 500);
		assert.equal(e.body.code, 500);
		assert.equal(emu.counters().faultsInjected, 3);
	});

	test('latency, dropped connections and slow bodies', async () => {
		emu.setFaults({ latencyMs: 150, count: 1 });
		let t0 = Date.now();
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 200);
		assert.ok(Date.now() - t0 >= 140);
		emu.setFaults({ drop: true, count: 1 });
		await assert.rejects(call(`${emu.url}/crm/rest/v2/contacts`));
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 200);
		emu.setFaults({ slowBodyMs: 150, count: 1 });
		t0 = Date.now();
		const slow = await call(`${emu.url}/crm/rest/v2/contacts`);
		assert.equal(slow.status, 200);
		assert.deepEqual(slow.body, { contacts: [], next_page_token: '' });
		assert.ok(Date.now() - t0 >= 140);
		emu.clearFaults();
	});

	test('expireTokensAfterCalls: the first N calls pass, then access tokens are expired', async () => {
		const t = emu.issueTokens();
		emu.setFaults({ expireTokensAfterCalls: 2, match: { pathPrefix: '/crm/' } });
		const url = `${emu.url}/crm/rest/v2/contacts`;
		assert.equal((await call(url, { auth: t.access_token })).status, 200);
		assert.equal((await call(url, { auth: t.access_token })).status, 200);
		assert.equal((await call(url, { auth: t.access_token })).status, 401);
	});

	test('HTTP admin API: seed, store, clock, config, counters, log, faults, reset', async () => {
		const admin = (path, method = 'GET', json) => call(`${emu.url}/__admin/${path}`, { method, json, auth: null });
		const seeded = await admin('seed', 'POST', { tags: [{ name: 'Alpha' }], contacts: [{ given_name: 'Sid', email_addresses: [{ email: 'sid@example.com', field: 'EMAIL1' }], tags: ['Alpha'] }] });
		assert.equal(seeded.status, 200);
		assert.equal(seeded.body.contacts.length, 1);
		const store = await admin('store');
		assert.deepEqual(store.body.contacts[0].tag_ids, seeded.body.tags);
		const before = (await admin('clock')).body.now;
		const moved = await admin('clock', 'POST', { advanceMs: 3_600_000 });
		assert.ok(moved.body.now - before >= 3_600_000);
		assert.equal((await admin('config', 'POST', { v2DefaultPageSize: 7 })).body.v2DefaultPageSize, 7);
		await call(`${emu.url}/crm/rest/v2/contacts`);
		const counters = await admin('counters');
		assert.equal(counters.body.calls['GET /crm/rest/v2/contacts'], 1);
		assert.equal(counters.body.total, 1, 'admin calls are not counted');
		const log = await admin('log');
		assert.deepEqual(log.body.map((e) => [e.method, e.path, e.status]), [['GET', '/crm/rest/v2/contacts', 200]]);
		await admin('faults', 'POST', { status: 502, count: 1 });
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 502);
		await admin('faults', 'POST', { status: 502 });
		await admin('faults', 'DELETE');
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`)).status, 200);
		await admin('reset', 'POST');
		assert.equal((await admin('store')).body.contacts.length, 0);
		assert.equal((await admin('config')).body.v2DefaultPageSize, 50);
		assert.equal((await admin('counters')).body.total, 0);
	});

	test('seed: demo gives a few dozen contacts with tags and custom fields', async () => {
		const demo = await startEmulator({ quiet: true, seed: 'demo', limits: false });
		try {
			const all = await call(`${demo.url}/crm/rest/v2/contacts?page_size=1000&fields=custom_fields,tag_ids`);
			assert.ok(all.body.contacts.length >= 30);
			assert.ok(all.body.contacts.every((c) => c.tag_ids.length >= 1));
			const tags = await call(`${demo.url}/crm/rest/v1/tags`);
			assert.ok(tags.body.tags.some((t) => t.name === 'Newsletter' && t.category?.name === 'Interests'));
			demo.reset();
			assert.ok(demo.store.contacts.size >= 30, 'reset re-seeds the start seed');
		} finally {
			await demo.close();
		}
	});
});
