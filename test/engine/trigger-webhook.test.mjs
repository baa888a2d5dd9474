// The Keap CRM Trigger (REST hooks) run by n8n-core: activation through a real HookContext
// (checkExists / create with Keap's X-Hook-Secret handshake / delete), deliveries from the
// emulator to a local webhook endpoint running the node's webhook() in a real WebhookContext,
// and the workflow executed by WorkflowExecute.
import { describe, test, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import assert from 'node:assert/strict';


import { activate, deactivate, serveWebhook, triggerFixture, triggerWorkflow } from './trigger-harness.mjs';
import { loadPackageTypes } from './harness.mjs';

let fx;
let endpoint;
let current; // the workflow the endpoint serves
beforeAll(async () => {
	fx = await triggerFixture({ config: { hookDelayMs: 60_000, hookRetryDelaysMs: [60_000, 60_000, 60_000] } });
	endpoint = await serveWebhook(() => current);
});
afterAll(async () => {
	await endpoint?.close();
	await fx?.close();
});
beforeEach(() => {
	fx.emu.reset();
	fx.emu.setConfig({ hookDelayMs: 60_000, hookRetryDelaysMs: [60_000, 60_000, 60_000] });
	endpoint.requests.length = 0;
});
afterEach(() => {
	triggerClass().ackBudgetMs = 20_000;
});

const triggerClass = () => loadPackageTypes().nodes.get('keapCrmTrigger').constructor;

function hookWorkflow(parameters, staticData) {
	current = triggerWorkflow({ type: 'keapCrmTrigger', parameters, store: fx.store, webhookBaseUrl: endpoint.baseUrl, staticData });
	return current;
}
const ourUrl = (wf) => `${endpoint.baseUrl}/${wf.node.webhookId}/webhook`;
const hooks = () => [...fx.emu.store.hooks.values()].map((h) => ({ key: h.key, eventKey: h.eventKey, hookUrl: h.hookUrl, status: h.status }));

let n = 0;
async function createContact(name, extra = {}) {
	const c = await fx.keap('POST', '/crm/rest/v2/contacts', {
		given_name: name,
		email_addresses: [{ email: `${name.toLowerCase()}-${++n}@example.com`, field: 'EMAIL1' }],
		...extra,
	});
	return c.id;
}
async function post(body, headers = { 'content-type': 'application/json' }) {
	const res = await fetch(ourUrl(current), {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	return { status: res.status, body: await res.text() };
}

describe('activation and deactivation', () => {
	test('create registers our hook and passes the handshake; checkExists finds it; delete removes only ours', async () => {
		const foreign = fx.emu.seed({
			hooks: [
				{ eventKey: 'contact.add', hookUrl: 'http://127.0.0.1:9/someone-else', status: 'Verified' },
				{ eventKey: 'contact.edit', hookUrl: 'http://127.0.0.1:9/other-event', status: 'Verified' },
			],
		});
		assert.equal(hooks().length, 2, JSON.stringify(foreign));
		const wf = hookWorkflow({ event: 'contact.add' });
		assert.equal(await activate(wf), 'created');
		const ours = hooks().filter((h) => h.hookUrl === ourUrl(wf));
		assert.equal(ours.length, 1);
		assert.equal(ours[0].status, 'Verified');
		assert.equal(ours[0].eventKey, 'contact.add');
		assert.equal(wf.nodeData().hookKey, ours[0].key);
		const handshake = fx.emu.hookDeliveries().filter((d) => d.kind === 'verify');
		assert.deepEqual(handshake.map((d) => [d.ok, d.status]), [[true, 200]]);
		assert.equal(endpoint.requests.filter((r) => r.executed).length, 0, 'the handshake starts no execution');

		// n8n restarts: checkExists finds our Verified hook, nothing is created twice.
		assert.equal(await activate(wf), 'existed');
		assert.equal(hooks().length, 3);

		await deactivate(wf);
		assert.deepEqual(
			hooks().map((h) => h.hookUrl).sort(),
			['http://127.0.0.1:9/other-event', 'http://127.0.0.1:9/someone-else'],
		);
		assert.equal(wf.nodeData().hookKey, undefined);
	});

	test('delete without the stored key (static data lost) still removes only our own hook', async () => {
		fx.emu.seed({ hooks: [{ eventKey: 'contact.add', hookUrl: 'http://127.0.0.1:9/foreign', status: 'Verified' }] });
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const restarted = hookWorkflow({ event: 'contact.add' }); // empty static data
		await deactivate(restarted);
		assert.deepEqual(hooks().map((h) => h.hookUrl), ['http://127.0.0.1:9/foreign']);
	});

	test('an Inactive hook of ours is missing to checkExists, and activation re-verifies it (no second hook)', async () => {
		const wf = hookWorkflow({ event: 'contact.edit' });
		await activate(wf);
		const hook = fx.emu.store.hooks.get(wf.nodeData().hookKey);
		hook.status = 'Inactive'; // e.g. after four failed deliveries
		const verifications = fx.emu.counters().hookVerifications;
		assert.equal(await activate(wf), 'created', 'checkExists treats the Inactive hook as missing');
		assert.equal(fx.emu.counters().hookVerifications - verifications, 1, 'one verification request');
		assert.equal(fx.emu.store.hooks.get(hook.key).status, 'Verified');
		assert.deepEqual(hooks().map((h) => h.key), [hook.key], 'the same hook, re-verified, not a new one');
		assert.equal(fx.callsTo('POST /crm/rest/v1/hooks/{key}/verify'), 1);
		assert.equal(fx.callsTo('POST /crm/rest/v1/hooks'), 1, 'created once, at the first activation');
	});

	test('an Inactive hook after four failed deliveries (emulator): activation makes it Verified and deliveries resume', async () => {
		fx.emu.setConfig({ hookDelayMs: 60_000, hookRetryDelaysMs: [0, 0, 0] });
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const key = wf.nodeData().hookKey;
		fx.emu.setFaults({ match: { method: 'GET', pathPrefix: '/crm/rest/v2/contacts' }, status: 500 });
		await createContact('Lost');
		for (let i = 0; i < 4; i++) await fx.emu.flushHooks();
		fx.emu.clearFaults();
		const attempts = fx.emu.hookDeliveries().filter((d) => d.kind === 'event');
		assert.deepEqual(attempts.map((d) => d.status), [500, 500, 500, 500]);
		assert.equal(attempts.at(-1).becameInactive, true);
		assert.equal(fx.emu.store.hooks.get(key).status, 'Inactive');
		assert.equal(await activate(wf), 'created');
		assert.equal(fx.emu.store.hooks.get(key).status, 'Verified');
		await createContact('Found');
		await fx.emu.flushHooks();
		assert.deepEqual(wf.executions.map((e) => e.map((i) => i.given_name)), [['Found']]);
	});

	test('a URL Keap cannot verify: create fails with advice and leaves no hook behind', async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		wf.additionalData = ((orig) => (mode) => ({ ...orig(mode), webhookBaseUrl: 'http://127.0.0.1:9/webhook' }))(wf.additionalData);
		await assert.rejects(activate(wf), (e) => {
			assert.match(e.message, /Keap could not verify the webhook.*WEBHOOK_URL.*Polling Trigger/s);
			assert.ok(!`${e.message} ${e.description}`.includes(wf.node.webhookId), 'the webhook URL is not in the error');
			return true;
		});
		assert.deepEqual(hooks(), []);
	});
});

describe('deliveries', () => {
	test('contact.add: one execution per delivery, one full record per contact, one contact call per batch', async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const ids = [];
		for (const name of ['Ann', 'Ben', 'Cid']) ids.push(await createContact(name, { custom_fields: [{ id: '6', content: 'teal' }] }));
		const before = fx.emu.counters();
		const attempts = await fx.emu.flushHooks();
		assert.deepEqual(attempts.map((a) => [a.ok, a.objects]), [[true, 3]]);
		assert.equal(wf.executions.length, 1);
		const items = wf.executions[0];
		assert.deepEqual(items.map((i) => i.id), ids);
		assert.deepEqual(items.map((i) => i.given_name), ['Ann', 'Ben', 'Cid']);
		assert.match(JSON.stringify(items[0]), /ann-\d+@example\.com/);
		assert.equal(items[0].custom_fields?.['Favorite Color'], 'teal', 'custom fields by label');
		assert.equal(items[0].event.key, 'contact.add');
		assert.ok(items[0].event.timestamp);
		assert.equal(fx.callsTo('GET /crm/rest/v2/contacts', before), 1);
	});

	// Keap's gateway refuses request lines over 7,168 bytes (issue 15, defect 2): 1000 ids take
	// several `filter=ids==...` calls, each line within the limit, as few as fit.
	test('1000 objects in one delivery are fetched in a few calls, each request line under 7,168 bytes; an id Keap no longer has is reported', async () => {
		const seeded = fx.emu.seed({
			contacts: Array.from({ length: 1000 }, (_, i) => ({ given_name: `Bulk${i}`, email_addresses: [{ email: `bulk${i}@example.com`, field: 'EMAIL1' }] })),
		});
		const wf = hookWorkflow({ event: 'contact.edit', output: 'simplified' });
		await activate(wf);
		const ids = seeded.contacts.map(String);
		const gone = ids[500];
		fx.emu.store.contacts.delete(Number(gone));
		const before = fx.emu.counters();
		const logFrom = fx.emu.log().length;
		const res = await post({
			event_key: 'contact.edit',
			object_type: 'contact',
			object_keys: ids.map((id) => ({ id: Number(id), apiUrl: `${fx.emu.url}/crm/rest/v1/contacts/${id}`, timestamp: new Date().toISOString() })),
		});
		assert.equal(res.status, 200);
		const fetches = fx.emu.log().slice(logFrom).filter((e) => e.method === 'GET' && e.path === '/crm/rest/v2/contacts');
		assert.ok(fetches.length >= 2, `1000 ids need more than one request line (${fetches.length} calls)`);
		for (const f of fetches) assert.ok(f.requestLineBytes <= 7168, `request line of ${f.requestLineBytes} bytes`);
		const idsSent = fetches.flatMap((f) => /^ids==(.*)$/.exec(f.query.filter ?? '')?.[1].split(',') ?? []);
		assert.deepEqual(idsSent, ids, 'each id asked once, in order');
		const minimum = Math.ceil(fetches.reduce((n, f) => n + f.requestLineBytes, 0) / (7168 - 512));
		assert.ok(fetches.length <= minimum + 1, `as few calls as fit (${fetches.length}, about ${minimum} needed)`);
		assert.equal(fx.callsTo('GET /crm/rest/v2/contacts', before), fetches.length);
		assert.equal(fx.emu.counters().total - before.total, fetches.length, 'nothing else: simplified output needs no custom field definitions');
		const items = wf.executions[0];
		assert.equal(items.length, 1000);
		assert.equal(items[0].given_name, 'Bulk0');
		assert.deepEqual(items[500], { id: gone, not_found: true, event: items[500].event });
	});

	test('contactGroup.applied: the tag with its name and each contact in full', async () => {
		const wf = hookWorkflow({ event: 'contactGroup.applied' });
		await activate(wf);
		const tag = await fx.keap('POST', '/crm/rest/v2/tags', { name: 'VIP Customer' });
		const a = await createContact('Tia');
		const b = await createContact('Tom');
		await fx.keap('POST', `/crm/rest/v2/tags/${tag.id}/contacts:applyTags`, { contact_ids: [a, b] });
		await fx.emu.flushHooks();
		assert.equal(wf.executions.length, 1);
		const items = wf.executions[0];
		// Keap documents no payload for tag events (emulator switch hookTagPayload): with one entry
		// per contact the delivery names no tag, and the item says so.
		const contactKeyed = fx.emu.config.hookTagPayload === 'contact-keys';
		const tagOf = contactKeyed ? [null, null] : [tag.id, 'VIP Customer'];
		assert.deepEqual(items.map((i) => [i.tag.id, i.tag.name, i.contact.id, i.contact.given_name]), [
			[...tagOf, a, 'Tia'],
			[...tagOf, b, 'Tom'],
		]);
		if (contactKeyed) assert.ok(items.every((i) => i.tag.not_in_delivery === true));
		assert.equal(items[0].event.key, 'contactGroup.applied');
	});

	test('contact.delete: the deleted ids, no fetch', async () => {
		const wf = hookWorkflow({ event: 'contact.delete' });
		await activate(wf);
		const id = await createContact('Gone');
		await fx.keap('DELETE', `/crm/rest/v2/contacts/${id}`);
		const before = fx.emu.counters();
		await fx.emu.flushHooks();
		assert.deepEqual(wf.executions[0].map((i) => [i.id, i.deleted]), [[id, true]]);
		assert.equal(fx.emu.counters().total, before.total);
	});

	test('Raw Event output: Keap’s entries as sent, no API call', async () => {
		const wf = hookWorkflow({ event: 'contact.add', output: 'raw' });
		await activate(wf);
		const id = await createContact('Raw');
		const before = fx.emu.counters();
		await fx.emu.flushHooks();
		assert.equal(fx.emu.counters().total, before.total);
		const [item] = wf.executions[0];
		assert.equal(String(item.id), id);
		assert.match(item.apiUrl, new RegExp(`/crm/rest/v1/contacts/${id}$`));
		assert.equal(item.event.key, 'contact.add');
	});

	test('junk gets a 4xx and starts no execution', async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const id = Number(await createContact('Real'));
		const key = { id, apiUrl: '', timestamp: new Date().toISOString() };
		const junk = [
			['wrong event key', { event_key: 'contact.edit', object_type: 'contact', object_keys: [key] }],
			['no object_keys', { event_key: 'contact.add', object_type: 'contact' }],
			['empty object_keys', { event_key: 'contact.add', object_type: 'contact', object_keys: [] }],
			['no event_key', { object_type: 'contact', object_keys: [key] }],
			['no object_type', { event_key: 'contact.add', object_keys: [key] }],
			['non-numeric id', { event_key: 'contact.add', object_type: 'contact', object_keys: [{ id: '1 OR 1=1' }] }],
			['a JSON array', [{ event_key: 'contact.add' }]],
			['1001 objects', { event_key: 'contact.add', object_type: 'contact', object_keys: Array.from({ length: 1001 }, () => key) }],
		];
		const before = fx.emu.counters();
		for (const [label, body] of junk) {
			const res = await post(body);
			assert.equal(res.status, 400, `${label}: ${res.body}`);
		}
		for (const [label, body, type] of [
			['non-JSON with a JSON content type', '{"event_key": "contact.add", oops', 'application/json'],
			['plain text', 'hello', 'text/plain'],
			['form data', 'event_key=contact.add', 'application/x-www-form-urlencoded'],
		]) {
			const res = await post(body, { 'content-type': type });
			assert.equal(res.status, 400, `${label}: ${res.body}`);
		}
		assert.equal(wf.executions.length, 0);
		assert.equal(endpoint.requests.filter((r) => r.executed).length, 0);
		assert.equal(fx.emu.counters().total, before.total, 'junk costs no Keap call');
		// And a real delivery still works afterwards.
		assert.equal((await post({ event_key: 'contact.add', object_type: 'contact', object_keys: [key] })).status, 200);
		assert.equal(wf.executions.length, 1);
	});
});

describe("answering within Keap's timeout", () => {
	test('a slow fetch: Keap gets its 200 when the budget runs out, the execution still gets full records', async () => {
		triggerClass().ackBudgetMs = 300;
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const id = await createContact('Slow');
		fx.emu.setFaults({ match: { method: 'GET', pathPrefix: '/crm/rest/v2/contacts' }, latencyMs: 1500, count: 1 });
		const started = Date.now();
		const res = await post({ event_key: 'contact.add', object_type: 'contact', object_keys: [{ id: Number(id) }] });
		const answeredIn = Date.now() - started;
		assert.equal(res.status, 200);
		assert.ok(answeredIn < 1400, `answered after ${answeredIn} ms`);
		// The execution follows once the records are in.
		const deadline = Date.now() + 10_000;
		while (wf.executions.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		assert.deepEqual(wf.executions.map((e) => e.map((i) => i.given_name)), [['Slow']]);
	});

	test('a fetch that fails within the budget answers 500, so Keap delivers again; the retry succeeds', async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		await createContact('Retry');
		fx.emu.setFaults({ match: { method: 'GET', pathPrefix: '/crm/rest/v2/contacts' }, status: 500, count: 1 });
		const first = await fx.emu.flushHooks();
		assert.deepEqual(first.map((a) => [a.ok, a.status]), [[false, 500]]);
		assert.equal(wf.executions.length, 0);
		const second = await fx.emu.flushHooks();
		assert.deepEqual(second.map((a) => [a.ok, a.status, a.attempt]), [[true, 200, 2]]);
		assert.deepEqual(wf.executions.map((e) => e.map((i) => i.given_name)), [['Retry']]);
	});
});
