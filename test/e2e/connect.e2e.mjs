// Issue 15, defect 1: "Connect my account" of the Keap CRM OAuth2 credential, end to end in real
// n8n 2.41.1 and Chromium, against the emulator's OAuth endpoints.
//
// A not-yet-connected Keap CRM OAuth2 credential (client id and secret of the emulator's app, the
// hidden `baseUrl` set to the emulator, no token: n8n derives its authorize and token URLs from
// it, see the credential) is opened in the editor; "Connect my account" opens n8n's OAuth popup;
// the emulator's authorize page approves and redirects to n8n's callback; n8n exchanges the code
// at the emulator's /token (Keap documents client credentials in the form body there: with
// `authentication: 'header'` n8n sends HTTP Basic only and the exchange fails); the editor shows
// the account connected; then a workflow with the Keap CRM node uses the stored token.
// Screenshots: test-results/screenshots/connect-*.png. Without /usr/bin/chromium it is skipped.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLIENT_ID, CLIENT_SECRET, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, freePort, manualWorkflow, packPackage, REPO_ROOT, waitFor } from './harness.mjs';

const VERSION = '2.41.1';
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const noBrowser = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium`;
const OWNER = { email: 'connect@example.com', password: 'KeapConnect1', firstName: 'Connect', lastName: 'Owner' };
const CREDENTIAL = { id: 'e2eKeapConnect01', name: 'Keap OAuth2 (connect)', type: 'keapCrmOAuth2Api' };
const WORKFLOW_ID = 'e2eKeapConnectWf1';

(noBrowser ? describe.skip : describe)(`n8n ${VERSION}: Connect my account (issue 15, defect 1)`, () => {
	let emu;
	let n8n;
	let server;
	let browser;
	let page;
	let userDataDir;
	const shot = async (name) => page && (await page.screenshot({ path: join(SHOTS, `connect-${name}.png`) }).catch(() => {}));
	const tokenCalls = () => emu.log().filter((e) => e.path === '/token');

	beforeAll(async () => {
		const tarball = await packPackage();
		emu = await startEmulator({ port: await freePort(), host: '127.0.0.1', quiet: true, seed: 'demo' });
		n8n = await createN8nInstance({ version: VERSION, packageTarball: tarball });
		await n8n.importCredentials([
			{
				id: CREDENTIAL.id,
				name: CREDENTIAL.name,
				type: CREDENTIAL.type,
				// What a user types (client id and secret) plus the hidden baseUrl; no token yet.
				data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.url },
			},
		]);
		await n8n.importWorkflow(
			manualWorkflow({
				id: WORKFLOW_ID,
				nodes: [
					{
						name: 'Keap Tags',
						type: 'n8n-nodes-keap.keapCrm',
						typeVersion: 1,
						parameters: { authentication: 'oAuth2', resource: 'tag', operation: 'getAll', returnAll: false, limit: 3 },
						credentials: { keapCrmOAuth2Api: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
					},
				],
			}),
		);
		server = await n8n.start();
		await waitFor(
			async () => {
				const r = await fetch(`${server.url}/rest/owner/setup`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(OWNER),
					signal: AbortSignal.timeout(10_000),
				});
				return r.ok;
			},
			{ timeoutMs: 60_000, intervalMs: 500, what: 'the owner setup' },
		);

		const { chromium, selectors } = await import('playwright-core');
		selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
		mkdirSync(SHOTS, { recursive: true });
		userDataDir = mkdtempSync(join(tmpdir(), 'keap-connect-chromium-'));
		browser = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
			viewport: { width: 1440, height: 900 },
			timeout: 60_000,
		});
		browser.setDefaultTimeout(30_000);
		page = browser.pages()[0] ?? (await browser.newPage());
		page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
	}, 10 * 60_000);

	afterAll(async () => {
		await shot('zz-last-state');
		await browser?.close();
		if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
		await n8n?.cleanup();
		await emu?.close();
	}, 10 * 60_000);

	test('sign in', async () => {
		await page.goto(`${server.url}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(OWNER.email);
		await page.locator('input[name=password]').fill(OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
	}, 10 * 60_000);

	test('Connect my account: the emulator\'s authorize page, n8n\'s callback, the code exchange with body credentials', async () => {
		await page.goto(`${server.url}/home/credentials/${CREDENTIAL.id}`);
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		await dialog.getByTestId('oauth-not-connected-banner').waitFor();
		await shot('01-not-connected');
		// n8n 2.41 shows "Connect" in the not-connected banner (older versions: "Connect my account").
		const [popup] = await Promise.all([
			page.waitForEvent('popup', { timeout: 30_000 }),
			dialog.getByTestId('oauth-not-connected-banner').getByRole('button', { name: /^Connect/ }).click(),
		]);
		// The popup: n8n -> the emulator's /app/oauth/authorize (auto-approves) -> n8n's callback.
		await waitFor(() => tokenCalls().length > 0 || popup.isClosed(), { timeoutMs: 60_000, what: 'the code exchange at the emulator' });
		const exchange = tokenCalls()[0];
		assert.ok(exchange, `no code exchange reached the emulator; authorize calls: ${emu.counters().authorizations}`);
		assert.equal(exchange.body?.grant_type, 'authorization_code');
		assert.equal(
			exchange.status,
			200,
			`the emulator refused n8n's code exchange (client credentials sent as: ${exchange.auth}); Keap documents them in the form body`,
		);
		assert.equal(exchange.auth, 'body', 'client id and secret in the form body, no Authorization header');
		assert.equal(exchange.credential, CLIENT_ID);
		assert.equal(emu.counters().authorizations, 1, 'one authorize redirect');
		await dialog.getByTestId('oauth-connect-success-banner').waitFor({ timeout: 30_000 });
		await shot('02-connected');
	}, 10 * 60_000);

	test('the stored token works: a workflow with the Keap CRM node lists tags with it', async () => {
		const stored = await n8n.exportCredentials(CREDENTIAL.id);
		assert.ok(stored.oauthTokenData?.access_token, 'n8n stored the access token');
		assert.ok(stored.oauthTokenData?.refresh_token, 'and the refresh token');
		await page.goto(`${server.url}/workflow/${WORKFLOW_ID}`);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Keap Tags"]').waitFor();
		const mark = emu.log().length;
		await page.getByTestId('execute-workflow-button').click();
		await page
			.locator('[data-test-id="canvas-node"][data-node-name="Keap Tags"] [data-test-id="canvas-node-status-success"]')
			.waitFor({ timeout: 60_000 });
		await shot('03-workflow-ran');
		const calls = emu.log().slice(mark).filter((e) => e.path === '/crm/rest/v2/tags');
		assert.deepEqual(calls.map((e) => [e.auth, e.credential, e.status]), [['bearer', CLIENT_ID, 200]], 'one tag list with the OAuth2 token');
		assert.equal(emu.counters().refreshes, 0, 'the fresh token needed no refresh');
	}, 10 * 60_000);
});
