// The `npm start` sandbox (test/sandbox/) and n8n's editor in a real browser.
//
// One sandbox (n8n 2.41.1 with the packed package, the Keap emulator, credentials, three demo
// workflows, an owner login) on free ports. Over HTTP: the owner login, demo 1 (Webhook →
// Create or Update → Respond) and demo 2 (Keap CRM Trigger on the emulator's REST hook → tag),
// checked in the emulator; bad input gets a 400 that says what is wrong. In Chromium
// (playwright-core, /usr/bin/chromium): sign in; the nodes panel lists each Keap CRM action
// once; canvas subtitles name operations and events; opening demo 1's Keap node leaves the
// published workflow published; the Keap CRM node's operations, Execute step (the pinned sample
// request creates a contact), custom fields typed for what they hold (a date as YYYY-MM-DD
// text, a yes/no list that sends nothing until chosen), the "From list" contact picker filled
// from the emulator and searched by last name, Get executed on a picked contact, demo 3's
// keep-alive refreshing both refreshing credentials, and a credential made by hand in the
// editor reaching the emulator.
// Screenshots: test-results/screenshots/*.png. Without /usr/bin/chromium the browser tests are
// skipped (`apt-get install -y chromium`).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PAT } from '../emulator/index.mjs';
/** The test's own reads use the Service Account Key: it has its own quota, so checking never
 * takes calls from the PAT that n8n is pacing (the emulator enforces Keap's 10/s per key). */
const VERIFY_KEY = 'KeapAK-emulator-sak';
import { freePort, REPO_ROOT } from './harness.mjs';
import { startSandbox } from '../sandbox/sandbox.mjs';
import { SAMPLE_REQUEST, WEBHOOK_TAGS, WELCOME_TAG, WORKFLOWS } from '../sandbox/workflows.mjs';

const CHROMIUM = '/usr/bin/chromium';

/** The panel's action names n8n derives from the Keap CRM node: each operation's `action`. */
function expectedActions() {
	const { KeapCrm } = createRequire(import.meta.url)(join(REPO_ROOT, 'dist', 'nodes', 'Keap', 'KeapCrm.node.js'));
	return new KeapCrm().description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => p.options.map((o) => o.action))
		.sort();
}
const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const noBrowser = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium`;

/** The emulator's contacts with this email, read over HTTP with the test's own key (REST v2, ids as strings). */
async function emulatorContact(emu, email) {
	const qs = new URLSearchParams({ filter: `email==${email}`, fields: 'given_name,family_name,email_addresses,tag_ids' });
	const res = await fetch(`${emu.url}/crm/rest/v2/contacts?${qs}`, { headers: { 'X-Keap-API-Key': VERIFY_KEY } });
	assert.equal(res.status, 200);
	const { contacts } = await res.json();
	return contacts;
}

async function until(check, { timeoutMs, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

describe('npm start sandbox and the n8n editor', () => {
	let sb;
	let emu;
	const tagId = (name) => sb.tagIds.get(name);

	beforeAll(async () => {
		sb = await startSandbox({
			n8nPort: await freePort(),
			emulatorPort: await freePort(),
			env: {}, // the emulator, whatever KEAP_* variables this shell has
			log: (m) => process.stderr.write(`[sandbox] ${m}\n`),
		});
		emu = sb.emulator;
	}, 15 * 60_000);

	afterAll(async () => {
		await sb?.stop();
	}, 15 * 60_000);

	test('the sandbox: emulator mode, three credentials, three published demo workflows', () => {
		assert.equal(sb.mode, 'emulator');
		assert.deepEqual(sb.credentials.map((c) => c.type).sort(), ['keapCrmApiKeyApi', 'keapCrmOAuth2Api', 'keapCrmTokenPairApi']);
		assert.deepEqual(
			sb.workflows.map((w) => [w.id, w.published]),
			[
				[WORKFLOWS.webhook.id, true],
				[WORKFLOWS.trigger.id, true],
				[WORKFLOWS.keepAlive.id, true],
			],
		);
		const hooks = [...emu.store.hooks.values()];
		assert.equal(hooks.length, 1, 'one REST hook: the trigger of demo 2');
		assert.equal(hooks[0].eventKey, 'contact.add');
		assert.equal(hooks[0].status, 'Verified');
		assert.ok(hooks[0].hookUrl.startsWith(`${sb.editorUrl}/webhook/`), hooks[0].hookUrl);
	}, 15 * 60_000);

	test('the owner login signs in through n8n’s REST API', async () => {
		const res = await fetch(`${sb.editorUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: sb.owner.email, password: sb.owner.password }),
		});
		const body = await res.json();
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.data.email, sb.owner.email);
		const wrong = await fetch(`${sb.editorUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: sb.owner.email, password: 'Wrong-password-1' }),
		});
		assert.equal(wrong.status, 401);
	}, 15 * 60_000);

	test('demo 1 creates, then updates, a tagged contact; demo 2 tags the new contact "Welcome Series"', async () => {
		const email = `demo-${Date.now()}@example.com`;
		const first = await fetch(sb.demoWebhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, first_name: 'Ada', last_name: 'Lovelace' }),
			signal: AbortSignal.timeout(60_000),
		});
		const created = await first.json();
		assert.equal(first.status, 200, JSON.stringify(created));
		assert.equal(created.given_name, 'Ada');
		assert.equal(created.email_addresses[0].email, email);
		for (const name of WEBHOOK_TAGS) assert.ok(created.tag_ids.includes(tagId(name)), `tag ${name} in ${created.tag_ids}`);

		// Demo 2: the emulator's contact.add hook reaches n8n; the workflow applies the tag.
		const welcomed = await until(
			async () => {
				const [c] = await emulatorContact(emu, email);
				return c?.tag_ids?.includes(tagId(WELCOME_TAG)) ? c : null;
			},
			{ timeoutMs: 60_000, what: `"${WELCOME_TAG}" on ${email} (demo 2)` },
		);
		assert.equal(welcomed.id, created.id);
		const deliveries = emu.hookDeliveries().filter((d) => d.kind === 'event' && d.eventKey === 'contact.add');
		assert.ok(deliveries.some((d) => d.ok && d.payload.object_keys.some((o) => String(o.id) === created.id)));

		const second = await fetch(sb.demoWebhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, first_name: 'Augusta', last_name: 'Lovelace' }),
			signal: AbortSignal.timeout(60_000),
		});
		const updated = await second.json();
		assert.equal(second.status, 200, JSON.stringify(updated));
		assert.equal(updated.id, created.id, 'same email: the same contact, updated');
		const stored = await emulatorContact(emu, email);
		assert.equal(stored.length, 1);
		assert.equal(stored[0].given_name, 'Augusta');
	}, 15 * 60_000);

	test('demo 1 answers a request without a valid email with HTTP 400 saying what is wrong', async () => {
		for (const [body, says] of [
			[{ email: 'not-an-email', first_name: 'Ada' }, /^"not-an-email" is not a valid email address$/],
			[{}, /^The request has no "email"/],
			[undefined, /^The request has no "email"/],
		]) {
			const res = await fetch(sb.demoWebhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(60_000),
			});
			const json = await res.json();
			assert.equal(res.status, 400, JSON.stringify(json));
			assert.match(json.error, says);
			assert.equal(json.field, 'email');
		}
		assert.equal((await emulatorContact(emu, 'not-an-email')).length, 0, 'nothing reached Keap');
	}, 15 * 60_000);

	(noBrowser ? describe.skip : describe)('in Chromium', () => {
		let browser;
		let page;
		let userDataDir;
		/** A screenshot; `settle` lets the editor finish its button and panel transitions first (cosmetic only). */
		const shot = async (name, { settle = 0 } = {}) => {
			if (settle) await page.waitForTimeout(settle);
			await page.screenshot({ path: join(SHOTS, `${name}.png`) });
		};

		beforeAll(async () => {
			const { chromium, selectors } = await import('playwright-core');
			selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
			mkdirSync(SHOTS, { recursive: true });
			userDataDir = mkdtempSync(join(tmpdir(), 'keap-editor-chromium-'));
			browser = await chromium.launchPersistentContext(userDataDir, {
				executablePath: CHROMIUM,
				headless: true,
				args: [
					'--headless',
					'--no-sandbox',
					'--disable-gpu',
					'--disable-quic',
					'--no-first-run',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
				],
				viewport: { width: 1440, height: 900 },
				timeout: 60_000,
			});
			browser.setDefaultTimeout(30_000);
			page = browser.pages()[0] ?? (await browser.newPage());
			// Leaving a workflow with unsaved edits asks through `beforeunload`: leave.
			page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
		}, 15 * 60_000);

		afterAll(async () => {
			if (page && !page.isClosed()) await shot('zz-last-state').catch(() => {});
			await browser?.close();
			if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
		}, 15 * 60_000);

		const ndv = () => page.getByTestId('ndv');
		const outputPanel = () => page.getByTestId('output-panel');
		const option = (text) => page.locator('.el-select-dropdown__item:visible', { hasText: text });

		/** A call to n8n's own REST API as the signed-in editor makes it (cookie and browser id). */
		async function rest(path) {
			const browserId = await page.evaluate(() => localStorage.getItem('n8n-browserId'));
			const res = await page.request.get(`${sb.editorUrl}/rest${path}`, { headers: { 'browser-id': browserId } });
			assert.equal(res.status(), 200, `${path}: ${res.status()}`);
			return (await res.json()).data;
		}
		const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

		async function openNode(workflowId, nodeName) {
			await page.goto(`${sb.editorUrl}/workflow/${workflowId}`);
			const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
			await node.waitFor();
			return node;
		}

		test('sign in with the printed login', async () => {
			await page.goto(`${sb.editorUrl}/signin`);
			await page.locator('input[name=emailOrLdapLoginId]').fill(sb.owner.email);
			await page.locator('input[name=password]').fill(sb.owner.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
		}, 15 * 60_000);

		test('the nodes panel lists each Keap CRM action once, under a description of the node', async () => {
			await openNode(WORKFLOWS.keepAlive.id, 'Keep OAuth2 Alive');
			await page.getByTestId('node-creator-plus-button').click();
			await page.getByTestId('node-creator').locator('input').first().fill('Keap CRM');
			const entry = page.getByTestId('item-iterator-item').filter({ has: page.getByTestId('node-creator-item-name').getByText('Keap CRM', { exact: true }) });
			await entry.first().waitFor();
			// n8n shows the trigger's description for the merged Keap CRM + Keap CRM Trigger entry.
			assert.match(await entry.first().getByTestId('node-creator-item-description').innerText(), /^Create, update and tag Keap/);
			await entry.first().click();
			await page.getByTestId('node-creator').getByText(/^Actions \(\d+\)$/).waitFor();
			await shot('00-nodes-panel', { settle: 1_000 });
			const lines = (await page.getByTestId('node-creator').innerText()).split('\n').map((l) => l.trim());
			const from = lines.findIndex((l) => /^Actions \(\d+\)$/.test(l));
			const to = lines.findIndex((l, i) => i > from && /^Triggers \(\d+\)$/.test(l));
			const actions = lines.slice(from + 1, to).filter((l) => l && !/ACTIONS$/.test(l));
			const want = expectedActions();
			assert.equal(lines[from], `Actions (${want.length})`);
			assert.deepEqual(actions.slice().sort(), want, 'each action once');
			await page.keyboard.press('Escape');
		}, 15 * 60_000);

		test('canvas subtitles name the operation and the event, not their keys', async () => {
			for (const [workflow, node, subtitle] of [
				[WORKFLOWS.webhook.id, 'Create or Update Contact', 'Create or Update: Contact'],
				[WORKFLOWS.trigger.id, 'New Keap Contact', 'Contact: Added'],
				[WORKFLOWS.trigger.id, 'Apply Welcome Tag', 'Apply: Tag'],
				[WORKFLOWS.keepAlive.id, 'Keep OAuth2 Alive', 'Keep Credential Alive: Account'],
			]) {
				await openNode(workflow, node);
				await canvasNode(node).getByText(subtitle, { exact: true }).waitFor({ timeout: 10_000 });
			}
		}, 15 * 60_000);

		test('opening demo 1’s Keap node (custom-field mapper included) leaves the published workflow published', async () => {
			const before = await rest(`/workflows/${WORKFLOWS.webhook.id}`);
			assert.equal(before.versionId, before.activeVersionId, 'published, no unpublished changes');
			const node = await openNode(WORKFLOWS.webhook.id, 'Create or Update Contact');
			await node.dblclick();
			await ndv().getByTestId('resource-mapper-container').getByText('Custom Fields', { exact: true }).waitFor();
			await page.waitForTimeout(3_000); // n8n saves edits a moment after they happen
			await page.getByTestId('ndv-close-button').click();
			await page.waitForTimeout(3_000);
			const after = await rest(`/workflows/${WORKFLOWS.webhook.id}`);
			assert.equal(after.versionId, before.versionId, 'opening the node changed nothing');
			assert.equal(after.activeVersionId, before.activeVersionId);
		}, 15 * 60_000);

		test('demo 1 on the canvas; the Keap CRM node lists its operations', async () => {
			const node = await openNode(WORKFLOWS.webhook.id, 'Create or Update Contact');
			for (const name of ['Webhook', 'Respond to Webhook']) {
				await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).waitFor();
			}
			await shot('01-demo-workflow');
			await node.dblclick();
			await ndv().waitFor();
			await ndv().getByTestId('parameter-input-operation').click();
			await page.locator('.el-select-dropdown__item:visible').first().waitFor();
			const ops = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
			const names = ops.map((t) => t.split('\n')[0].trim());
			for (const want of ['Create', 'Create or Update', 'Delete', 'Get', 'Get Many', 'Update']) {
				assert.ok(names.includes(want), `operation ${want} in ${JSON.stringify(names)}`);
			}
			await shot('02-operations');
			await page.keyboard.press('Escape');
		}, 15 * 60_000);

		test('Execute step: the pinned sample request creates the contact in the emulator', async () => {
			assert.equal((await emulatorContact(emu, SAMPLE_REQUEST.email)).length, 0, 'not there before');
			await ndv().getByTestId('node-execute-button').click();
			await outputPanel().getByText(SAMPLE_REQUEST.email).first().waitFor({ timeout: 60_000 });
			const [stored] = await until(async () => {
				const list = await emulatorContact(emu, SAMPLE_REQUEST.email);
				return list.length ? list : null;
			}, { timeoutMs: 10_000, what: 'the sample contact in the emulator' });
			assert.equal(stored.given_name, SAMPLE_REQUEST.first_name);
			await outputPanel().getByText(String(stored.id)).first().waitFor();
			await shot('03-execute-step-output', { settle: 1_000 });
		}, 15 * 60_000);

		test('custom fields: a date is typed as YYYY-MM-DD, yes/no is a list; added and left alone, they send nothing', async () => {
			const mapper = ndv().getByTestId('resource-mapper-container');
			for (const field of ['VIP', 'Signup Date (YYYY-MM-DD)']) {
				await mapper.getByTestId('add-fields-select').click();
				await page.getByRole('menuitem', { name: field, exact: true }).click();
				await mapper.getByText(field, { exact: true }).waitFor();
			}
			assert.equal(await mapper.locator('.el-date-editor').count(), 0, 'no date-and-time picker');
			assert.equal(await mapper.locator('.el-switch, [role=switch]').count(), 0, 'no toggle');
			await shot('03b-custom-fields', { settle: 500 });
			await page.waitForTimeout(3_000); // n8n saves the draft
			const draft = await rest(`/workflows/${WORKFLOWS.webhook.id}`);
			const { customFields } = draft.nodes.find((n) => n.name === 'Create or Update Contact').parameters;
			const shown = customFields.schema.filter((f) => !f.removed).map((f) => f.displayName).sort();
			assert.deepEqual(shown, ['Signup Date (YYYY-MM-DD)', 'VIP']);
			assert.deepEqual(customFields.value, {}, 'nothing to send until a value is chosen');
		}, 15 * 60_000);

		test('Get: the "From list" picker shows the emulator’s contacts, newest first; the picked one is fetched', async () => {
			await ndv().getByTestId('parameter-input-operation').click();
			await option('Get a contact by ID or email').click();
			const locator = ndv().getByTestId('resource-locator-contact');
			await locator.waitFor();
			await locator.getByTestId('rlc-input').click();
			const items = page.getByTestId('rlc-item');
			await items.first().waitFor({ timeout: 30_000 });
			const shown = await items.allInnerTexts();
			// The emulator's newest contacts, read independently, in the same order.
			const res = await fetch(`${emu.url}/crm/rest/v2/contacts?order_by=id%20desc&page_size=5`, {
				headers: { 'X-Keap-API-Key': VERIFY_KEY },
			});
			const newest = (await res.json()).contacts;
			assert.equal(newest[0].email_addresses[0].email, SAMPLE_REQUEST.email, 'the sample contact is the newest');
			for (let i = 0; i < 3; i++) {
				const c = newest[i];
				assert.equal(shown[i].trim(), `${c.given_name} ${c.family_name} <${c.email_addresses[0].email}>`);
			}
			await shot('04-contact-list');
			const pick = newest[1];
			await items.nth(1).click();
			await ndv().getByTestId('node-execute-button').click();
			await outputPanel().getByText(pick.email_addresses[0].email).first().waitFor({ timeout: 60_000 });
			await outputPanel().getByText(pick.given_name).first().waitFor();
			await shot('05-get-output', { settle: 1_000 });
			await page.getByTestId('ndv-close-button').click();
		}, 15 * 60_000);

		test('the "From list" search finds a contact by last name, and its hint says what it searches', async () => {
			const node = await openNode(WORKFLOWS.webhook.id, 'Create or Update Contact');
			await node.dblclick();
			await ndv().getByTestId('parameter-input-operation').click();
			await option('Get a contact by ID or email').click();
			const locator = ndv().getByTestId('resource-locator-contact');
			await locator.waitFor();
			await ndv().getByText(/From List finds contacts whose first name, last name or email starts with/).waitFor();
			// n8n keeps the contact picked in the previous test at the top of the list: not a result.
			const picked = await locator.getByTestId('rlc-input').inputValue();
			await locator.getByTestId('rlc-input').click();
			await page.locator('input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input').first().fill('Hopper');
			const items = page.getByTestId('rlc-item');
			const want = [`${SAMPLE_REQUEST.first_name} ${SAMPLE_REQUEST.last_name} <${SAMPLE_REQUEST.email}>`];
			// The list shows the unfiltered contacts until the search's answer replaces them.
			let shown;
			await until(
				async () => {
					shown = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => !picked || t !== picked);
					return JSON.stringify(shown) === JSON.stringify(want);
				},
				{ timeoutMs: 30_000, what: `the search result ${JSON.stringify(want)} (shown: ${JSON.stringify(shown)})` },
			).catch(() => assert.deepEqual(shown, want));
			await shot('04b-contact-search');
			await page.keyboard.press('Escape');
			await page.getByTestId('ndv-close-button').click();
		}, 15 * 60_000);

		test('demo 3: Execute workflow refreshes the OAuth2 and the token-pair credential', async () => {
			const before = emu.counters();
			await openNode(WORKFLOWS.keepAlive.id, 'Keep OAuth2 Alive');
			await page.getByTestId('execute-workflow-button').click();
			await until(async () => emu.counters().refreshes - before.refreshes >= 2, {
				timeoutMs: 60_000,
				what: 'two refreshes at the emulator',
			});
			// Both Keap nodes finish green (n8n marks a node's success on the canvas).
			for (const name of ['Keep OAuth2 Alive', 'Keep Token Pair Alive']) {
				await page
					.locator(`[data-test-id="canvas-node"][data-node-name="${name}"] [data-test-id="canvas-node-status-success"]`)
					.waitFor({ timeout: 30_000 });
			}
			const after = emu.counters();
			assert.equal(after.refreshes - before.refreshes, 2, 'one refresh per refreshing credential');
			assert.equal(after.rejectedRefreshes, before.rejectedRefreshes, 'no refresh token was spent twice');
			await shot('06-keep-alive', { settle: 1_000 });
		}, 15 * 60_000);

		test('a credential made by hand in the editor reaches the emulator (the sandbox’s credential overwrites)', async () => {
			const tests = () => emu.counters().calls['GET /crm/rest/v1/contacts'] ?? 0; // the Key's credential test
			const before = tests();
			await page.goto(`${sb.editorUrl}/home/credentials/create`);
			await page.keyboard.type('Keap CRM Key');
			await page.getByText('Keap CRM Key (PAT / SAK) API', { exact: true }).last().click();
			await page.getByTestId('new-credential-type-button').click();
			await page.locator('input[type=password]').first().fill(PAT);
			await page.getByTestId('credential-save-button').click();
			await page.getByText('Connection tested successfully').waitFor({ timeout: 30_000 });
			assert.ok(tests() > before, 'the credential test reached the emulator');
			await shot('07-hand-made-credential');
		}, 15 * 60_000);
	});
});
