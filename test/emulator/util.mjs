// Small helpers shared by the emulator modules (no dependencies).
import { randomBytes } from 'node:crypto';

export function randomToken(prefix = '', bytes = 18) {
	return prefix + randomBytes(bytes).toString('base64url');
}

/** ISO-8601 with milliseconds, UTC (what Keap's REST APIs return). */
export function iso(ms) {
	return new Date(ms).toISOString();
}

export function clone(value) {
	return value === undefined ? undefined : structuredClone(value);
}

export function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

/** Reads the whole request body (bounded). */
export function readBody(req, limit = 10 * 1024 * 1024) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(new Error('request body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** Case-insensitive match with a trailing `*` wildcard (REST v2 filters). */
export function wildcardMatch(value, pattern) {
	if (value === undefined || value === null) return false;
	const v = String(value).toLowerCase();
	const p = String(pattern).toLowerCase();
	if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
	return v === p;
}

/**
 * A v2 filter value on a field Keap documents no wildcard for: the value as written, `*` included
 * (case-insensitive). Under `undocumentedWildcard: 'reject'` a trailing `*` is refused instead.
 */
export function literalMatch(value, pattern) {
	if (value === undefined || value === null) return false;
	return String(value).toLowerCase() === String(pattern).toLowerCase();
}

/** XML-RPC DataService matching: `%` wildcard anywhere, case-insensitive. */
export function percentMatch(value, pattern) {
	const re = new RegExp(
		'^' +
			String(pattern)
				.split('%')
				.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
				.join('.*') +
			'$',
		'is',
	);
	return re.test(String(value));
}

// ---- time zone helpers for XML-RPC wall-clock dates ----------------------------------------
const dtfCache = new Map();
function dtf(timeZone) {
	let f = dtfCache.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		dtfCache.set(timeZone, f);
	}
	return f;
}

/** Wall-clock parts of an instant in a time zone. */
export function wallParts(ms, timeZone) {
	const parts = Object.fromEntries(dtf(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour) % 24,
		minute: Number(parts.minute),
		second: Number(parts.second),
	};
}

/** Instant (ms) of a wall-clock time in a time zone. */
export function fromWall({ year, month, day, hour = 0, minute = 0, second = 0 }, timeZone) {
	const guess = Date.UTC(year, month - 1, day, hour, minute, second);
	let t = guess;
	for (let i = 0; i < 3; i++) {
		const w = wallParts(t, timeZone);
		const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
		const diff = asUtc - guess;
		if (diff === 0) break;
		t -= diff;
	}
	return t;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Keap's XML-RPC date text: yyyyMMddTHH:mm:ss in the given zone. */
export function xmlDate(ms, timeZone) {
	const w = wallParts(ms, timeZone);
	return `${w.year}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Parses `yyyy-MM-dd` or an ISO date-time; returns ms or NaN. */
export function parseDateLoose(s) {
	if (typeof s !== 'string') return NaN;
	if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(s + 'T00:00:00Z');
	if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return NaN;
	return Date.parse(s);
}
