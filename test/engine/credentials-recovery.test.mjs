// Recovery of the refreshing credentials, run by n8n-core's real engine (test/engine/harness.mjs)
// against the Keap emulator over real HTTP. Build first: npm run build.
//
// 1. n8n's own 401 path (what the HTTP Request node with a Keap credential takes): after a
//    401 n8n calls the token pair's preAuthentication again with the token that just failed.
//    It must not be handed back: preAuthentication asks Keap about it (GET userinfo), and a
//    dead token leads to one refresh. A live one is kept (a credential test spends nothing).
// 2. Another process (a queue-mode worker) refreshed first: this process's refresh of the same
//    refresh token is rejected (invalid_grant / invalid_request). The Keap node reads the
//    stored credential again and uses what the other process saved, even when that save lands
//    a moment after the rejection. "Another process" is played here by a direct call to the
//    emulator's token endpoint followed by a delayed write into the credential store (the
//    database), which is exactly what a worker does: refresh, then save.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNode, testCredential } from './harness.mjs';

const require = createRequire(import.meta.url);
const { keapAuthenticatedRequest, refreshKeapCredentialNow } = require('../../dist/nodes/Keap/transport/auth/index.js');
const { tokenId } = require('../../dist/credentials/common/tokenPair.js');

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const CONTACTS = '/crm/rest/v1/contacts';
const USERINFO = '/crm/rest/v1/oauth/connect/userinfo';

/**
 * Calls Keap once per input item, all items at once. `via: 'keap'` goes through the Keap
 * node's auth module; `via: 'n8n'` calls httpRequestWithAuthentication directly, without
 * ignoreHttpStatusErrors, so a 401 takes n8n's own "preAuthentication again, resend once" path
 * (as n8n's HTTP Request node does with a predefined credential type).
 */
class RecoveryProbe {
	description = {
		displayName: 'Recovery Probe',
		name: 'recoveryProbe',
		group: ['transform'],
		version: 1,
		description: 'Test probe for credential recovery',
		defaults: { name: 'Recovery Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'keapCrmOAuth2Api', required: false },
			{ name: 'keapCrmTokenPairApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'Via', name: 'via', type: 'string', default: 'keap' },
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'request' },
		],
	};

	async execute() {
		const items = this.getInputData();
		const type = this.getNodeParameter('credentialType', 0);
		const via = this.getNodeParameter('via', 0);
		if (this.getNodeParameter('operation', 0) === 'keepAlive') {
			const result = await refreshKeapCredentialNow.call(this, type);
			return [[{ json: result, pairedItem: { item: 0 } }]];
		}
		const out = await Promise.all(
			items.map(async (_, i) => {
				try {
					if (via === 'n8n') {
						const credentials = await this.getCredentials(type);
						await this.helpers.httpRequestWithAuthentication.call(this, type, {
							method: 'GET',
							url: `${credentials.baseUrl}${CONTACTS}`,
							qs: { limit: 1 },
							json: true,
						});
						return { json: { status: 200 }, pairedItem: { item: i } };
					}
					const response = await keapAuthenticatedRequest.call(this, type, {
						method: 'GET',
						url: CONTACTS,
						qs: { limit: 1 },
						json: true,
					});
					return { json: { status: response.statusCode }, pairedItem: { item: i } };
				} catch (error) {
					if (!this.continueOnFail()) throw error;
					return { json: { error: error.message, description: error.description ?? '' }, pairedItem: { item: i } };
				}
			}),
		);
		return [out];
	}
}

const probeTypes = { recoveryProbe: new RecoveryProbe() };

function runProbe({ type, store, via = 'keap', items = 1, operation = 'request', continueOnFail = false }) {
	return runNode({
		type: 'recoveryProbe',
		nodeTypes: probeTypes,
		parameters: { credentialType: type, via, operation },
		credentials: { [type]: 'cred' },
		items: Array.from({ length: items }, (_, i) => ({ i })),
		store,
		continueOnFail,
	});
}

/** What another process does when it refreshes: spend the refresh token at Keap. */
async function refreshElsewhere(emu, refreshToken) {
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

/** Writes `partial` into the stored credential after `ms` (the other process's save). */
function saveLater(store, partial, ms) {
	return new Promise((resolve) =>
		setTimeout(() => {
			store.patch('cred', partial);
			resolve();
		}, ms),
	);
}

function tokenPairData(emu, tokens, { withSession = true } = {}) {
	return {
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		refreshToken: tokens.refresh_token,
		accessToken: '',
		sessionAccessToken: withSession ? tokens.access_token : '',
		sessionExpiresAt: withSession ? new Date(Date.now() + 20 * 3600_000).toISOString() : '',
		sessionRefreshTokenId: withSession ? tokenId(tokens.refresh_token) : '',
		tokenUrl: `${emu.url}/token`,
		baseUrl: emu.url,
	};
}

/** The token-pair fields a process that refreshed to `tokens` saves. */
function savedPair(tokens) {
	return {
		refreshToken: tokens.refresh_token,
		sessionAccessToken: tokens.access_token,
		sessionExpiresAt: new Date(Date.now() + 23 * 3600_000).toISOString(),
		sessionRefreshTokenId: tokenId(tokens.refresh_token),
	};
}

function oauthData(emu, tokens) {
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
		oauthTokenData: { ...tokens },
	};
}

function statuses(run) {
	return run.items.map((i) => i.json.status ?? i.json.error);
}

/** Emulator log entries since `mark`, as [method path status]. */
function since(emu, mark) {
	return emu.log().slice(mark).map((e) => `${e.method} ${e.path} ${e.status}`);
}

let emu;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, limits: false, quiet: true });
});
afterAll(async () => {
	await emu?.close();
});

// ---------------------------------------------------------------------------------------
describe("token pair on n8n's own 401 path", () => {
	test('a stored session Keap ended early: 401, probe 401, one refresh, resend 200; rotation stored', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		emu.expireAccessTokens();
		const mark = emu.log().length;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, via: 'n8n' });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(statuses(run), [200]);
		assert.deepEqual(since(emu, mark), [
			`GET ${CONTACTS} 401`,
			`GET ${USERINFO} 401`,
			'POST /token 200',
			`GET ${CONTACTS} 200`,
		]);
		const stored = store.data('cred');
		assert.notEqual(stored.refreshToken, tokens.refresh_token);
		assert.equal(stored.sessionRefreshTokenId, tokenId(stored.refreshToken));
	});

	test('10 concurrent requests meeting the same dead session share one probe and one refresh', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		emu.expireAccessTokens();
		const before = { refreshes: emu.counters().refreshes, rejected: emu.counters().rejectedRefreshes };
		const mark = emu.log().length;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, via: 'n8n', items: 10 });
		assert.deepEqual(statuses(run), Array(10).fill(200));
		assert.equal(emu.counters().refreshes - before.refreshes, 1);
		assert.equal(emu.counters().rejectedRefreshes, before.rejected);
		const probes = since(emu, mark).filter((e) => e.includes(USERINFO));
		assert.ok(probes.length >= 1 && probes.length <= 10, probes.join('\n'));
	});

	test('a pasted access token that already expired: first use 401, then one refresh', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const data = { ...tokenPairData(emu, tokens, { withSession: false }), accessToken: tokens.access_token };
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data } });
		emu.expireAccessTokens();
		const before = emu.counters().refreshes;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, via: 'n8n' });
		assert.deepEqual(statuses(run), [200]);
		assert.equal(emu.counters().refreshes - before, 1);
	});

	test('credential test with a stored session Keap ended: refreshes once and passes', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		emu.expireAccessTokens();
		const before = emu.counters().refreshes;
		const store = new CredentialStore();
		const result = await testCredential('keapCrmTokenPairApi', tokenPairData(emu, tokens), store);
		assert.equal(result.status, 'OK', result.message);
		assert.equal(emu.counters().refreshes - before, 1);
		assert.notEqual(store.data('tested-credential').refreshToken, tokens.refresh_token);
	});

	test('credential test with a live stored session: one probe, no token-endpoint call', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const before = emu.counters().token.refresh_token;
		const mark = emu.log().length;
		const result = await testCredential('keapCrmTokenPairApi', tokenPairData(emu, tokens));
		assert.equal(result.status, 'OK', result.message);
		assert.equal(emu.counters().token.refresh_token, before);
		assert.deepEqual(since(emu, mark), [`GET ${USERINFO} 200`, `GET ${USERINFO} 200`]);
	});
});

// ---------------------------------------------------------------------------------------
describe('another process refreshed first (queue mode)', () => {
	for (const variant of ['invalid_grant', 'invalid_request']) {
		test(`token pair (${variant}): rejected refresh, the other process's save is read and used`, async () => {
			const tokens = emu.issueTokens({ clientId: CLIENT_ID });
			const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
			emu.expireAccessTokens();
			// The other process has refreshed at Keap; its save lands 400 ms later.
			const other = await refreshElsewhere(emu, tokens.refresh_token);
			const saved = saveLater(store, savedPair(other), 400);
			emu.setConfig({ refreshErrorVariant: variant });
			try {
				const before = { refreshes: emu.counters().refreshes, rejected: emu.counters().rejectedRefreshes };
				const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 5 });
				await saved;
				assert.equal(run.error, undefined, run.error?.message);
				assert.deepEqual(statuses(run), Array(5).fill(200));
				assert.equal(emu.counters().rejectedRefreshes - before.rejected, 1, 'one rejected refresh (single flight)');
				assert.equal(emu.counters().refreshes - before.refreshes, 0, 'no refresh of our own: the saved pair was used');
				assert.equal(store.data('cred').refreshToken, other.refresh_token);
			} finally {
				emu.setConfig({ refreshErrorVariant: 'invalid_grant' });
			}
		});
	}

	test('token pair: the other process saved a newer refresh token but its session died too -> refresh with it', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		const other = await refreshElsewhere(emu, tokens.refresh_token);
		emu.expireAccessTokens(); // the other process's new access token is dead as well
		const saved = saveLater(store, savedPair(other), 200);
		const before = emu.counters().refreshes;
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 3 });
		await saved;
		assert.deepEqual(statuses(run), Array(3).fill(200));
		assert.equal(emu.counters().refreshes - before, 1, 'one refresh, with the newer refresh token');
		const stored = store.data('cred');
		assert.notEqual(stored.refreshToken, other.refresh_token);
		assert.notEqual(stored.refreshToken, tokens.refresh_token);
	});

	test('token pair: nothing is ever saved -> the rejection reaches the user, bounded, one token call', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({
			cred: { type: 'keapCrmTokenPairApi', name: 'Stuck pair', data: tokenPairData(emu, tokens) },
		});
		await refreshElsewhere(emu, tokens.refresh_token);
		emu.expireAccessTokens();
		const before = emu.counters().token.rejected;
		const started = Date.now();
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, items: 3, continueOnFail: true });
		assert.ok(Date.now() - started < 10_000, 'the re-reads are bounded');
		for (const item of run.items) assert.match(item.json.error, /"Stuck pair".*paste a new token pair/);
		assert.equal(emu.counters().token.rejected - before, 1);
	});

	test('token pair keep-alive racing another process: reports the credential alive', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmTokenPairApi', data: tokenPairData(emu, tokens) } });
		const other = await refreshElsewhere(emu, tokens.refresh_token);
		const saved = saveLater(store, savedPair(other), 300);
		const run = await runProbe({ type: 'keapCrmTokenPairApi', store, operation: 'keepAlive' });
		await saved;
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items[0].json.refreshed, true);
		assert.equal(store.data('cred').refreshToken, other.refresh_token);
	});

	test("OAuth2: rejected refresh, the other process's save is read and used", async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, tokens) } });
		emu.expireAccessTokens();
		const other = await refreshElsewhere(emu, tokens.refresh_token);
		const saved = saveLater(store, { oauthTokenData: { ...other } }, 400);
		const before = { refreshes: emu.counters().refreshes, rejected: emu.counters().rejectedRefreshes };
		const run = await runProbe({ type: 'keapCrmOAuth2Api', store, items: 5 });
		await saved;
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(statuses(run), Array(5).fill(200));
		assert.equal(emu.counters().rejectedRefreshes - before.rejected, 1);
		assert.equal(emu.counters().refreshes - before.refreshes, 0);
		assert.equal(store.data('cred').oauthTokenData.refresh_token, other.refresh_token);
	});
});
