/**
 * Keap's quota and throttle headers, read by one parser. All optional (Keap omits them on some
 * answers): x-keap-product-quota-* (the daily bucket), x-keap-product-throttle-* (the
 * per-minute bucket) and x-keap-tenant-throttle-* (the account-wide ceiling, two windows in
 * one header, pipe-delimited: "10000|250000").
 */
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

/** Retry-After in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value.trim());
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(value);
	return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** Calls used in a window: `used`, or limit - available. */
export function usedOf(w: QuotaWindow | undefined): number | undefined {
	if (!w) return undefined;
	if (w.used !== undefined) return w.used;
	return w.limit !== undefined && w.available !== undefined ? w.limit - w.available : undefined;
}

/** Calls left in a window: `available`, or limit - used. */
export function availableOf(w: QuotaWindow | undefined): number | undefined {
	if (!w) return undefined;
	if (w.available !== undefined) return w.available;
	return w.limit !== undefined && w.used !== undefined ? w.limit - w.used : undefined;
}

/** Lower-case header names, one string value each (n8n/axios hand back mixed shapes). */
export function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
			if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
		}
	}
	return out;
}
