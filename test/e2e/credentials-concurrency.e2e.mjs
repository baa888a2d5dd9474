// Issue #4's bar, in real n8n: a Webhook-triggered workflow with the Keap CRM node, fired 20
// times at once right after the access token died, must cause exactly one refresh at Keap's
// token endpoint and 20 successful executions — for the OAuth2 and the token-pair credential,
// on n8n 2.x (which coalesces OAuth2 refreshes itself) and on 1.x (which does not: the node's
// own gate in transport/auth.ts has to). The API-key credential runs the same workflow with
// no token endpoint call at all. Runs once per version in N8N_E2E_VERSIONS.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, packPackage, webhookWorkflow } from './harness.mjs';

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const PAT = 'KeapPAT-emulator-pat';
const FIRED = 20;

for (const version of e2eVersions()) {
	describe(`n8n ${version}: ${FIRED} concurrent executions with an expired token`, () => {
		let emu;
		let n8n;
		const creds = {
			oAuth2: { id: 'e2eConcOAuth2001', name: 'Keap OAuth2 (concurrency)', type: 'keapCrmOAuth2Api' },
			tokenPair: { id: 'e2eConcPair00001', name: 'Keap token pair (concurrency)', type: 'keapCrmTokenPairApi' },
			apiKey: { id: 'e2eConcApiKey001', name: 'Keap PAT (concurrency)', type: 'keapCrmApiKeyApi' },
		};

		beforeAll(async () => {
			const tarball = await packPackage();
			// Limits off: this is about tokens, and 20 PAT calls at once would only be paced.
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, limits: false });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			const oauthTokens = emu.issueTokens({ clientId: CLIENT_ID });
			const pairTokens = emu.issueTokens({ clientId: CLIENT_ID });
			await n8n.importCredentials([
				{
					...creds.oAuth2,
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
					...creds.tokenPair,
					data: {
						clientId: CLIENT_ID,
						clientSecret: CLIENT_SECRET,
						refreshToken: pairTokens.refresh_token,
						accessToken: pairTokens.access_token,
						tokenUrl: `${emu.url}/token`,
						baseUrl: emu.url,
					},
				},
				{ ...creds.apiKey, data: { apiKey: PAT, baseUrl: emu.url } },
			]);
			for (const [authentication, cred] of Object.entries(creds)) {
				const id = await n8n.importWorkflow(
					webhookWorkflow({
						id: `e2eConc${authentication}`.slice(0, 21),
						path: `conc-${authentication}`,
						nodes: [
							{
								name: 'Keap CRM',
								type: 'n8n-nodes-keap.keapCrm',
								typeVersion: 1,
								parameters: {
									authentication,
									resource: 'contact',
									operation: 'create',
									email: `={{ 'conc-${authentication}-' + $execution.id + '@example.com' }}`,
									output: 'simplified',
								},
								credentials: { [cred.type]: { id: cred.id, name: cred.name } },
							},
						],
					}),
				);
				await n8n.publish(id);
			}
			await n8n.start();
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		for (const authentication of ['oAuth2', 'tokenPair', 'apiKey']) {
			test(`${authentication}: ${FIRED} executions at once, ${authentication === 'apiKey' ? 'no' : 'one'} refresh, all succeed`, async () => {
				emu.expireAccessTokens();
				const before = emu.counters();
				const mark = emu.log().length;
				const results = await Promise.all(
					Array.from({ length: FIRED }, () => n8n.callWebhook(`conc-${authentication}`, {})),
				);
				const after = emu.counters();
				const summary = () =>
					results.map((r) => `${r.status} ${r.text.slice(0, 160)}`).join('\n') +
					`\nemulator: ${JSON.stringify(emu.log().slice(mark).map((e) => [e.method, e.path, e.status]))}`;
				assert.deepEqual(results.map((r) => r.status), Array(FIRED).fill(200), summary());
				const ids = results.map((r) => r.body?.[0]?.id);
				assert.equal(new Set(ids).size, FIRED, `${FIRED} distinct contacts\n${summary()}`);
				assert.equal(after.rejectedRefreshes - before.rejectedRefreshes, 0, `no refresh token spent twice\n${summary()}`);
				const tokenCalls = emu.log().slice(mark).filter((e) => e.path === '/token').length;
				if (authentication === 'apiKey') {
					assert.equal(tokenCalls, 0, 'an API key never calls the token endpoint');
				} else {
					assert.equal(after.refreshes - before.refreshes, 1, `exactly one refresh\n${summary()}`);
					assert.equal(tokenCalls, 1, `one call to the token endpoint\n${summary()}`);
				}
				const stored = await n8n.exportCredentials(creds[authentication].id);
				if (authentication === 'tokenPair') {
					// The stored refresh token is the live one: spending it succeeds.
					const res = await fetch(`${emu.url}/token`, {
						method: 'POST',
						headers: {
							'content-type': 'application/x-www-form-urlencoded',
							authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
						},
						body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken }),
					});
					assert.equal(res.status, 200, 'the newest refresh token was persisted');
				}
				if (authentication === 'oAuth2') assert.ok(stored.oauthTokenData?.refresh_token, 'token data stored');
			}, 10 * 60_000);
		}
	});
}
