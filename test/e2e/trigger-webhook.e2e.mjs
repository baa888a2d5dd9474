// The Keap CRM Trigger (REST hooks) in a real n8n: a published workflow, `n8n start` with
// WEBHOOK_URL pointing at the instance. The trigger registers at the emulator (handshake
// passed, hook Verified), changes made at the emulator produce executions whose data holds the
// full contact records (read back through n8n's REST API), junk POSTs get a 4xx and start no
// execution, and unpublishing removes our hook and only ours.
// Runs once per version in N8N_E2E_VERSIONS (default 2.41.1).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { PAT, SAK, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, packPackage } from './harness.mjs';
import { eventually, ownerSession } from './trigger-helpers.mjs';

const WORKFLOW_ID = 'e2eKeapHookTrig01';
const WEBHOOK_ID = '6b0c1f3e-7a52-4d2e-9c41-0e2e4b7d9a11';
const TRIGGER = 'Keap CRM Trigger';
const FOREIGN = ['http://127.0.0.1:9/someone-else', 'http://127.0.0.1:9/other-event'];

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
			// WEBHOOK_URL defaults to the instance's own address (start() sets it).
			server = await n8n.start({
				timeoutMs: 180_000,
				ready: async (url) => {
					ourUrl = `${url}/webhook/${WEBHOOK_ID}/webhook`;
					return ourHooks().some((h) => h.status === 'Verified');
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
			assert.equal(emu.store.hooks.size, 3, 'the foreign hooks are untouched');
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

		test('unpublishing removes our hook and only ours', async () => {
			assert.equal(ourHooks().length, 1);
			await session.deactivate(WORKFLOW_ID);
			await eventually(() => ourHooks().length === 0, { what: 'our hook to be deleted', timeoutMs: 30_000 });
			assert.deepEqual([...emu.store.hooks.values()].map((h) => h.hookUrl).sort(), [...FOREIGN].sort());
			// Nothing reaches n8n for this workflow any more.
			await createContact('Late');
			const attempts = await emu.flushHooks();
			assert.equal(attempts.filter((a) => a.hookUrl === ourUrl).length, 0);
		}, 10 * 60_000);
	});
}
