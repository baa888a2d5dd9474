// The three Keap credential types and nodes/Keap/transport/auth.ts, run by n8n-core's real
// engine (test/engine/harness.mjs) against the Keap emulator over real HTTP.
// A small probe node (below) calls the real keapAuthenticatedRequest / refreshKeapCredentialNow
// from dist/ for each input item, all items at once; several executions run at the same time.
// Build first: npm run build.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNode, runConcurrently, testCredential } from './harness.mjs';

const require = createRequire(import.meta.url);
const { keapAuthenticatedRequest, refreshKeapCredentialNow } = require('../../dist/nodes/Keap/transport/auth/index.js');
const { tokenId } = require('../../dist/credentials/common/tokenPair.js');

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const PAT = 'KeapPAT-emulator-pat';
const DAY = 86_400_000;
const CONTACTS = '/crm/rest/v1/contacts';

/** Calls Keap once per input item, all items concurrently, through the real auth module. */
class KeapProbe {
	description = {
		displayName: 'Keap Probe',
		name: 'keapProbe',
		group: ['transform'],
		version: 1,
		description: 'Test probe for the Keap auth module',
		defaults: { name: 'Keap Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'keapCrmOAuth2Api', required: false },
			{ name: 'keapCrmTokenPairApi', required: false },
			{ name: 'keapCrmApiKeyApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'request' },
			{ displayName: 'Path', name: 'path', type: 'string', default: CONTACTS },
		],
	};

	async execute() {
		const items = this.getInputData();
		const type = this.getNodeParameter('credentialType', 0);
		const operation = this.getNodeParameter('operation', 0);
		if (operation === 'keepAlive') {
			const result = await refreshKeapCredentialNow.call(this, type);
			return [[{ json: result, pairedItem: { item: 0 } }]];
		}
		const path = this.getNodeParameter('path', 0);
		const out = await Promise.all(
			items.map(async (_, i) => {
				try {
					const response = await keapAuthenticatedRequest.call(this, type, {
						method: 'GET',
						url: path,
						qs: { limit: 1 },
						json: true,
					});
					return { json: { status: response.statusCode }, pairedItem: { item: i } };
				} catch (error) {
					if (!this.continueOnFail()) throw error;
					return {
						json: { error: error.message, description: error.description ?? '' },
						pairedItem: { item: i },
					};
				}
			}),
		);
		return [out];
	}
}

const probeTypes = { keapProbe: new KeapProbe() };

function runProbe({ type, store, credentialId = 'cred', items = 1, operation = 'request', continueOnFail = false, path }) {
	const parameters = { credentialType: type, operation };
	if (path) parameters.path = path;
	return runNode({
		type: 'keapProbe',
		nodeTypes: probeTypes,
		parameters,
		credentials: { [type]: credentialId },
		items: Array.from({ length: items }, (_, i) => ({ i })),
		store,
		continueOnFail,
	});
}

/** Runs `executions` probe executions at once, each with `items` items. */
async function burst({ type, store, executions, items }) {
	const runs = await runConcurrently(executions, () => runProbe({ type, store, items, continueOnFail: true }));
	return runs.flatMap((run) => {
		assert.equal(run.error, undefined, run.error?.message);
		return run.items.map((item) => item.json);
	});
}

function errorText(value) {
	if (!value) return '';
	const parts = [];
	const seen = new Set();
	const walk = (v) => {
		if (v === null || v === undefined || seen.has(v)) return;
		if (typeof v === 'string') return parts.push(v);
		if (typeof v !== 'object') return parts.push(String(v));
		seen.add(v);
		for (const key of Object.getOwnPropertyNames(v)) {
			try {
				walk(v[key]);
			} catch {
				// getters that throw are not part of the error's text
			}
		}
	};
	walk(value);
	return parts.join('\n');
}

function assertNoSecrets(text, secrets) {
	for (const secret of secrets.filter(Boolean)) {
		assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 8)}…) leaked into: ${text.slice(0, 300)}`);
	}
}

/** Spends a refresh token the way another system would (outside n8n). */
async function spendElsewhere(emu, refreshToken) {
	const res = await fetch(`${emu.url}/token`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
		},
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
		signal: AbortSignal.timeout(5000),
	});
	assert.equal(res.status, 200);
	return await res.json();
}

function tokenPairData(emu, tokens, { sessionExpiresInMs = 20 * 3600_000, withSession = true } = {}) {
	return {
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		refreshToken: tokens.refresh_token,
		accessToken: '',
		sessionAccessToken: withSession ? tokens.access_token : '',
		sessionExpiresAt: withSession ? new Date(Date.now() + sessionExpiresInMs).toISOString() : '',
		sessionRefreshTokenId: withSession ? tokenId(tokens.refresh_token) : '',
		tokenUrl: `${emu.url}/token`,
		baseUrl: emu.url,
	};
}

function oauthData(emu, tokens, extraTokenData = {}) {
	return {
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		grantType: 'authorizationCode',
		authUrl: `${emu.url}/app/oauth/authorize`,
		accessTokenUrl: `${emu.url}/token`,
		scope: 'full',
		authQueryParameters: '',
		authentication: 'header',
		baseUrl: emu.url,
		oauthTokenData: { ...tokens, ...extraTokenData },
	};
}

function refreshCount(emu) {
	return emu.counters().refreshes;
}

function tokenEndpointCalls(emu) {
	const t = emu.counters().token;
	return t.refresh_token + t.authorization_code + t.rejected;
}

let emu;
beforeAll(async () => {
	// Quotas off: these tests are about authentication, not pacing.
	emu = await startEmulator({ port: 0, limits: false });
});
afterAll(async () => {
	await emu?.close();
});

// ---------------------------------------------------------------------------------------
describe('API key (PAT / SAK) credential', () => {
	test('sends X-Keap-API-Key, never calls the token endpoint', async () => {
		const store = new CredentialStore({ cred: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
		const before = tokenEndpointCalls(emu);
		const results = await burst({ type: 'keapCrmApiKeyApi', store, executions: 2, items: 5 });
		assert.deepEqual(results.map((r) => r.status), Array(10).fill(200));
		assert.equal(tokenEndpointCalls(emu), before);
		assert.equal(store.updates.length, 0);
	});

	test('a wrong key comes back as the 401 response, not as a refresh', async () => {
		const store = new CredentialStore({ cred: { type: 'keapCrmApiKeyApi', data: { apiKey: 'KeapAK-wrong', baseUrl: emu.url } } });
		const before = tokenEndpointCalls(emu);
		const run = await runProbe({ type: 'keapCrmApiKeyApi', store });
		assert.equal(run.items[0].json.status, 401);
		assert.equal(tokenEndpointCalls(emu), before);
	});

	test('no response (closed port): the error names the host and carries no key', async () => {
		const store = new CredentialStore({ cred: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: 'http://127.0.0.1:9' } } });
		const run = await runProbe({ type: 'keapCrmApiKeyApi', store, continueOnFail: true });
		const item = run.items[0].json;
		assert.match(item.error, /127\.0\.0\.1:9/);
		assertNoSecrets(JSON.stringify(item), [PAT]);
	});

	test('credential test passes with a valid key and fails with a wrong one', async () => {
		assert.equal((await testCredential('keapCrmApiKeyApi', { apiKey: PAT, baseUrl: emu.url })).status, 'OK');
		const bad = await testCredential('keapCrmApiKeyApi', { apiKey: 'KeapAK-wrong', baseUrl: emu.url });
		assert.equal(bad.status, 'Error');
		assertNoSecrets(bad.message, ['KeapAK-wrong']);
	});
});

// ---------------------------------------------------------------------------------------
describe('Token pair credential', () => {
	test('50 concurrent requests with an expired access token -> one refresh, 50 successes, newest tokens stored', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		emu.expireAccessTokens();
		const before = refreshCount(emu);
		const rejectedBefore = emu.counters().rejectedRefreshes;
		const results = await burst({ type: 'keapCrmTokenPairApi', store, executions: 5, items: 10 });
		assert.equal(results.length, 50);
		assert.deepEqual(results.map((r) => r.status ?? r.error), Array(50).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.equal(emu.counters().rejectedRefreshes, rejectedBefore);
		const stored = store.data('cred');
		assert.notEqual(stored.refreshToken, tokens.refresh_token);
		assert.notEqual(stored.sessionAccessToken, tokens.access_token);
		assert.equal(stored.sessionRefreshTokenId, tokenId(stored.refreshToken));
		assert.ok(Date.parse(stored.sessionExpiresAt) > Date.now() + 23 * 3600_000);
		// The stored refresh token is the live one: spending it works.
		await spendElsewhere(emu, stored.refreshToken);
	});

	test('first use without a session: 50 concurrent requests -> one refresh', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens, { withSession: false }) },
		});
		const before = refreshCount(emu);
		const results = await burst({ type: 'keapCrmTokenPairApi', store, executions: 5, items: 10 });
		assert.deepEqual(results.map((r) => r.status ?? r.error), Array(50).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.notEqual(store.data('cred').refreshToken, tokens.refresh_token);
	});

	test('a caller holding the pre-rotation refresh token gets the new tokens, not invalid_grant', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const original = tokenPairData(emu, tokens);
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: original } });
		emu.expireAccessTokens();
		const first = await runProbe({ type: 'keapCrmTokenPairApi', store });
		assert.equal(first.items[0].json.status, 200);
		const rotated = store.data('cred').refreshToken;
		// Something (a stale editor form, a slow writer) puts the old refresh token back.
		store.patch('cred', { ...original, sessionAccessToken: '' });
		const before = emu.counters().rejectedRefreshes;
		const second = await runProbe({ type: 'keapCrmTokenPairApi', store });
		assert.equal(second.items[0].json.status, 200);
		assert.equal(emu.counters().rejectedRefreshes, before);
		assert.equal(store.data('cred').refreshToken, rotated);
	});

	test('refresh token already used elsewhere -> one rejected refresh, a clear error, no secrets', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			cred: { type: 'keapCrmTokenPairApi', name: 'My Keap pair', data: tokenPairData(emu, tokens) },
		});
		await spendElsewhere(emu, tokens.refresh_token);
		emu.expireAccessTokens();
		const before = emu.counters().token.rejected;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 10, continueOnFail: true });
		assert.equal(emu.counters().token.rejected - before, 1, 'exactly one token-endpoint call, no retry storm');
		for (const item of run.items) {
			assert.match(item.json.error, /"My Keap pair"/);
			assert.match(item.json.error, /paste a new token pair/);
			assertNoSecrets(errorText(item.json), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
		}
		// Without continueOnFail the execution fails with the same error.
		const failed = await runProbe({ type: 'keapCrmTokenPairApi', store });
		assert.match(failed.error.message, /paste a new token pair/);
		assertNoSecrets(errorText(failed.error), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
		assertNoSecrets(JSON.stringify(failed.runData), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
	});

	test('Keap\'s invalid_request variant is a rejection too', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		await spendElsewhere(emu, tokens.refresh_token);
		emu.expireAccessTokens();
		emu.setConfig({ refreshErrorVariant: 'invalid_request' });
		try {
			const run = await runProbe({ type: 'keapCrmTokenPairApi', store, continueOnFail: true });
			assert.match(run.items[0].json.error, /paste a new token pair/);
			assert.match(run.items[0].json.description, /invalid_request/);
		} finally {
			emu.setConfig({ refreshErrorVariant: 'invalid_grant' });
		}
	});

	test('a transient 503 from the token endpoint is retried and does not burn the token', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		emu.expireAccessTokens();
		emu.setFaults({ status: 503, count: 1, match: { method: 'POST', pathPrefix: '/token' } });
		const before = refreshCount(emu);
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 5 });
		assert.deepEqual(run.items.map((i) => i.json.status), Array(5).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.notEqual(store.data('cred').refreshToken, tokens.refresh_token);
	});

	test('a token-endpoint outage gives a "try again" error and leaves the stored tokens alone', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const data = tokenPairData(emu, tokens);
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data } });
		emu.expireAccessTokens();
		emu.setFaults({ status: 503, count: 3, match: { method: 'POST', pathPrefix: '/token' } });
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, continueOnFail: true });
		assert.match(run.items[0].json.error, /not answering/);
		assert.equal(store.data('cred').refreshToken, tokens.refresh_token);
		// The token was not spent: the next run refreshes with it.
		const again = await runProbe({ type: 'keapCrmTokenPairApi', store });
		assert.equal(again.items[0].json.status, 200);
	});

	test('refreshes ahead of a known expiry, before any 401', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens, { sessionExpiresInMs: 60_000 }) },
		});
		const before = refreshCount(emu);
		const unauthorizedBefore = emu.counters().unauthorized401;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 10 });
		assert.deepEqual(run.items.map((i) => i.json.status), Array(10).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.equal(emu.counters().unauthorized401, unauthorizedBefore, 'no request met a 401');
	});

	test('45 days idle -> the documented reconnect failure; weekly keep-alive prevents it', async () => {
		const idle = emu.issueTokens({ clientId: CLIENT_ID });
		const kept = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			idle: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, idle) },
			kept: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, kept) },
		});
		for (let week = 1; week <= 7; week++) {
			emu.advanceClock(7 * DAY);
			const run = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'kept', operation: 'keepAlive' });
			assert.equal(run.error, undefined, run.error?.message);
			assert.equal(run.items[0].json.refreshed, true, `week ${week}`);
		}
		const alive = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'kept' });
		assert.equal(alive.items[0].json.status, 200);
		const dead = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'idle', continueOnFail: true });
		assert.match(dead.items[0].json.error, /paste a new token pair/);
		assert.match(dead.items[0].json.description, /45 days/);
	});

	test('credential test: passes without spending the refresh token when a fresh session is stored', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const before = tokenEndpointCalls(emu);
		const result = await testCredential('keapCrmTokenPairApi', tokenPairData(emu, tokens));
		assert.equal(result.status, 'OK', result.message);
		assert.equal(tokenEndpointCalls(emu), before);
	});

	test('credential test with a pasted access token (first use) does not spend the refresh token', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const data = { ...tokenPairData(emu, tokens, { withSession: false }), accessToken: tokens.access_token };
		const before = tokenEndpointCalls(emu);
		const store = new CredentialStore();
		assert.equal((await testCredential('keapCrmTokenPairApi', data, store)).status, 'OK');
		assert.equal(tokenEndpointCalls(emu), before);
		// The first real run uses the pasted token too, and refreshes once it dies.
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'tested-credential' });
		assert.equal(run.items[0].json.status, 200);
		emu.expireAccessTokens();
		const later = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'tested-credential', items: 5 });
		assert.deepEqual(later.items.map((i) => i.json.status), Array(5).fill(200));
		assert.equal(tokenEndpointCalls(emu) - before, 1);
	});

	test('credential test that must refresh persists the rotation; a run after it and a re-test with the stale form both work', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const form = tokenPairData(emu, tokens, { withSession: false });
		const store = new CredentialStore();
		const before = refreshCount(emu);
		assert.equal((await testCredential('keapCrmTokenPairApi', form, store)).status, 'OK');
		assert.equal(refreshCount(emu) - before, 1);
		const stored = store.data('tested-credential');
		assert.notEqual(stored.refreshToken, tokens.refresh_token, 'n8n persisted the rotated refresh token');
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, credentialId: 'tested-credential' });
		assert.equal(run.items[0].json.status, 200);
		// The editor form still holds the pasted (now spent) refresh token: test it again.
		const rejectedBefore = emu.counters().rejectedRefreshes;
		assert.equal((await testCredential('keapCrmTokenPairApi', form, store)).status, 'OK');
		assert.equal(emu.counters().rejectedRefreshes, rejectedBefore);
	});

	test('credential test fails for a refresh token Keap does not know', async () => {
		const data = tokenPairData(emu, { refresh_token: 'emu-rt-unknown', access_token: '' }, { withSession: false });
		const result = await testCredential('keapCrmTokenPairApi', data);
		assert.equal(result.status, 'Error');
		assertNoSecrets(result.message, [CLIENT_SECRET, 'emu-rt-unknown']);
	});
});

// ---------------------------------------------------------------------------------------
describe('OAuth2 credential', () => {
	test('50 concurrent requests with an expired access token -> one refresh, 50 successes, newest tokens stored', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, tokens) } });
		emu.expireAccessTokens();
		const before = refreshCount(emu);
		const rejectedBefore = emu.counters().rejectedRefreshes;
		const results = await burst({ type: 'keapCrmOAuth2Api', store, executions: 5, items: 10 });
		assert.deepEqual(results.map((r) => r.status ?? r.error), Array(50).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.equal(emu.counters().rejectedRefreshes, rejectedBefore);
		const stored = store.data('cred').oauthTokenData;
		assert.notEqual(stored.refresh_token, tokens.refresh_token);
		await spendElsewhere(emu, stored.refresh_token);
	});

	test('refresh token already used elsewhere -> one rejected refresh, a reconnect error, no secrets', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', name: 'Keap OAuth', data: oauthData(emu, tokens) } });
		await spendElsewhere(emu, tokens.refresh_token);
		emu.expireAccessTokens();
		const before = emu.counters().token.rejected;
		const run = await runProbe({ type: 'keapCrmOAuth2Api', store, items: 10, continueOnFail: true });
		assert.equal(emu.counters().token.rejected - before, 1, 'exactly one token-endpoint call, no retry storm');
		for (const item of run.items) {
			assert.match(item.json.error, /"Keap OAuth" must be reconnected/);
			assertNoSecrets(errorText(item.json), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
		}
		const failed = await runProbe({ type: 'keapCrmOAuth2Api', store });
		assert.match(failed.error.message, /must be reconnected/);
		assertNoSecrets(errorText(failed.error), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
		assertNoSecrets(JSON.stringify(failed.runData), [CLIENT_SECRET, tokens.refresh_token, tokens.access_token]);
	});

	test('a transient 503 from the token endpoint is retried and does not burn the token', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, tokens) } });
		emu.expireAccessTokens();
		emu.setFaults({ status: 503, count: 1, match: { method: 'POST', pathPrefix: '/token' } });
		const before = refreshCount(emu);
		const run = await runProbe({ type: 'keapCrmOAuth2Api', store, items: 5 });
		assert.deepEqual(run.items.map((i) => i.json.status), Array(5).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.notEqual(store.data('cred').oauthTokenData.refresh_token, tokens.refresh_token);
	});

	test('refreshes ahead of a known expiry (n8n_expires_at), before any 401', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, tokens, { n8n_expires_at: String(Date.now() + 60_000) }) },
		});
		const before = refreshCount(emu);
		const unauthorizedBefore = emu.counters().unauthorized401;
		const run = await runProbe({ type: 'keapCrmOAuth2Api', store, items: 10 });
		assert.deepEqual(run.items.map((i) => i.json.status), Array(10).fill(200));
		assert.equal(refreshCount(emu) - before, 1);
		assert.equal(emu.counters().unauthorized401, unauthorizedBefore, 'no request met a 401');
		assert.ok(Number(store.data('cred').oauthTokenData.n8n_expires_at) > Date.now() + 23 * 3600_000);
	});

	test('45 days idle -> reconnect error; weekly keep-alive prevents it', async () => {
		const idle = emu.issueTokens({ clientId: CLIENT_ID });
		const kept = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			idle: { type: 'keapCrmOAuth2Api', data: oauthData(emu, idle) },
			kept: { type: 'keapCrmOAuth2Api', data: oauthData(emu, kept) },
		});
		for (let week = 1; week <= 7; week++) {
			emu.advanceClock(7 * DAY);
			const run = await runProbe({ type: 'keapCrmOAuth2Api', store, credentialId: 'kept', operation: 'keepAlive' });
			assert.equal(run.error, undefined, run.error?.message);
			assert.equal(run.items[0].json.refreshed, true, `week ${week}`);
		}
		const alive = await runProbe({ type: 'keapCrmOAuth2Api', store, credentialId: 'kept' });
		assert.equal(alive.items[0].json.status, 200);
		const dead = await runProbe({ type: 'keapCrmOAuth2Api', store, credentialId: 'idle', continueOnFail: true });
		assert.match(dead.items[0].json.error, /must be reconnected/);
		assert.match(dead.items[0].json.description, /45 days/);
	});

	test('not connected yet -> a clear error', async () => {
		const data = oauthData(emu, {});
		delete data.oauthTokenData;
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', name: 'Fresh', data } });
		const run = await runProbe({ type: 'keapCrmOAuth2Api', store, continueOnFail: true });
		assert.match(run.items[0].json.error, /"Fresh" is not connected/);
	});

	test('credential test passes with valid tokens and fails when the grant is dead', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		assert.equal((await testCredential('keapCrmOAuth2Api', oauthData(emu, tokens))).status, 'OK');
		const dead = emu.issueTokens({ clientId: CLIENT_ID });
		await spendElsewhere(emu, dead.refresh_token);
		emu.expireAccessTokens();
		const result = await testCredential('keapCrmOAuth2Api', oauthData(emu, dead));
		assert.equal(result.status, 'Error');
		assertNoSecrets(result.message, [CLIENT_SECRET, dead.refresh_token, dead.access_token]);
	});
});

