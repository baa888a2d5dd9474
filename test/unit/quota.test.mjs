// The quota-header parser and the pacer of one process, on a simulated clock (no real waiting)
// against Keap's quota as the emulator enforces it (test/unit/pacing-sim.mjs).
import { test } from '@jest/globals';
import assert from 'node:assert/strict';

import {
	Pacer,
	RECOVER_AFTER_MS,
	RunPacing,
	dailyBucketEmpty,
	parseQuotaHeaders,
	retryAfterMs,
} from '../../dist/nodes/Keap/transport/quota.js';
import { OAUTH, PAT_CRED, SAK_CRED, SimKeap, SimProcess, VirtualClock, random, steadyLoad } from './pacing-sim.mjs';

test('parses product quota, throttle and pipe-delimited tenant windows', () => {
	const s = parseQuotaHeaders({
		'x-keap-product-quota-limit': '150000',
		'x-keap-product-quota-used': '10',
		'x-keap-product-quota-available': '149990',
		'x-keap-product-quota-time-unit': 'day',
		'x-keap-product-quota-interval': '1',
		'x-keap-product-quota-expiry-time': '1798761600000',
		'x-keap-product-throttle-limit': '1500',
		'x-keap-product-throttle-available': '1499',
		'x-keap-product-throttle-used': '1',
		'x-keap-product-throttle-time-unit': 'minute',
		'x-keap-tenant-throttle-limit': '10000|250000',
		'x-keap-tenant-throttle-used': '3|40',
		'x-keap-tenant-throttle-available': '9997|249960',
		'x-keap-tenant-throttle-time-unit': 'minute|day',
		'x-keap-tenant-throttle-interval': '1|1',
	});
	assert.equal(s.productQuota.limit, 150000);
	assert.equal(s.productQuota.available, 149990);
	assert.equal(s.productQuota.resetsAt, '2027-01-01T00:00:00.000Z');
	assert.equal(s.productThrottle.limit, 1500);
	assert.equal(s.productThrottle.timeUnit, 'minute');
	assert.deepEqual(
		s.tenantThrottle.map((w) => [w.limit, w.used, w.available, w.timeUnit]),
		[
			[10000, 3, 9997, 'minute'],
			[250000, 40, 249960, 'day'],
		],
	);
});

test('tolerates missing, partial and junk headers', () => {
	assert.deepEqual(parseQuotaHeaders({}), { productQuota: undefined, productThrottle: undefined, tenantThrottle: [] });
	const s = parseQuotaHeaders({ 'x-keap-product-throttle-available': 'n/a', 'x-keap-product-throttle-limit': ' 240 ', 'x-keap-tenant-throttle-limit': '10000' });
	assert.equal(s.productThrottle.limit, 240);
	assert.equal(s.productThrottle.available, undefined);
	assert.equal(s.tenantThrottle.length, 1);
	assert.equal(s.productQuota, undefined);
	// expiry in seconds is read as seconds
	assert.equal(parseQuotaHeaders({ 'x-keap-product-quota-expiry-time': '1798761600' }).productQuota.resetsAt, '2027-01-01T00:00:00.000Z');
	assert.equal(retryAfterMs('3', 0), 3000);
	assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1000), 4000);
	assert.equal(retryAfterMs('soon', 0), undefined);
	assert.equal(retryAfterMs(undefined, 0), undefined);
});

/** Runs `calls` calls of one process; returns the process and Keap. */
async function single({ kind = 'oauth', cred = OAUTH, calls, limits = {}, start, retryAfter = true, concurrency = 4, latency = [20, 50], seed = 1 }) {
	const clock = new VirtualClock(start);
	const keap = new SimKeap(clock, { limits, retryAfter });
	const p = new SimProcess({ Pacer, clock, keap, cred, kind, calls, concurrency, latency, rand: random(seed) });
	const t0 = clock.now();
	await clock.run(p.run());
	return { p, keap, clock, wallMs: p.finishedAt - t0 };
}

for (const window of ['fixed', 'sliding']) {
	test(`OAuth, one process, ${window} windows with Keap's 25/s spike arrest: 1003 calls, no 429, within 1.06 x of 25/s`, async () => {
		const { p, keap, wallMs } = await single({ calls: 1003, limits: { window, spikeArrestPerSecond: 25 } });
		assert.equal(p.throttled, 0);
		assert.equal(keap.refused, 0);
		assert.equal(p.sent, 1003);
		const min = (1003 / 25) * 1000;
		assert.ok(wallMs <= min * 1.06, `wall ${wallMs} ms vs ${min} ms`);
		assert.ok(keap.peak(1000) <= 25);
	});

	test(`PAT, one process, ${window} windows, starting 50 s into a UTC minute: 600 calls, no 429, at 240/min`, async () => {
		const start = Date.UTC(2026, 0, 5, 12, 0, 50);
		const { p, keap, wallMs } = await single({ kind: 'key', cred: PAT_CRED, calls: 600, limits: { window }, start });
		assert.equal(p.throttled, 0);
		assert.equal(keap.refused, 0);
		// 600 calls at 240 a minute: two full windows, then the rest at 10/s
		const min = (600 / 240) * 60_000;
		assert.ok(wallMs <= min * 1.03, `wall ${wallMs} ms vs quota minimum ${min} ms`);
	});
}

test('a per-minute limit Keap reports below the documented one (150 of 1500) is paced to from the first answer', async () => {
	const { p, keap, wallMs } = await single({ calls: 450, limits: { window: 'sliding', oauth: { perMinute: 150 } } });
	assert.equal(p.throttled, 0, 'no 429');
	assert.equal(keap.refused, 0);
	assert.equal(p.pacer.throttle.limit, 150);
	assert.equal(p.pacer.throttle.reported, true);
	assert.deepEqual(p.pacer.windows.map((w) => w.limit), [25, 150]);
	// 450 calls at 148 a minute (2 kept free): 3 windows, the last one partly
	assert.ok(wallMs <= 3 * 60_000 + 5000, `wall ${wallMs}`);
});

test('an exhausted minute bucket without Retry-After: resumes when the window frees, not at a clock minute', async () => {
	// Another script spent the whole minute bucket at 12:00:50; Keap sends no Retry-After.
	const clock = new VirtualClock(Date.UTC(2026, 0, 5, 12, 0, 50));
	const keap = new SimKeap(clock, { limits: { window: 'sliding', oauth: { perMinute: 100 } }, retryAfter: false });
	for (let i = 0; i < 100; i++) keap.take(OAUTH);
	const p = new SimProcess({ Pacer, clock, keap, cred: OAUTH, kind: 'oauth', calls: 20, concurrency: 1 });
	const sends = [];
	const orig = p.pacer.acquire.bind(p.pacer);
	p.pacer.acquire = async () => {
		const t = await orig();
		sends.push(t.sentAt - Date.UTC(2026, 0, 5, 12, 0, 50));
		return t;
	};
	await clock.run(p.run());
	assert.equal(p.done, 20);
	// one call to find out; nothing at 12:01:00 (clock minute); the rest once the 60 s have passed
	assert.ok(p.throttled <= 2, `${p.throttled} x 429`);
	const early = sends.filter((ms) => ms > 1000 && ms < 59_000);
	assert.ok(early.length <= 6, `calls between the first and the window's end: ${early.map((x) => Math.round(x))}`);
	assert.ok(!sends.some((ms) => ms >= 10_000 && ms < 10_500 && p.throttled > 1), 'no burst at the clock minute');
	assert.ok(p.finishedAt - Date.UTC(2026, 0, 5, 12, 0, 50) < 75_000);
});

test('Retry-After holds every caller of the process back until then', async () => {
	const clock = new VirtualClock();
	const pacer = new Pacer('oauth', clock);
	const t = await pacer.acquire();
	pacer.settle(t, 429, { 'retry-after': '7', 'x-keap-product-throttle-limit': '1500', 'x-keap-product-throttle-available': '0', 'x-keap-product-throttle-used': '1500' });
	const t0 = clock.now();
	const times = [];
	await clock.run(Promise.all([1, 2, 3].map(async () => times.push((await pacer.acquire()).sentAt - t0))));
	assert.ok(times.every((ms) => ms >= 7000), `sent after ${times} ms`);
	assert.equal(pacer.unmeteredRefusals, 0, 'a bucket at 0 explains the 429');
});

test('a service account key limited to 5/s (below the documented 10/s, no header says so) is learned within a few calls', async () => {
	for (const window of ['fixed', 'sliding']) {
		const { p, keap } = await single({ kind: 'key', cred: SAK_CRED, calls: 200, limits: { window, sak: { perSecond: 5 } } });
		assert.equal(p.done, 200, 'every call got through in the end');
		assert.ok(p.throttled <= 4, `${window}: ${p.throttled} x 429 while learning`);
		assert.ok(p.pacer.perSecond <= 5, `${window}: paced to ${p.pacer.perSecond}/s`);
		assert.ok(p.pacer.unmeteredRefusals >= 1);
		// the 429s all came early
		assert.ok(keap.refused === p.throttled);
	}
});

test('a refusal while the minute bucket has room: paced below the calls sent in the second before; one step back up per minute without one', async () => {
	const clock = new VirtualClock();
	const pacer = new Pacer('key', clock);
	const minute = (used) => ({ 'x-keap-product-throttle-limit': '240', 'x-keap-product-throttle-used': String(used), 'x-keap-product-throttle-available': String(240 - used) });
	for (let i = 0; i < 6; i++) pacer.settle(await clock.run(pacer.acquire()), 200, minute(i + 1));
	const refused = await clock.run(pacer.acquire());
	pacer.settle(refused, 429, minute(6));
	assert.equal(pacer.perSecond, 6);
	assert.equal(pacer.unmeteredRefusals, 1);
	// an answer to a call sent before the lesson teaches nothing more
	pacer.settle({ ...refused, sentAt: refused.sentAt - 1 }, 429, minute(6));
	assert.equal(pacer.perSecond, 6);
	// a bucket at 0 explains a 429 by itself: no lesson
	pacer.settle(await clock.run(pacer.acquire()), 429, minute(240));
	assert.equal(pacer.perSecond, 6);
	await clock.run(clock.sleep(RECOVER_AFTER_MS));
	pacer.waitMs(clock.now());
	assert.equal(pacer.perSecond, 7);
	pacer.waitMs(clock.now());
	assert.equal(pacer.perSecond, 7, 'one step per period');
});

test("the run's daily outlook: says so after the first answer when the daily bucket cannot hold the run's calls", async () => {
	const clock = new VirtualClock();
	const pacer = new Pacer('oauth', clock);
	const daily = (available) => ({
		'x-keap-product-quota-limit': '150000',
		'x-keap-product-quota-available': String(available),
		'x-keap-product-quota-expiry-time': String(Date.UTC(2026, 0, 6)),
	});
	const run = new RunPacing(pacer);
	const told = [];
	run.expect(1000, (s) => told.push(s));
	run.sent(0);
	pacer.settle(await clock.run(pacer.acquire()), 200, daily(812));
	run.answered();
	assert.deepEqual(told, [{ limit: 150000, available: 812, resetsAt: '2026-01-06T00:00:00.000Z', needed: 999 }]);
	run.answered();
	assert.equal(told.length, 1, 'once per run');
	// enough left: nothing said
	const roomy = new RunPacing(pacer);
	const quiet = [];
	roomy.expect(100, (s) => quiet.push(s));
	pacer.settle(await clock.run(pacer.acquire()), 200, daily(5000));
	roomy.answered();
	assert.deepEqual(quiet, []);
	// a 429 whose headers show the daily bucket empty: no retry can get through before the reset
	assert.equal(dailyBucketEmpty(daily(0)), '2026-01-06T00:00:00.000Z');
	assert.equal(dailyBucketEmpty(daily(3)), undefined);
	assert.equal(dailyBucketEmpty({}), undefined);
});

test('with 1350 of 1500 calls a minute spent by another script, the process takes the 150 left: no 429 for it or the script', async () => {
	for (const window of ['sliding', 'fixed']) {
		const clock = new VirtualClock();
		const keap = new SimKeap(clock, { limits: { window } });
		let over = false;
		const load = steadyLoad({ clock, keap, cred: OAUTH, perMinute: 1350, untilMs: () => (over ? 0 : Infinity) });
		// the script has run for a minute before the batch starts
		await clock.run(clock.sleep(61_000));
		const p = new SimProcess({ Pacer, clock, keap, cred: OAUTH, kind: 'oauth', calls: 400, rand: random(3) });
		const t0 = clock.now();
		const done = p.run().then(() => (over = true));
		const [, stats] = await clock.run(Promise.all([done, load]));
		assert.equal(p.throttled, 0, `${window}: the batch got 429s`);
		assert.equal(stats.throttled, 0, `${window}: the script got ${stats.throttled} x 429`);
		const min = (400 / 150) * 60_000;
		assert.ok(p.finishedAt - t0 <= min * 1.1, `${window}: wall ${p.finishedAt - t0} ms vs ${min}`);
	}
});
