// The legacy XML-RPC throttle, as Keap's 2012 API docs describe it (rate_limiting.html in
// Continumity/Infusionsoft-API-Documentation, KEAP-API.md section 6): a credit bank per
// application, not per client. One credit is earned per `xmlrpcCreditMs` (500 ms) of time, up to
// `xmlrpcCreditMax` (2000); each call costs one. A call that finds no credit is held until the
// next one is earned ("it will appear to the API client that each call is taking 500ms"); "if
// there are 3 threads throttled and a 4th attempts to access the API – and there still isn't a
// credit available, the 4th will be rejected with an error message". Switch xmlrpcLegacyThrottle.
//
// Real time, not the emulator clock (a frozen clock would hold calls for ever).

const MAX_WAITING = 3;

export class XmlRpcThrottle {
	constructor(getConfig) {
		this.getConfig = getConfig;
		this.reset();
	}

	reset() {
		for (const release of this.waiting ?? []) release(); // nothing stays held across a reset
		const cfg = this.getConfig();
		this.credits = cfg.xmlrpcStartCredits;
		this.lastTick = Date.now();
		this.waiting = [];
		clearTimeout(this.timer);
		this.timer = null;
	}

	refill() {
		const { xmlrpcCreditMs: ms, xmlrpcCreditMax: max } = this.getConfig();
		const now = Date.now();
		const earned = Math.floor((now - this.lastTick) / ms);
		if (earned > 0) {
			this.credits = Math.min(max, this.credits + earned);
			this.lastTick += earned * ms;
		}
		if (this.credits >= max) this.lastTick = now;
	}

	/** Resolves { ok: true, waitedMs } once the call may run, or { ok: false } when rejected. */
	take() {
		if (this.waiting.length === 0) this.refill();
		if (this.waiting.length === 0 && this.credits > 0) {
			this.credits--;
			return Promise.resolve({ ok: true, waitedMs: 0 });
		}
		if (this.waiting.length >= MAX_WAITING) return Promise.resolve({ ok: false, waitedMs: 0 });
		const started = Date.now();
		return new Promise((resolve) => {
			this.waiting.push(() => resolve({ ok: true, waitedMs: Date.now() - started }));
			this.schedule();
		});
	}

	/** Serves waiting calls, one per earned credit, in arrival order. */
	schedule() {
		if (this.timer || this.waiting.length === 0) return;
		const ms = this.getConfig().xmlrpcCreditMs;
		const due = Math.max(0, this.lastTick + ms - Date.now());
		this.timer = setTimeout(() => {
			this.timer = null;
			this.refill();
			while (this.credits > 0 && this.waiting.length) {
				this.credits--;
				this.waiting.shift()();
			}
			this.schedule();
		}, due);
		this.timer.unref?.();
	}
}
