// The Keap CRM Trigger for every object type Keap's hook events name (issue 20), run by
// n8n-core (trigger-harness.mjs): the emulator raises the event (emitHook: as if the change was
// made in Keap), delivers it to the trigger's webhook, and the execution gets the full records,
// read with the fewest calls; ids Keap no longer has are items that say so; Raw Event costs no
// call. Also: the event list from Keap (with the fallback), and the Account operation that
// lists this account's hooks and re-verifies the Inactive ones.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { activate, serveWebhook, triggerFixture, triggerWorkflow } from './trigger-harness.mjs';
import { runLoadOptions, runNode } from './harness.mjs';
import { deliveryOf, OBJECT_EVENTS, seedHookObjects } from './hook-objects.mjs';

let fx;
let endpoint;
let current;
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

function hookWorkflow(parameters) {
	current = triggerWorkflow({ type: 'keapCrmTrigger', parameters, store: fx.store, webhookBaseUrl: endpoint.baseUrl });
	return current;
}

/** Keap API calls (method and route) made since log position `from`. */
const callsSince = (from) => fx.emu.log().slice(from).filter((e) => !e.path.startsWith('/__admin'));

/** The fewest calls Keap's documents allow for `n` records of each type (dense ids, as seeded). */
const FEWEST = {
	appointment: (n) => n, // REST v1 only, no ids filter: one GET each
	// ids only by comparison: one range read for the three seeded ids, one GET for the far one
	company: () => 2,
	leadsource: () => 2,
};

describe('full records for every object type', () => {
	for (const { type, eventKey } of OBJECT_EVENTS) {
		test(`${eventKey}: one delivery, each ${type} in full, ${type === 'appointment' ? 'one call each (Keap has no batch route)' : FEWEST[type] ? 'an id range and one GET' : 'one call'}; a record Keap no longer has is reported`, async () => {
			const sets = seedHookObjects(fx.emu, 3);
			const set = sets[type];
			const wf = hookWorkflow({ event: eventKey });
			assert.equal(await activate(wf), 'created');
			const gone = 999_999;
			for (const e of set.entries) fx.emu.emitHook({ eventKey, id: e.id, objectType: set.objectType, apiPath: e.apiPath });
			fx.emu.emitHook({ eventKey, id: gone, objectType: set.objectType, apiPath: set.entries[0].apiPath.replace(/\d+(\/payments)?$/, (m) => m.replace(/\d+/, String(gone))) });
			const from = fx.emu.log().length;
			const attempts = await fx.emu.flushHooks();
			assert.deepEqual(attempts.map((a) => [a.ok, a.status, a.objects]), [[true, 200, 4]], JSON.stringify(attempts.map((a) => a.error)));
			assert.equal(wf.executions.length, 1);
			const items = wf.executions[0];
			const ids = set.entries.map((e) => String(e.id));
			if (type === 'contactGroup') {
				assert.deepEqual(items.map((i) => String(i.tag.id)), [...ids, String(gone)]);
				assert.ok(items.slice(0, 3).every((i) => typeof i.tag.name === 'string' && i.tag.name.length > 0), JSON.stringify(items[0]));
				assert.equal(items[3].tag.not_found, true);
			} else if (type === 'invoice') {
				assert.deepEqual(items.map((i) => String(i.invoice_id ?? i.id)), [...ids, String(gone)]);
				assert.ok(items.slice(0, 3).every((i) => i.order && String(i.order.invoice_id) === String(i.invoice_id)), JSON.stringify(items[0]));
				assert.equal(items[3].not_found, true);
			} else {
				assert.deepEqual(items.map((i) => String(i.id)), [...ids, String(gone)]);
				assert.ok(items.slice(0, 3).every((i) => !i.not_found && Object.keys(i).length > 3), JSON.stringify(items[0]));
				assert.deepEqual(items[3], { id: String(gone), not_found: true, event: items[3].event });
			}
			assert.equal(items[0].event.key, eventKey);
			const calls = callsSince(from);
			for (const c of calls) assert.ok(c.requestLineBytes <= 7168, `${c.method} ${c.path}: ${c.requestLineBytes} bytes`);
			const fewest = FEWEST[type]?.(4) ?? 1;
			assert.equal(calls.length, fewest, `${calls.length} calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}`);
		});
	}

	test('Raw Event for every object type: Keap’s entries, no call', async () => {
		const sets = seedHookObjects(fx.emu, 2);
		for (const { type, eventKey } of OBJECT_EVENTS) {
			const wf = hookWorkflow({ event: eventKey, output: 'raw' });
			await activate(wf);
			const from = fx.emu.log().length;
			const res = await fetch(`${endpoint.baseUrl}/${wf.node.webhookId}/webhook`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(deliveryOf(sets[type], fx.emu.url)),
			});
			assert.equal(res.status, 200, `${type}: ${await res.text()}`);
			assert.deepEqual(wf.executions[0].map((i) => i.id), sets[type].entries.map((e) => e.id), type);
			assert.equal(callsSince(from).length, 0, `${type}: no call`);
		}
	});

	test('deletes of any type: the ids, deleted, no call', async () => {
		for (const eventKey of ['order.delete', 'task.delete', 'note.delete', 'appointment.delete', 'company.delete']) {
			const wf = hookWorkflow({ event: eventKey });
			await activate(wf);
			fx.emu.emitHook({ eventKey, id: 4242 });
			const from = fx.emu.log().length;
			await fx.emu.flushHooks();
			assert.deepEqual(wf.executions.at(-1).map((i) => [i.id, i.deleted]), [['4242', true]], eventKey);
			assert.equal(callsSince(from).length, 0, eventKey);
		}
	});

	test('appointments created through REST v1 are delivered and read in full', async () => {
		const wf = hookWorkflow({ event: 'appointment.add' });
		await activate(wf);
		const at = new Date(Date.now() + 3_600_000).toISOString();
		await fx.keap('POST', '/crm/rest/v1/appointments', { title: 'Demo call', start_date: at, end_date: at, location: 'Zoom' });
		await fx.emu.flushHooks();
		const [item] = wf.executions[0];
		assert.equal(item.title, 'Demo call');
		assert.equal(item.location, 'Zoom');
		assert.match(item.id, /^\d+$/);
	});
});

describe('the event list', () => {
	const load = (store) =>
		runLoadOptions({ type: 'keapCrmTrigger', method: 'getEvents', parameters: { authentication: 'apiKey' }, credentials: { keapCrmApiKeyApi: 'pat' }, store });

	test("Keap's own list, grouped by object (\"Contact: Added\"), keys we lacked included", async () => {
		const options = await load(fx.store);
		const byValue = Object.fromEntries(options.map((o) => [o.value, o.name]));
		assert.equal(byValue['contact.add'], 'Contact: Added');
		assert.equal(byValue['contactGroup.applied'], 'Tag: Applied');
		assert.equal(byValue['invoice.payment.add'], 'Invoice Payment: Added');
		for (const key of ['note.edit', 'order.delete', 'task.delete', 'user.edit', 'user.activate', 'leadsource.edit']) assert.ok(byValue[key], key);
		const names = options.map((o) => o.name);
		assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), 'sorted, so each object is one group');
		assert.equal(fx.callsTo('GET /crm/rest/v1/hooks/event_keys'), 1);
	});

	test('a key Keap adds later is offered with a name made from it; a list that cannot be read gives the known list', async () => {
		fx.emu.setFaults({ match: { method: 'GET', pathPrefix: '/crm/rest/v1/hooks/event_keys' }, status: 503 });
		const fallback = await load(fx.store);
		assert.ok(fallback.length >= 46, `${fallback.length} options`);
		assert.ok(fallback.some((o) => o.value === 'note.edit'));
	});
});

describe('Account > Get Hooks', () => {
	test("lists this account's hooks with their status and re-verifies the Inactive ones of this n8n", async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		const key = wf.nodeData().hookKey;
		fx.emu.store.hooks.get(key).status = 'Inactive';
		fx.emu.seed({ hooks: [{ eventKey: 'task.add', hookUrl: 'http://127.0.0.1:9/unreachable', status: 'Inactive' }] });
		const result = await runNode({ type: 'keapCrm', parameters: { authentication: 'apiKey', resource: 'account', operation: 'getHooks', reverifyInactive: true }, credentials: { keapCrmApiKeyApi: 'pat' }, store: fx.store });
		const items = result.items.map((i) => i.json);
		const ours = items.find((i) => i.key === key);
		assert.equal(ours.status, 'Verified');
		assert.equal(ours.status_before, 'Inactive');
		assert.equal(ours.reverified, true);
		const other = items.find((i) => i.event_key === 'task.add');
		assert.notEqual(other.status, 'Verified', 'a URL nobody answers is not verified');
		assert.equal(other.reverified, false);
		assert.equal(fx.emu.store.hooks.get(key).status, 'Verified');
		// A delivery reaches the trigger again.
		await fx.keap('POST', '/crm/rest/v2/contacts', { given_name: 'Again', email_addresses: [{ email: 'again@example.com', field: 'EMAIL1' }] });
		await fx.emu.flushHooks();
		assert.deepEqual(wf.executions.map((e) => e.map((i) => i.given_name)), [['Again']]);
	});

	test('without re-verify: a list only, no verification request', async () => {
		const wf = hookWorkflow({ event: 'contact.add' });
		await activate(wf);
		fx.emu.store.hooks.get(wf.nodeData().hookKey).status = 'Inactive';
		const verifications = fx.emu.counters().hookVerifications;
		const result = await runNode({ type: 'keapCrm', parameters: { authentication: 'apiKey', resource: 'account', operation: 'getHooks', reverifyInactive: false }, credentials: { keapCrmApiKeyApi: 'pat' }, store: fx.store });
		assert.deepEqual(result.items.map((i) => i.json.status), ['Inactive']);
		assert.equal(fx.emu.counters().hookVerifications, verifications);
	});
});
