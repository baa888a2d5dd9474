/**
 * Input checks run before any call to Keap, so a bad value fails with the item and the field
 * named instead of a vague 400 from Keap (or, worse, a silently dropped value). Messages quote
 * at most an excerpt of the value (excerpt), never a whole one.
 */
import { EMAIL_LENGTH } from './lengths';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;
const PHONE = /^\+?[0-9(][0-9 ().\-/]{2,39}$/;
const REGION_CODE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

/** ISO 3166-1 alpha-3 codes (what Keap's addresses take as country_code). */
const ISO3 = new Set(
	(
		'ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU ' +
		'BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA ' +
		'DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM ' +
		'GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT ' +
		'LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ ' +
		'MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF ' +
		'QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD ' +
		'TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM XKX YEM ZAF ZMB ZWE'
	).split(' '),
);

export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

/** Characters of a value a message quotes at most: a message never carries a whole 100 kB value. */
export const EXCERPT_LENGTH = 40;

/** A control character (U+0000-U+001F, U+007F); tab, line feed and carriage return only when `all`. */
function isControl(code: number, all: boolean): boolean {
	if (code === 0x7f) return true;
	if (code >= 0x20) return false;
	return all || (code !== 0x09 && code !== 0x0a && code !== 0x0d);
}

/** Where the first control character of a text is (tabs and line breaks allowed), or -1. */
function controlIndex(s: string): number {
	for (let k = 0; k < s.length; k++) if (isControl(s.charCodeAt(k), false)) return k;
	return -1;
}

/**
 * A value as a message quotes it: in quotes, at most EXCERPT_LENGTH characters (then "…" and
 * the value's length), control characters written as \u0000.
 */
export function excerpt(value: unknown): string {
	const s = typeof value === 'string' ? value : String(value);
	const cut = s.length > EXCERPT_LENGTH;
	let shown = '';
	for (const c of s.slice(0, EXCERPT_LENGTH)) {
		const code = c.charCodeAt(0);
		shown += isControl(code, true) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
	}
	return cut ? `"${shown}…" (${s.length} characters)` : `"${shown}"`;
}

/** What a value that is not of the expected type is, for messages ("an object", "a list of 2 values"). */
export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list of ${value.length} value${value.length === 1 ? '' : 's'}`;
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `true/false (${String(value)})`;
	if (typeof value === 'number') return `a number (${String(value)})`;
	return typeof value;
}

/**
 * A text value: a string (a finite number is taken as its digits), trimmed, without control
 * characters (tabs and line breaks are fine) and at most `maxLength` characters (Keap's
 * limit for the field). undefined when the value is absent (undefined, null or empty).
 * Objects, lists and true/false are refused: they would reach Keap as "[object Object]".
 */
export function checkText(field: string, value: unknown, maxLength: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
	if (typeof raw !== 'string') throw new InputError(field, `expected text, got ${kindOf(value)}`);
	const v = raw.trim();
	if (v === '') return undefined;
	const at = controlIndex(v);
	if (at >= 0) {
		const code = v.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
		throw new InputError(field, `${excerpt(v)} contains a control character (U+${code}) at position ${at + 1}`);
	}
	if (v.length > maxLength) {
		throw new InputError(field, `Keap keeps at most ${maxLength} characters here, this value has ${v.length}: ${excerpt(v)}`);
	}
	return v;
}

export function checkEmail(field: string, value: string): string {
	const v = value.trim();
	if (v.length > EMAIL_LENGTH) {
		throw new InputError(field, `an email address has at most ${EMAIL_LENGTH} characters, this value has ${v.length}: ${excerpt(v)}`);
	}
	if (!EMAIL.test(v)) throw new InputError(field, `${excerpt(value)} is not a valid email address`);
	return v;
}

export function checkPhone(field: string, value: string): string {
	const v = value.trim();
	const digits = v.replace(/\D/g, '').length;
	if (!PHONE.test(v) || digits < 3 || digits > 20) throw new InputError(field, `${excerpt(value)} is not a valid phone number`);
	return v;
}

export function checkCountryCode(field: string, value: string): string {
	const v = value.trim().toUpperCase();
	if (!ISO3.has(v)) {
		throw new InputError(field, `${excerpt(value)} is not an ISO 3166-1 alpha-3 country code (for example USA, GBR, DEU)`);
	}
	return v;
}

export function checkRegionCode(field: string, value: string): string {
	const v = value.trim().toUpperCase();
	if (!REGION_CODE.test(v)) throw new InputError(field, `${excerpt(value)} is not an ISO 3166-2 region code (for example US-AZ)`);
	return v;
}

/** A calendar date (YYYY-MM-DD) from a date or date-time string; rejects impossible dates. */
export function checkDate(field: string, value: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value.trim());
	if (m) {
		const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
		const date = new Date(Date.UTC(y, mo - 1, d));
		if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
			return `${m[1]}-${m[2]}-${m[3]}`;
		}
	}
	throw new InputError(field, `${excerpt(value)} is not a valid date (expected YYYY-MM-DD)`);
}

/** An ISO 8601 date-time in UTC with milliseconds, as Keap's v2 filters want. */
export function checkDateTime(field: string, value: string): string {
	const ms = Date.parse(value);
	if (!value || !Number.isFinite(ms)) throw new InputError(field, `${excerpt(value)} is not a valid date and time`);
	return new Date(ms).toISOString();
}

export function checkWebsite(field: string, value: string): string {
	const v = value.trim();
	if (/\s/.test(v) || !/^(https?:\/\/)?[^\s/.]+\.[^\s]+$/i.test(v) || v.length > 100) {
		throw new InputError(field, `${excerpt(value)} is not a valid website address`);
	}
	return v;
}

export function checkId(field: string, value: unknown): string {
	if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number') {
		throw new InputError(field, `expected a Keap ID (a whole number), got ${kindOf(value)}`);
	}
	const v = String(value ?? '').trim();
	if (!/^\d+$/.test(v)) throw new InputError(field, `${excerpt(value)} is not a Keap ID (a whole number)`);
	return v;
}

/**
 * A money amount in the account's currency, as a person writes it (12.5 or "12.50" for
 * $12.50): a number, not negative (above 0 with `positive`), with at most 2 decimal places,
 * because Keap keeps amounts in cents.
 */
export function checkMoney(field: string, value: unknown, { positive = false } = {}): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
	if (!Number.isFinite(n)) throw new InputError(field, `"${String(value)}" is not an amount of money (a number such as 12.50)`);
	if (n < 0) throw new InputError(field, `${n} is negative: Keap takes amounts of 0 or more`);
	if (positive && n === 0) throw new InputError(field, 'the amount must be greater than 0');
	if (Math.abs(n * 100 - Math.round(n * 100)) > 1e-6) {
		throw new InputError(field, `${String(value)} has more than 2 decimal places (Keap keeps amounts in cents)`);
	}
	return Math.round(n * 100) / 100;
}

/** A whole number of at least `min` (quantities, counts, days). */
export function checkWholeNumber(field: string, value: unknown, min: number): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (!Number.isInteger(n)) throw new InputError(field, `"${String(value)}" is not a whole number`);
	if (n < min) throw new InputError(field, `${n} is less than ${min}`);
	if (n > 2_147_483_647) throw new InputError(field, `${n} is too large (Keap takes 32-bit whole numbers)`);
	return n;
}
/** A finite number (a number or numeric text), e.g. a projected revenue. */
export function checkNumber(field: string, value: unknown): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (!Number.isFinite(n)) throw new InputError(field, `"${String(value)}" is not a number`);
	return n;
}

/** Text that must not be blank (a title, a name); trimmed. */
export function checkRequiredText(field: string, value: unknown): string {
	const v = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
	if (!v) throw new InputError(field, 'is required and cannot be blank');
	return v;
}
