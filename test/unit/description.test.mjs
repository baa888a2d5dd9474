// The description guard: every built node and credential class (the files package.json's `n8n`
// section lists, as n8n loads them from dist/) is compared with a committed snapshot of what
// the editor shows: parameters with their options, display options, defaults and types,
// credentials, webhooks, and the names of the methods the parameters call (list search, option
// lists, mappers). A refactor that claims "description unchanged" is checked here.
//
// A change on purpose: rebuild, regenerate, and review the snapshot diff in the commit.
//   npm run build && UPDATE_SNAPSHOTS=1 npx jest test/unit/description.test.mjs
// Snapshots: test/unit/snapshots/<ClassName>.description.json. Routing (declarative request
// definitions) is left out: no node here uses it, and it is behaviour, not description.
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SNAPSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'snapshots');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** JSON with object keys sorted, functions named, `routing` left out; array order is kept. */
function normalise(value) {
	if (typeof value === 'function') return '[function]';
	if (Array.isArray(value)) return value.map(normalise);
	if (value && typeof value === 'object') {
		const out = {};
		for (const key of Object.keys(value).sort()) {
			if (key === 'routing' || value[key] === undefined) continue;
			out[key] = normalise(value[key]);
		}
		return out;
	}
	return value;
}

/** Method names per group (`methods.listSearch`, `webhookMethods.default`, ...). */
function methodNames(groups) {
	if (!groups) return undefined;
	const out = {};
	for (const [group, fns] of Object.entries(groups)) out[group] = Object.keys(fns).sort();
	return out;
}

function nodeSnapshot(instance) {
	return normalise({
		description: instance.description,
		methods: methodNames(instance.methods),
		webhookMethods: methodNames(instance.webhookMethods),
		entryPoints: ['execute', 'poll', 'trigger', 'webhook'].filter((f) => typeof instance[f] === 'function'),
	});
}

function credentialSnapshot(instance) {
	const own = { ...instance };
	own.preAuthentication = typeof instance.preAuthentication === 'function' ? '[function]' : undefined;
	return normalise(own);
}

/** What identifies an array entry: its name (or value, or display name) and display options. */
function identity(entry) {
	if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
	const id = entry.name ?? entry.value ?? entry.displayName;
	if (id === undefined) return undefined;
	return entry.displayOptions ? `${JSON.stringify(id)} ${JSON.stringify(entry.displayOptions)}` : JSON.stringify(id);
}

function label(entry, i) {
	const id = entry && typeof entry === 'object' ? (entry.name ?? entry.value ?? entry.displayName) : undefined;
	return id === undefined ? `[${i}]` : `[${i} ${JSON.stringify(id)}]`;
}

/** Entries matched by identity when every entry of both arrays has a distinct one, else by index. */
function pairs(expected, actual) {
	const ids = (list) => list.map(identity);
	const [e, a] = [ids(expected), ids(actual)];
	const keyed = [...e, ...a].every((id) => id !== undefined) && new Set(e).size === e.length && new Set(a).size === a.length;
	if (!keyed) {
		return Array.from({ length: Math.max(expected.length, actual.length) }, (_, i) => [
			i < expected.length ? i : undefined,
			i < actual.length ? i : undefined,
		]);
	}
	const out = e.map((id, i) => [i, a.includes(id) ? a.indexOf(id) : undefined]);
	a.forEach((id, j) => {
		if (!e.includes(id)) out.push([undefined, j]);
	});
	return out;
}

/** Paths where `actual` differs from `expected`, e.g. `description.properties[3 "api"].default`. */
function differences(expected, actual, path = '', out = []) {
	if (out.length >= 40) return out;
	const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
	if (kind(expected) !== kind(actual)) {
		out.push(`${path || '(root)'}: ${JSON.stringify(expected)} -> ${JSON.stringify(actual)}`);
	} else if (Array.isArray(expected)) {
		const matched = pairs(expected, actual);
		for (const [i, j] of matched) {
			if (j === undefined) out.push(`${path}${label(expected[i], i)}: removed ${JSON.stringify(expected[i])}`);
			else if (i === undefined) out.push(`${path}${label(actual[j], j)}: added ${JSON.stringify(actual[j])}`);
			else differences(expected[i], actual[j], `${path}${label(actual[j], j)}`, out);
		}
		// Order: an entry moved when its rank among the matched entries changed.
		const both = matched.filter(([i, j]) => i !== undefined && j !== undefined);
		const ranks = [...both].sort((x, y) => x[1] - y[1]);
		const moved = both.filter((p, rank) => ranks[rank] !== p).map(([, j]) => label(actual[j], j));
		if (moved.length) out.push(`${path}: order changed, moved: ${moved.slice(0, 10).join(' ')}${moved.length > 10 ? ' ...' : ''}`);
	} else if (kind(expected) === 'object') {
		for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
			const here = path ? `${path}.${key}` : key;
			if (!(key in actual)) out.push(`${here}: removed ${JSON.stringify(expected[key])}`);
			else if (!(key in expected)) out.push(`${here}: added ${JSON.stringify(actual[key])}`);
			else differences(expected[key], actual[key], here, out);
		}
	} else if (expected !== actual) {
		out.push(`${path}: ${JSON.stringify(expected)} -> ${JSON.stringify(actual)}`);
	}
	return out;
}

function check(className, snapshot) {
	const file = join(SNAPSHOTS, `${className}.description.json`);
	const text = `${JSON.stringify(snapshot, null, '\t')}\n`;
	if (UPDATE) {
		mkdirSync(SNAPSHOTS, { recursive: true });
		writeFileSync(file, text);
		return;
	}
	assert.ok(existsSync(file), `no snapshot ${file}: generate it with UPDATE_SNAPSHOTS=1 (see the top of this file)`);
	const expected = JSON.parse(readFileSync(file, 'utf8'));
	const diff = differences(expected, snapshot);
	if (diff.length) {
		assert.fail(
			`${className}'s description differs from test/unit/snapshots/${className}.description.json ` +
				`(snapshot -> built):\n  ${diff.join('\n  ')}${diff.length >= 40 ? '\n  ...' : ''}\n` +
				'If the change is intended: npm run build && UPDATE_SNAPSHOTS=1 npx jest test/unit/description.test.mjs, ' +
				'then review and commit the snapshot.',
		);
	}
}

const seen = [];
for (const [kind, files] of [
	['node', pkg.n8n.nodes],
	['credential', pkg.n8n.credentials],
]) {
	for (const file of files) {
		const mod = require(join(ROOT, file));
		for (const [className, Class] of Object.entries(mod)) {
			if (typeof Class !== 'function') continue;
			seen.push(className);
			test(`${kind} ${className} (${file}) has the committed description`, () => {
				const instance = new Class();
				check(className, kind === 'node' ? nodeSnapshot(instance) : credentialSnapshot(instance));
			});
		}
	}
}

test('every node and credential file exports a class, and every snapshot belongs to one', () => {
	assert.equal(seen.length, pkg.n8n.nodes.length + pkg.n8n.credentials.length);
	const orphans = readdirSync(SNAPSHOTS)
		.filter((f) => f.endsWith('.description.json'))
		.map((f) => f.slice(0, -'.description.json'.length))
		.filter((name) => !seen.includes(name));
	assert.deepEqual(orphans, [], 'snapshots without a built class: delete them if the class is gone on purpose');
});
