// The packed package inside a real n8n: it installs under its real name, n8n loads its node and
// credential types, a workflow runs through one of its credentials against the Keap emulator
// (with `n8n execute` and through a Webhook-triggered workflow on a started n8n), and n8n stores
// the credential as given. Runs once per version in N8N_E2E_VERSIONS (default 2.41.1).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

import { startEmulator } from '../emulator/index.mjs';
import {
	PACKAGE_NAME,
	REPO_ROOT,
	createN8nInstance,
	e2eVersions,
	manualWorkflow,
	packPackage,
	tarballFiles,
	webhookWorkflow,
} from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
/** The test's own reads use the Service Account Key: it has its own quota, so checking never
 * takes calls from the PAT that n8n is pacing (the emulator enforces Keap's 10/s per key). */
const VERIFY_KEY = 'KeapAK-emulator-sak';
const require = createRequire(import.meta.url);
const pkg = require(join(REPO_ROOT, 'package.json'));

/** Type names the package declares, read from the built classes package.json lists. */
function declaredTypes() {
	const load = (file) => Object.values(require(join(REPO_ROOT, file)));
	const nodes = pkg.n8n.nodes.flatMap(load).map((C) => new C().description.name);
	const credentials = pkg.n8n.credentials.flatMap(load).map((C) => new C().name);
	return { nodes, credentials };
}

/** An HTTP Request node that authenticates with one of our credential types. */
function httpNode({ name = 'Keap HTTP', method = 'GET', url, credentialType, credential, body }) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method,
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			...(body ? { sendBody: true, specifyBody: 'json', jsonBody: body } : {}),
			options: {},
		},
		credentials: { [credentialType]: credential },
	};
}

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the packed package`, () => {
		let emu;
		let n8n;
		let tarball;
		const apiKeyCred = { id: 'e2eKeapApiKey01', name: 'Keap PAT (e2e)' };
		const wrongKeyCred = { id: 'e2eKeapWrongKey1', name: 'Keap wrong key (e2e)' };

		beforeAll(async () => {
			tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([
				{ ...apiKeyCred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } },
				{ ...wrongKeyCred, type: 'keapCrmApiKeyApi', data: { apiKey: 'KeapPAT-not-a-key', baseUrl: emu.url } },
			]);
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		test('the tarball holds only package.json, README, LICENSE, index.js and dist/', () => {
			const files = tarballFiles(tarball);
			assert.ok(files.includes('package.json'));
			assert.ok(files.includes('index.js'), 'main (index.js) is packed');
			for (const f of files) {
				assert.match(f, /^(package\.json|README[^/]*|LICEN[CS]E[^/]*|index\.js|dist\/.+)$/i, `unexpected ${f}`);
			}
			for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) assert.ok(files.includes(f), `${f} is packed`);
		}, 10 * 60_000);

		test('installs under its real name where n8n installs community packages', async () => {
			assert.equal(n8n.installedPackage.name, PACKAGE_NAME);
			assert.equal(n8n.installedPackage.version, pkg.version);
			assert.ok(n8n.installedDir.endsWith(join('.n8n', 'nodes', 'node_modules', PACKAGE_NAME)));
			for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
				assert.ok(existsSync(join(n8n.installedDir, f)), `${f} installed`);
			}
			// n8n loads every node type the package declares, under `n8n-nodes-keap.<name>`
			// (listNodeTypes also fails if n8n logged an error loading the package).
			const loaded = await n8n.listNodeTypes();
			assert.ok(loaded.includes('n8n-nodes-base.httpRequest'), 'sanity: n8n listed its own nodes');
			const { nodes, credentials } = declaredTypes();
			assert.ok(credentials.includes('keapCrmApiKeyApi'), 'the package declares keapCrmApiKeyApi');
			for (const name of nodes) assert.ok(loaded.includes(`${PACKAGE_NAME}.${name}`), `${PACKAGE_NAME}.${name} loaded`);
		}, 10 * 60_000);

		test('n8n execute: an HTTP Request node authenticates with keapCrmApiKeyApi at the emulator', async () => {
			const id = await n8n.importWorkflow(
				manualWorkflow({
					id: 'e2eHttpApiKey01',
					nodes: [
						httpNode({
							url: `${emu.url}/crm/rest/v1/contacts?limit=1`,
							credentialType: 'keapCrmApiKeyApi',
							credential: apiKeyCred,
						}),
					],
				}),
			);
			const before = emu.log().length;
			const run = await n8n.execute(id);
			assert.ok(run.ok, `execution failed:\n${run.log()}`);
			assert.equal(run.lastNodeExecuted, 'Keap HTTP');
			assert.equal(run.lastNodeOutput.length, 1);
			assert.ok(Array.isArray(run.lastNodeOutput[0].contacts), 'Keap v1 list shape came back');

			const calls = emu.log().slice(before).filter((e) => e.path === '/crm/rest/v1/contacts');
			assert.equal(calls.length, 1, 'exactly one request reached the emulator');
			assert.equal(calls[0].method, 'GET');
			assert.equal(calls[0].auth, 'apiKey', 'the credential sent X-Keap-API-Key');
			assert.equal(calls[0].status, 200);
			assert.ok(!JSON.stringify(calls[0]).includes(PAT), 'the emulator log never holds the key itself');
		}, 10 * 60_000);

		test('n8n execute: a wrong key fails the execution with the emulator\'s 401', async () => {
			const id = await n8n.importWorkflow(
				manualWorkflow({
					id: 'e2eHttpWrongKey1',
					nodes: [
						httpNode({
							url: `${emu.url}/crm/rest/v1/contacts?limit=1`,
							credentialType: 'keapCrmApiKeyApi',
							credential: wrongKeyCred,
						}),
					],
				}),
			);
			const before = emu.log().length;
			const run = await n8n.execute(id);
			assert.equal(run.ok, false);
			assert.notEqual(run.exitCode, 0);
			assert.ok(run.error, 'the execution carries an error');
			const calls = emu.log().slice(before).filter((e) => e.path === '/crm/rest/v1/contacts');
			assert.equal(calls.length, 1);
			assert.equal(calls[0].status, 401);
		}, 10 * 60_000);

		test('n8n stores the credential as imported (export:credentials --decrypted)', async () => {
			const stored = await n8n.exportCredentials(apiKeyCred.id);
			assert.equal(stored.apiKey, PAT);
			assert.equal(stored.baseUrl, emu.url);
		}, 10 * 60_000);

		test('started n8n: a Webhook-triggered workflow creates a contact in the emulator', async () => {
			const path = 'e2e-create-contact';
			const id = await n8n.importWorkflow(
				webhookWorkflow({
					id: 'e2eHookContact01',
					path,
					nodes: [
						httpNode({
							method: 'POST',
							url: `${emu.url}/crm/rest/v2/contacts`,
							credentialType: 'keapCrmApiKeyApi',
							credential: apiKeyCred,
							body:
								'={{ JSON.stringify({ given_name: $json.body.first, email_addresses: [{ email: $json.body.email, field: "EMAIL1" }] }) }}',
						}),
					],
				}),
			);
			await n8n.publish(id);
			const server = await n8n.start();
			assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);

			const email = `e2e-${version}-${Date.now()}@example.com`;
			const before = emu.log().length;
			const res = await n8n.callWebhook(path, { first: 'Webhook', email });
			assert.equal(res.status, 200, res.text);
			assert.ok(Array.isArray(res.body) && res.body.length === 1, res.text);
			const created = res.body[0];
			assert.equal(created.given_name, 'Webhook');
			assert.ok(created.id, 'Keap returned the new contact id');

			const calls = emu.log().slice(before).filter((e) => e.path === '/crm/rest/v2/contacts');
			assert.equal(calls.length, 1);
			assert.equal(calls[0].method, 'POST');
			assert.equal(calls[0].auth, 'apiKey');
			assert.ok(calls[0].status === 200 || calls[0].status === 201, `status ${calls[0].status}`);

			// Read it back from the emulator over HTTP, independently of n8n.
			const check = await fetch(`${emu.url}/crm/rest/v2/contacts/${created.id}`, {
				headers: { 'X-Keap-API-Key': VERIFY_KEY },
			});
			assert.equal(check.status, 200);
			const contact = await check.json();
			assert.equal(contact.email_addresses?.[0]?.email, email);

			// A second call on the same process: the webhook stays registered, the run is fresh.
			const again = await n8n.callWebhook(path, { first: 'Second', email: `2-${email}` });
			assert.equal(again.status, 200, again.text);
			assert.equal(again.body[0].given_name, 'Second');
			assert.notEqual(again.body[0].id, created.id);
		}, 10 * 60_000);
	});
}
