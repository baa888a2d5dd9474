// OAuth2 under n8n 1.x's refresh behaviour, inside n8n-core 2.41's engine.
// n8n 1.x (up to 1.123) refreshes an OAuth2 token after any 401 with no coordination: every
// request that meets the 401 spends the same single-use refresh token, saves the whole
// credential (updateCredentials) and resends. It also has no helpers.refreshOAuth2Token.
// This file swaps n8n-core's requestOAuth2 for a port of 1.x's httpRequest path (from n8n's
// 1.x source, packages/core/src/execution-engine/node-execution-context/utils/
// request-helper-functions.ts) and removes refreshOAuth2Token from the probe's helpers, then
//  - shows the port reproduces the 1.x bug (n8n issue #12742) when requests go straight to
//    httpRequestWithAuthentication: concurrent 401s -> more than one refresh attempt, the
//    extra ones rejected as a reused refresh token;
//  - shows the Keap auth module keeps it to exactly one refresh, all requests succeeding;
//  - shows keep-alive works without refreshOAuth2Token (the 1.x probe path).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNode, runConcurrently } from './harness.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const oauthModule = require(
	join(ROOT, 'node_modules/n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/oauth.js'),
);
const requireFromCore = createRequire(join(ROOT, 'node_modules/n8n-core/package.json'));
const { ClientOAuth2 } = requireFromCore('@n8n/client-oauth2');
const lodashGet = requireFromCore('lodash/get');
const { keapAuthenticatedRequest, refreshKeapCredentialNow } = require('../../dist/nodes/Keap/transport/auth/index.js');

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const DAY = 86_400_000;

/** Port of n8n 1.x requestOAuth2, the branch httpRequestWithAuthentication takes. */
async function legacyRequestOAuth2(credentialsType, requestOptions, node, additionalData, oAuth2Options) {
	const credentials = await this.getCredentials(credentialsType);
	if (credentials.grantType === 'authorizationCode' && credentials.oauthTokenData === undefined) {
		throw new Error('OAuth credentials not connected');
	}
	const oAuthClient = new ClientOAuth2({
		clientId: credentials.clientId,
		clientSecret: credentials.clientSecret,
		accessTokenUri: credentials.accessTokenUrl,
		scopes: String(credentials.scope).split(' '),
		ignoreSSLIssues: credentials.ignoreSSLIssues,
		authentication: credentials.authentication ?? 'header',
	});
	const oauthTokenData = credentials.oauthTokenData;
	const accessToken = lodashGet(oauthTokenData, oAuth2Options?.property) || oauthTokenData.accessToken;
	const refreshToken = oauthTokenData.refreshToken;
	const token = oAuthClient.createToken(
		{
			...oauthTokenData,
			...(accessToken ? { access_token: accessToken } : {}),
			...(refreshToken ? { refresh_token: refreshToken } : {}),
		},
		oAuth2Options?.tokenType || oauthTokenData.tokenType,
	);
	const newRequestOptions = token.sign(requestOptions);
	return await this.helpers.httpRequest(newRequestOptions).catch(async (error) => {
		if (error.response?.status === 401) {
			const newToken = await token.refresh({});
			credentials.oauthTokenData = newToken.data;
			await additionalData.credentialsHelper.updateCredentials(node.credentials[credentialsType], credentialsType, credentials);
			return await this.helpers.httpRequest(newToken.sign(requestOptions));
		}
		throw error;
	});
}

class LegacyProbe {
	description = {
		displayName: 'Legacy Probe',
		name: 'legacyProbe',
		group: ['transform'],
		version: 1,
		description: 'Test probe running with n8n 1.x helpers',
		defaults: { name: 'Legacy Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'keapCrmOAuth2Api', required: true }],
		properties: [{ displayName: 'Mode', name: 'mode', type: 'string', default: 'auth' }],
	};

	async execute() {
		// n8n 1.x has no helpers.refreshOAuth2Token.
		delete this.helpers.refreshOAuth2Token;
		const mode = this.getNodeParameter('mode', 0);
		const items = this.getInputData();
		if (mode === 'keepAlive') {
			return [[{ json: await refreshKeapCredentialNow.call(this, 'keapCrmOAuth2Api'), pairedItem: { item: 0 } }]];
		}
		const out = await Promise.all(
			items.map(async (_, i) => {
				try {
					if (mode === 'raw') {
						const creds = await this.getCredentials('keapCrmOAuth2Api');
						await this.helpers.httpRequestWithAuthentication.call(this, 'keapCrmOAuth2Api', {
							method: 'GET',
							url: `${creds.baseUrl}/crm/rest/v1/contacts`,
							json: true,
						});
						return { json: { status: 200 }, pairedItem: { item: i } };
					}
					const response = await keapAuthenticatedRequest.call(this, 'keapCrmOAuth2Api', {
						method: 'GET',
						url: '/crm/rest/v1/contacts',
						json: true,
					});
					return { json: { status: response.statusCode }, pairedItem: { item: i } };
				} catch (error) {
					return { json: { error: error.message }, pairedItem: { item: i } };
				}
			}),
		);
		return [out];
	}
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
		oauthTokenData: tokens,
	};
}

async function burst(store, mode, executions, items, credentialId = 'cred') {
	const runs = await runConcurrently(executions, () =>
		runNode({
			type: 'legacyProbe',
			nodeTypes: { legacyProbe: new LegacyProbe() },
			parameters: { mode },
			credentials: { keapCrmOAuth2Api: credentialId },
			items: Array.from({ length: items }, (_, i) => ({ i })),
			store,
		}),
	);
	return runs.flatMap((run) => {
		assert.equal(run.error, undefined, run.error?.message);
		return run.items.map((item) => item.json);
	});
}

let emu;
let original;
beforeAll(async () => {
	// Quotas off: these tests are about authentication, not pacing.
	emu = await startEmulator({ port: 0, limits: false });
	original = oauthModule.requestOAuth2;
	oauthModule.requestOAuth2 = legacyRequestOAuth2;
});
afterAll(async () => {
	oauthModule.requestOAuth2 = original;
	await emu?.close();
});

describe('OAuth2 with n8n 1.x refresh behaviour', () => {
	test('control: straight httpRequestWithAuthentication calls spend the refresh token more than once', async () => {
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, emu.issueTokens({ clientId: CLIENT_ID })) } });
		emu.expireAccessTokens();
		const before = emu.counters();
		const results = await burst(store, 'raw', 4, 5);
		const after = emu.counters();
		assert.ok(after.refreshAttempts - before.refreshAttempts > 1, 'several refresh attempts');
		assert.ok(after.rejectedRefreshes - before.rejectedRefreshes >= 1, 'reused refresh token rejected');
		assert.ok(results.some((r) => r.error), 'some requests failed');
	});

	test('through the Keap auth module: 50 concurrent requests -> exactly one refresh, all succeed', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, tokens) } });
		emu.expireAccessTokens();
		const before = emu.counters();
		const results = await burst(store, 'auth', 5, 10);
		const after = emu.counters();
		assert.deepEqual(results.map((r) => r.status ?? r.error), Array(50).fill(200));
		assert.equal(after.refreshAttempts - before.refreshAttempts, 1);
		assert.equal(after.rejectedRefreshes, before.rejectedRefreshes);
		assert.notEqual(store.data('cred').oauthTokenData.refresh_token, tokens.refresh_token);
	});

	test('keep-alive without refreshOAuth2Token refreshes once and keeps the credential alive past 45 days', async () => {
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', data: oauthData(emu, emu.issueTokens({ clientId: CLIENT_ID })) } });
		for (let week = 1; week <= 7; week++) {
			emu.advanceClock(7 * DAY);
			const before = emu.counters().refreshAttempts;
			const [result] = await burst(store, 'keepAlive', 1, 1);
			assert.equal(result.refreshed, true, `week ${week}`);
			assert.equal(emu.counters().refreshAttempts - before, 1);
		}
		const [alive] = await burst(store, 'auth', 1, 1);
		assert.equal(alive.status, 200);
	});

	test('a rejected refresh -> one token-endpoint call and the reconnect error', async () => {
		const tokens = emu.issueTokens({ clientId: CLIENT_ID });
		const store = new CredentialStore({ cred: { type: 'keapCrmOAuth2Api', name: 'Old Keap', data: oauthData(emu, tokens) } });
		const spent = await fetch(`${emu.url}/token`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
			},
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
			signal: AbortSignal.timeout(5000),
		});
		assert.equal(spent.status, 200);
		emu.expireAccessTokens();
		const before = emu.counters().refreshAttempts;
		const results = await burst(store, 'auth', 1, 10);
		assert.equal(emu.counters().refreshAttempts - before, 1);
		for (const r of results) assert.match(r.error, /"Old Keap" must be reconnected/);
	});
});
