// The package's own Keap CRM node (`n8n-nodes-keap.keapCrm`) inside a real n8n, against the
// emulator, with the API-key credential: create and find contacts through `n8n execute`, and
// create contacts over REST and XML-RPC through Webhook-triggered workflows on one started n8n.
// What the node wrote is read back from the emulator over HTTP, independently of the node.
// Runs once per version in N8N_E2E_VERSIONS (default 2.41.1).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, manualWorkflow, packPackage, webhookWorkflow } from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
/** The test's own reads use the Service Account Key: it has its own quota, so checking never
 * takes calls from the PAT that n8n is pacing (the emulator enforces Keap's 10/s per key). */
const VERIFY_KEY = 'KeapAK-emulator-sak';
const NODE_TYPE = 'n8n-nodes-keap.keapCrm';

function keapNode(name, parameters, credential) {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { keapCrmApiKeyApi: credential },
	};
}

/** The emulator's v1 contacts with this email, read with the PAT over HTTP. */
async function emulatorContactsByEmail(emu, email) {
	const res = await fetch(`${emu.url}/crm/rest/v1/contacts?email=${encodeURIComponent(email)}`, {
		headers: { 'X-Keap-API-Key': VERIFY_KEY },
	});
	assert.equal(res.status, 200);
	return (await res.json()).contacts;
}

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the Keap CRM node`, () => {
		let emu;
		let n8n;
		const cred = { id: 'e2eNodeApiKey001', name: 'Keap PAT (node e2e)' };
		const stamp = `${version.replaceAll('.', '-')}-${Date.now()}`;
		const manualEmail = `manual-${stamp}@example.com`;

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([
				{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } },
			]);
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		test('n8n execute: Create a contact, then Get Many finds it by email', async () => {
			const create = await n8n.importWorkflow(
				manualWorkflow({
					id: 'e2eNodeCreate001',
					nodes: [
						keapNode(
							'Create',
							{
								api: 'rest',
								resource: 'contact',
								operation: 'create',
								email: manualEmail,
								additionalFields: { given_name: 'Manual', family_name: 'Run' },
							},
							cred,
						),
					],
				}),
			);
			const mark = emu.log().length;
			const run = await n8n.execute(create);
			assert.ok(run.ok, `create failed:\n${run.log()}`);
			assert.equal(run.lastNodeOutput.length, 1);
			assert.ok(JSON.stringify(run.lastNodeOutput[0]).includes(manualEmail), JSON.stringify(run.lastNodeOutput[0]));
			const calls = emu.log().slice(mark).filter((e) => e.path.startsWith('/crm/rest/'));
			assert.ok(calls.length >= 1, 'the node called Keap REST');
			for (const c of calls) assert.equal(c.auth, 'apiKey', `${c.method} ${c.path}`);

			const stored = await emulatorContactsByEmail(emu, manualEmail);
			assert.equal(stored.length, 1, 'exactly one contact with that email in the emulator');
			assert.equal(stored[0].given_name, 'Manual');
			assert.equal(stored[0].family_name, 'Run');

			const find = await n8n.importWorkflow(
				manualWorkflow({
					id: 'e2eNodeGetMany01',
					nodes: [
						keapNode(
							'Get Many',
							{
								api: 'rest',
								resource: 'contact',
								operation: 'getAll',
								returnAll: false,
								limit: 10,
								filters: { email: manualEmail },
							},
							cred,
						),
					],
				}),
			);
			const found = await n8n.execute(find);
			assert.ok(found.ok, `get many failed:\n${found.log()}`);
			assert.equal(found.lastNodeOutput.length, 1, JSON.stringify(found.lastNodeOutput));
			assert.ok(JSON.stringify(found.lastNodeOutput[0]).includes(manualEmail));
			assert.ok(JSON.stringify(found.lastNodeOutput[0]).includes(String(stored[0].id)), 'the same contact id');
		}, 10 * 60_000);

		test('started n8n: Webhook -> Create contact over REST and over XML-RPC', async () => {
			const paths = { rest: 'e2e-node-rest', xmlrpc: 'e2e-node-xmlrpc' };
			for (const api of ['rest', 'xmlrpc']) {
				const id = await n8n.importWorkflow(
					webhookWorkflow({
						id: `e2eNodeHook${api === 'rest' ? 'Rest' : 'Xml'}`,
						path: paths[api],
						nodes: [
							keapNode(
								'Create',
								{
									api,
									resource: 'contact',
									operation: 'create',
									email: '={{ $json.body.email }}',
									additionalFields: { given_name: '={{ $json.body.first }}' },
								},
								cred,
							),
						],
					}),
				);
				await n8n.publish(id);
			}
			await n8n.start();

			for (const api of ['rest', 'xmlrpc']) {
				const email = `${api}-${stamp}@example.com`;
				const mark = emu.log().length;
				const res = await n8n.callWebhook(paths[api], { email, first: `Via ${api}` });
				assert.equal(res.status, 200, `${api}: ${res.text}`);
				assert.ok(Array.isArray(res.body) && res.body.length === 1, `${api}: ${res.text}`);
				assert.ok(JSON.stringify(res.body[0]).includes(email), `${api}: ${res.text}`);

				const calls = emu.log().slice(mark);
				const prefix = api === 'rest' ? '/crm/rest/' : '/crm/xmlrpc';
				assert.ok(calls.some((c) => c.path.startsWith(prefix)), `${api}: the node used ${prefix}`);
				for (const c of calls) assert.equal(c.auth, 'apiKey', `${api}: ${c.method} ${c.path}`);

				const stored = await emulatorContactsByEmail(emu, email);
				assert.equal(stored.length, 1, `${api}: one contact stored`);
				assert.equal(stored[0].given_name, `Via ${api}`);
			}
		}, 10 * 60_000);
	});
}
