// Pacing to Keap's limits and quota visibility, against the emulator with Keap's real limits.
import { test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { createRequire } from 'node:module';

import { OPEN_DEFECTS } from '../open-defects.mjs';

import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

// The pacers of the node as the engine harness loads it (dist/, one module instance per process).
const { pacerFor, pacerKey } = createRequire(import.meta.url)('../../dist/nodes/Keap/transport/quota.js');

let fx;
beforeAll(async () => {
	fx = await keapFixture(); // limits on: PAT 10/s and 240/min
});
afterAll(async () => fx.close());

// Whether Keap answers 429 depends on when calls arrive, which a busy machine shifts: that is a
// figure of the pacing bench (test/bench/pacing.mjs, the `pat` run), not an assertion here. What
// is asserted holds whatever the load: every call the emulator counted took a slot of the
// credential's pacer, the slots (on the pacer's own clock) keep to 10 per second, and the run
// says it was paced.
test('a PAT batch of 40 creates: every call takes a pacer slot, at most 10 slots in any second, and the run says it was paced', async () => {
	const pacer = pacerFor(pacerKey({ name: 'Node', credentials: { keapCrmApiKeyApi: { id: 'pat' } } }, 'keapCrmApiKeyApi'), 'key');
	const slots = [];
	const acquire = pacer.acquire.bind(pacer);
	pacer.acquire = async () => {
		const ticket = await acquire();
		slots.push(ticket.sentAt);
		return ticket;
	};
	try {
		const calls = fx.calls();
		const items = Array.from({ length: 40 }, (_, i) => ({ e: email(`pace${i}`) }));
		const res = await fx.keap({ resource: 'contact', operation: 'create', email: '={{$json.e}}', output: 'simplified' }, items);
		assert.equal(jsonOf(res).length, 40);
		assert.equal(slots.length, fx.calls() - calls, 'calls the emulator counted vs slots taken');
		assert.ok(slots.length >= 40);
		for (let i = 10; i < slots.length; i++) {
			assert.ok(slots[i] - slots[i - 10] >= 1000, `11 slots within ${slots[i] - slots[i - 10]} ms`);
		}
		const hints = res.runData.Node[0].hints ?? [];
		assert.ok(hints.some((h) => /paced this run/.test(h.message)), `hints: ${JSON.stringify(hints)}`);
	} finally {
		pacer.acquire = acquire;
	}
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
	// 10 a second unless the batch above met a refusal and the pacer learned a lower limit
	assert.equal(usage.pacing.length, 2);
	assert.equal(usage.pacing[0].per_seconds, 1);
	assert.ok(usage.pacing[0].limit >= 1 && usage.pacing[0].limit <= 10, JSON.stringify(usage.pacing));
	assert.deepEqual(usage.pacing[1], { limit: 240, per_seconds: 60 });
});
