// The pass, fail and todo counts of one test report, for .ci/run's totals and the switch matrix:
// prints "PASSED FAILED TODO". Reads jest's `--json --outputFile` results, or any report with
// numPassedTests/numFailedTests (test/verify/scan.mjs and workflows.mjs write one).
//  - A todo test (node:test's `todo` with a body, run by test/jest/node-options.mjs: its title
//    ends in " # TODO ...") counts as todo, whatever its body did, as node:test counted it; so
//    does jest's test.todo(name).
//  - A jest test file that failed outside its tests (it did not load, a beforeAll or afterAll
//    threw) counts as one failure, so such a file never reads as green.
// Usage: node test/jest/totals.mjs REPORT.json   (exit 1 when the report cannot be read)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { isTodoTitle } from './node-options.mjs';

/** { passed, failed, todo, failures: ['full name — first line of the error', ...] } of a report. */
export function countReport(report) {
	if (!Array.isArray(report.testResults)) {
		const failed = report.numFailedTests ?? 0;
		return { passed: report.numPassedTests ?? 0, failed, todo: 0, failures: failed ? (report.checks ?? []).filter((c) => !c.ok).map((c) => c.name) : [] };
	}
	let passed = 0;
	let failed = 0;
	let todo = 0;
	const failures = [];
	for (const suite of report.testResults) {
		const tests = suite.assertionResults ?? [];
		for (const t of tests) {
			if (t.status === 'todo' || (isTodoTitle(t.title) && t.status !== 'pending')) todo += 1;
			else if (t.status === 'passed') passed += 1;
			else if (t.status === 'failed') {
				failed += 1;
				failures.push(`${t.fullName} — ${firstLine(t.failureMessages?.[0])}`);
			}
		}
		if (suite.status === 'failed' && !tests.some((t) => t.status === 'failed' && !isTodoTitle(t.title))) {
			failed += 1;
			failures.push(`${suite.name} — ${firstLine(suite.message)}`);
		}
	}
	if (report.success === false && failed === 0) {
		failed = 1; // e.g. no test matched, or jest's own error
		failures.push('jest reported a failure outside any test (no test matched, or jest itself failed)');
	}
	return { passed, failed, todo, failures };
}

function firstLine(text) {
	const plain = String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
	return (plain.split('\n').find((l) => l.trim() && !/^\s*●/.test(l)) ?? '').trim().slice(0, 200);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const file = process.argv[2];
	let report;
	try {
		report = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		console.error(`cannot read the test report ${file}: ${error.message}`);
		process.exit(1);
	}
	const { passed, failed, todo } = countReport(report);
	console.log(`${passed} ${failed} ${todo}`);
}
