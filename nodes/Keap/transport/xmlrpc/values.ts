/**
 * Value types of the XML-RPC codec.
 *
 * Plain JavaScript values map to XML-RPC types by their own type (see `encodeMethodCall`);
 * the three wrapper classes below say what a plain value cannot:
 * - `XmlRpcDouble`: send an integral number as `<double>` instead of `<i4>`;
 * - `XmlRpcBase64`: `<base64>` data, kept as the base64 text seen on the wire;
 * - `XmlRpcDateTime`: a `<dateTime.iso8601>` value, kept as the raw text. The parser returns
 *   dates this way, because an XML-RPC date carries no time zone; turn it into an ISO 8601
 *   instant with `parseKeapDate(value.text)`.
 */

/** Maximum number of arrays/structs nested inside each other, in both directions. */
export const XMLRPC_MAX_DEPTH = 100;

export class XmlRpcDouble {
	constructor(readonly value: number) {}
}

export class XmlRpcBase64 {
	constructor(readonly base64: string) {}

	/** Encodes raw bytes (e.g. a file for FileService.uploadFile) as base64. */
	static fromBytes(bytes: Uint8Array): XmlRpcBase64 {
		return new XmlRpcBase64(bytesToBase64(bytes));
	}

	/** Decodes the base64 text to bytes. Throws a RangeError if the text is not base64. */
	toBytes(): Uint8Array {
		return base64ToBytes(this.base64);
	}
}

export class XmlRpcDateTime {
	constructor(readonly text: string) {}
}

export type XmlRpcValue =
	| string
	| number
	| boolean
	| null
	| Date
	| XmlRpcValue[]
	| { [k: string]: XmlRpcValue }
	| XmlRpcDouble
	| XmlRpcBase64
	| XmlRpcDateTime;

/**
 * Thrown by the parsers for anything that is not a well-formed XML-RPC message: malformed XML,
 * a DOCTYPE, a wrong root element (e.g. an HTML error page from a gateway), an unknown type,
 * nesting deeper than `XMLRPC_MAX_DEPTH`. `position` is the character offset of the problem
 * in the input, when known; the message also gives it as line and column.
 */
export class XmlRpcParseError extends Error {
	readonly position?: number;

	constructor(message: string, position?: number) {
		super(message);
		this.name = 'XmlRpcParseError';
		this.position = position;
	}
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX: Int16Array = (() => {
	const table = new Int16Array(128).fill(-1);
	for (let i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = i;
	return table;
})();

function bytesToBase64(bytes: Uint8Array): string {
	const chunks: string[] = [];
	let line = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const a = bytes[i];
		const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
		const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
		line += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)];
		line += i + 1 < bytes.length ? B64[((b & 15) << 2) | (c >> 6)] : '=';
		line += i + 2 < bytes.length ? B64[c & 63] : '=';
		if (line.length >= 4096) {
			chunks.push(line);
			line = '';
		}
	}
	chunks.push(line);
	return chunks.join('');
}

/**
 * Checks base64 text after removing XML whitespace. Returns the cleaned text, or undefined
 * when it is not base64 (bad character, bad length or misplaced padding).
 */
export function cleanBase64(text: string): string | undefined {
	const parts: string[] = [];
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(text.slice(start));
	const clean = parts.join('');
	if (clean.length % 4 !== 0) return undefined;
	for (let i = 0; i < clean.length; i++) {
		const ch = clean.charCodeAt(i);
		if (ch === 0x3d) {
			// '=' only in the last two places, and only followed by '='.
			if (i < clean.length - 2) return undefined;
			if (i === clean.length - 2 && clean.charCodeAt(i + 1) !== 0x3d) return undefined;
		} else if (ch >= 128 || B64_INDEX[ch] < 0) {
			return undefined;
		}
	}
	return clean;
}

function base64ToBytes(text: string): Uint8Array {
	const clean = cleanBase64(text);
	if (clean === undefined) throw new RangeError('Invalid base64 text');
	let padding = 0;
	if (clean.endsWith('==')) padding = 2;
	else if (clean.endsWith('=')) padding = 1;
	const out = new Uint8Array((clean.length / 4) * 3 - padding);
	let o = 0;
	for (let i = 0; i < clean.length; i += 4) {
		const a = B64_INDEX[clean.charCodeAt(i)];
		const b = B64_INDEX[clean.charCodeAt(i + 1)];
		const c = clean.charCodeAt(i + 2) === 0x3d ? 0 : B64_INDEX[clean.charCodeAt(i + 2)];
		const d = clean.charCodeAt(i + 3) === 0x3d ? 0 : B64_INDEX[clean.charCodeAt(i + 3)];
		const n = (a << 18) | (b << 12) | (c << 6) | d;
		if (o < out.length) out[o++] = (n >> 16) & 255;
		if (o < out.length) out[o++] = (n >> 8) & 255;
		if (o < out.length) out[o++] = n & 255;
	}
	return out;
}

/** What a value is, for an error message: its type, or "a Map object" for class instances. */
export function describeValue(value: unknown): string {
	if (typeof value !== 'object' || value === null) return typeof value;
	const ctor = (value as { constructor?: { name?: unknown } }).constructor;
	return typeof ctor?.name === 'string' && ctor.name ? `a ${ctor.name} object` : 'an object';
}
