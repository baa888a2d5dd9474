/**
 * The pacer of one credential in one process: every call to Keap takes a slot here right
 * before it goes out (`acquire`) and hands back what Keap answered (`settle`).
 *
 * What it paces to:
 * - the per-second limit (not reported in any header: Keap's documented 10/s for keys, the
 *   25/s spike arrest for OAuth), lowered when Keap refuses a call while every bucket it
 *   reports had room (a key limited below the documented rate, e.g. 5/s, or a per-second
 *   limit shared with other processes) to the calls we sent in the second before, and
 *   raised back one step per RECOVER_AFTER_MS without such a refusal;
 * - the shared per-minute buckets as Keap reports them on every answer (the credential's
 *   throttle, the tenant's ceiling): their limit and how much of them others use (see
 *   shared.ts), so that several processes on one quota converge without talking;
 * - Retry-After: everyone in the process holds back until then.
 * The daily bucket is tracked (calls left, reset time) for the run's outlook, not paced to.
 * Documented limits are the starting point; what Keap answers overrides them.
 */
import { sleep } from 'n8n-workflow';

import { availableOf, parseQuotaHeaders, retryAfterMs, usedOf, type QuotaState, type QuotaWindow } from './headers';
import { SharedBucket } from './shared';
import { SlidingLog } from './window';

export interface PacerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: PacerClock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export type CredentialKind = 'oauth' | 'key';

export interface DocumentedLimits {
	perSecond: number;
	/**
	 * Calls can reach Keap later than they leave here (a busy event loop, n8n's own work before
	 * the socket), which can bunch them into one of Keap's seconds: the per-second window is
	 * this much longer. Keys: a whole second (10 calls per 2 s; their minute bucket, 4 calls a
	 * second, binds any batch past 240 calls anyway; the pacing bench saw one 429 from Keap's
	 * second in 1000 calls with 500 ms on a busy machine). OAuth: small, since 25/s is the pace
	 * of every OAuth batch.
	 */
	perSecondSlackMs: number;
	perMinute: number;
	/**
	 * Own calls count in the minute window this much longer, for the same reason: a call that
	 * reaches Keap late shifts into the next minute's count. Keys: wider (240 a minute is the
	 * pace of every long key batch; one second more costs under 2 %).
	 */
	minuteSlackMs: number;
	perDay: number;
}

/** KEAP-API.md section 7: PAT/SAK 10/s, 240/min, 30,000/day; OAuth 25/s spike arrest, 1500/min, 150,000/day. */
export const KEAP_DOCUMENTED_LIMITS: Record<CredentialKind, DocumentedLimits> = {
	key: { perSecond: 10, perSecondSlackMs: 1000, perMinute: 240, minuteSlackMs: 1500, perDay: 30_000 },
	oauth: { perSecond: 25, perSecondSlackMs: 40, perMinute: 1500, minuteSlackMs: 1000, perDay: 150_000 },
};

/** Keap's tenant ceiling per minute, until an answer reports it. */
export const TENANT_PER_MINUTE = 10_000;
const MINUTE_MS = 60_000;
/** A learned per-second limit goes back up one step after this long without a refusal. */
export const RECOVER_AFTER_MS = 60_000;
/** Longest hold after a 429 (a Retry-After of hours means the daily bucket: see http.ts). */
const MAX_PAUSE_MS = 60_000;
/** Waiting callers look again at least this often. */
const MAX_SLEEP_MS = 1000;

export interface RateWindow {
	limit: number;
	perMs: number;
	slackMs: number;
}

/** One call's slot: when it left, and how many of our calls the minute window held then. */
export interface Ticket {
	sentAt: number;
	seq: number;
	mine: number;
	waitedMs: number;
}

export interface DailyBucket {
	limit?: number;
	available: number;
	resetsAt?: string;
}

export type ThrottleCause = 'metered' | 'unmetered';

export class Pacer {
	private readonly documented: DocumentedLimits;
	private readonly second: SlidingLog;
	private readonly minute: SlidingLog;
	/** The per-second limit paced to (documented, or learned from refusals). */
	perSecond: number;
	/** x-keap-product-throttle-*: the credential's per-minute bucket. */
	readonly throttle: SharedBucket;
	/** x-keap-tenant-throttle-* (minute): the account's ceiling over every token. */
	readonly tenant: SharedBucket;
	private daily?: DailyBucket & { atSeq: number };
	private pausedUntil = 0;
	private seq = 0;
	private lastSentAt = -Infinity;
	private rttMs = 0;
	private learnedAt = 0;
	/** Totals of this process (every execution on the credential). */
	sent = 0;
	waitedMs = 0;
	throttled = 0;
	/** 429s Keap gave while every bucket it reports had room (each lowers `perSecond`). */
	unmeteredRefusals = 0;

	constructor(
		readonly kind: CredentialKind,
		private readonly clock: PacerClock = systemClock,
	) {
		this.documented = KEAP_DOCUMENTED_LIMITS[kind];
		this.perSecond = this.documented.perSecond;
		this.second = new SlidingLog(1000 + this.documented.perSecondSlackMs);
		this.minute = new SlidingLog(MINUTE_MS + this.documented.minuteSlackMs);
		this.throttle = new SharedBucket(this.documented.perMinute, MINUTE_MS);
		this.tenant = new SharedBucket(TENANT_PER_MINUTE, MINUTE_MS);
	}

	/** The limits paced to now (for hints and Account > Get API Usage). */
	get windows(): RateWindow[] {
		return [
			{ limit: this.perSecond, perMs: 1000, slackMs: this.documented.perSecondSlackMs },
			{ limit: this.throttle.limit, perMs: MINUTE_MS, slackMs: this.documented.minuteSlackMs },
		];
	}

	/** Ms until the next call may go out (0: now). */
	waitMs(now: number): number {
		this.recover(now);
		let wait = this.pausedUntil - now;
		wait = Math.max(wait, this.second.msUntilAtMost(this.perSecond - 1, now));
		// No bursts: a second's calls leave at least half their mean interval apart, so that late
		// arrivals of one second do not bunch up with the next one's at Keap.
		wait = Math.max(wait, this.lastSentAt + 500 / this.perSecond - now);
		const own = this.minute.count(now);
		const ownWait = (max: number) => this.minute.msUntilAtMost(max, now);
		for (const bucket of [this.throttle, this.tenant]) {
			if (wait >= MAX_SLEEP_MS) break;
			wait = Math.max(wait, bucket.waitMs(now, this.rttMs, own, ownWait, this.lastSentAt));
		}
		return wait;
	}

	/** Waits until a call may go out and records it; send the call right after. */
	async acquire(): Promise<Ticket> {
		const started = this.clock.now();
		for (;;) {
			const now = this.clock.now();
			const wait = this.waitMs(now);
			if (wait <= 0) {
				this.second.push(now);
				this.minute.push(now);
				this.seq++;
				this.sent++;
				this.lastSentAt = now;
				const waitedMs = now - started;
				this.waitedMs += waitedMs;
				return { sentAt: now, seq: this.seq, mine: this.minute.count(now), waitedMs };
			}
			await this.clock.sleep(Math.min(Math.ceil(wait), MAX_SLEEP_MS));
		}
	}

	/** What Keap answered to the call of `ticket` (status undefined: no answer). */
	settle(ticket: Ticket, status: number | undefined, headers: Record<string, string> = {}) {
		const now = this.clock.now();
		if (status !== undefined) {
			const rtt = now - ticket.sentAt;
			this.rttMs = this.rttMs === 0 ? rtt : this.rttMs * 0.8 + rtt * 0.2;
		}
		const quota = parseQuotaHeaders(headers);
		this.observe(this.throttle, ticket, quota.productThrottle);
		this.observe(this.tenant, ticket, quota.tenantThrottle.find((w) => (w.timeUnit ?? 'minute') === 'minute'));
		this.observeDaily(ticket, quota.productQuota);
		if (status === 429) this.onThrottled(ticket, quota, headers, now);
	}

	/** Holds every caller back for `ms`. */
	pause(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + Math.min(ms, MAX_PAUSE_MS));
	}

	/** The daily bucket as last reported, less the calls this process made since (undefined: unknown or reset since). */
	dailyLeft(now = this.clock.now()): DailyBucket | undefined {
		const d = this.daily;
		if (!d) return undefined;
		if (d.resetsAt && Date.parse(d.resetsAt) <= now) return undefined;
		return { limit: d.limit, available: Math.max(0, d.available - (this.seq - d.atSeq)), resetsAt: d.resetsAt };
	}

	/** Others' calls in the credential's minute bucket now, as far as this process can tell. */
	othersPerMinute(now = this.clock.now()): number {
		return Math.round(this.throttle.others(now, 0));
	}

	private observe(bucket: SharedBucket, ticket: Ticket, w: QuotaWindow | undefined) {
		if (!w) return;
		const used = usedOf(w);
		if (used !== undefined) bucket.observe(ticket.sentAt, used, ticket.mine, w.limit);
		else if (w.limit !== undefined && w.limit > 0) {
			bucket.limit = w.limit;
			bucket.reported = true;
		}
	}

	private observeDaily(ticket: Ticket, w: QuotaWindow | undefined) {
		const available = availableOf(w);
		if (!w || available === undefined) return;
		if (this.daily && ticket.seq < this.daily.atSeq) return;
		this.daily = { limit: w.limit, available, resetsAt: w.resetsAt, atSeq: ticket.seq };
	}

	/** Which of Keap's limits refused a call: one it reports (a bucket at 0) or one it does not. */
	causeOf(quota: QuotaState, now: number): ThrottleCause {
		const empty = (w?: QuotaWindow) => {
			const available = availableOf(w);
			return available !== undefined && available <= 0;
		};
		if (empty(quota.productThrottle) || empty(quota.productQuota) || quota.tenantThrottle.some(empty)) return 'metered';
		const reported = [quota.productThrottle, quota.productQuota, ...quota.tenantThrottle].some((w) => availableOf(w) !== undefined);
		if (reported) return 'unmetered';
		// No headers: the minute bucket if our own view says it is (nearly) full.
		const own = this.minute.count(now);
		return own + this.throttle.others(now, 0) >= this.throttle.limit - this.throttle.margin() ? 'metered' : 'unmetered';
	}

	private onThrottled(ticket: Ticket, quota: QuotaState, headers: Record<string, string>, now: number) {
		this.throttled++;
		const retryAfter = retryAfterMs(headers['retry-after'], now);
		// An empty daily bucket is not waited for (KeapHttp gives up on those calls).
		const dailyEmpty = (availableOf(quota.productQuota) ?? 1) <= 0;
		if (retryAfter !== undefined && !dailyEmpty) this.pause(retryAfter);
		if (this.causeOf(quota, now) === 'metered') return; // the observation already holds callers back
		// Calls sent before the last lesson were paced to the old limit: one lesson per burst.
		if (ticket.sentAt < this.learnedAt) return;
		// Refused while every reported bucket had room: a per-second limit below ours, or one we
		// share with others on the same quota. It is below the calls we sent in the second before
		// this one.
		const before = this.second.countBetween(ticket.sentAt - 1000, ticket.sentAt) - 1;
		this.perSecond = Math.max(1, before >= 1 ? Math.min(this.perSecond - 1, before) : this.perSecond - 1);
		this.learnedAt = now;
		this.unmeteredRefusals++;
	}

	private recover(now: number) {
		if (this.perSecond < this.documented.perSecond && now - this.learnedAt >= RECOVER_AFTER_MS) {
			this.perSecond++;
			this.learnedAt = now;
		}
	}
}
