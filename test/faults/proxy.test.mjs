// The fault proxy (test/faults/proxy.mjs) against the real Keap emulator, over real HTTP.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { PAT, startEmulator } from '../emulator/index.mjs';
import { startFaultProxy } from './proxy.mjs';

let emu;
let proxy;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, quiet: true, limits: false, seed: 'demo' });
	proxy = await startFaultProxy({ target: emu.url, seed: 7 });
});
afterAll(async () => {
	await proxy?.close();
	await emu?.close();
});
beforeEach(() => {
	emu.reset();
	proxy.reset({ seed: 7 });
});

const CONTACTS = '/crm/rest/v2/contacts';
let n = 0;
const newEmail = () => `proxy-${++n}-${Date.now()}@example.com`;

/** One call through the proxy with the PAT. Resolves { status, headers, text, json } or { error }. */
async function call(method, path, body, headers = {}) {
	try {
		const res = await fetch(`${proxy.url}${path}`, {
			method,
			headers: { 'x-keap-api-key': PAT, 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(10_000),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: Object.fromEntries(res.headers), text, json };
	} catch (error) {
		return { error: error.cause?.code ?? error.name ?? String(error) };
	}
}

const createBody = (email) => ({ given_name: 'Proxy', email_addresses: [{ email, field: 'EMAIL1' }] });
const contactsWith = (email) =>
	[...emu.store.contacts.values()].filter((c) => (c.email_addresses ?? []).some((e) => e.email === email)).length;

describe('forwarding', () => {
	test('without rules every request reaches the emulator and its answer comes back unchanged', async () => {
		const direct = await fetch(`${emu.url}${CONTACTS}?page_size=2`, { headers: { 'x-keap-api-key': PAT } });
		const viaProxy = await call('GET', `${CONTACTS}?page_size=2`);
		assert.equal(viaProxy.status, direct.status);
		assert.deepEqual(viaProxy.json.contacts.map((c) => c.id), (await direct.json()).contacts.map((c) => c.id));
		assert.ok(viaProxy.headers['x-keap-product-quota-limit'], 'Keap quota headers pass through');
		const email = newEmail();
		const created = await call('POST', CONTACTS, createBody(email));
		assert.equal(created.status, 201);
		assert.equal(contactsWith(email), 1);
		const stats = proxy.stats();
		assert.equal(stats.requests, 2);
		assert.equal(stats.forwarded, 2);
		assert.equal(stats.faulted, 0);
	});

	test("the emulator's /__admin API passes through and is never faulted or counted", async () => {
		proxy.setRules({ fault: 'status', status: 503 });
		const res = await fetch(`${proxy.url}/__admin/counters`);
		assert.equal(res.status, 200);
		assert.equal(typeof (await res.json()).total, 'number');
		assert.equal(proxy.stats().requests, 0);
		assert.equal(proxy.stats().rules[0].matched, 0);
	});
});

describe('faults', () => {
	test('status: a 503 gateway fault, not forwarded', async () => {
		proxy.setRules({ method: 'GET', path: CONTACTS, fault: 'status', status: 503 });
		const before = emu.counters().total;
		const res = await call('GET', CONTACTS);
		assert.equal(res.status, 503);
		assert.match(res.json.fault.faultstring, /temporarily unavailable/);
		assert.equal(emu.counters().total, before, 'the emulator saw nothing');
		// Another route is not matched.
		assert.equal((await call('GET', '/crm/rest/v2/tags')).status, 200);
	});

	test('status with forward: the write happened, the answer is a 500', async () => {
		const email = newEmail();
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'status', status: 500, forward: true, body: { message: 'boom' } });
		const res = await call('POST', CONTACTS, createBody(email));
		assert.equal(res.status, 500);
		assert.deepEqual(res.json, { message: 'boom' });
		assert.equal(contactsWith(email), 1);
	});

	test('throttle: 429 with Retry-After (default 1, or given) and without it', async () => {
		proxy.setRules([
			{ method: 'GET', path: CONTACTS, fault: 'throttle', nth: 1 },
			{ method: 'GET', path: CONTACTS, fault: 'throttle', retryAfter: 7, nth: 1, name: 'seven' },
			{ method: 'GET', path: CONTACTS, fault: 'throttle', retryAfter: null, nth: 1, name: 'none' },
		]);
		const a = await call('GET', CONTACTS);
		assert.equal(a.status, 429);
		assert.equal(a.headers['retry-after'], '1');
		assert.equal(a.json.message, 'Quota Exceeded');
		const b = await call('GET', CONTACTS);
		assert.equal(b.status, 429);
		assert.equal(b.headers['retry-after'], '7');
		const c = await call('GET', CONTACTS);
		assert.equal(c.status, 429);
		assert.equal(c.headers['retry-after'], undefined);
		assert.equal((await call('GET', CONTACTS)).status, 200, 'each rule fired on its first match only');
	});

	test('dropBefore: the connection closes and the request never reaches the emulator', async () => {
		const email = newEmail();
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'dropBefore' });
		const res = await call('POST', CONTACTS, createBody(email));
		assert.ok(res.error, `no answer (got ${JSON.stringify(res)})`);
		assert.equal(contactsWith(email), 0);
		assert.equal(proxy.stats().forwarded, 0);
		assert.equal(proxy.log()[0].status, 'dropped');
	});

	test('dropAfter: the emulator wrote the contact, the client gets no answer', async () => {
		const email = newEmail();
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'dropAfter' });
		const res = await call('POST', CONTACTS, createBody(email));
		assert.ok(res.error, `no answer (got ${JSON.stringify(res)})`);
		assert.equal(contactsWith(email), 1, 'the write happened');
		assert.equal(proxy.stats().forwarded, 1);
		assert.equal(proxy.stats().byFault.dropAfter, 1);
	});

	test('latency: the answer comes late and whole', async () => {
		proxy.setRules({ method: 'GET', path: CONTACTS, fault: 'latency', latencyMs: 300 });
		const started = Date.now();
		const res = await call('GET', CONTACTS);
		assert.ok(Date.now() - started >= 290);
		assert.equal(res.status, 200);
		assert.ok(Array.isArray(res.json.contacts));
	});

	test('truncate: status 200 with a cut body (forwarded: the write happened)', async () => {
		const email = newEmail();
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'truncate' });
		const res = await call('POST', CONTACTS, createBody(email));
		assert.equal(res.status, 201);
		assert.equal(res.json, undefined, 'not parseable JSON');
		assert.ok(res.text.startsWith('{'), res.text);
		assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
		assert.equal(contactsWith(email), 1);
	});

	test('html: a 200 HTML page instead of JSON (not forwarded unless asked)', async () => {
		const email = newEmail();
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'html' });
		const res = await call('POST', CONTACTS, createBody(email));
		assert.equal(res.status, 200);
		assert.match(res.headers['content-type'], /text\/html/);
		assert.match(res.text, /<html/);
		assert.equal(contactsWith(email), 0);
		proxy.setRules({ method: 'POST', path: CONTACTS, fault: 'html', forward: true, status: 403 });
		const forwarded = await call('POST', CONTACTS, createBody(email));
		assert.equal(forwarded.status, 403);
		assert.equal(contactsWith(email), 1);
	});

	test('shape: a 200 JSON body of another shape (default or given)', async () => {
		proxy.setRules([
			{ method: 'GET', path: CONTACTS, fault: 'shape', nth: 1 },
			{ method: 'GET', path: CONTACTS, fault: 'shape', body: { contacts: 'none' }, nth: 1, name: 'given' },
		]);
		assert.deepEqual((await call('GET', CONTACTS)).json, { result: { items: [] }, ok: true });
		assert.deepEqual((await call('GET', CONTACTS)).json, { contacts: 'none' });
	});

	test('echo: the page reflects the request headers and body (json, html, text)', async () => {
		proxy.setRules({ path: '/crm/**', fault: 'echo' });
		const res = await call('POST', CONTACTS, createBody('echo@example.com'), { authorization: 'Bearer secret-token-123' });
		assert.equal(res.status, 400);
		assert.match(res.json.message, /x-keap-api-key: KeapPAT-emulator-pat/i);
		assert.match(res.json.message, /Bearer secret-token-123/);
		assert.match(res.json.message, /echo@example.com/);
		proxy.setRules({ path: '/token', fault: 'echo', format: 'html', status: 502 });
		const token = await fetch(`${proxy.url}/token`, {
			method: 'POST',
			headers: { authorization: 'Basic c2VjcmV0', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=refresh_token&refresh_token=rt-secret',
		});
		assert.equal(token.status, 502);
		const page = await token.text();
		assert.match(page, /Basic c2VjcmV0/);
		assert.match(page, /refresh_token=rt-secret/);
		proxy.setRules({ fault: 'echo', format: 'text', status: 200 });
		const text = (await call('GET', CONTACTS)).text;
		assert.match(text, /^Request rejected:\n[^\n]+: /, 'headers first');
		assert.match(text, /\nGET \/crm\/rest\/v2\/contacts/);
	});
});

describe('rule selection', () => {
	test('method, path glob, query and body matching', async () => {
		proxy.setRules([
			{ method: ['PATCH', 'DELETE'], path: '/crm/rest/v2/contacts/*', fault: 'status', status: 502, name: 'by-id' },
			{ method: 'GET', path: CONTACTS, query: { filter: 'email==' }, fault: 'status', status: 504, name: 'by-email' },
			{ method: 'POST', path: CONTACTS, bodyIncludes: 'target@example.com', fault: 'status', status: 500, name: 'one-body' },
		]);
		assert.equal((await call('DELETE', `${CONTACTS}/1001`)).status, 502);
		assert.equal((await call('GET', `${CONTACTS}/1001`)).status, 200, 'GET is not in the method list');
		assert.equal((await call('GET', `${CONTACTS}?filter=${encodeURIComponent('email==a@b.co')}`)).status, 504);
		assert.equal((await call('GET', `${CONTACTS}?filter=${encodeURIComponent('given_name==Ada')}`)).status, 200);
		assert.equal((await call('POST', CONTACTS, createBody('target@example.com'))).status, 500);
		assert.equal((await call('POST', CONTACTS, createBody(newEmail()))).status, 201);
		assert.deepEqual(
			proxy.stats().rules.map((r) => [r.name, r.matched, r.fired]),
			[['by-id', 1, 1], ['by-email', 1, 1], ['one-body', 1, 1]],
			'matched counts only the requests a rule matches',
		);
	});

	test('nth (one or several), skip and count', async () => {
		proxy.setRules({ method: 'GET', path: CONTACTS, fault: 'status', status: 503, nth: [2, 4] });
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await call('GET', CONTACTS)).status);
		assert.deepEqual(statuses, [200, 503, 200, 503, 200]);
		proxy.setRules({ method: 'GET', path: CONTACTS, fault: 'status', status: 503, skip: 1, count: 2 });
		const second = [];
		for (let i = 0; i < 5; i++) second.push((await call('GET', CONTACTS)).status);
		assert.deepEqual(second, [200, 503, 503, 200, 200]);
	});

	test('probability with a seeded RNG: the same seed makes the same choices, another seed others', async () => {
		const run = async (seed) => {
			proxy.reset({ seed });
			proxy.setRules({ method: 'GET', path: CONTACTS, fault: 'status', status: 503, probability: 0.3 });
			const out = [];
			for (let i = 0; i < 40; i++) out.push((await call('GET', `${CONTACTS}?page_size=1`)).status === 503 ? 1 : 0);
			return out.join('');
		};
		const a = await run(11);
		const b = await run(11);
		const c = await run(12);
		assert.equal(a, b);
		assert.notEqual(a, c);
		const fired = [...a].filter((x) => x === '1').length;
		assert.ok(fired > 3 && fired < 25, `about 30% of 40 (got ${fired})`);
		assert.equal(proxy.stats().rules[0].fired, [...c].filter((x) => x === '1').length);
	});

	test('the first rule that fires wins; the others do not see that request', async () => {
		proxy.setRules([
			{ method: 'GET', path: CONTACTS, fault: 'status', status: 503, nth: 1, name: 'first' },
			{ method: 'GET', path: CONTACTS, fault: 'status', status: 502, name: 'second' },
		]);
		assert.equal((await call('GET', CONTACTS)).status, 503);
		assert.equal((await call('GET', CONTACTS)).status, 502);
		assert.deepEqual(proxy.stats().rules.map((r) => [r.matched, r.fired]), [[2, 1], [1, 1]]);
	});

	test('bad rules are refused with a reason', () => {
		assert.throws(() => proxy.setRules({ fault: 'explode' }), /fault must be one of/);
		assert.throws(() => proxy.setRules({ fault: 'status', sttaus: 500 }), /unknown proxy rule key "sttaus"/);
		assert.throws(() => proxy.setRules({ fault: 'status', probability: 2 }), /between 0 and 1/);
	});
});

describe('admin API over HTTP', () => {
	test('set, add, list, stats, log, clear and reset', async () => {
		const admin = async (method, path, body) => {
			const res = await fetch(`${proxy.url}/__proxy${path}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: res.status, json: await res.json() };
		};
		assert.deepEqual((await admin('POST', '/rules', [{ method: 'GET', path: CONTACTS, fault: 'status', status: 503, name: 'a' }])).json, { rules: ['a'] });
		assert.deepEqual((await admin('POST', '/rules/add', { path: '/crm/rest/v2/tags', pathRegex: undefined, fault: 'html', name: 'b' })).json, { rule: 'b' });
		assert.deepEqual((await admin('GET', '/rules')).json.map((r) => r.name), ['a', 'b']);
		assert.equal((await call('GET', CONTACTS)).status, 503);
		assert.match((await call('GET', '/crm/rest/v2/tags')).text, /<html/);
		const stats = (await admin('GET', '/stats')).json;
		assert.equal(stats.faulted, 2);
		assert.deepEqual(stats.rules.map((r) => r.fired), [1, 1]);
		const log = (await admin('GET', '/log')).json;
		assert.deepEqual(log.map((e) => [e.method, e.path, e.rule, e.status]), [
			['GET', CONTACTS, 'a', 503],
			['GET', '/crm/rest/v2/tags', 'b', 200],
		]);
		assert.equal((await admin('POST', '/rules', { fault: 'nope' })).status, 400);
		await admin('DELETE', '/rules');
		assert.equal((await call('GET', CONTACTS)).status, 200);
		assert.equal((await admin('POST', '/reset', { seed: 99 })).json.seed, 99);
		assert.equal((await admin('GET', '/stats')).json.requests, 0);
		assert.equal((await admin('GET', '/nothing')).status, 404);
	});
});
