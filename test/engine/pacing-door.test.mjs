// Pacing where the requests go out (the credential door), through n8n-core's engine against
// the emulator: every call passes the pacer, resends after a 401 and calls released by a
// refresh included; and the daily bucket: said before it runs out, no futile retries after.
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { OPEN_DEFECTS } from '../open-defects.mjs';
import { startEmulator, CLIENT_ID, CLIENT_SECRET } from '../emulator/index.mjs';
import { CredentialStore, runConcurrently, runNode } from './harness.mjs';
import { PAT, email } from './keap-helpers.mjs';

// The pacers of the node as the engine harness loads it (dist/, one module instance per process).
const { pacerFor, pacerKey } = createRequire(import.meta.url)('../../dist/nodes/Keap/transport/quota.js');

/** Records the send time of every slot `credentialId`'s pacer hands out while `fn` runs. */
async function slotsOf(credentialType, credentialId, kind, fn) {
	const pacer = pacerFor(pacerKey({ name: 'Node', credentials: { [credentialType]: { id: credentialId } } }, credentialType), kind);
	const slots = [];
	const acquire = pacer.acquire.bind(pacer);
	pacer.acquire = async () => {
		const ticket = await acquire();
		slots.push(ticket.sentAt);
		return ticket;
	};
	try {
		return { slots, result: await fn() };
	} finally {
		pacer.acquire = acquire;
	}
}

/** Keap API calls the emulator answered since `before` (the token endpoint apart). */
function apiCallsSince(before) {
	const after = emu.counters();
	const token = (c) => c.calls['POST /token'] ?? 0;
	return after.total - before.total - (token(after) - token(before));
}

let emu;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(async () => emu?.close());

function oauthStore(id) {
	const tokens = emu.issueTokens({ clientId: CLIENT_ID });
	return new CredentialStore({
		[id]: {
			type: 'keapCrmOAuth2Api',
			data: {
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
			},
		},
	});
}

test('50 executions meet an expired OAuth2 token behind a slow token endpoint: one refresh, and every call, each resend included, takes a pacer slot at most 25 a second', async () => {
	emu.reset();
	// Strict: Keap's 25/s spike arrest over a sliding second, and a token endpoint taking 1.5 s,
	// so that every execution's call waits for the refresh and is released at once.
	emu.setConfig({ limits: { window: 'sliding', spikeArrestPerSecond: 25 } });
	emu.setFaults({ match: { pathPrefix: '/token' }, latencyMs: 1500 });
	const store = oauthStore('oauthDoor');
	emu.expireAccessTokens();
	const before = emu.counters();
	const { slots, result: runs } = await slotsOf('keapCrmOAuth2Api', 'oauthDoor', 'oauth', () =>
		runConcurrently(50, (i) =>
			runNode({
				type: 'keapCrm',
				parameters: { authentication: 'oAuth2', resource: 'contact', operation: 'create', email: email(`door${i}`), additionalFields: {} },
				credentials: { keapCrmOAuth2Api: 'oauthDoor' },
				store,
			}),
		),
	);
	emu.clearFaults();
	const after = emu.counters();
	for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
	assert.equal(after.refreshes - before.refreshes, 1, 'one refresh');
	assert.ok(after.unauthorized401 - before.unauthorized401 >= 1, 'the expired token was met');
	// Before issue 21 the slot was taken before the credential door: the resends after the 401
	// and the 50 calls released by the refresh went out without one (25 x 429 here).
	assert.equal(slots.length, apiCallsSince(before), 'Keap API calls vs pacer slots');
	slots.sort((a, b) => a - b);
	for (let i = 25; i < slots.length; i++) assert.ok(slots[i] - slots[i - 25] >= 1000, `26 slots within ${slots[i] - slots[i - 25]} ms`);
	// Whether a call still reaches Keap late and bunches up with the next second's depends on
	// the machine's load: reported, not asserted (the pacing bench's `expired` run measures it).
	console.log(`Keap answered ${after.throttled429 - before.throttled429} x 429`);
});

test("a run the daily bucket cannot hold: a warning with the figures after the first answer, then clear errors without futile retries", async () => {
	emu.reset();
	emu.setConfig({ limits: { key: { perDay: 12 } } });
	const store = new CredentialStore({ patDaily: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
	const items = Array.from({ length: 20 }, (_, i) => ({ e: email(`daily${i}`) }));
	const run = await runNode({
		type: 'keapCrm',
		parameters: { authentication: 'apiKey', resource: 'contact', operation: 'create', email: '={{$json.e}}', additionalFields: {} },
		credentials: { keapCrmApiKeyApi: 'patDaily' },
		items,
		store,
		continueOnFail: true,
	});
	const hints = run.runData.Node[0].hints ?? [];
	const warning = hints.find((h) => /daily quota/.test(h.message));
	assert.ok(warning, `hints: ${JSON.stringify(hints)}`);
	assert.equal(warning.type, 'warning');
	// the first answer comes while the other first calls are on their way (4 at a time)
	const [, left, needed] = /: (\d+) calls are left until \d{4}-\d\d-\d\d 00:00:00 UTC \(of 12 a day\), and this run needs at least (\d+) more \(20 items/.exec(warning.message) ?? [];
	assert.ok(Number(left) >= 8 && Number(left) <= 11 && Number(needed) >= 16 && Number(needed) <= 19, warning.message);
	const out = run.items.map((i) => i.json);
	assert.equal(out.length, 20);
	const failed = out.filter((j) => j.error);
	assert.equal(failed.length, 8);
	for (const f of failed) assert.match(f.error, /daily quota for this credential is used up until \d{4}-/);
	// one 429 per refused item: nothing retried against an empty daily bucket
	assert.equal(emu.counters().throttled429, 8);
});

test('a per-minute limit below the documented one, as Keap reports it, is the one paced to (Get API Usage shows it)', async () => {
	emu.reset();
	emu.setConfig({ limits: { key: { perMinute: 30 } } });
	// Get API Usage's one call is userinfo, documented for OAuth tokens only (issue 15, defect 10,
	// tested in contract.test.mjs): allowed for the PAT here until that defect is fixed.
	if (OPEN_DEFECTS.has(10)) emu.setConfig({ userinfoWithKey: 'allow' });
	const store = new CredentialStore({ patLow: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
	const run = await runNode({
		type: 'keapCrm',
		parameters: { authentication: 'apiKey', resource: 'account', operation: 'getApiUsage' },
		credentials: { keapCrmApiKeyApi: 'patLow' },
		store,
	});
	assert.equal(run.error, undefined, run.error?.message);
	const [usage] = run.items.map((i) => i.json);
	assert.equal(usage.throttle.limit, 30);
	assert.deepEqual(usage.pacing, [
		{ limit: 10, per_seconds: 1 },
		{ limit: 30, per_seconds: 60 },
	]);
});
