// A node:test file using what node-test-to-jest converts (its self-test fixture).
process.env.TZ = 'America/New_York';
import { after, before, beforeEach, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';

const log = [];
const hasThing = false;
before(() => log.push('before'));
after(() => log.push('after'));

test('top-level, with a context name', (t) => {
	assert.match(t.name, /top-level, with a context name/);
	t.diagnostic('a diagnostic line');
});

test('the time zone reached Node', () => {
	assert.equal(new Date('2024-07-01T12:00:00Z').getHours(), 8);
});

test('t.after runs after the test, in order', (t) => {
	t.after(() => log.push('cleanup 1'));
	t.after(async () => log.push('cleanup 2'));
	log.push('body');
});

test('and they ran', () => {
	const i = log.indexOf('body');
	assert.deepEqual(log.slice(i, i + 3), ['body', 'cleanup 1', 'cleanup 2']);
});

describe('a suite with options', { timeout: 5_000 }, () => {
	let n = 0;
	beforeEach(() => {
		n++;
	});
	it('inherits the timeout', async () => {
		await new Promise((r) => setTimeout(r, 10));
		assert.ok(n >= 1);
	});
	test('a local `after` is not the hook', () => {
		const after = [1, 2];
		assert.deepEqual(after.map((x) => x * 2), [2, 4]);
	});
	test('skipped by a computed option', { skip: hasThing ? false : 'no thing here' }, () => {
		assert.fail('must not run');
	});
	test('skipped statically', { skip: true }, () => {
		assert.fail('must not run');
	});
	test.skip('skipped by modifier', () => {
		assert.fail('must not run');
	});
	describe('nested, skipped', { skip: !hasThing }, () => {
		test('inside', () => assert.fail('must not run'));
	});
});

test.todo('a todo');

test('done callback second', (t, done) => {
	setTimeout(done, 5);
});
