import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, form, basic, PAT, SAK, CLIENT_ID, CLIENT_SECRET } from './helpers.mjs';

const DAY = 86_400_000;

describe('OAuth2 and authentication', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	async function authorize(extra = {}) {
		const q = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: 'https://app.example/callback', response_type: 'code', scope: 'full', state: 'st-1', ...extra });
		const r = await call(`${emu.url}/app/oauth/authorize?${q}`, { auth: null });
		assert.equal(r.status, 302);
		return new URL(r.headers.get('location'));
	}

	async function exchange(code, overrides = {}) {
		return call(`${emu.url}/token`, {
			method: 'POST', auth: null,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, grant_type: 'authorization_code', redirect_uri: 'https://app.example/callback', ...overrides }),
		});
	}

	async function refresh(refreshToken, headers = { authorization: basic() }) {
		return call(`${emu.url}/token`, {
			method: 'POST', auth: null,
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
		});
	}

	test('authorize redirects with code and state; deny variant redirects with access_denied', async () => {
		const loc = await authorize();
		assert.equal(loc.origin + loc.pathname, 'https://app.example/callback');
		assert.ok(loc.searchParams.get('code'));
		assert.equal(loc.searchParams.get('state'), 'st-1');
		emu.setConfig({ authorizeDeny: true });
		const denied = await authorize();
		assert.equal(denied.searchParams.get('error'), 'access_denied');
		assert.equal(denied.searchParams.get('error_description'), 'User denied access to resource');
		assert.equal(denied.searchParams.get('code'), null);
	});

	test('code exchange returns Keap token JSON; a code works once', async () => {
		const code = (await authorize()).searchParams.get('code');
		const r = await exchange(code);
		assert.equal(r.status, 200);
		assert.equal(r.body.token_type, 'bearer');
		assert.equal(r.body.expires_in, 86400);
		assert.equal(r.body.scope, 'full|emulator.infusionsoft.com');
		assert.ok(r.body.access_token && r.body.refresh_token);
		const again = await exchange(code);
		assert.equal(again.status, 400);
		assert.equal(again.body.error, 'invalid_grant');
		const who = await call(`${emu.url}/crm/rest/v1/oauth/connect/userinfo`, { auth: r.body.access_token });
		assert.equal(who.status, 200);
		assert.equal(who.body.email, 'avery.admin@emulator.example');
		assert.equal(emu.counters().token.authorization_code, 1);
	});

	test('JSON body and bad client credentials are rejected like Keap', async () => {
		const json = await call(`${emu.url}/token`, { method: 'POST', auth: null, json: { grant_type: 'authorization_code' } });
		assert.equal(json.status, 400);
		assert.deepEqual(json.body, { error: 'invalid_request', error_description: 'response_type or grant_type is required' });
		const code = (await authorize()).searchParams.get('code');
		const bad = await exchange(code, { client_secret: 'wrong' });
		assert.equal(bad.status, 401);
		assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'Unable to authenticate username and password' });
	});

	test('refresh takes HTTP Basic or body credentials (strict Basic is switch oauthRefreshCredentials), rotates the refresh token, and a reused one gets 400 invalid_grant', async () => {
		let first = emu.issueTokens({ clientId: CLIENT_ID });
		const bodyCreds = (rt) => call(`${emu.url}/token`, {
			method: 'POST', auth: null, headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
		});
		const viaBody = await bodyCreds(first.refresh_token);
		assert.equal(viaBody.status, 200, 'body credentials, as n8n sends them');
		assert.equal(emu.log().at(-1).auth, 'body');
		emu.setConfig({ oauthRefreshCredentials: 'basic-only' });
		const strict = await bodyCreds(viaBody.body.refresh_token);
		assert.equal(strict.status, 401);
		assert.deepEqual(strict.body, { error: 'invalid_grant', error_description: 'Unable to authenticate username and password' });
		emu.setConfig({ oauthRefreshCredentials: 'basic-or-body' });
		const wrongSecret = await call(`${emu.url}/token`, {
			method: 'POST', auth: null, headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'refresh_token', refresh_token: viaBody.body.refresh_token, client_id: CLIENT_ID, client_secret: 'wrong' }),
		});
		assert.equal(wrongSecret.status, 401);
		emu.reset();
		first = emu.issueTokens({ clientId: CLIENT_ID });

		const second = await refresh(first.refresh_token);
		assert.equal(second.status, 200);
		assert.notEqual(second.body.refresh_token, first.refresh_token);
		assert.notEqual(second.body.access_token, first.access_token);

		const reused = await refresh(first.refresh_token);
		assert.equal(reused.status, 400);
		assert.deepEqual(reused.body, { error: 'invalid_grant', error_description: 'Invalid refresh token' });

		const third = await refresh(second.body.refresh_token);
		assert.equal(third.status, 200);
		const c = emu.counters();
		assert.equal(c.refreshes, 2);
		assert.equal(c.rejectedRefreshes, 1);
		assert.equal(emu.log().filter((e) => e.path === '/token').every((e) => e.auth === 'basic'), true);
		// default: the old access token stays valid until it expires
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`, { auth: first.access_token })).status, 200);
	});

	test('variants: invalid_request refresh error and revoking the old access token', async () => {
		emu.setConfig({ refreshErrorVariant: 'invalid_request', revokeAccessTokenOnRefresh: true });
		const first = emu.issueTokens();
		assert.equal((await refresh(first.refresh_token)).status, 200);
		const reused = await refresh(first.refresh_token);
		assert.deepEqual(reused.body, { error: 'invalid_request', error_description: 'Invalid Refresh Token' });
		const old = await call(`${emu.url}/crm/rest/v2/contacts`, { auth: first.access_token });
		assert.equal(old.status, 401);
	});

	test('refreshErrorVariant option of startEmulator', async () => {
		const other = await startEmulator({ quiet: true, refreshErrorVariant: 'invalid_request' });
		try {
			const r = await call(`${other.url}/token`, {
				method: 'POST', auth: null, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic() },
				body: form({ grant_type: 'refresh_token', refresh_token: 'nope' }),
			});
			assert.equal(r.body.error, 'invalid_request');
		} finally {
			await other.close();
		}
	});

	test('access tokens expire after 24 h and refresh tokens after 45 days of the emulator clock', async () => {
		const t = emu.issueTokens();
		emu.advanceClock(DAY - 60_000);
		assert.equal((await call(`${emu.url}/crm/rest/v2/contacts`, { auth: t.access_token })).status, 200);
		emu.advanceClock(120_000);
		const expired = await call(`${emu.url}/crm/rest/v2/contacts`, { auth: t.access_token });
		assert.equal(expired.status, 401);
		assert.equal(expired.body.fault.detail.errorcode, 'keymanagement.service.invalid_access_token');
		// the refresh token still works on day 2 ...
		const r = await refresh(t.refresh_token);
		assert.equal(r.status, 200);
		// ... but not after 45 days unused
		emu.advanceClock(45 * DAY + 1000);
		assert.equal((await refresh(r.body.refresh_token)).status, 400);
	});

	test('expireAccessTokens() and the admin endpoint make every access token answer 401', async () => {
		const t = emu.issueTokens();
		emu.expireAccessTokens();
		assert.equal((await call(`${emu.url}/crm/rest/v1/contacts`, { auth: t.access_token })).status, 401);
		const viaHttp = await call(`${emu.url}/__admin/tokens`, { method: 'POST', auth: null, json: { clientId: CLIENT_ID } });
		assert.equal((await call(`${emu.url}/crm/rest/v1/contacts`, { auth: viaHttp.body.access_token })).status, 200);
		await call(`${emu.url}/__admin/expire-access-tokens`, { method: 'POST', auth: null });
		assert.equal((await call(`${emu.url}/crm/rest/v1/contacts`, { auth: viaHttp.body.access_token })).status, 401);
		// PAT/SAK are not access tokens
		assert.equal((await call(`${emu.url}/crm/rest/v1/contacts`, { auth: PAT })).status, 200);
	});

	test('auth variants: Bearer, X-Keap-API-Key, ?access_token=; Apigee 401 bodies', async () => {
		const t = emu.issueTokens();
		const url = `${emu.url}/crm/rest/v2/contacts`;
		assert.equal((await call(url, { auth: t.access_token })).status, 200);
		assert.equal((await call(url, { auth: SAK })).status, 200);
		assert.equal((await call(url, { auth: null, headers: { 'x-keap-api-key': PAT } })).status, 200);
		assert.equal((await call(`${url}?access_token=${encodeURIComponent(t.access_token)}`, { auth: null })).status, 200);

		const none = await call(url, { auth: null });
		assert.equal(none.status, 401);
		assert.deepEqual(none.body, { fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } } });
		const noPrefix = await call(url, { auth: null, headers: { authorization: t.access_token } });
		assert.equal(noPrefix.body.fault.detail.errorcode, 'oauth.v2.InvalidAccessToken');
		const bad = await call(url, { auth: 'not-a-token' });
		assert.deepEqual(bad.body, { fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } });
		const badKey = await call(url, { auth: null, headers: { 'x-keap-api-key': 'KeapAK-wrong' } });
		assert.equal(badKey.status, 401);
		// auth happens before routing
		assert.equal((await call(`${emu.url}/crm/rest/v2/no-such-thing`, { auth: null })).status, 401);
		assert.equal((await call(`${emu.url}/crm/rest/v2/no-such-thing`)).status, 404);
	});

	test('request log names the credential kind and never holds a secret', async () => {
		const t = emu.issueTokens();
		await call(`${emu.url}/crm/rest/v2/contacts?access_token=${t.access_token}`, { auth: null });
		await call(`${emu.url}/crm/rest/v2/contacts`, { auth: null, headers: { 'x-keap-api-key': PAT } });
		await refresh(t.refresh_token);
		const log = emu.log();
		assert.deepEqual(log.map((e) => [e.auth, e.credential, e.status]), [['query', CLIENT_ID, 200], ['apiKey', 'pat', 200], ['basic', CLIENT_ID, 200]]);
		const text = JSON.stringify(log);
		for (const secret of [t.access_token, t.refresh_token, PAT, CLIENT_SECRET]) assert.ok(!text.includes(secret), 'secret leaked into the log');
	});
});
