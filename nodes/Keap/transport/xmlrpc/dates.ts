/**
 * Keap's XML-RPC date format and its time zone.
 *
 * On the wire a date is `<dateTime.iso8601>yyyyMMddTHH:mm:ss</dateTime.iso8601>` with no zone
 * (e.g. `20171208T11:56:04`, from a recorded InvoiceService.addManualPayment call).
 * Keap's server is Apache XML-RPC (Java; its "No method matching arguments" fault text comes
 * from Apache's ReflectiveXmlRpcHandler), which reads and writes such a date in the server's
 * configured time zone, not the Keap app's. That zone is US Eastern time:
 * - the official PHP SDK's `Infusionsoft::formatDate` builds its dates in `America/New_York`
 *   (infusionsoft/infusionsoft-php, src/Infusionsoft/Infusionsoft.php);
 * - infusionsoft-php issue #79 ("Timezone"): "The API returns a date time string that
 *   represents an American Eastern TZ";
 * - a public WordPress form integration for Infusionsoft switches PHP's zone to
 *   America/New_York before formatting the dates it sends.
 * So the default zone here is `America/New_York` (EST/EDT, with daylight saving). Every
 * function takes the zone as an optional last argument, so a caller that learns otherwise
 * (e.g. from a Keap account setting) can pass another IANA zone name.
 *
 * Wall times that do not exist (the spring-forward gap) move forward by the gap, as Java and
 * most libraries do; ambiguous wall times (the fall-back hour) take the earlier instant.
 */
import { XmlRpcParseError } from './values';

/** The zone Keap's XML-RPC server uses for dateTime values (see the module comment). */
export const KEAP_TIME_ZONE = 'America/New_York';

interface Fields {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	ms: number;
}

interface ParsedDate extends Fields {
	/** Offset from UTC in minutes when the text names one ('Z' is 0), else undefined. */
	offset?: number;
	zulu: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(timeZone, f);
	}
	return f;
}

/** UTC milliseconds for the given fields (Date.UTC maps years 0-99 to 1900+; this does not). */
function utcMs(f: Fields): number {
	const d = new Date(0);
	d.setUTCFullYear(f.year, f.month - 1, f.day);
	d.setUTCHours(f.hour, f.minute, f.second, f.ms);
	return d.getTime();
}

const MIN_MS = utcMs({ year: 1, month: 1, day: 2, hour: 0, minute: 0, second: 0, ms: 0 });
const MAX_MS = utcMs({ year: 9999, month: 12, day: 30, hour: 23, minute: 59, second: 59, ms: 999 });

/** The wall-clock fields of an instant in a zone. */
function wallFields(ms: number, timeZone: string): Fields {
	const out: Fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: ((ms % 1000) + 1000) % 1000 };
	for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
		if (part.type === 'year') out.year = Number(part.value);
		else if (part.type === 'month') out.month = Number(part.value);
		else if (part.type === 'day') out.day = Number(part.value);
		else if (part.type === 'hour') out.hour = Number(part.value) % 24;
		else if (part.type === 'minute') out.minute = Number(part.value);
		else if (part.type === 'second') out.second = Number(part.value);
	}
	return out;
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(ms: number, timeZone: string): number {
	const wall = wallFields(ms, timeZone);
	return utcMs(wall) - ms;
}

/** The instant at which the zone's clocks show the given wall time. */
function wallToInstant(f: Fields, timeZone: string): number {
	const asUtc = utcMs(f);
	const first = asUtc - offsetAt(asUtc, timeZone);
	const firstOffset = offsetAt(first, timeZone);
	if (asUtc - firstOffset === first) return first;
	const second = asUtc - firstOffset;
	if (offsetAt(second, timeZone) === firstOffset) return second;
	// The wall time falls in a gap: keep the offset from before the gap (moves it forward).
	return first;
}

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Anchored, no nested quantifiers: linear. Accepts 20171208T11:56:04 (Keap), 2017-12-08T11:56:04,
// 20171208T115604, optional fraction, optional Z/+hh:mm/+hhmm/+hh, or a date alone.
const DATE_RE =
	/^(\d{4})(-?)(\d{2})\2(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function parseDateText(text: string): ParsedDate | undefined {
	const t = text.trim();
	if (t.length > 64) return undefined;
	const m = DATE_RE.exec(t);
	if (!m) return undefined;
	const f: ParsedDate = {
		year: Number(m[1]),
		month: Number(m[3]),
		day: Number(m[4]),
		hour: m[5] === undefined ? 0 : Number(m[5]),
		minute: m[6] === undefined ? 0 : Number(m[6]),
		second: m[7] === undefined ? 0 : Number(m[7]),
		ms: m[8] === undefined ? 0 : Number(m[8].padEnd(3, '0').slice(0, 3)),
		zulu: m[9] === 'Z',
	};
	if (f.year < 1 || f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month)) return undefined;
	if (f.hour > 23 || f.minute > 59 || f.second > 59) return undefined;
	if (m[9] !== undefined) {
		if (m[9] === 'Z') f.offset = 0;
		else {
			const digits = m[9].slice(1).replace(':', '');
			const h = Number(digits.slice(0, 2));
			const min = digits.length > 2 ? Number(digits.slice(2)) : 0;
			if (h > 23 || min > 59) return undefined;
			f.offset = (m[9][0] === '-' ? -1 : 1) * (h * 60 + min);
		}
	}
	return f;
}

function keapText(f: Fields): string {
	return `${pad(f.year, 4)}${pad(f.month, 2)}${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
}

function checkInstant(ms: number, what: string): void {
	if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
		throw new RangeError(`${what} is not a valid date between the years 1 and 9999`);
	}
}

/**
 * Formats a date in Keap's XML-RPC format `yyyyMMddTHH:mm:ss`, as wall-clock time in
 * `timeZone` (default America/New_York, see the module comment). Milliseconds are dropped.
 * - A `Date` (an instant) is converted to that zone.
 * - A string with a zone (`2024-03-05T10:00:00Z`, `...+02:00`) is converted the same way.
 * - A string without a zone (`2024-03-05T10:00:00`, `2024-03-05`, `20240305T10:00:00`) is taken
 *   as wall time in that zone already and only reformatted; a date alone means midnight.
 * Throws a RangeError for anything else.
 */
export function formatKeapDate(d: Date | string, timeZone: string = KEAP_TIME_ZONE): string {
	if (d instanceof Date) {
		const ms = d.getTime();
		checkInstant(ms, 'The date');
		return keapText(wallFields(ms, timeZone));
	}
	if (typeof d !== 'string') throw new TypeError('formatKeapDate expects a Date or a string');
	const f = parseDateText(d);
	if (!f) throw new RangeError(`"${d.slice(0, 80)}" is not an ISO 8601 date`);
	if (f.offset === undefined) return keapText(f);
	const ms = utcMs(f) - f.offset * 60000;
	checkInstant(ms, `"${d}"`);
	return keapText(wallFields(ms, timeZone));
}

/**
 * Reads a Keap XML-RPC date (`20171208T11:56:04`; also the dashed and zoned ISO forms) and
 * returns it as an ISO 8601 string with an explicit offset, e.g. `2017-12-08T11:56:04-05:00`.
 * A text without a zone is wall time in `timeZone` (default America/New_York); the offset
 * in the result is that zone's offset at that moment (DST-aware). A text with a zone keeps it
 * (`Z` stays `Z`). Milliseconds appear only when present. A date alone means midnight.
 * Throws XmlRpcParseError when the text is not such a date.
 */
export function parseKeapDate(text: string, timeZone: string = KEAP_TIME_ZONE): string {
	const f = typeof text === 'string' ? parseDateText(text) : undefined;
	if (!f) throw new XmlRpcParseError(`"${String(text).slice(0, 80)}" is not an XML-RPC dateTime.iso8601 value`);
	let wall: Fields;
	let offsetMinutes: number;
	if (f.offset !== undefined) {
		wall = f;
		offsetMinutes = f.offset;
	} else {
		const ms = wallToInstant(f, timeZone);
		wall = wallFields(ms, timeZone);
		offsetMinutes = (utcMs(wall) - ms) / 60000;
	}
	let zone: string;
	if (f.zulu) zone = 'Z';
	else if (!Number.isInteger(offsetMinutes)) {
		// Local mean time before standard zones (e.g. -04:56:02 in New York before 1883) has
		// seconds that ISO 8601 offsets cannot carry: give the instant in UTC instead.
		wall = wallFields(utcMs(wall) - offsetMinutes * 60000, 'UTC');
		zone = 'Z';
	}
	else {
		const abs = Math.abs(offsetMinutes);
		zone = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
	}
	const fraction = wall.ms ? `.${pad(wall.ms, 3)}` : '';
	return (
		`${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}` +
		`T${pad(wall.hour, 2)}:${pad(wall.minute, 2)}:${pad(wall.second, 2)}${fraction}${zone}`
	);
}
