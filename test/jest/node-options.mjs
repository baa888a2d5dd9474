// node:test's per-test options under jest, read when the test is registered. The codemod
// (test/jest/node-test-to-jest.mjs) writes `withOptions(test)(name, options, fn[, timeout])` where
// it cannot turn the options into jest's own form when it converts a file: options computed at
// run time (`defect(n)` of test/open-defects.mjs, `known(n, why)` of test/engine/fault-fixture.mjs)
// and a `todo` test with a body, which jest's test.todo(name) cannot express.
//
//   { timeout: T }        the test's timeout (else the one the codemod passed: its describe's)
//   { skip: true | why }  test.skip
//   { only: true }        test.only
//   { todo: true | why }  with a body: as node:test runs a todo test. The body runs, a failure is
//                         printed and does not fail the run; the title ends in " # TODO <why>" (as
//                         node's TAP line does), and test/jest/totals.mjs counts such a test as
//                         todo, neither passed nor failed. Without a body: test.todo(name).
// Any other option is an error when the file loads, never silently dropped.
export const TODO_MARK = ' # TODO';

/** Whether a jest test title is that of a todo test written by withOptions. */
export const isTodoTitle = (title) => title.includes(TODO_MARK);

/** `register` is jest's test, it or test.concurrent; returns node:test's (name, options, fn) form. */
export function withOptions(register) {
	return function nodeTest(name, options, fn, inheritedTimeout) {
		if (typeof options === 'function' && fn === undefined) [options, fn] = [{}, options];
		// concurrency: that of a test's subtests in node; a jest test has none.
		const { timeout, skip, only, todo, concurrency: _subtests, ...unknown } = options ?? {};
		const extra = Object.keys(unknown);
		if (extra.length) throw new Error(`test "${name}": node:test option(s) ${extra.join(', ')} have no jest counterpart (test/jest/node-options.mjs)`);
		const ms = timeout === undefined || timeout === Infinity ? inheritedTimeout : timeout;
		if (skip) return register.skip(name, fn ?? (() => {}));
		if (todo && !fn) return register.todo(name);
		if (typeof fn !== 'function') throw new Error(`test "${name}" has no function`);
		if (fn.length > 0) throw new Error(`test "${name}": a callback-style (done) test cannot take node:test options here; make it async`);
		if (todo) {
			const title = `${name}${TODO_MARK}${typeof todo === 'string' ? ` ${todo}` : ''}`;
			return (only ? register.only : register)(
				title,
				async () => {
					try {
						await fn();
					} catch (error) {
						console.log(`todo test failed (not counted as a failure):${title.slice(name.length)}\n  ${name}\n${error?.stack ?? error}`);
					}
				},
				ms,
			);
		}
		return (only ? register.only : register)(name, fn, ms);
	};
}
