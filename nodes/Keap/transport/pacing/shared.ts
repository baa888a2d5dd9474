/**
 * One of Keap's shared per-minute buckets (the credential's throttle, the tenant's ceiling) as
 * this process sees it through the headers of its own answers: the limit Keap reports, and how
 * many of the window's calls were not ours ("others": other workers, other mains, other
 * scripts of the same app or tenant).
 *
 * Each answer says how many calls the bucket holds (`used`, ours included). Ours in the window
 * are known (the sliding log), so others = used - ours. Sending only while
 *   ours now + others (as last seen, plus their recent growth) + 1 <= limit - margin
 * keeps the bucket under its limit whether Keap's window is fixed or sliding: with a fixed
 * window that has just reset, `used` is smaller than ours over the last 60 s and the estimate
 * is ours alone, which is still at least what Keap counts. Processes that all do this converge
 * without talking to each other: each one reuses the slots its own calls free, and the room
 * that is left is seen by all of them in the next answer.
 */
export interface SharedObservation {
	/** When the observed call was sent (ms). */
	at: number;
	others: number;
}

/** How often a process that is held back by others' calls may look again (one call). */
export const PROBE_AFTER_MS = 10_000;
/** How far others' growth is projected past the newest answer (plus the round trip). */
const PROJECT_MS = 1000;
/** Growth is measured between answers at least this far apart. */
const SLOPE_SPAN_MS = 250;

export class SharedBucket {
	private obs?: SharedObservation;
	private slopeRef?: SharedObservation;
	/** Others' growth in calls per ms (0 when flat or shrinking). */
	private slopePerMs = 0;
	/** Whether Keap has reported this bucket's limit (else it is the documented one). */
	reported = false;

	constructor(
		public limit: number,
		readonly windowMs: number,
	) {}

	/** Calls kept free for what this process cannot see (others' calls in flight). */
	margin(): number {
		return Math.max(2, Math.ceil(this.limit * 0.005));
	}

	/**
	 * An answer to a call sent at `at`: the bucket held `used` calls, `mine` of them ours (the
	 * call itself included). Answers older than the newest one seen are ignored.
	 */
	observe(at: number, used: number, mine: number, limit?: number) {
		if (limit !== undefined && limit > 0) {
			this.limit = limit;
			this.reported = true;
		}
		if (this.obs && at < this.obs.at) return;
		const others = Math.max(0, used - mine);
		const ref = this.slopeRef;
		if (!ref || at - ref.at > this.windowMs) {
			this.slopeRef = { at, others };
			this.slopePerMs = 0;
		} else if (at - ref.at >= SLOPE_SPAN_MS) {
			const slope = Math.max(0, (others - ref.others) / (at - ref.at));
			this.slopePerMs = (this.slopePerMs + slope) / 2;
			this.slopeRef = { at, others };
		}
		this.obs = { at, others };
	}

	/** The newest observation still inside the window. */
	current(now: number): SharedObservation | undefined {
		return this.obs && now - this.obs.at <= this.windowMs ? this.obs : undefined;
	}

	/** Others' calls in the window now, as far as this process can tell. */
	others(now: number, lagMs: number): number {
		const obs = this.current(now);
		if (!obs) return 0;
		return obs.others + this.slopePerMs * (Math.min(now - obs.at, PROJECT_MS) + lagMs);
	}

	/**
	 * Ms until this process may send one more call, given its own calls in the window
	 * (`ownCount`, and `ownWaitFor(max)`: ms until at most `max` of them are left) and when it
	 * last sent one.
	 */
	waitMs(now: number, lagMs: number, ownCount: number, ownWaitFor: (max: number) => number, lastSentAt: number): number {
		const maxOwn = Math.floor(this.limit - this.margin() - 1 - this.others(now, lagMs));
		const byAging = ownWaitFor(maxOwn);
		if (byAging < Infinity) return byAging;
		const obs = this.current(now);
		if (!obs) return byAging;
		// Others hold (nearly) the whole bucket and none of our own calls leaving it would make
		// room: look again now and then (one call, within half the margin, none while an answer
		// is on its way), and forget the observation once it has left the window.
		let wait = obs.at + this.windowMs - now + 1;
		if (ownCount + obs.others + 1 <= this.limit - Math.ceil(this.margin() / 2)) {
			wait = Math.min(wait, Math.max(0, Math.max(obs.at, lastSentAt) + PROBE_AFTER_MS - now));
		}
		return wait;
	}
}
