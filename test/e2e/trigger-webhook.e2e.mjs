// The Keap CRM Trigger (REST hooks) in a real n8n: a published workflow, `n8n start` with
// WEBHOOK_URL pointing at the instance. The trigger registers at the emulator (handshake
// passed, hook Verified), changes made at the emulator produce executions whose data holds the
// full contact records (read back through n8n's REST API), junk POSTs get a 4xx and start no
// execution, and unpublishing removes our hook and only ours. A second workflow holds one trigger
// per object type (orders, appointments, payments, tasks, lead sources, users): each delivery's
// records come in full; an Inactive hook is verified again by Account > Get Hooks (a third
// workflow, Webhook -> Keap CRM) and by activation; a POST with X-Hook-Secret after activation
// gets no echo.
// Runs once per version in N8N_E2E_VERSIONS (default 2.41.1).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { PAT, SAK, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, packPackage } from './harness.mjs';
import { eventually, ownerSession } from './trigger-helpers.mjs';
import { seedHookObjects } from '../engine/hook-objects.mjs';

const WORKFLOW_ID = 'e2eKeapHookTrig01';
const WEBHOOK_ID = '6b0c1f3e-7a52-4d2e-9c41-0e2e4b7d9a11';
const TRIGGER = 'Keap CRM Trigger';
const FOREIGN = ['http://127.0.0.1:9/someone-else', 'http://127.0.0.1:9/other-event'];

const OBJECTS_ID = 'e2eKeapHookObj001';
const OBJECT_TYPES = [
	['order', 'order.add'],
	['appointment', 'appointment.add'],
	['invoice.payment', 'invoice.payment.add'],
	['task', 'task.edit'],
	['leadsource', 'leadsource.add'],
	['user', 'user.edit'],
];
const objectTrigger = (type) => `Trigger ${type}`;
const objectWebhookId = (i) => `6b0c1f3e-7a52-4d2e-9c41-0000000000${String(i).padStart(2, '0')}`;

/** One trigger per object type, all into one NoOp (each execution starts from one trigger). */
function objectsWorkflow(credential) {
	const nodes = OBJECT_TYPES.map(([type, event], i) => ({
		id: `e2e-obj-${i}`,
		name: objectTrigger(type),
		type: 'n8n-nodes-keap.keapCrmTrigger',
		typeVersion: 1,
		position: [0, i * 120],
		webhookId: objectWebhookId(i),
		parameters: { authentication: 'apiKey', event, output: 'full' },
		credentials: { keapCrmApiKeyApi: credential },
	}));
	nodes.push({ id: 'e2e-obj-done', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} });
	const connections = Object.fromEntries(OBJECT_TYPES.map(([type]) => [objectTrigger(type), { main: [[{ node: 'Done', type: 'main', index: 0 }]] }]));
	return { id: OBJECTS_ID, name: 'Keap hook objects e2e', active: false, nodes, connections, settings: {}, pinData: {} };
}

/** Webhook -> Keap CRM Account > Get Hooks (re-verify Inactive), answering with its items. */
function getHooksWorkflow(credential) {
	return {
		id: 'e2eKeapGetHooks01',
		name: 'Keap get hooks e2e',
		active: false,
		nodes: [
			{
				id: 'e2e-gh-webhook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0],
				webhookId: '6b0c1f3e-7a52-4d2e-9c41-00000000ab01',
				parameters: { httpMethod: 'POST', path: 'keap-e2e-get-hooks', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'e2e-gh-keap', name: 'Keap CRM', type: 'n8n-nodes-keap.keapCrm', typeVersion: 1, position: [220, 0],
				parameters: { authentication: 'apiKey', resource: 'account', operation: 'getHooks', reverifyInactive: true },
				credentials: { keapCrmApiKeyApi: credential },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Keap CRM', type: 'main', index: 0 }]] } },
		settings: {},
		pinData: {},
	};
}

function hookWorkflow(credential) {
	return {
		id: WORKFLOW_ID,
		name: 'Keap hook trigger e2e',
		active: false,
		nodes: [
			{
				id: 'e2e-hook-trigger',
				name: TRIGGER,
				type: 'n8n-nodes-keap.keapCrmTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { authentication: 'apiKey', event: 'contact.add', output: 'full' },
				credentials: { keapCrmApiKeyApi: credential },
			},
			{ id: 'e2e-hook-noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: {},
		pinData: {},
	};
}

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the Keap CRM Trigger (REST hooks)`, () => {
		let emu;
		let n8n;
		let server;
		let session;
		let ourUrl;
		const cred = { id: 'e2eHookApiKey0001', name: 'Keap PAT (trigger e2e)' };
		let n = 0;
		const createContact = async (name) => {
			const res = await fetch(`${emu.url}/crm/rest/v2/contacts`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SAK}`, 'content-type': 'application/json' },
				body: JSON.stringify({ given_name: name, email_addresses: [{ email: `${name.toLowerCase()}-${++n}@example.com`, field: 'EMAIL1' }] }),
			});
			assert.equal(res.status, 201);
			return (await res.json()).id;
		};
		const ourHooks = () => [...emu.store.hooks.values()].filter((h) => h.hookUrl === ourUrl);
		let objectUrls;
		const objectHooks = () => [...emu.store.hooks.values()].filter((h) => objectUrls.includes(h.hookUrl));
		const foreignHooks = () => [...emu.store.hooks.values()].filter((h) => FOREIGN.includes(h.hookUrl));

		beforeAll(async () => {
			const tarball = await packPackage();
			// Deliveries wait for flushHooks(); Keap's retries would come late anyway.
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, config: { hookDelayMs: 600_000, hookRetryDelaysMs: [600_000] } });
			emu.seed({
				hooks: [
					{ eventKey: 'contact.add', hookUrl: FOREIGN[0], status: 'Verified' },
					{ eventKey: 'contact.edit', hookUrl: FOREIGN[1], status: 'Verified' },
				],
			});
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			await n8n.importWorkflow(hookWorkflow(cred));
			await n8n.publish(WORKFLOW_ID);
			await n8n.importWorkflow(objectsWorkflow(cred));
			await n8n.publish(OBJECTS_ID);
			await n8n.importWorkflow(getHooksWorkflow(cred));
			await n8n.publish('e2eKeapGetHooks01');
			// WEBHOOK_URL defaults to the instance's own address (start() sets it).
			server = await n8n.start({
				timeoutMs: 180_000,
				ready: async (url) => {
					ourUrl = `${url}/webhook/${WEBHOOK_ID}/webhook`;
					objectUrls = OBJECT_TYPES.map((_, i) => `${url}/webhook/${objectWebhookId(i)}/webhook`);
					return ourHooks().some((h) => h.status === 'Verified') && objectHooks().filter((h) => h.status === 'Verified').length === OBJECT_TYPES.length;
				},
			});
			session = await ownerSession(server.url);
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		test('activation registered one Verified hook at WEBHOOK_URL, after the X-Hook-Secret handshake', () => {
			assert.ok(server.webhookUrl.startsWith(server.url));
			const hooks = ourHooks();
			assert.equal(hooks.length, 1);
			assert.equal(hooks[0].eventKey, 'contact.add');
			assert.equal(hooks[0].status, 'Verified');
			const handshakes = emu.hookDeliveries().filter((d) => d.kind === 'verify' && d.hookUrl === ourUrl);
			assert.ok(handshakes.length >= 1);
			assert.ok(handshakes.every((d) => d.ok && d.status === 200), JSON.stringify(handshakes));
			assert.equal(foreignHooks().length, 2, 'the foreign hooks are untouched');
			assert.equal(emu.store.hooks.size, 3 + OBJECT_TYPES.length);
		}, 10 * 60_000);

		test('changes at Keap produce executions holding the full contact records', async () => {
			const batch1 = [await createContact('Ada'), await createContact('Bea'), await createContact('Cal')];
			const attempts1 = await emu.flushHooks();
			const ours1 = attempts1.filter((a) => a.hookUrl === ourUrl);
			assert.deepEqual(ours1.map((a) => [a.ok, a.status, a.objects]), [[true, 200, 3]]);
			const first = await eventually(
				async () => {
					const list = await session.executions(WORKFLOW_ID);
					return list.length === 1 && list[0].finished !== false && list[0].status === 'success' ? list : null;
				},
				{ what: 'the first execution', timeoutMs: 60_000 },
			);
			const run1 = await session.executionItems(first[0].id, TRIGGER);
			assert.deepEqual(run1.items.map((i) => i.id), batch1);
			assert.deepEqual(run1.items.map((i) => i.given_name), ['Ada', 'Bea', 'Cal']);
			assert.match(JSON.stringify(run1.items[0]), /ada-\d+@example\.com/);
			assert.ok(run1.items[0].update_time && run1.items[0].create_time, 'full records, not just ids');
			assert.equal(run1.items[0].event.key, 'contact.add');

			const batch2 = [await createContact('Dov'), await createContact('Eli')];
			await emu.flushHooks();
			const both = await eventually(
				async () => {
					const list = await session.executions(WORKFLOW_ID);
					return list.length === 2 && list.every((e) => e.status === 'success') ? list : null;
				},
				{ what: 'the second execution', timeoutMs: 60_000 },
			);
			const run2 = await session.executionItems(both[1].id, TRIGGER);
			assert.deepEqual(run2.items.map((i) => [i.id, i.given_name]), [
				[batch2[0], 'Dov'],
				[batch2[1], 'Eli'],
			]);
		}, 10 * 60_000);

		test('junk POSTs get a 4xx and start no execution', async () => {
			const before = (await session.executions(WORKFLOW_ID)).length;
			const path = `${WEBHOOK_ID}/webhook`;
			const key = { id: 1001, apiUrl: '', timestamp: new Date().toISOString() };
			const junk = [
				['wrong event key', { event_key: 'contact.edit', object_type: 'contact', object_keys: [key] }],
				['no object_keys', { event_key: 'contact.add', object_type: 'contact' }],
				['empty object_keys', { event_key: 'contact.add', object_type: 'contact', object_keys: [] }],
				['non-numeric id', { event_key: 'contact.add', object_type: 'contact', object_keys: [{ id: 'abc' }] }],
			];
			for (const [label, body] of junk) {
				const res = await n8n.callWebhook(path, body);
				assert.ok(res.status >= 400 && res.status < 500, `${label}: HTTP ${res.status} ${res.text}`);
			}
			for (const [label, body, type] of [
				['broken JSON', '{"event_key": "contact.add", oops', 'application/json'],
				['plain text', 'hello keap', 'text/plain'],
			]) {
				const res = await n8n.callWebhook(path, body, { headers: { 'content-type': type } });
				assert.ok(res.status >= 400 && res.status < 500, `${label}: HTTP ${res.status} ${res.text}`);
			}
			// Give n8n time to have started anything it was going to start.
			await new Promise((r) => setTimeout(r, 2_000));
			assert.equal((await session.executions(WORKFLOW_ID)).length, before);
		}, 10 * 60_000);

		test('every object type: one execution per delivery, the records in full, a record Keap does not have reported', async () => {
			const sets = seedHookObjects(emu, 3, 'e');
			let seen = (await session.executions(OBJECTS_ID)).length;
			for (const [type, eventKey] of OBJECT_TYPES) {
				const set = sets[type];
				for (const e of set.entries) emu.emitHook({ eventKey, id: e.id, objectType: set.objectType, apiPath: e.apiPath });
				emu.emitHook({ eventKey, id: 999_999, objectType: set.objectType, apiPath: '' });
				const attempts = (await emu.flushHooks()).filter((a) => objectUrls.includes(a.hookUrl));
				assert.deepEqual(attempts.map((a) => [a.ok, a.objects]), [[true, 4]], `${type}: ${JSON.stringify(attempts.map((a) => a.status))}`);
				const list = await eventually(
					async () => {
						const l = await session.executions(OBJECTS_ID);
						return l.length === seen + 1 && l.at(-1).status === 'success' ? l : null;
					},
					{ what: `the ${type} execution`, timeoutMs: 60_000 },
				);
				seen++;
				const { items } = await session.executionItems(list.at(-1).id, objectTrigger(type));
				assert.deepEqual(items.map((i) => String(i.id)), [...set.entries.map((e) => String(e.id)), '999999'], type);
				assert.ok(items.slice(0, 3).every((i) => !i.not_found && Object.keys(i).length > 3), `${type}: ${JSON.stringify(items[0])}`);
				assert.equal(items[3].not_found, true, type);
				assert.equal(items[0].event.key, eventKey);
			}
		}, 10 * 60_000);

		test('a POST with X-Hook-Secret after activation gets 403 and no echo, and starts nothing', async () => {
			const before = (await session.executions(WORKFLOW_ID)).length;
			const res = await n8n.callWebhook(`${WEBHOOK_ID}/webhook`, {}, { headers: { 'x-hook-secret': 'chosen-by-a-stranger' } });
			assert.equal(res.status, 403, res.text);
			assert.notEqual(res.headers.get('x-hook-secret'), 'chosen-by-a-stranger');
			assert.ok(!res.text.includes(WEBHOOK_ID));
			assert.equal((await session.executions(WORKFLOW_ID)).length, before);
		}, 10 * 60_000);

		test('Account > Get Hooks re-verifies an Inactive hook; deliveries reach the trigger again', async () => {
			const task = objectHooks().find((h) => h.eventKey === 'task.edit');
			task.status = 'Inactive'; // as after four failed deliveries
			const res = await n8n.callWebhook('keap-e2e-get-hooks', {});
			assert.equal(res.status, 200, res.text);
			const row = res.body.find((r) => r.key === task.key);
			assert.deepEqual([row.status_before, row.status, row.reverified], ['Inactive', 'Verified', true], JSON.stringify(row));
			assert.ok(!res.text.includes(objectWebhookId(3)), 'the hook URL is not in the output');
			assert.equal(emu.store.hooks.get(task.key).status, 'Verified');
			const seen = (await session.executions(OBJECTS_ID)).length;
			const [taskId] = seedHookObjects(emu, 1, 'r').task.entries;
			emu.emitHook({ eventKey: 'task.edit', id: taskId.id, apiPath: taskId.apiPath });
			await emu.flushHooks();
			await eventually(async () => (await session.executions(OBJECTS_ID)).length === seen + 1, { what: 'the task execution', timeoutMs: 60_000 });
		}, 10 * 60_000);

		test('activation verifies an Inactive hook of ours again (the same hook, no second one)', async () => {
			await session.deactivate(OBJECTS_ID);
			await eventually(() => objectHooks().length === 0, { what: 'the object hooks to be deleted', timeoutMs: 30_000 });
			const { hooks: [key] } = emu.seed({ hooks: [{ eventKey: 'task.edit', hookUrl: objectUrls[3], status: 'Inactive' }] });
			const wf = await session.rest('GET', `/workflows/${OBJECTS_ID}`);
			await session.rest('POST', `/workflows/${OBJECTS_ID}/activate`, { versionId: wf.versionId });
			await eventually(() => objectHooks().filter((h) => h.status === 'Verified').length === OBJECT_TYPES.length, { what: 'the object hooks', timeoutMs: 60_000 });
			const task = objectHooks().filter((h) => h.eventKey === 'task.edit');
			assert.deepEqual(task.map((h) => [h.key, h.status]), [[key, 'Verified']]);
		}, 10 * 60_000);

		test('unpublishing removes our hook and only ours', async () => {
			assert.equal(ourHooks().length, 1);
			await session.deactivate(WORKFLOW_ID);
			await eventually(() => ourHooks().length === 0, { what: 'our hook to be deleted', timeoutMs: 30_000 });
			assert.deepEqual(foreignHooks().map((h) => h.hookUrl).sort(), [...FOREIGN].sort());
			assert.equal(objectHooks().length, OBJECT_TYPES.length, "the other workflow's hooks stay");
			// Nothing reaches n8n for this workflow any more.
			await createContact('Late');
			const attempts = await emu.flushHooks();
			assert.equal(attempts.filter((a) => a.hookUrl === ourUrl).length, 0);
		}, 10 * 60_000);
	});
}
