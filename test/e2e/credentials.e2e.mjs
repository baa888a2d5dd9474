// The package's refreshing credentials inside a real n8n, against the emulator's single-use,
// rotating refresh tokens, through Webhook-triggered workflows on one started n8n: after an
// access token expires, n8n refreshes through our credential, stores the rotated refresh token
// (read back with export:credentials), and the stored token is the live one (a later refresh
// with it succeeds). The OAuth2 credential reaches the emulator's token endpoint through its
// `baseUrl` alone (no credential overwrites). A token pair whose stored session Keap ended
// early recovers on n8n's own 401 path (the HTTP Request node). Then many concurrent executions meet one expired token: they must share
// one refresh and all succeed. Last, after a restart, `n8n execute` still refreshes.
// Runs once per version in N8N_E2E_VERSIONS (default 2.41.1).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, manualWorkflow, packPackage, webhookWorkflow } from './harness.mjs';

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const CONCURRENCY = 10;

function httpNode({ url, credentialType, credential }) {
	return {
		name: 'Keap HTTP',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'GET',
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			options: {},
		},
		credentials: { [credentialType]: credential },
	};
}

/** n8n >= 2.29 coalesces concurrent OAuth2 refreshes of one credential; 1.x never does. */
function n8nCoalescesOAuth2(version) {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 29);
}

const refreshes = (emu) => emu.counters().refreshes;
const rejectedRefreshes = (emu) => emu.counters().rejectedRefreshes;

for (const version of e2eVersions()) {
	describe(`n8n ${version}: refreshing credentials`, () => {
		let emu;
		let n8n;
		const oauth = { id: 'e2eKeapOAuth2001', name: 'Keap OAuth2 (e2e)', type: 'keapCrmOAuth2Api' };
		const pair = { id: 'e2eKeapTokenPair1', name: 'Keap token pair (e2e)', type: 'keapCrmTokenPairApi' };
		let oauthTokens;
		let pairTokens;
		const wf = {};

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
			// No CREDENTIALS_OVERWRITE_DATA: n8n 2.x ignores the stored hidden `authUrl` /
			// `accessTokenUrl` of an OAuth2 credential, and the credential's defaults derive them
			// from its `baseUrl` (the emulator here), so the refreshes below reach the emulator.
			// The imported data carries no URL besides `baseUrl`, on 1.x as on 2.x.
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			oauthTokens = emu.issueTokens({ clientId: CLIENT_ID });
			pairTokens = emu.issueTokens({ clientId: CLIENT_ID });
			await n8n.importCredentials([
				{
					id: oauth.id,
					name: oauth.name,
					type: oauth.type,
					data: {
						grantType: 'authorizationCode',
						clientId: CLIENT_ID,
						clientSecret: CLIENT_SECRET,
						scope: 'full',
						authQueryParameters: '',
						baseUrl: emu.url,
						oauthTokenData: oauthTokens,
					},
				},
				{
					id: pair.id,
					name: pair.name,
					type: pair.type,
					data: {
						clientId: CLIENT_ID,
						clientSecret: CLIENT_SECRET,
						refreshToken: pairTokens.refresh_token,
						accessToken: pairTokens.access_token,
						tokenUrl: `${emu.url}/token`,
						baseUrl: emu.url,
					},
				},
			]);
			const url = `${emu.url}/crm/rest/v1/contacts?limit=1`;
			for (const cred of [oauth, pair]) {
				const node = httpNode({ url, credentialType: cred.type, credential: { id: cred.id, name: cred.name } });
				wf[cred.type] = {
					manual: await n8n.importWorkflow(manualWorkflow({ id: `${cred.id.slice(0, 12)}Man`, nodes: [node] })),
					hook: await n8n.importWorkflow(
						webhookWorkflow({ id: `${cred.id.slice(0, 12)}Hook`, path: `e2e-${cred.type}`, nodes: [node] }),
					),
					path: `e2e-${cred.type}`,
				};
			}
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		/** Calls a credential's webhook workflow once; returns the emulator log entries it caused. */
		async function callOnce(cred) {
			const mark = emu.log().length;
			const res = await n8n.callWebhook(wf[cred.type].path, {});
			const why = () =>
				`${cred.type}: ${res.text}\nemulator: ${JSON.stringify(emu.log().slice(mark).map((e) => [e.method, e.path, e.auth, e.status]))}` +
				`\nn8n log tail:\n${n8n.server.logs().split('\n').slice(-25).join('\n')}`;
			assert.equal(res.status, 200, why());
			assert.ok(Array.isArray(res.body?.[0]?.contacts), `${cred.type}: Keap's v1 list came back: ${res.text}`);
			return emu.log().slice(mark);
		}

		test('started n8n: published workflows of both credentials are registered', async () => {
			for (const cred of [oauth, pair]) await n8n.publish(wf[cred.type].hook);
			const server = await n8n.start();
			assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
		}, 10 * 60_000);

		test('OAuth2: a valid token is used as is, an expired one is refreshed and the rotated pair stored', async () => {
			let log = await callOnce(oauth);
			let api = log.filter((e) => e.path === '/crm/rest/v1/contacts');
			assert.deepEqual(api.map((e) => [e.auth, e.status]), [['bearer', 200]]);
			assert.equal(refreshes(emu), 0, 'no refresh while the access token is valid');

			emu.expireAccessTokens();
			log = await callOnce(oauth);
			api = log.filter((e) => e.path === '/crm/rest/v1/contacts');
			assert.deepEqual(api.map((e) => e.status), [401, 200], 'one 401, then the retried call succeeded');
			const token = log.filter((e) => e.path === '/token');
			assert.equal(token.length, 1, 'exactly one refresh');
			assert.equal(token[0].status, 200);
			// The credential's `authentication: 'body'`: n8n sends the client id and secret in the form
			// body on refresh too (Keap's pages show Basic; the emulator takes either, strict Basic is
			// switch oauthRefreshCredentials).
			assert.equal(token[0].auth, 'body', 'client credentials in the form body, as the credential says');
			assert.equal(refreshes(emu), 1);

			const stored = await n8n.exportCredentials(oauth.id);
			assert.ok(stored.oauthTokenData?.refresh_token, 'a refresh token is stored');
			assert.notEqual(stored.oauthTokenData.refresh_token, oauthTokens.refresh_token, 'the rotated refresh token is stored');
			assert.notEqual(stored.oauthTokenData.access_token, oauthTokens.access_token);

			// The stored refresh token is the live one: the next refresh spends it successfully.
			emu.expireAccessTokens();
			await callOnce(oauth);
			assert.equal(refreshes(emu), 2);
			assert.equal(rejectedRefreshes(emu), 0);
		}, 10 * 60_000);

		test('token pair: preAuthentication refreshes, n8n stores the rotated pair, the stored token is live', async () => {
			emu.expireAccessTokens(); // the pasted access token is expired: a refresh is needed
			const before = refreshes(emu);
			await callOnce(pair);
			assert.equal(refreshes(emu) - before, 1, 'one refresh');
			const stored = await n8n.exportCredentials(pair.id);
			assert.ok(stored.refreshToken, 'a refresh token is stored');
			assert.notEqual(stored.refreshToken, pairTokens.refresh_token, 'the rotated refresh token is stored');
			assert.ok(stored.sessionAccessToken, 'the session access token is stored');

			// Keap can end an access token before its announced expiry (the emulator does so here):
			// the 401 must lead to a refresh with the stored refresh token.
			emu.expireAccessTokens();
			await callOnce(pair);
			assert.equal(refreshes(emu) - before, 2);
			assert.equal(rejectedRefreshes(emu), 0);
			const again = await n8n.exportCredentials(pair.id);
			assert.notEqual(again.refreshToken, stored.refreshToken, 'rotated once more and stored');
		}, 10 * 60_000);

		for (const cred of [oauth, pair]) {
			// n8n's own OAuth2 path before 2.29 lets concurrent executions spend one refresh token
			// twice (n8n issue #12742); the package cannot change that path.
			const skip =
				cred === oauth && !n8nCoalescesOAuth2(version)
					? `n8n ${version} does not coalesce OAuth2 refreshes (< 2.29)`
					: false;
			(skip ? test.skip : test)(`${cred.type}: ${CONCURRENCY} concurrent executions share one refresh`, async () => {
				emu.expireAccessTokens();
				const before = { refreshes: refreshes(emu), rejected: rejectedRefreshes(emu) };
				const mark = emu.log().length;
				const results = await Promise.all(
					Array.from({ length: CONCURRENCY }, () => n8n.callWebhook(wf[cred.type].path, {})),
				);
				const summary = () =>
					`${cred.type}: ${results.map((r) => `${r.status} ${r.text.slice(0, 200)}`).join('\n')}\nemulator: ` +
					JSON.stringify(emu.log().slice(mark).map((e) => [e.method, e.path, e.status]));
				assert.deepEqual(results.map((r) => r.status), Array(CONCURRENCY).fill(200), summary());
				for (const r of results) assert.ok(Array.isArray(r.body?.[0]?.contacts), summary());
				assert.equal(rejectedRefreshes(emu) - before.rejected, 0, `no refresh token spent twice\n${summary()}`);
				assert.equal(refreshes(emu) - before.refreshes, 1, `exactly one refresh\n${summary()}`);
			}, 10 * 60_000);
		}

		test('token pair after a restart: n8n execute refreshes with the stored token', async () => {
			await n8n.server.stop();
			emu.expireAccessTokens();
			const before = refreshes(emu);
			const run = await n8n.execute(wf[pair.type].manual);
			assert.ok(run.ok, `token pair after the concurrent runs:\n${run.log()}`);
			assert.equal(refreshes(emu) - before, 1);
			assert.equal(rejectedRefreshes(emu), 0);
		}, 10 * 60_000);
	});
}
