/**
 * The package's own XML-RPC codec for Keap's (deprecated) XML-RPC API. No dependencies.
 *
 * Encoding (`encodeMethodCall`):
 * | JavaScript value                  | XML-RPC                                                  |
 * |-----------------------------------|----------------------------------------------------------|
 * | string                            | `<string>` (escaped; characters XML forbids are dropped)  |
 * | boolean                           | `<boolean>1</boolean>` / `0`                              |
 * | integer in -2^31..2^31-1          | `<i4>`                                                    |
 * | other integer                     | `<double>` (see below)                                    |
 * | other finite number, XmlRpcDouble | `<double>`, plain decimal notation (`1.5`, `5.0`, no exponent) |
 * | Date                              | `<dateTime.iso8601>` `yyyyMMddTHH:mm:ss`, New York time (or `options.timeZone`) |
 * | XmlRpcDateTime                    | `<dateTime.iso8601>` with its text as is                  |
 * | XmlRpcBase64                      | `<base64>`                                                |
 * | array                             | `<array><data>`; `undefined` items become `<nil/>`        |
 * | plain object                      | `<struct>`; members whose value is `undefined` are left out |
 * | null, undefined                   | `<nil/>`                                                  |
 * NaN, Infinity, functions, symbols, bigints and class instances other than the above throw a
 * TypeError or RangeError, as does nesting deeper than XMLRPC_MAX_DEPTH (this also stops cycles).
 *
 * Why integers beyond 32 bits become `<double>`: Keap's server is Apache XML-RPC 3 (Java).
 * Its `<i4>`/`<int>` parser is `Integer.parseInt`, so a larger value fails there; `<i8>` and
 * `<nil>` exist only as Apache *extensions* (namespace http://ws.apache.org/xmlrpc/namespaces/extensions,
 * and only when the server enables them), so a bare `<i8>` gets "Unknown type". `<double>` is
 * the one base-spec type that carries such a number (exactly, up to 2^53). Keap ids are 32-bit.
 * For the same reason Keap most likely rejects `<nil/>`: leave null fields out of a struct.
 *
 * Parsing (`parseMethodResponse`; the value reader is parse.ts): every XML-RPC type, and
 * - a bare `<value>text</value>` is a string (Keap sends these), `<value/>` is '';
 * - `<i4>`, `<int>`, `<i8>` (and the prefixed Apache extensions `ex:i1`, `ex:i2`, `ex:i8`,
 *   `ex:biginteger`) give a number; an integer beyond ±2^53 gives its decimal text instead,
 *   because a number would lose digits;
 * - `<double>` (and `ex:float`, `ex:bigdecimal`) gives a number; `1.0E-7` style is accepted;
 * - `<dateTime.iso8601>` gives an XmlRpcDateTime with the text (trimmed); read it with
 *   `parseKeapDate`. `<base64>` gives an XmlRpcBase64 with the whitespace removed;
 * - `<nil/>` and `<ex:nil/>` (any prefix) give null;
 * - whitespace between elements is ignored; inside a string it is kept as it is;
 * - struct member names are used as they are, including `__proto__` (as an own property);
 *   a repeated name keeps the last value.
 * A fault's `faultString` in Keap's `[Name]message` form is split into `name` and `message`.
 * Anything malformed throws XmlRpcParseError (see xml.ts for the XML rules and limits).
 *
 * Only the client's half is here: a server's (a response's encoder, a call's parser, for the
 * tests' fakes) is test/unit/xmlrpc-server.cjs, built on this one.
 */
import { formatKeapDate, KEAP_TIME_ZONE, parseKeapDate } from './dates';
import { readXmlRpcDocument } from './parse';
import {
	cleanBase64,
	describeValue,
	XMLRPC_MAX_DEPTH,
	XmlRpcBase64,
	XmlRpcDateTime,
	XmlRpcDouble,
	XmlRpcParseError,
	type XmlRpcValue,
} from './values';
import { isXmlWhitespace } from './xml';

export { formatKeapDate, parseKeapDate };
export { XMLRPC_MAX_DEPTH, XmlRpcBase64, XmlRpcDateTime, XmlRpcDouble, XmlRpcParseError, type XmlRpcValue };

export interface XmlRpcFault {
	code: number;
	/** The faultString exactly as received. */
	string: string;
	/** `RecordNotFound` for `[RecordNotFound]...`; absent when the string has no `[Name]` prefix. */
	name?: string;
	/** The text after `[Name]` (trimmed), or the whole string when there is no name. */
	message: string;
}

export type XmlRpcResponse = { ok: true; value: XmlRpcValue } | { ok: false; fault: XmlRpcFault };

export interface XmlRpcEncodeOptions {
	/** IANA zone in which `Date` values are written; default America/New_York. */
	timeZone?: string;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/**
 * Escapes text for XML element content: `& < > " '` become entities, CR becomes `&#13;` (a raw
 * CR would be read back as LF). Characters XML 1.0 forbids are dropped: U+0000-U+0008, U+000B,
 * U+000C, U+000E-U+001F, unpaired surrogates, U+FFFE, U+FFFF. Tab and LF are kept raw.
 */
export function escapeXmlText(s: string): string {
	let out: string[] | undefined;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		if (ch >= 0x20 && ch < 0xd800 && ch !== 0x26 && ch !== 0x3c && ch !== 0x3e && ch !== 0x22 && ch !== 0x27) {
			continue;
		}
		let rep: string | undefined;
		if (ch === 0x26) rep = '&amp;';
		else if (ch === 0x3c) rep = '&lt;';
		else if (ch === 0x3e) rep = '&gt;';
		else if (ch === 0x22) rep = '&quot;';
		else if (ch === 0x27) rep = '&apos;';
		else if (ch === 0x0d) rep = '&#13;';
		else if (ch === 0x09 || ch === 0x0a) continue;
		else if (ch < 0x20) rep = '';
		else if (ch >= 0xd800 && ch <= 0xdbff) {
			const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
			if (next >= 0xdc00 && next <= 0xdfff) {
				i++;
				continue;
			}
			rep = '';
		} else if (ch >= 0xdc00 && ch <= 0xdfff) rep = '';
		else if (ch === 0xfffe || ch === 0xffff) rep = '';
		else continue;
		if (!out) out = [];
		out.push(s.slice(start, i), rep);
		start = i + 1;
	}
	if (!out) return s;
	out.push(s.slice(start));
	return out.join('');
}

/** A finite number in plain decimal notation with a decimal point: 5 -> "5.0", 1e21 -> "1000...0.0". */
function formatDouble(v: number): string {
	if (!Number.isFinite(v)) throw new RangeError(`XML-RPC has no representation for ${v}`);
	const s = String(Object.is(v, -0) ? 0 : v);
	const e = s.indexOf('e');
	if (e === -1) return s.includes('.') ? s : `${s}.0`;
	const negative = s[0] === '-';
	const mantissa = s.slice(negative ? 1 : 0, e);
	const exponent = Number(s.slice(e + 1));
	const dot = mantissa.indexOf('.');
	const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
	const point = (dot === -1 ? mantissa.length : dot) + exponent;
	let text: string;
	if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
	else if (point >= digits.length) text = `${digits}${'0'.repeat(point - digits.length)}.0`;
	else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
	return negative ? `-${text}` : text;
}

function encodeValue(value: unknown, depth: number, out: string[], timeZone: string): void {
	if (value === null || value === undefined) {
		out.push('<value><nil/></value>');
		return;
	}
	switch (typeof value) {
		case 'string':
			out.push('<value><string>', escapeXmlText(value), '</string></value>');
			return;
		case 'boolean':
			out.push(value ? '<value><boolean>1</boolean></value>' : '<value><boolean>0</boolean></value>');
			return;
		case 'number':
			if (!Number.isFinite(value)) throw new RangeError(`XML-RPC has no representation for ${value}`);
			if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
				out.push('<value><i4>', String(value === 0 ? 0 : value), '</i4></value>');
			} else {
				out.push('<value><double>', formatDouble(value), '</double></value>');
			}
			return;
		case 'object':
			break;
		default:
			throw new TypeError(`XML-RPC cannot encode a value of type ${typeof value}`);
	}
	if (value instanceof XmlRpcDouble) {
		if (typeof value.value !== 'number') throw new TypeError('XmlRpcDouble needs a number');
		out.push('<value><double>', formatDouble(value.value), '</double></value>');
		return;
	}
	if (value instanceof XmlRpcBase64) {
		const clean = typeof value.base64 === 'string' ? cleanBase64(value.base64) : undefined;
		if (clean === undefined) throw new TypeError('XmlRpcBase64 does not hold valid base64 text');
		out.push('<value><base64>', clean, '</base64></value>');
		return;
	}
	if (value instanceof XmlRpcDateTime) {
		if (typeof value.text !== 'string' || isXmlWhitespace(value.text)) {
			throw new TypeError('XmlRpcDateTime needs a non-empty text');
		}
		out.push('<value><dateTime.iso8601>', escapeXmlText(value.text), '</dateTime.iso8601></value>');
		return;
	}
	if (value instanceof Date) {
		out.push('<value><dateTime.iso8601>', formatKeapDate(value, timeZone), '</dateTime.iso8601></value>');
		return;
	}
	if (depth + 1 > XMLRPC_MAX_DEPTH) {
		throw new RangeError(`XML-RPC value nests arrays/structs more than ${XMLRPC_MAX_DEPTH} deep (or contains a cycle)`);
	}
	if (Array.isArray(value)) {
		out.push('<value><array><data>');
		for (let i = 0; i < value.length; i++) encodeValue(value[i], depth + 1, out, timeZone);
		out.push('</data></array></value>');
		return;
	}
	const proto: unknown = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) {
		throw new TypeError(`XML-RPC cannot encode ${describeValue(value)}`);
	}
	const record = value as Record<string, unknown>;
	out.push('<value><struct>');
	for (const key of Object.keys(record)) {
		const member = record[key];
		if (member === undefined) continue;
		out.push('<member><name>', escapeXmlText(key), '</name>');
		encodeValue(member, depth + 1, out, timeZone);
		out.push('</member>');
	}
	out.push('</struct></value>');
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Builds a `<methodCall>` document. `method` must be a non-empty XML-RPC method name
 * (letters, digits, `_ . : /`). Throws TypeError/RangeError for values it cannot encode.
 */
export function encodeMethodCall(method: string, params: XmlRpcValue[], options: XmlRpcEncodeOptions = {}): string {
	if (typeof method !== 'string' || !/^[A-Za-z0-9_.:/]+$/.test(method)) {
		throw new TypeError(`Invalid XML-RPC method name: ${JSON.stringify(method)}`);
	}
	if (!Array.isArray(params)) throw new TypeError('XML-RPC params must be an array');
	const timeZone = options.timeZone ?? KEAP_TIME_ZONE;
	const out: string[] = [XML_DECLARATION, '<methodCall><methodName>', method, '</methodName><params>'];
	for (const param of params) {
		out.push('<param>');
		encodeValue(param, 0, out, timeZone);
		out.push('</param>');
	}
	out.push('</params></methodCall>');
	return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** Splits Keap's `[Name]message` fault text; other texts have no name. */
export function splitFaultString(faultString: string): { name?: string; message: string } {
	if (faultString.charCodeAt(0) === 0x5b) {
		const close = faultString.indexOf(']');
		if (close > 1 && close <= 101 && /^[A-Za-z][A-Za-z0-9_.-]*$/.test(faultString.slice(1, close))) {
			const name = faultString.slice(1, close);
			const message = faultString.slice(close + 1).trim();
			return { name, message: message || name };
		}
	}
	return { message: faultString.trim() };
}

function isStruct(v: XmlRpcValue): v is { [k: string]: XmlRpcValue } {
	return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Parses a `<methodResponse>`: `{ ok: true, value }` or, for a fault, `{ ok: false, fault }`.
 * Throws XmlRpcParseError for anything else (malformed XML, an HTML or JSON error page, ...).
 */
export function parseMethodResponse(xml: string): XmlRpcResponse {
	const { reader, root } = readXmlRpcDocument(xml);
	if (root.name !== 'methodResponse') throw reader.wrongRoot(root, 'methodResponse');
	const kids = reader.elements(root);
	if (kids.length !== 1 || (kids[0].name !== 'params' && kids[0].name !== 'fault')) {
		throw reader.fail(kids.length ? kids[0].pos : root.pos, '<methodResponse> must contain either <params> or <fault>');
	}
	const body = kids[0];
	if (body.name === 'params') {
		const param = reader.only(body, 'param');
		return { ok: true, value: reader.value(reader.only(param, 'value'), 0) };
	}
	const valueEl = reader.only(body, 'value');
	const v = reader.value(valueEl, 0);
	if (!isStruct(v)) throw reader.fail(valueEl.pos, 'the <fault> value must be a struct');
	let code: number;
	const rawCode = v.faultCode;
	if (typeof rawCode === 'number' && Number.isInteger(rawCode)) code = rawCode;
	else if (typeof rawCode === 'string' && /^\s*[+-]?[0-9]{1,15}\s*$/.test(rawCode)) code = Number(rawCode);
	else throw reader.fail(valueEl.pos, 'the fault has no integer faultCode');
	const rawString = v.faultString === undefined ? '' : v.faultString;
	if (typeof rawString !== 'string') throw reader.fail(valueEl.pos, 'the fault has a faultString that is not a string');
	const split = splitFaultString(rawString);
	const fault: XmlRpcFault = { code, string: rawString, message: split.message };
	if (split.name !== undefined) fault.name = split.name;
	return { ok: false, fault };
}
