// Keap CRM node, Account > Keep Credential Alive, through n8n-core's engine against the
// emulator: it refreshes a token pair once per execution (whatever the number of items), the
// rotated refresh token is what n8n persists, and an API key has nothing to refresh.
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNode } from './harness.mjs';

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
let emu;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, quiet: true, limits: false });
});
afterAll(async () => emu.close());

test('token pair: one refresh for three items; the stored refresh token is the new, live one', async () => {
	const tokens = emu.issueTokens({ clientId: CLIENT_ID });
	const store = new CredentialStore({
		pair: {
			type: 'keapCrmTokenPairApi',
			data: {
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				refreshToken: tokens.refresh_token,
				accessToken: tokens.access_token,
				tokenUrl: `${emu.url}/token`,
				baseUrl: emu.url,
			},
		},
	});
	const before = emu.counters().refreshes;
	const res = await runNode({
		type: 'keapCrm',
		parameters: { authentication: 'tokenPair', resource: 'account', operation: 'keepAlive' },
		credentials: { keapCrmTokenPairApi: 'pair' },
		items: [{}, {}, {}],
		store,
	});
	assert.ifError(res.error);
	assert.equal(res.items.length, 3);
	assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
	assert.equal(res.items[0].json.refreshed, true);
	assert.equal(emu.counters().refreshes - before, 1, 'one refresh per execution');
	const stored = store.data('pair').refreshToken;
	assert.notEqual(stored, tokens.refresh_token, 'the rotated refresh token was persisted');
	assert.ok(!JSON.stringify(res.items).includes(stored), 'no token in the output');
	// The persisted token is the live one: Keap accepts it.
	const check = await fetch(`${emu.url}/token`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
		},
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored }),
	});
	assert.equal(check.status, 200);
});

test('API key: nothing to refresh, no call to the token endpoint', async () => {
	const store = new CredentialStore({ key: { type: 'keapCrmApiKeyApi', data: { apiKey: 'KeapPAT-emulator-pat', baseUrl: emu.url } } });
	const before = emu.log().length;
	const res = await runNode({
		type: 'keapCrm',
		parameters: { authentication: 'apiKey', resource: 'account', operation: 'keepAlive' },
		credentials: { keapCrmApiKeyApi: 'key' },
		store,
	});
	assert.ifError(res.error);
	assert.equal(res.items[0].json.refreshed, false);
	assert.equal(emu.log().slice(before).filter((e) => e.path === '/token').length, 0);
});
