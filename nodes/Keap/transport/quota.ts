/**
 * Keap's quota and throttle headers, read by one parser, and the pacer that keeps a credential
 * under its quota instead of running into 429s.
 *
 * Headers (all optional; Keap omits them on some answers): x-keap-product-quota-* (the daily
 * bucket), x-keap-product-throttle-* (the per-minute bucket) and x-keap-tenant-throttle-* (the
 * account-wide ceiling, two windows in one header, pipe-delimited: "10000|250000").
 */
import { sleep } from 'n8n-workflow';

export interface QuotaWindow {
	limit?: number;
	used?: number;
	available?: number;
	/** minute, day, ... as Keap names it. */
	timeUnit?: string;
	interval?: number;
	/** When the window resets (ISO), where Keap says. */
	resetsAt?: string;
}

export interface QuotaState {
	productQuota?: QuotaWindow;
	productThrottle?: QuotaWindow;
	tenantThrottle: QuotaWindow[];
}

function num(value: string | undefined): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const n = Number(value.trim());
	return Number.isFinite(n) ? n : undefined;
}

function windowFrom(headers: Record<string, string>, prefix: string): QuotaWindow | undefined {
	const w: QuotaWindow = {
		limit: num(headers[`${prefix}-limit`]),
		used: num(headers[`${prefix}-used`]),
		available: num(headers[`${prefix}-available`]),
		timeUnit: headers[`${prefix}-time-unit`]?.trim() || undefined,
		interval: num(headers[`${prefix}-interval`]),
	};
	const expiry = num(headers[`${prefix}-expiry-time`]);
	// Keap sends milliseconds since the epoch; tolerate seconds too.
	if (expiry !== undefined) w.resetsAt = new Date(expiry < 1e12 ? expiry * 1000 : expiry).toISOString();
	return Object.values(w).some((v) => v !== undefined) ? w : undefined;
}

/** Parses the headers of any Keap response (lower-case names). Never throws. */
export function parseQuotaHeaders(headers: Record<string, string>): QuotaState {
	const state: QuotaState = {
		productQuota: windowFrom(headers, 'x-keap-product-quota'),
		productThrottle: windowFrom(headers, 'x-keap-product-throttle'),
		tenantThrottle: [],
	};
	const split = (name: string) => (headers[`x-keap-tenant-throttle-${name}`] ?? '').split('|').map((s) => s.trim());
	const limits = split('limit');
	for (let i = 0; i < limits.length; i++) {
		const w = windowFrom(
			{
				'w-limit': limits[i],
				'w-used': split('used')[i],
				'w-available': split('available')[i],
				'w-time-unit': split('time-unit')[i],
				'w-interval': split('interval')[i],
			},
			'w',
		);
		if (w) state.tenantThrottle.push(w);
	}
	return state;
}

export interface RateWindow {
	limit: number;
	perMs: number;
	/**
	 * Requests can reach Keap later than we start them (a busy event loop, a slow network), which
	 * can bunch them into one of Keap's windows; each window keeps this much slack.
	 */
	slackMs: number;
}

/**
 * Keap's documented limits per credential kind. Keys: 10/s (metered; a jitter of a few hundred
 * ms is a large part of that window, and long batches are bound by 240/min anyway) and 240/min.
 * OAuth apps: 1500/min, with an unmetered spike arrest of 25/s: a small slack there keeps
 * batches close to 1500/min.
 */
export const KEAP_RATE_LIMITS: Record<'oauth' | 'key', RateWindow[]> = {
	key: [
		{ limit: 10, perMs: 1000, slackMs: 300 },
		{ limit: 240, perMs: 60_000, slackMs: 150 },
	],
	oauth: [
		{ limit: 25, perMs: 1000, slackMs: 60 },
		{ limit: 1500, perMs: 60_000, slackMs: 150 },
	],
};

/**
 * A sliding-window pacer shared by every execution in this n8n process that uses the same
 * credential: no window ever holds more calls than its limit. A sliding window is stricter
 * than Keap's fixed windows, so pacing to it never trips Keap's.
 */
export class Pacer {
	private readonly sent: number[][];
	private pausedUntil = 0;
	waitedMs = 0;

	constructor(readonly windows: RateWindow[]) {
		this.sent = windows.map(() => []);
	}

	/** Waits until a call may go out, records it, and returns how long it waited. */
	async acquire(): Promise<number> {
		let waited = 0;
		for (;;) {
			const now = Date.now();
			let wait = Math.max(0, this.pausedUntil - now);
			this.windows.forEach((w, i) => {
				const log = this.sent[i];
				const span = w.perMs + w.slackMs;
				while (log.length && log[0] <= now - span) log.shift();
				if (log.length >= w.limit) wait = Math.max(wait, log[log.length - w.limit] + span - now);
			});
			if (wait <= 0) {
				for (const log of this.sent) log.push(now);
				this.waitedMs += waited;
				return waited;
			}
			await sleep(wait);
			waited += wait;
		}
	}

	/** Holds every caller back (after a 429 or an exhausted bucket). */
	pause(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	/** Reacts to what Keap reported: an empty per-minute bucket pauses until the next minute. */
	observe(state: QuotaState) {
		const t = state.productThrottle;
		if (t?.available === 0) {
			const now = Date.now();
			this.pause(60_000 - (now % 60_000) + 150);
		}
	}
}

const pacers = new Map<string, Pacer>();

/** The pacer of one credential in this process (created on first use). */
export function pacerFor(key: string, windows: RateWindow[]): Pacer {
	let pacer = pacers.get(key);
	if (!pacer) pacers.set(key, (pacer = new Pacer(windows)));
	return pacer;
}
