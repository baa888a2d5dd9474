/**
 * The times of this process's own calls over a sliding window (oldest first): how many are in
 * the window now, and when enough of them will have left it.
 */
export class SlidingLog {
	private times: number[] = [];
	private head = 0;

	constructor(readonly spanMs: number) {}

	private prune(now: number) {
		const from = now - this.spanMs;
		while (this.head < this.times.length && this.times[this.head] <= from) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
	}

	push(at: number) {
		this.times.push(at);
	}

	/** Calls in the window ending now. */
	count(now: number): number {
		this.prune(now);
		return this.times.length - this.head;
	}

	/** Calls sent in [from, to] (both within the window). */
	countBetween(from: number, to: number): number {
		let n = 0;
		for (let i = this.times.length - 1; i >= this.head; i--) {
			const t = this.times[i];
			if (t < from) break;
			if (t <= to) n++;
		}
		return n;
	}

	/** Ms from now until at most `max` calls are left in the window (Infinity when max < 0). */
	msUntilAtMost(max: number, now: number): number {
		const n = this.count(now);
		if (n <= max) return 0;
		if (max < 0) return Infinity;
		return this.times[this.head + n - max - 1] + this.spanMs - now;
	}
}
