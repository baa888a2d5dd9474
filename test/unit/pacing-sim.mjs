// A simulated clock and a simulated Keap for the pacer's unit tests: virtual time (no real
// waiting), Keap's quota as the emulator enforces it (the emulator's own Limiter, fixed or
// sliding windows), and "processes" that each own a Pacer and run workers that send calls
// through it the way KeapHttp + the credential door do (slot, network, answer, retry on 429).
import { Limiter, LIMIT_DEFAULTS } from '../emulator/limits.mjs';

/** Virtual time: sleep() resolves when run() advances the clock to it. */
export class VirtualClock {
	constructor(startMs = Date.UTC(2026, 0, 5, 12, 0, 0)) {
		this.t = startMs;
		this.timers = [];
		this.seq = 0;
	}

	now() {
		return this.t;
	}

	sleep(ms) {
		return new Promise((resolve) => {
			this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
		});
	}

	/** Runs until `done` resolves (or nothing is left to run); throws after `limitMs` of virtual time. */
	async run(done, { limitMs = 24 * 3600_000 } = {}) {
		let finished = false;
		let failure;
		done.then(
			() => (finished = true),
			(e) => {
				failure = e;
				finished = true;
			},
		);
		const end = this.t + limitMs;
		for (;;) {
			// let every microtask and I/O-free continuation settle
			await new Promise((r) => setImmediate(r));
			if (finished) break;
			if (this.timers.length === 0) {
				await new Promise((r) => setImmediate(r));
				if (finished) break;
				throw new Error('simulation stalled: nothing is waiting on the clock');
			}
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift();
			if (next.at > end) throw new Error(`simulation ran past ${limitMs} ms of virtual time`);
			this.t = Math.max(this.t, next.at);
			next.resolve();
		}
		if (failure) throw failure;
		return await done;
	}
}

/** A deterministic pseudo-random source (mulberry32). */
export function random(seed = 1) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Keap's quota on the simulated clock: the emulator's Limiter with `limits` merged over Keap's
 * documented defaults (window: 'fixed' | 'sliding'). `take(cred)` counts one arriving call.
 */
export class SimKeap {
	constructor(clock, { limits = {}, retryAfter = true } = {}) {
		const merged = { ...LIMIT_DEFAULTS };
		for (const [k, v] of Object.entries(limits)) merged[k] = v && typeof v === 'object' ? { ...(LIMIT_DEFAULTS[k] ?? {}), ...v } : v;
		this.config = { limits: merged, limitsEnabled: true };
		this.clock = clock;
		this.retryAfter = retryAfter;
		this.limiter = new Limiter({ now: () => clock.now(), config: this.config });
		this.accepted = 0;
		this.refused = 0;
		this.arrivals = [];
	}

	take(cred) {
		const r = this.limiter.take(cred);
		if (r.ok) {
			this.arrivals.push(this.clock.now());
			this.accepted++;
			return { status: 200, headers: r.headers };
		}
		this.refused++;
		return { status: 429, headers: this.retryAfter ? { ...r.headers, 'retry-after': String(r.retryAfter) } : r.headers };
	}

	/** The most accepted calls that arrived within any `spanMs` (sliding). */
	peak(spanMs) {
		let best = 0;
		let i = 0;
		for (let j = 0; j < this.arrivals.length; j++) {
			while (this.arrivals[j] - this.arrivals[i] >= spanMs) i++;
			best = Math.max(best, j - i + 1);
		}
		return best;
	}
}

export const OAUTH = { kind: 'oauth', clientId: 'app', userId: 1 };
export const PAT_CRED = { kind: 'pat', userId: 1 };
export const SAK_CRED = { kind: 'sak', userId: 1 };

/**
 * One simulated n8n process: a Pacer of its own (the module's Pacer class, on the virtual
 * clock) and `concurrency` workers taking calls from a shared count. Each call: slot, one-way
 * latency, Keap counts it, latency back, answer to the pacer; a 429 is retried (as KeapHttp
 * does: up to `maxRetries`, after Retry-After or a doubling back-off) and counted.
 */
export class SimProcess {
	constructor({ Pacer, clock, keap, cred, kind, calls, concurrency = 4, latency = [20, 60], rand = random(1), maxRetries = 5 }) {
		this.pacer = new Pacer(kind, clock);
		Object.assign(this, { clock, keap, cred, calls, concurrency, latency, rand, maxRetries });
		this.sent = 0;
		this.throttled = 0;
		this.failed = 0;
		this.done = 0;
		this.finishedAt = undefined;
	}

	oneWay() {
		const [lo, hi] = this.latency;
		return lo + this.rand() * (hi - lo);
	}

	async call() {
		for (let attempt = 0; ; attempt++) {
			const ticket = await this.pacer.acquire();
			this.sent++;
			await this.clock.sleep(this.oneWay());
			const answer = this.keap.take(this.cred);
			await this.clock.sleep(this.oneWay());
			this.pacer.settle(ticket, answer.status, answer.headers);
			if (answer.status !== 429) return true;
			this.throttled++;
			if (attempt >= this.maxRetries) return false;
			const ra = Number(answer.headers['retry-after']);
			await this.clock.sleep(Number.isFinite(ra) ? Math.min(ra * 1000, 60_000) : Math.min(60_000, 500 * 2 ** attempt));
		}
	}

	async run() {
		let next = 0;
		const worker = async () => {
			while (next < this.calls) {
				next++;
				if (await this.call()) this.done++;
				else this.failed++;
			}
		};
		await Promise.all(Array.from({ length: this.concurrency }, worker));
		this.finishedAt = this.clock.now();
	}
}

/** A client of the same quota that sends at a steady rate and never paces (another script). */
export async function steadyLoad({ clock, keap, cred, perMinute, untilMs }) {
	const stats = { sent: 0, throttled: 0 };
	const gap = 60_000 / perMinute;
	while (clock.now() < untilMs()) {
		const r = keap.take(cred);
		stats.sent++;
		if (r.status === 429) stats.throttled++;
		await clock.sleep(gap);
	}
	return stats;
}
