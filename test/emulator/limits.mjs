// Keap's API quotas (Apigee gateway): fixed windows on the emulator clock, aligned to the
// UTC second / minute / day. OAuth counts per client id, PAT/SAK per key; one tenant ceiling
// counts every call. Rejected (429) calls do not consume quota.
//
// Named options for what Keap does not document:
// - `window: 'sliding'` (or the `limitsWindow` switch): the second and minute buckets count the calls of the last 1 s / 60 s
//   instead of the current UTC second / minute (Keap documents neither; a sliding window is the
//   stricter reading: it never allows a burst across a window edge). The day stays the UTC day
//   (documented: resets at 00:00 UTC).
// - `pat: {...}`, `sak: {...}`: limits of one key kind over `key` (e.g. `sak: { perSecond: 5 }`,
//   the 5/s a Keap staff answer gives for service account keys).
const UNIT_MS = { second: 1000, minute: 60_000, day: 86_400_000 };

export const LIMIT_DEFAULTS = {
	oauth: { perMinute: 1500, perDay: 150_000 },
	key: { perSecond: 10, perMinute: 240, perDay: 30_000 },
	tenant: { perMinute: 10_000, perDay: 250_000 },
	/** Optional spike arrest per credential and second (0 = off). */
	spikeArrestPerSecond: 0,
	// window: 'fixed' (UTC-aligned second and minute) or 'sliding'; unset, the `limitsWindow`
	// switch (switches.mjs) decides.
};

/** 'oauth:app:minute' -> 'minute', 'tenant:minute' -> 'tenant-minute'. */
function bucketName(key) {
	const parts = key.split(':');
	return parts[0] === 'tenant' ? `tenant-${parts[parts.length - 1]}` : parts[parts.length - 1];
}

export class Limiter {
	constructor(emu) {
		this.emu = emu;
		this.windows = new Map();
	}

	reset() {
		this.windows.clear();
	}

	buckets(cred) {
		const l = this.emu.config.limits;
		const id = cred.kind === 'oauth' ? `oauth:${cred.clientId}` : `key:${cred.kind}:${cred.userId}`;
		const set = cred.kind === 'oauth' ? l.oauth : { ...l.key, ...(l[cred.kind] ?? {}) };
		const out = [];
		if (l.spikeArrestPerSecond) out.push({ key: `${id}:spike`, unit: 'second', limit: l.spikeArrestPerSecond });
		if (set.perSecond) out.push({ key: `${id}:second`, unit: 'second', limit: set.perSecond });
		if (set.perMinute) out.push({ key: `${id}:minute`, unit: 'minute', limit: set.perMinute, role: 'throttle' });
		if (set.perDay) out.push({ key: `${id}:day`, unit: 'day', limit: set.perDay, role: 'quota' });
		if (l.tenant?.perMinute) out.push({ key: 'tenant:minute', unit: 'minute', limit: l.tenant.perMinute, role: 'tenant' });
		if (l.tenant?.perDay) out.push({ key: 'tenant:day', unit: 'day', limit: l.tenant.perDay, role: 'tenant' });
		return out;
	}

	sliding(b) {
		const config = this.emu.config;
		return (config.limits.window ?? config.limitsWindow) === 'sliding' && b.unit !== 'day';
	}

	state(b, now) {
		if (this.sliding(b)) return this.slidingState(b, now);
		const win = Math.floor(now / UNIT_MS[b.unit]);
		let w = this.windows.get(b.key);
		if (!w || w.win !== win) this.windows.set(b.key, (w = { win, used: 0 }));
		return { w, resetAt: (win + 1) * UNIT_MS[b.unit] };
	}

	/** A sliding bucket: the times of the calls counted in the last unit (oldest first). */
	slidingState(b, now) {
		const span = UNIT_MS[b.unit];
		let w = this.windows.get(b.key);
		if (!w || !w.log) this.windows.set(b.key, (w = { log: [], head: 0, used: 0 }));
		while (w.head < w.log.length && w.log[w.head] <= now - span) w.head++;
		if (w.head > 4096) {
			w.log = w.log.slice(w.head);
			w.head = 0;
		}
		w.used = w.log.length - w.head;
		// When the bucket has room for one more call again (the Retry-After of a 429).
		const resetAt = w.used >= b.limit ? w.log[w.head + w.used - b.limit] + span : now;
		return { w, resetAt };
	}

	count(b, now) {
		b.w.used++;
		if (b.w.log) b.w.log.push(now);
	}

	/** Counts one call. Returns { ok, headers, retryAfter (s), refusedBy (the full buckets: second, minute, day, spike, tenant-minute, ...) }. */
	take(cred) {
		const now = this.emu.now();
		const enforce = this.emu.config.limitsEnabled !== false;
		const buckets = this.buckets(cred).map((b) => ({ ...b, ...this.state(b, now) }));
		const exceeded = enforce ? buckets.filter((b) => b.w.used >= b.limit) : [];
		if (exceeded.length === 0) for (const b of buckets) this.count(b, now);
		const headers = this.headers(buckets);
		if (exceeded.length) {
			const retryAfter = Math.max(1, Math.ceil((Math.max(...exceeded.map((b) => b.resetAt)) - now) / 1000));
			return { ok: false, headers, retryAfter, refusedBy: exceeded.map((b) => bucketName(b.key)) };
		}
		return { ok: true, headers };
	}

	headers(buckets) {
		const h = {};
		const put = (prefix, b) => {
			h[`${prefix}-limit`] = String(b.limit);
			h[`${prefix}-time-unit`] = b.unit;
			h[`${prefix}-interval`] = '1';
			h[`${prefix}-available`] = String(Math.max(0, b.limit - b.w.used));
			h[`${prefix}-used`] = String(b.w.used);
		};
		const quota = buckets.find((b) => b.role === 'quota');
		if (quota) {
			put('x-keap-product-quota', quota);
			h['x-keap-product-quota-expiry-time'] = String(quota.resetAt);
		}
		const throttle = buckets.find((b) => b.role === 'throttle');
		if (throttle) put('x-keap-product-throttle', throttle);
		const tenant = buckets.filter((b) => b.role === 'tenant');
		if (tenant.length) {
			const j = (f) => tenant.map(f).join('|');
			h['x-keap-tenant-throttle-limit'] = j((b) => b.limit);
			h['x-keap-tenant-throttle-time-unit'] = j((b) => b.unit);
			h['x-keap-tenant-throttle-interval'] = j(() => 1);
			h['x-keap-tenant-throttle-available'] = j((b) => Math.max(0, b.limit - b.w.used));
			h['x-keap-tenant-throttle-used'] = j((b) => b.w.used);
		}
		return h;
	}
}
