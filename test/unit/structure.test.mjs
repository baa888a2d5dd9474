// The house rules of the source tree, checked on the TypeScript sources (no build needed):
// - a node's model/ is pure: it imports only other model/ files and n8n-workflow's types,
//   never transport/ (nor actions/, methods/, credentials/);
// - only a node's transport/ knows where Keap lives: no Keap path literal (/crm/, /v1/, /v2/,
//   /oauth, /token) or API host outside nodes/*/transport/ and credentials/common/keap.ts
//   (comments may name them);
// - only transport/ writes XML-RPC (encodeMethodCall, an XML prolog or a <methodCall>), and
//   HTTP goes out only from transport/ and credentials/ (n8n's request helpers);
// - no node or credential file over 400 lines unless its first comment says why ("over 400
//   lines ...").
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_LINES = 400;

function tsFiles(dir) {
	const out = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...tsFiles(path));
		else if (name.endsWith('.ts')) out.push(path);
	}
	return out;
}

const FILES = [...tsFiles(join(ROOT, 'nodes')), ...tsFiles(join(ROOT, 'credentials'))].map((abs) => ({
	abs,
	rel: relative(ROOT, abs).split(sep).join('/'),
	text: readFileSync(abs, 'utf8'),
}));

/**
 * The source with its comments blanked out (same length, line breaks kept), strings and
 * template literals kept. Regular expression literals are read as code, which at worst keeps
 * a comment that follows a quote inside one: a false alarm, never a missed literal.
 */
function withoutComments(src) {
	let out = '';
	let i = 0;
	let quote = null;
	while (i < src.length) {
		const ch = src[i];
		const next = src[i + 1];
		if (quote) {
			out += ch;
			if (ch === '\\') {
				out += next ?? '';
				i += 2;
				continue;
			}
			if (ch === quote || (ch === '\n' && quote !== '`')) quote = null;
			i++;
		} else if (ch === '/' && next === '/') {
			while (i < src.length && src[i] !== '\n') {
				out += ' ';
				i++;
			}
		} else if (ch === '/' && next === '*') {
			const end = src.indexOf('*/', i + 2);
			const stop = end === -1 ? src.length : end + 2;
			out += src.slice(i, stop).replace(/[^\n]/g, ' ');
			i = stop;
		} else {
			if (ch === '"' || ch === "'" || ch === '`') quote = ch;
			out += ch;
			i++;
		}
	}
	return out;
}

/** Where `pattern` matches in the code of a file: `path:line: the line`. */
function hits(file, pattern) {
	const code = withoutComments(file.text).split('\n');
	const out = [];
	code.forEach((line, n) => {
		if (pattern.test(line)) out.push(`${file.rel}:${n + 1}: ${file.text.split('\n')[n].trim()}`);
	});
	return out;
}

const inTransport = (rel) => /^nodes\/[^/]+\/transport\//.test(rel);
const KEAP_CONSTANTS = 'credentials/common/keap.ts';

/** The module specifiers a file imports or re-exports (static, dynamic and require). */
function specifiers(text) {
	const code = withoutComments(text);
	const out = [];
	const patterns = [
		/\bfrom\s+['"]([^'"]+)['"]/g,
		/\bimport\s+['"]([^'"]+)['"]/g,
		/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
		/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
	];
	for (const p of patterns) for (const m of code.matchAll(p)) out.push(m[1]);
	return out;
}

test('the tree has node code to check (nodes/*/model, nodes/*/transport, credentials)', () => {
	assert.ok(FILES.some((f) => /^nodes\/[^/]+\/model\//.test(f.rel)), 'no nodes/*/model/ files');
	assert.ok(FILES.some((f) => inTransport(f.rel)), 'no nodes/*/transport/ files');
	assert.ok(FILES.some((f) => f.rel === KEAP_CONSTANTS), `no ${KEAP_CONSTANTS}`);
});

test('model/ imports nothing from transport/ (nor actions/, methods/, credentials/): only model/ and n8n-workflow', () => {
	const bad = [];
	for (const file of FILES.filter((f) => /^nodes\/[^/]+\/model\//.test(f.rel))) {
		const modelDir = resolve(ROOT, file.rel.split('/').slice(0, 3).join('/'));
		for (const spec of specifiers(file.text)) {
			if (spec === 'n8n-workflow') continue;
			const target = spec.startsWith('.') ? resolve(dirname(file.abs), spec) : undefined;
			const where = target ? relative(ROOT, target).split(sep).join('/') : spec;
			if (!target || !(target === modelDir || target.startsWith(modelDir + sep))) {
				bad.push(`${file.rel} imports '${spec}' (${where})${/\/transport(\/|$)/.test(where) ? ': the model must not know the wire' : ''}`);
			}
		}
	}
	assert.deepEqual(bad, []);
});

test('no Keap path or API host outside nodes/*/transport/ and credentials/common/keap.ts', () => {
	const PATH = /\/crm\/|\/v1\/|\/v2\/|\/oauth|['"`]\/token\b|\b(?:api|accounts)\.infusionsoft\.com/;
	const bad = FILES.filter((f) => !inTransport(f.rel) && f.rel !== KEAP_CONSTANTS).flatMap((f) => hits(f, PATH));
	assert.deepEqual(bad, [], 'ask the client (transport/) or use the constants of credentials/common/keap.ts');
});

test('only transport/ writes XML-RPC, and only transport/ and credentials/ send HTTP', () => {
	const XML = /\bencodeMethodCall\b|<\?xml|<methodCall\b|<methodResponse\b/;
	const HTTP = /\bhttpRequest(?:WithAuthentication)?\b|\brequestWithAuthentication\b|\brequestOAuth2\b/;
	const bad = [
		...FILES.filter((f) => !inTransport(f.rel)).flatMap((f) => hits(f, XML)),
		...FILES.filter((f) => !inTransport(f.rel) && !f.rel.startsWith('credentials/')).flatMap((f) => hits(f, HTTP)),
	];
	assert.deepEqual(bad, []);
});

test(`no file over ${MAX_LINES} lines unless its first comment says why`, () => {
	const bad = [];
	for (const file of FILES) {
		const lines = file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
		if (lines <= MAX_LINES) continue;
		const first = /^\s*(\/\*[\s\S]*?\*\/|(?:\/\/[^\n]*\n\s*)+)/.exec(file.text)?.[1] ?? '';
		if (!/over 400 lines/i.test(first)) bad.push(`${file.rel}: ${lines} lines, and its first comment gives no reason ("over 400 lines ...")`);
	}
	assert.deepEqual(bad, []);
});
