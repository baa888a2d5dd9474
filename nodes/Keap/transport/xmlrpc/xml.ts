/**
 * A small, non-validating XML reader that is just enough for XML-RPC, written for hostile input:
 * - one pass over the text with `indexOf` scans, no backtracking regular expressions, no
 *   recursion (an explicit stack), so time is linear in the input size;
 * - element nesting is capped (`maxDepth`), past which it throws;
 * - DOCTYPE (and so any DTD or ENTITY declaration) is rejected: only the five predefined
 *   entities and numeric character references are known, so there is no XXE and no entity
 *   expansion ("billion laughs");
 * - the XML declaration, other processing instructions and comments are skipped; CDATA
 *   sections become text; attributes are checked for syntax and then ignored;
 * - line ends are normalised as XML 1.0 says (CRLF and lone CR become LF; a character reference
 *   `&#13;` keeps a CR);
 * - characters XML 1.0 forbids are rejected, raw or as references: U+0000-U+0008, U+000B,
 *   U+000C, U+000E-U+001F, unpaired surrogates, U+FFFE and U+FFFF.
 * The input is a JavaScript string, i.e. already decoded; the declaration's `encoding` is ignored.
 * Errors are `XmlRpcParseError`s that give the offset, line and column.
 */
import { XmlRpcParseError } from './values';

export interface XmlElement {
	kind: 'element';
	name: string;
	pos: number;
	children: XmlNode[];
}

export interface XmlText {
	kind: 'text';
	text: string;
	pos: number;
}

export type XmlNode = XmlElement | XmlText;

/** Builds the error message with line and column, computed only when an error happens. */
export function parseError(src: string, pos: number, message: string): XmlRpcParseError {
	let line = 1;
	let lineStart = 0;
	const end = Math.min(pos, src.length);
	for (let i = src.indexOf('\n'); i !== -1 && i < end; i = src.indexOf('\n', i + 1)) {
		line++;
		lineStart = i + 1;
	}
	return new XmlRpcParseError(
		`Invalid XML-RPC message: ${message} (line ${line}, column ${end - lineStart + 1}, offset ${pos})`,
		pos,
	);
}

function isNameStart(ch: number): boolean {
	return (
		(ch >= 0x61 && ch <= 0x7a) ||
		(ch >= 0x41 && ch <= 0x5a) ||
		ch === 0x5f ||
		ch === 0x3a ||
		(ch >= 0xc0 && ch !== 0xd7 && ch !== 0xf7 && ch < 0xd800) ||
		(ch >= 0xe000 && ch <= 0xfffd)
	);
}

function isNameChar(ch: number): boolean {
	return (
		isNameStart(ch) ||
		(ch >= 0x30 && ch <= 0x39) ||
		ch === 0x2d ||
		ch === 0x2e ||
		ch === 0xb7
	);
}

function isSpace(ch: number): boolean {
	return ch === 0x20 || ch === 0x0a || ch === 0x09 || ch === 0x0d;
}

export function isXmlWhitespace(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (!isSpace(text.charCodeAt(i))) return false;
	}
	return true;
}

/** Whether a code point is a character XML 1.0 allows (production `Char`). */
function isXmlChar(cp: number): boolean {
	return (
		cp === 0x09 ||
		cp === 0x0a ||
		cp === 0x0d ||
		(cp >= 0x20 && cp <= 0xd7ff) ||
		(cp >= 0xe000 && cp <= 0xfffd) ||
		(cp >= 0x10000 && cp <= 0x10ffff)
	);
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes character data src[from, to) into `out`: entity and character references, line-end
 * normalisation, forbidden-character checks, and no ']]>'. The caller has cut the range at '<'.
 */
function decodeText(src: string, from: number, to: number, out: string[]): void {
	let start = from;
	for (let k = from; k < to; k++) {
		const ch = src.charCodeAt(k);
		if (ch >= 0x20 && ch < 0xd800 && ch !== 0x26 && ch !== 0x3e) continue;
		if (ch === 0x26) {
			if (k > start) out.push(src.slice(start, k));
			let semi = -1;
			const limit = Math.min(to, k + 32);
			for (let j = k + 1; j < limit; j++) {
				if (src.charCodeAt(j) === 0x3b) {
					semi = j;
					break;
				}
			}
			if (semi === -1) throw parseError(src, k, "'&' that does not start an entity reference (use &amp;)");
			const ref = src.slice(k + 1, semi);
			if (ref.charCodeAt(0) === 0x23) {
				const hex = ref.charCodeAt(1) === 0x78;
				const digits = ref.slice(hex ? 2 : 1);
				const valid = digits.length > 0 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits);
				const cp = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
				if (!valid || !isXmlChar(cp)) {
					throw parseError(src, k, `character reference &${ref}; is not an allowed XML character`);
				}
				out.push(String.fromCodePoint(cp));
			} else {
				const value = Object.prototype.hasOwnProperty.call(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
				if (value === undefined) {
					throw parseError(src, k, `unknown entity &${ref}; (only &amp; &lt; &gt; &quot; &apos; and numeric references are allowed)`);
				}
				out.push(value);
			}
			k = semi;
			start = semi + 1;
		} else if (ch === 0x3e) {
			if (k - 2 >= from && src.charCodeAt(k - 1) === 0x5d && src.charCodeAt(k - 2) === 0x5d) {
				throw parseError(src, k - 2, "']]>' is not allowed in character data");
			}
		} else if (ch === 0x0d) {
			if (k > start) out.push(src.slice(start, k));
			out.push('\n');
			if (k + 1 < to && src.charCodeAt(k + 1) === 0x0a) k++;
			start = k + 1;
		} else if (ch < 0x20) {
			if (ch !== 0x09 && ch !== 0x0a) {
				throw parseError(src, k, `character U+${ch.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
			}
		} else if (ch >= 0xd800 && ch <= 0xdbff) {
			const next = k + 1 < to ? src.charCodeAt(k + 1) : 0;
			if (next < 0xdc00 || next > 0xdfff) throw parseError(src, k, 'unpaired surrogate character');
			k++;
		} else if (ch >= 0xdc00 && ch <= 0xdfff) {
			throw parseError(src, k, 'unpaired surrogate character');
		} else if (ch === 0xfffe || ch === 0xffff) {
			throw parseError(src, k, `character U+${ch.toString(16).toUpperCase()} is not allowed in XML`);
		}
	}
	if (to > start) out.push(src.slice(start, to));
}

/** Checks the raw characters of CDATA content and normalises its line ends. */
function cdataText(src: string, from: number, to: number, out: string[]): void {
	let start = from;
	for (let k = from; k < to; k++) {
		const ch = src.charCodeAt(k);
		if (ch >= 0x20 && ch < 0xd800) continue;
		if (ch === 0x0d) {
			if (k > start) out.push(src.slice(start, k));
			out.push('\n');
			if (k + 1 < to && src.charCodeAt(k + 1) === 0x0a) k++;
			start = k + 1;
		} else if (ch < 0x20 && ch !== 0x09 && ch !== 0x0a) {
			throw parseError(src, k, `character U+${ch.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
		} else if (ch >= 0xd800 && ch <= 0xdbff) {
			const next = k + 1 < to ? src.charCodeAt(k + 1) : 0;
			if (next < 0xdc00 || next > 0xdfff) throw parseError(src, k, 'unpaired surrogate character');
			k++;
		} else if ((ch >= 0xdc00 && ch <= 0xdfff) || ch === 0xfffe || ch === 0xffff) {
			throw parseError(src, k, 'character not allowed in XML');
		}
	}
	if (to > start) out.push(src.slice(start, to));
}

function readName(src: string, pos: number): number {
	if (pos >= src.length || !isNameStart(src.charCodeAt(pos))) {
		throw parseError(src, pos, pos >= src.length ? 'unexpected end of input in a tag' : 'invalid tag or attribute name');
	}
	let end = pos + 1;
	while (end < src.length && isNameChar(src.charCodeAt(end))) end++;
	return end;
}

function skipSpace(src: string, pos: number): number {
	while (pos < src.length && isSpace(src.charCodeAt(pos))) pos++;
	return pos;
}

/**
 * Parses a whole document into an element tree. Text nodes hold decoded text; adjacent text,
 * CDATA and references are merged into one node.
 */
export function parseXmlDocument(src: string, maxDepth: number): XmlElement {
	const n = src.length;
	let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	let chunks: string[] = [];
	let textPos = -1;

	const flushText = () => {
		if (chunks.length === 0) return;
		const text = chunks.length === 1 ? chunks[0] : chunks.join('');
		chunks = [];
		if (stack.length > 0) stack[stack.length - 1].children.push({ kind: 'text', text, pos: textPos });
		textPos = -1;
	};

	while (i < n) {
		const lt = src.indexOf('<', i);
		const end = lt === -1 ? n : lt;
		if (end > i) {
			if (stack.length === 0) {
				for (let k = i; k < end; k++) {
					if (!isSpace(src.charCodeAt(k))) {
						throw parseError(src, k, root ? 'text after the root element' : 'text before the root element (not an XML document)');
					}
				}
			} else {
				if (textPos < 0) textPos = i;
				decodeText(src, i, end, chunks);
			}
		}
		if (lt === -1) break;
		i = lt;
		const next = src.charCodeAt(i + 1);
		if (next === 0x3f /* ? */) {
			const close = src.indexOf('?>', i + 2);
			if (close === -1) throw parseError(src, i, 'unterminated processing instruction or XML declaration');
			const nameEnd = readName(src, i + 2);
			if (src.slice(i + 2, nameEnd).toLowerCase() === 'xml' && i > (src.charCodeAt(0) === 0xfeff ? 1 : 0)) {
				throw parseError(src, i, 'the XML declaration is only allowed at the very start');
			}
			i = close + 2;
			continue;
		}
		if (next === 0x21 /* ! */) {
			if (src.startsWith('<!--', i)) {
				const close = src.indexOf('-->', i + 4);
				if (close === -1) throw parseError(src, i, 'unterminated comment');
				i = close + 3;
				continue;
			}
			if (src.startsWith('<![CDATA[', i)) {
				if (stack.length === 0) throw parseError(src, i, 'CDATA section outside the root element');
				const close = src.indexOf(']]>', i + 9);
				if (close === -1) throw parseError(src, i, 'unterminated CDATA section');
				if (textPos < 0) textPos = i;
				cdataText(src, i + 9, close, chunks);
				i = close + 3;
				continue;
			}
			const word = src.slice(i + 2, i + 9).toUpperCase();
			if (word === 'DOCTYPE' || word.startsWith('ENTITY')) {
				throw parseError(src, i, 'DOCTYPE and ENTITY declarations are not allowed');
			}
			throw parseError(src, i, "unexpected '<!' markup");
		}
		if (next === 0x2f /* / */) {
			const nameEnd = readName(src, i + 2);
			const name = src.slice(i + 2, nameEnd);
			const gt = skipSpace(src, nameEnd);
			if (gt >= n) throw parseError(src, i, `unexpected end of input in end tag </${name}>`);
			if (src.charCodeAt(gt) !== 0x3e) throw parseError(src, gt, `expected '>' to close end tag </${name}>`);
			const open = stack[stack.length - 1];
			if (!open) throw parseError(src, i, `end tag </${name}> without a start tag`);
			if (open.name !== name) {
				throw parseError(src, i, `mismatched end tag </${name}>, expected </${open.name}>`);
			}
			flushText();
			stack.pop();
			i = gt + 1;
			continue;
		}
		// Start tag.
		const nameEnd = readName(src, i + 1);
		const name = src.slice(i + 1, nameEnd);
		let p = nameEnd;
		let selfClosing = false;
		for (;;) {
			const afterSpace = skipSpace(src, p);
			if (afterSpace >= n) throw parseError(src, i, `unexpected end of input in start tag <${name}>`);
			const ch = src.charCodeAt(afterSpace);
			if (ch === 0x3e) {
				p = afterSpace + 1;
				break;
			}
			if (ch === 0x2f) {
				if (src.charCodeAt(afterSpace + 1) !== 0x3e) throw parseError(src, afterSpace, `expected '/>' in start tag <${name}>`);
				selfClosing = true;
				p = afterSpace + 2;
				break;
			}
			if (afterSpace === p) throw parseError(src, p, `expected whitespace, '>' or '/>' in start tag <${name}>`);
			const attrEnd = readName(src, afterSpace);
			let q = skipSpace(src, attrEnd);
			if (src.charCodeAt(q) !== 0x3d) throw parseError(src, q, `expected '=' after attribute name in <${name}>`);
			q = skipSpace(src, q + 1);
			const quote = src.charCodeAt(q);
			if (quote !== 0x22 && quote !== 0x27) throw parseError(src, q, `expected a quoted attribute value in <${name}>`);
			const close = src.indexOf(quote === 0x22 ? '"' : "'", q + 1);
			if (close === -1) throw parseError(src, q, 'unterminated attribute value');
			const lessThan = src.indexOf('<', q + 1);
			if (lessThan !== -1 && lessThan < close) throw parseError(src, lessThan, "'<' is not allowed in an attribute value");
			decodeText(src, q + 1, close, []);
			p = close + 1;
		}
		if (stack.length === 0 && root) throw parseError(src, i, `second root element <${name}>`);
		if (stack.length >= maxDepth) {
			throw parseError(src, i, `elements nested more than ${maxDepth} deep`);
		}
		flushText();
		const element: XmlElement = { kind: 'element', name, pos: i, children: [] };
		if (stack.length > 0) stack[stack.length - 1].children.push(element);
		else root = element;
		if (!selfClosing) stack.push(element);
		i = p;
	}
	if (stack.length > 0) {
		const open = stack[stack.length - 1];
		throw parseError(src, n, `unexpected end of input: <${open.name}> (offset ${open.pos}) is not closed`);
	}
	if (!root) throw parseError(src, n, n === 0 || isXmlWhitespace(src) ? 'empty document' : 'no root element');
	return root;
}
