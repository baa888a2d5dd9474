// The package under n8n's distributed execution (queue mode): real Redis and PostgreSQL, one
// main (`n8n start`) and two workers (`n8n worker`), see test/e2e/queue/. For each refreshing
// credential type, a Webhook-triggered workflow whose Keap CRM node creates a contact is
// fired 40 times at once right after the access token died: the executions spread over both
// workers (read from each worker's "Worker started execution" log), every one must succeed
// and create its contact, and the stored credential must still work afterwards. The
// emulator's token-endpoint calls (successful and rejected refreshes) are printed.
//
// What happens when two workers meet the dead token at the same time:
//  - keapCrmOAuth2Api: the node has n8n refresh through helpers.refreshOAuth2Token, which
//    n8n >= 2.29 coordinates across processes with a lease in Redis.
//  - keapCrmTokenPairApi: each worker refreshes at most once (single flight per process); the
//    second worker's refresh of the same refresh token is rejected (invalid_grant), it re-reads
//    the stored credential from the database and uses the tokens the first worker saved.
// Runs once per version in N8N_E2E_VERSIONS (default 2.41.1). Needs redis-server and
// PostgreSQL (installed when missing and running as root: see queue/services.mjs).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { startEmulator } from '../emulator/index.mjs';
import { e2eVersions, packPackage, webhookWorkflow } from './harness.mjs';
import { createQueueCluster } from './queue/cluster.mjs';

const { tokenId } = createRequire(import.meta.url)('../../dist/credentials/common/tokenPair.js');

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const BURST = 40;
const WORKERS = 2;

function keapCreateNode(authentication, credentialType, credential) {
	return {
		name: 'Keap CRM',
		type: 'n8n-nodes-keap.keapCrm',
		typeVersion: 1,
		parameters: {
			authentication,
			api: 'rest',
			resource: 'contact',
			operation: 'create',
			email: '={{ $json.body.email }}',
			additionalFields: {},
		},
		credentials: { [credentialType]: credential },
	};
}

function tokenCalls(emu) {
	const c = emu.counters();
	return { refreshed: c.refreshes, rejected: c.rejectedRefreshes, attempts: c.refreshAttempts };
}

function delta(now, then) {
	return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - then[k]]));
}

for (const version of e2eVersions()) {
	describe(`n8n ${version} in queue mode (main + ${WORKERS} workers, Redis, PostgreSQL)`, () => {
		let emu;
		let cluster;
		const stamp = `${version.replaceAll('.', '-')}-${Date.now()}`;
		const creds = {
			keapCrmOAuth2Api: { id: 'queueKeapOAuth2001', name: 'Keap OAuth2 (queue)', auth: 'oAuth2', path: 'queue-oauth2' },
			keapCrmTokenPairApi: { id: 'queueKeapPair00001', name: 'Keap token pair (queue)', auth: 'tokenPair', path: 'queue-pair' },
		};

		beforeAll(async () => {
			const tarball = await packPackage();
			// Quotas off: this file is about refreshes, not pacing.
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, limits: false });
			cluster = await createQueueCluster({ version, packageTarball: tarball, workers: WORKERS });
			const n8n = cluster.instance;
			const oauthTokens = emu.issueTokens({ clientId: CLIENT_ID });
			const pairTokens = emu.issueTokens({ clientId: CLIENT_ID });
			await n8n.importCredentials([
				{
					id: creds.keapCrmOAuth2Api.id,
					name: creds.keapCrmOAuth2Api.name,
					type: 'keapCrmOAuth2Api',
					data: {
						clientId: CLIENT_ID,
						clientSecret: CLIENT_SECRET,
						baseUrl: emu.url, // the token URL follows it (no credential overwrites)
						oauthTokenData: oauthTokens,
					},
				},
				{
					id: creds.keapCrmTokenPairApi.id,
					name: creds.keapCrmTokenPairApi.name,
					type: 'keapCrmTokenPairApi',
					data: {
						clientId: CLIENT_ID,
						clientSecret: CLIENT_SECRET,
						refreshToken: pairTokens.refresh_token,
						accessToken: '',
						// A session in use, as after earlier runs: Keap will end it before its expiry.
						sessionAccessToken: pairTokens.access_token,
						sessionExpiresAt: new Date(Date.now() + 20 * 3600_000).toISOString(),
						sessionRefreshTokenId: tokenId(pairTokens.refresh_token),
						tokenUrl: `${emu.url}/token`,
						baseUrl: emu.url,
					},
				},
			]);
			for (const [type, cred] of Object.entries(creds)) {
				const id = await n8n.importWorkflow(
					webhookWorkflow({
						id: `${cred.id.slice(0, 12)}Hook`,
						path: cred.path,
						nodes: [keapCreateNode(cred.auth, type, { id: cred.id, name: cred.name })],
					}),
				);
				await n8n.publish(id);
			}
			await Promise.all([cluster.startWorkers(), cluster.startMain()]);
		}, 8 * 60_000);

		afterAll(async () => {
			try {
				await cluster?.stop();
			} finally {
				await emu?.close();
			}
		}, 8 * 60_000);

		async function callOnce(cred, email) {
			const res = await cluster.instance.callWebhook(cred.path, { email }, { timeoutMs: 120_000 });
			return res;
		}

		function contactsWithEmail(email) {
			return [...emu.store.contacts.values()].filter((c) =>
				(c.email_addresses ?? []).some((e) => String(e.email).toLowerCase() === email.toLowerCase()),
			);
		}

		const scenarios = [
			{ label: 'token endpoint answering at once', latencyMs: 0 },
			// Both workers meet the dead token while the first refresh is still in flight.
			{ label: 'token endpoint taking 1.5 s, so both workers refresh at once', latencyMs: 1_500 },
		];
		for (const scenario of scenarios) {
			for (const [type, cred] of Object.entries(creds)) {
				test(`${type}, ${scenario.label}: ${BURST} concurrent executions after the token died, over both workers, all succeed`, async () => {
					// Warm-up: the valid token works.
					const warm = await callOnce(cred, `warm-${cred.auth}-${scenario.latencyMs}-${stamp}@example.com`);
					assert.equal(warm.status, 200, warm.text);

					emu.expireAccessTokens();
					if (scenario.latencyMs) {
						emu.setFaults({ match: { method: 'POST', pathPrefix: '/token' }, latencyMs: scenario.latencyMs });
					}
					const before = tokenCalls(emu);
					const startedBefore = cluster.workers.map((w) => w.executions().length);
					const emails = Array.from(
						{ length: BURST },
						(_, i) => `burst-${cred.auth}-${scenario.latencyMs}-${i}-${stamp}@example.com`,
					);
					const started = Date.now();
					let results;
					try {
						results = await Promise.all(emails.map((email) => callOnce(cred, email)));
					} finally {
						emu.clearFaults();
					}
					const took = Date.now() - started;
					const calls = delta(tokenCalls(emu), before);
					const perWorker = cluster.workers.map((w, i) => ({
						worker: w.name,
						executions: w.executions().slice(startedBefore[i]),
					}));

					const report =
						`${type}, ${scenario.label}: ${BURST} executions in ${took} ms; token endpoint: ${calls.attempts} call(s), ` +
						`${calls.refreshed} refresh(es) granted, ${calls.rejected} rejected; ` +
						perWorker.map((w) => `${w.worker} ran ${w.executions.length} [${w.executions.join(',')}]`).join('; ');
					console.log(report);

					const failures = results.filter((r) => r.status !== 200);
					assert.equal(
						failures.length,
						0,
						`${failures.length} execution(s) failed:\n${failures
							.slice(0, 3)
							.map((r) => `${r.status} ${r.text.slice(0, 400)}`)
							.join('\n')}\n${report}`,
					);
					for (const email of emails) assert.equal(contactsWithEmail(email).length, 1, `one contact ${email}`);
					for (const w of perWorker) assert.ok(w.executions.length > 0, `${w.worker} ran none of the burst: ${report}`);
					assert.equal(perWorker.reduce((n, w) => n + w.executions.length, 0), BURST, report);
					// Within a process the package refreshes once; across processes n8n's lease (OAuth2)
					// or the recovery (token pair) keeps any second refresh from spending a dead token.
					// A worker that refreshes again after the first saved uses the new token: harmless.
					assert.ok(calls.refreshed >= 1 && calls.refreshed <= WORKERS, `one refresh per worker at most: ${report}`);
					assert.ok(calls.rejected <= WORKERS - 1, `at most one rejected refresh per other worker: ${report}`);
					if (type === 'keapCrmTokenPairApi' && scenario.latencyMs) {
						// The race this scenario sets up did happen: the second worker's refresh was
						// rejected, and its executions still succeeded with what the first one saved.
						assert.equal(calls.rejected, WORKERS - 1, `the other worker's refresh was rejected and recovered: ${report}`);
					}

					// The stored credential works: after Keap ends the new token too, the next run
					// refreshes with the stored refresh token, and Keap accepts it.
					emu.expireAccessTokens();
					const beforeAfter = tokenCalls(emu);
					const later = await callOnce(cred, `after-${cred.auth}-${scenario.latencyMs}-${stamp}@example.com`);
					assert.equal(later.status, 200, later.text);
					const afterCalls = delta(tokenCalls(emu), beforeAfter);
					assert.equal(afterCalls.rejected, 0, `the stored refresh token is the live one: ${JSON.stringify(afterCalls)}`);
					assert.equal(afterCalls.refreshed, 1);
				}, 8 * 60_000);
			}
		}
	});
}
