// The package's main (index.js) exports the class of every node and credential file that
// package.json's `n8n` section lists (the files n8n loads), by a plain relative require of each
// (n8n's community-package scanner rejects `path` and `__dirname` in the package). Needs the
// build (npm test runs it first).
import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json');
const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials];

describe('index.js, the package main', () => {
	test('requires exactly the files package.json\'s n8n section lists, each by its relative path', () => {
		const source = readFileSync(new URL(`../../${pkg.main}`, import.meta.url), 'utf8');
		const required = [...source.matchAll(/require\('\.\/([^']+)'\)/g)].map((m) => m[1]);
		assert.deepEqual([...required].sort(), [...listed].sort());
	});

	test('exports every listed node and credential class, and nothing else', () => {
		const main = require(`../../${pkg.main}`);
		const expected = Object.assign({}, ...listed.map((file) => require(`../../${file}`)));
		assert.deepEqual(Object.keys(main).sort(), Object.keys(expected).sort());
		for (const [name, value] of Object.entries(expected)) assert.equal(main[name], value, `${name} is the class n8n loads`);
	});
});

describe('index.js and n8n\'s community-package scanner', () => {
	// The scanner (@n8n/scan-community-package) rejects these in any file of the tarball.
	test('uses neither node:path nor __dirname', () => {
		const source = readFileSync(new URL(`../../${pkg.main}`, import.meta.url), 'utf8').replace(/^\s*\/\/.*$/gm, '');
		assert.doesNotMatch(source, /require\(['"](node:)?path['"]\)/);
		assert.doesNotMatch(source, /__dirname/);
	});
});
