// Pacing to Keap's limits and quota visibility, against the emulator with Keap's real limits.
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { OPEN_DEFECTS } from '../open-defects.mjs';

import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture(); // limits on: PAT 10/s and 240/min
});
afterAll(async () => fx.close());

test('a PAT batch of 40 creates stays under 10 calls/s: no 429 at all, and the run says it was paced', async () => {
	const before = fx.emu.counters().throttled429 ?? 0;
	const items = Array.from({ length: 40 }, (_, i) => ({ e: email(`pace${i}`) }));
	const res = await fx.keap({ resource: 'contact', operation: 'create', email: '={{$json.e}}', output: 'simplified' }, items);
	assert.equal(jsonOf(res).length, 40);
	assert.equal((fx.emu.counters().throttled429 ?? 0) - before, 0, 'the emulator answered 429');
	const hints = res.runData.Node[0].hints ?? [];
	assert.ok(hints.some((h) => /paced this run/.test(h.message)), `hints: ${JSON.stringify(hints)}`);
});

test('Account > Get API Usage reports the quota headers of one cheap call', async () => {
	// Its one call is userinfo, which Keap documents for OAuth tokens only (issue 15, defect 10,
	// tested in contract.test.mjs): allowed for the PAT here until that defect is fixed.
	if (OPEN_DEFECTS.has(10)) fx.emu.setConfig({ userinfoWithKey: 'allow' });
	const before = fx.calls();
	const [usage] = jsonOf(await fx.keap({ resource: 'account', operation: 'getApiUsage' }));
	assert.equal(fx.calls() - before, 1);
	assert.equal(usage.credential_type, 'keapCrmApiKeyApi');
	assert.equal(usage.throttle.limit, 240);
	assert.equal(usage.daily_quota.limit, 30000);
	assert.ok(usage.daily_quota.used >= 1);
	assert.equal(usage.daily_quota.used + usage.daily_quota.available, 30000);
	assert.deepEqual(usage.pacing, [
		{ limit: 10, per_seconds: 1 },
		{ limit: 240, per_seconds: 60 },
	]);
});
