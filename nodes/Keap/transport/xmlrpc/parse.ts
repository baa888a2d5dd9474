/**
 * The value reader of the XML-RPC codec: an XML document (xml.ts) read as XML-RPC, element by
 * element, with every type codec.ts documents. `readXmlRpcDocument` parses the text and hands
 * back the root element with a reader for it; codec.ts's parseMethodResponse is its user.
 */
import {
	cleanBase64,
	describeValue,
	XMLRPC_MAX_DEPTH,
	XmlRpcBase64,
	XmlRpcDateTime,
	XmlRpcParseError,
	type XmlRpcValue,
} from './values';
import { isXmlWhitespace, parseError, parseXmlDocument, type XmlElement } from './xml';

/** Element depth the XML reader allows: methodResponse/params/param/value + 3 per container + a type. */
const XML_MAX_DEPTH = 3 * XMLRPC_MAX_DEPTH + 8;

function trimXml(text: string): string {
	let a = 0;
	let b = text.length;
	while (a < b && isXmlWhitespace(text[a])) a++;
	while (b > a && isXmlWhitespace(text[b - 1])) b--;
	return a === 0 && b === text.length ? text : text.slice(a, b);
}

function preview(text: string): string {
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/** Reads the elements of one parsed document; every error names its line and column. */
export class XmlRpcReader {
	constructor(private readonly src: string) {}

	fail(pos: number, message: string): XmlRpcParseError {
		return parseError(this.src, pos, message);
	}

	/** The error for a document whose root is not `expected` (naming an HTML page as such). */
	wrongRoot(root: XmlElement, expected: string): XmlRpcParseError {
		const html = describeHtml(this.src);
		const suffix = html === undefined ? '' : `; the body is an HTML page, not XML-RPC${html}`;
		return this.fail(root.pos, `expected <${expected}> as the root element, found <${root.name}>${suffix}`);
	}

	/** Child elements; text between them must be whitespace. */
	elements(el: XmlElement): XmlElement[] {
		const out: XmlElement[] = [];
		for (const child of el.children) {
			if (child.kind === 'element') out.push(child);
			else if (!isXmlWhitespace(child.text)) throw this.fail(child.pos, `unexpected text ${preview(trimXml(child.text))} inside <${el.name}>`);
		}
		return out;
	}

	/** Text content; child elements are an error. */
	text(el: XmlElement): string {
		let text = '';
		for (const child of el.children) {
			if (child.kind === 'element') throw this.fail(child.pos, `unexpected element <${child.name}> inside <${el.name}>`);
			text += child.text;
		}
		return text;
	}

	/** The single child element, which must be called `name`. */
	only(el: XmlElement, name: string): XmlElement {
		const kids = this.elements(el);
		if (kids.length !== 1 || kids[0].name !== name) {
			const found = kids.length === 0 ? 'nothing' : kids.map((k) => `<${k.name}>`).join(', ');
			throw this.fail(kids.length > 0 ? kids[0].pos : el.pos, `<${el.name}> must contain exactly one <${name}>, found ${found}`);
		}
		return kids[0];
	}

	integer(el: XmlElement): number | string {
		const t = trimXml(this.text(el));
		if (!/^[+-]?[0-9]+$/.test(t)) throw this.fail(el.pos, `<${el.name}> value ${preview(t)} is not an integer`);
		const n = Number(t);
		if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
		const negative = t[0] === '-';
		const digits = t.replace(/^[+-]?0*/, '');
		return negative ? `-${digits}` : digits;
	}

	double(el: XmlElement): number {
		const t = trimXml(this.text(el));
		if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) {
			throw this.fail(el.pos, `<${el.name}> value ${preview(t)} is not a number`);
		}
		const n = Number(t);
		if (!Number.isFinite(n)) throw this.fail(el.pos, `<${el.name}> value ${preview(t)} is out of range`);
		return n;
	}

	value(valueEl: XmlElement, depth: number): XmlRpcValue {
		let typeEl: XmlElement | undefined;
		let text = '';
		for (const child of valueEl.children) {
			if (child.kind === 'text') text += child.text;
			else if (typeEl) throw this.fail(child.pos, `<value> must contain one type element, found a second one <${child.name}>`);
			else typeEl = child;
		}
		if (!typeEl) return text;
		if (!isXmlWhitespace(text)) throw this.fail(typeEl.pos, `<value> mixes text with <${typeEl.name}>`);

		const colon = typeEl.name.indexOf(':');
		const type = colon === -1 ? typeEl.name : typeEl.name.slice(colon + 1);
		if (colon !== -1 && !EXTENSION_TYPES.has(type)) throw this.fail(typeEl.pos, `unknown XML-RPC type <${typeEl.name}>`);
		switch (type) {
			case 'i4':
			case 'int':
			case 'i8':
			case 'i1':
			case 'i2':
			case 'biginteger':
				return this.integer(typeEl);
			case 'double':
			case 'float':
			case 'bigdecimal':
				return this.double(typeEl);
			case 'boolean': {
				const t = trimXml(this.text(typeEl));
				if (t === '1') return true;
				if (t === '0') return false;
				throw this.fail(typeEl.pos, `<boolean> value ${preview(t)} is not 0 or 1`);
			}
			case 'string':
				return this.text(typeEl);
			case 'dateTime.iso8601':
			case 'dateTime': {
				const t = trimXml(this.text(typeEl));
				if (!t) throw this.fail(typeEl.pos, `empty <${typeEl.name}>`);
				return new XmlRpcDateTime(t);
			}
			case 'base64': {
				const clean = cleanBase64(this.text(typeEl));
				if (clean === undefined) throw this.fail(typeEl.pos, '<base64> value is not valid base64');
				return new XmlRpcBase64(clean);
			}
			case 'nil':
				if (!isXmlWhitespace(this.text(typeEl))) throw this.fail(typeEl.pos, '<nil> must be empty');
				return null;
			case 'array':
			case 'struct':
				if (depth + 1 > XMLRPC_MAX_DEPTH) {
					throw this.fail(typeEl.pos, `arrays/structs nested more than ${XMLRPC_MAX_DEPTH} deep`);
				}
				return type === 'array' ? this.array(typeEl, depth + 1) : this.struct(typeEl, depth + 1);
			default:
				throw this.fail(typeEl.pos, `unknown XML-RPC type <${typeEl.name}>`);
		}
	}

	array(el: XmlElement, depth: number): XmlRpcValue[] {
		const data = this.only(el, 'data');
		const out: XmlRpcValue[] = [];
		for (const item of this.elements(data)) {
			if (item.name !== 'value') throw this.fail(item.pos, `<data> may only contain <value>, found <${item.name}>`);
			out.push(this.value(item, depth));
		}
		return out;
	}

	struct(el: XmlElement, depth: number): { [k: string]: XmlRpcValue } {
		const out: { [k: string]: XmlRpcValue } = {};
		for (const member of this.elements(el)) {
			if (member.name !== 'member') throw this.fail(member.pos, `<struct> may only contain <member>, found <${member.name}>`);
			let nameEl: XmlElement | undefined;
			let valueEl: XmlElement | undefined;
			for (const part of this.elements(member)) {
				if (part.name === 'name' && !nameEl) nameEl = part;
				else if (part.name === 'value' && !valueEl) valueEl = part;
				else throw this.fail(part.pos, `unexpected <${part.name}> in <member>`);
			}
			if (!nameEl || !valueEl) throw this.fail(member.pos, '<member> needs one <name> and one <value>');
			const value = this.value(valueEl, depth);
			Object.defineProperty(out, this.text(nameEl), { value, enumerable: true, writable: true, configurable: true });
		}
		return out;
	}
}

const EXTENSION_TYPES = new Set(['nil', 'i1', 'i2', 'i8', 'float', 'bigdecimal', 'biginteger', 'dateTime']);

/** Parses an XML-RPC message: its root element and a reader for it. Throws XmlRpcParseError. */
export function readXmlRpcDocument(xml: unknown): { reader: XmlRpcReader; root: XmlElement } {
	if (typeof xml !== 'string') {
		throw new XmlRpcParseError(`Invalid XML-RPC message: expected text, got ${describeValue(xml)}`);
	}
	let root: XmlElement | undefined;
	let failure: XmlRpcParseError | undefined;
	try {
		root = parseXmlDocument(xml, XML_MAX_DEPTH);
	} catch (error) {
		// parseXmlDocument throws XmlRpcParseError; anything else (e.g. running out of memory on
		// a huge body) is reported as one too, so callers handle a single error type.
		failure = error instanceof XmlRpcParseError ? error : new XmlRpcParseError(`Invalid XML-RPC message: ${String(error)}`);
	}
	if (failure || !root) {
		const html = describeHtml(xml);
		if (failure && html !== undefined) {
			failure = new XmlRpcParseError(`${failure.message}; the body is an HTML page, not XML-RPC${html}`, failure.position);
		}
		throw failure ?? new XmlRpcParseError('Invalid XML-RPC message: no root element');
	}
	return { reader: new XmlRpcReader(xml), root };
}

/** For an HTML error page (e.g. a gateway's 502 page): ` ("<title>")`, else undefined. */
function describeHtml(src: string): string | undefined {
	const head = src.slice(0, 2048).toLowerCase();
	const start = head.search(/\S/);
	if (start === -1 || !(head.startsWith('<!doctype html', start) || head.startsWith('<html', start))) return undefined;
	const open = head.indexOf('<title');
	const gt = open === -1 ? -1 : head.indexOf('>', open);
	const close = gt === -1 ? -1 : head.indexOf('</title', gt);
	if (close === -1) return '';
	const title = src.slice(gt + 1, close).replace(/\s+/g, ' ').trim();
	return title ? ` (${JSON.stringify(title.slice(0, 100))})` : '';
}

