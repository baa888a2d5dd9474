/** @jest-environment-options {"timezone": "America/New_York"} */
// What test/jest/environment.cjs adds to jest's node environment, which the suites rely on: the
// docblock's time zone reaches Node, and structuredClone and fetch's Response.json() give values
// of the test file's realm (node:assert's deepStrictEqual compares prototypes). Each of these
// fails under jest's plain `node` environment. Also: node:assert's deep comparisons of what Node's
// own modules return (their realm's arrays) with the test's literals.
import { afterAll, describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';

const server = createServer((req, res) => res.end(JSON.stringify({ tags: [{ id: 1 }], name: 'x' })));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('the jest environment', () => {
	test('the docblock time zone is the process time zone', () => {
		assert.equal(new Date('2024-07-01T12:00:00Z').getHours(), 8); // EDT, UTC-4
		assert.equal(new Date('2024-01-01T12:00:00Z').getHours(), 7); // EST, UTC-5
	});

	test("fetch's Response.json() values equal literals of the test's realm", async () => {
		const body = await (await fetch(`http://127.0.0.1:${server.address().port}/`)).json();
		assert.deepEqual(body, { tags: [{ id: 1 }], name: 'x' });
		assert.deepEqual(body.tags.map((t) => t.id), [1]);
	});

	test("structuredClone copies are of the test's realm, and it still refuses what Node refuses", () => {
		const copy = structuredClone({ list: [1, new Date(0)], map: new Map([[1, { x: 1 }]]), set: new Set(['a']), bytes: new Uint8Array([1, 2]), error: new TypeError('boom') });
		assert.deepEqual(copy.list, [1, new Date(0)]);
		assert.deepEqual(copy.map, new Map([[1, { x: 1 }]]));
		assert.deepEqual(copy.set, new Set(['a']));
		assert.deepEqual(copy.bytes, new Uint8Array([1, 2]));
		assert.ok(copy.error instanceof TypeError);
		assert.equal(copy.error.message, 'boom');
		const cyclic = { name: 'c' };
		cyclic.self = cyclic;
		const c = structuredClone(cyclic);
		assert.equal(c.self, c);
		assert.throws(() => structuredClone({ fn() {} }), /could not be cloned/);
	});

	test("node:assert's deep comparisons see through the realm, and nothing else", () => {
		const none = readdirSync('.').filter(() => false); // an array of Node's realm
		assert.notEqual(Object.getPrototypeOf(none), Array.prototype); // (the mismatch this is about)
		assert.deepEqual(none, []);
		assert.deepStrictEqual(Object.fromEntries([['a', none]]), { a: [] });
		assert.notDeepStrictEqual(readdirSync('.').slice(0, 1), []);
		class Box {
			constructor(v) {
				this.v = v;
			}
		}
		assert.throws(() => assert.deepEqual(new Box(1), { v: 1 }), assert.AssertionError); // prototypes still count
		assert.throws(() => assert.deepEqual(none, {}), assert.AssertionError);
	});
});
