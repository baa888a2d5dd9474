// The defects of issue 15 ("Faithful to Keap's documented contract") that the code does not fix
// yet. A test written for one of them runs as a `todo` while its number is listed here (written
// `withOptions(test)(name, defect(n), fn)`; test/jest/node-options.mjs): it still runs and its
// failure is printed, its title ends in "# TODO", and it neither passes nor fails the suite. Whoever
// fixes a defect removes its number, and from then on its tests fail the suite like any other.
//
// Issue 15 lists defects 1-11; all are fixed: 1 (the Connect flow), 2 (long id lists), 3 (the Owner
// list), 4 (tag prefixes), 5 (Create or Update under either v1 list semantics), 6 (unseen tag
// statuses), 7 (tag batches of 100), 8 (one email, one contact), 9 (the legacy XML-RPC throttle),
// 10 (calls undocumented for the credential) and 11 (XML-RPC retired).
export const OPEN_DEFECTS = new Set([]);

/** Test options (node:test's, read by withOptions) for a test of defect `n` of issue 15: `todo` while it is open. */
export function defect(n, options = {}) {
	return OPEN_DEFECTS.has(n) ? { ...options, todo: `issue 15 defect ${n} is open (test/open-defects.mjs)` } : options;
}
