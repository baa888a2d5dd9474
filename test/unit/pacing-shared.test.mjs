// Several processes (n8n queue-mode workers, several mains) on one Keap app's quota, each with
// its own pacer and nothing shared but Keap's answers: they must converge without talking.
// Simulated clock; Keap's quota is the emulator's own Limiter (test/unit/pacing-sim.mjs).
import { test } from '@jest/globals';
import assert from 'node:assert/strict';

import { Pacer } from '../../dist/nodes/Keap/transport/quota.js';
import { OAUTH, PAT_CRED, SimKeap, SimProcess, VirtualClock, random } from './pacing-sim.mjs';

/** A pacer that paces only to its own documented windows and ignores Keap's headers (the old behaviour). */
class DeafPacer extends Pacer {
	settle(ticket, status, headers) {
		super.settle(ticket, status, status === 429 ? { 'retry-after': headers['retry-after'] } : {});
	}
}

async function shared({ n, calls, window, PacerClass = Pacer, kind = 'oauth', cred = OAUTH, perMinute = 1500, startsMs = [], concurrency = 8, spikeArrestPerSecond = 0 }) {
	const clock = new VirtualClock();
	const keap = new SimKeap(clock, { limits: { window, spikeArrestPerSecond } });
	const t0 = clock.now();
	const procs = Array.from(
		{ length: n },
		(_, i) => new SimProcess({ Pacer: PacerClass, clock, keap, cred, kind, calls: Math.round(calls / n), concurrency, latency: [15, 70], rand: random(100 + i) }),
	);
	const runs = procs.map(async (p, i) => {
		if (startsMs[i]) await clock.sleep(startsMs[i]);
		await p.run();
	});
	await clock.run(Promise.all(runs));
	const sent = procs.reduce((s, p) => s + p.sent, 0);
	const throttled = procs.reduce((s, p) => s + p.throttled, 0);
	const wallMs = Math.max(...procs.map((p) => p.finishedAt)) - t0;
	const minMs = (calls / perMinute) * 60_000;
	return { sent, throttled, share429: throttled / sent, wallMs, ratio: wallMs / minMs, peakMinute: keap.peak(60_000), failed: procs.reduce((s, p) => s + p.failed, 0) };
}

for (const window of ['sliding', 'fixed']) {
	for (const n of [2, 4, 8]) {
		test(`${n} processes, 2000 calls on one OAuth app's 1500/min (${window} windows): no 429, within 1.15 x of the quota minimum`, async () => {
			const r = await shared({ n, calls: 2000, window });
			assert.equal(r.failed, 0);
			assert.equal(r.throttled, 0, `${r.throttled} x 429 of ${r.sent} calls`);
			assert.ok(r.peakMinute <= 1500, `a minute held ${r.peakMinute} calls`);
			assert.ok(r.ratio <= 1.15, `wall ${r.wallMs} ms = ${r.ratio.toFixed(3)} x the quota minimum`);
		});
	}
}

test('the same 4 processes pacing only to their own documented limits (headers ignored) draw 429s: the simulation tells them apart', async () => {
	const deaf = await shared({ n: 4, calls: 2000, window: 'sliding', PacerClass: DeafPacer });
	assert.ok(deaf.share429 > 0.01, `${deaf.throttled} x 429 of ${deaf.sent}`);
});

test('processes that join one after another (0 s, 20 s, 40 s, 60 s) share what is left: at most 1% 429s, within 1.15 x', async () => {
	for (const window of ['sliding', 'fixed']) {
		const r = await shared({ n: 4, calls: 3000, window, startsMs: [0, 20_000, 40_000, 60_000] });
		assert.equal(r.failed, 0);
		assert.ok(r.share429 <= 0.01, `${window}: ${r.throttled} x 429 of ${r.sent}`);
		assert.ok(r.peakMinute <= 1500, `${window}: a minute held ${r.peakMinute}`);
		// the last one starts at 60 s: the minimum counts from the first start
		assert.ok(r.ratio <= 1.15, `${window}: ${r.ratio.toFixed(3)} x`);
	}
});

test('2 processes on one PAT (240/min, 10/s each by the documents): no 429 from the minute bucket, within 1.15 x', async () => {
	const r = await shared({ n: 2, calls: 600, window: 'sliding', kind: 'key', cred: PAT_CRED, perMinute: 240, concurrency: 4 });
	assert.equal(r.failed, 0);
	assert.ok(r.peakMinute <= 240, `a minute held ${r.peakMinute}`);
	// the per-second limit (10/s per key) is not reported: two processes find it from refusals
	assert.ok(r.share429 <= 0.02, `${r.throttled} x 429 of ${r.sent}`);
	assert.ok(r.ratio <= 1.15, `${r.ratio.toFixed(3)} x`);
});

test("Keap's 25/s spike arrest shared by 4 processes of the app (no header reports it): learned from the first refusals, each process to about its share", async () => {
	// Not one of issue 21's targets (Keap does not say whether its spike arrest counts per app):
	// what it costs today, kept from getting worse. Lessons tried before this one (halving the
	// rate and pausing the process at each refusal; learning from the calls Keap had accepted)
	// drew 1.5 to 3.9% 429s here and took 2.6 to 6.4 x the quota minimum.
	const r = await shared({ n: 4, calls: 2000, window: 'sliding', spikeArrestPerSecond: 25 });
	assert.equal(r.failed, 0);
	assert.ok(r.share429 <= 0.015, `${r.throttled} x 429 of ${r.sent}`);
	assert.ok(r.ratio <= 1.7, `${r.ratio.toFixed(3)} x the quota minimum`);
});
