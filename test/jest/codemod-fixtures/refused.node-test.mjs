// node-test-to-jest must refuse this file (each construct below needs a person).
import { describe, test, mock } from 'node:test';

test('dynamic skip', (t) => {
	if (Date.now() > 0) t.skip('not today');
});
test('subtests', async (t) => {
	await t.test('inner', () => {});
});
test('a plan', (t) => {
	t.plan(1);
});
test('context passed on', (t) => helper(t));
describe('async describe', async () => {});
describe('computed describe options', helper(), () => {});
test({ timeout: 5 }, () => {});
function helper() {}
void mock;
