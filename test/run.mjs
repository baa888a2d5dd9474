// Runs the test files of the given suites with Node's own test runner.
// Usage: node test/run.mjs unit emulator engine      (files named *.test.mjs)
//        node test/run.mjs e2e                        (files named *.e2e.mjs)
// Extra arguments after `--` go to `node --test` (for example --test-name-pattern=...).
import { readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const suites = dash === -1 ? argv : argv.slice(0, dash);
const passThrough = dash === -1 ? [] : argv.slice(dash + 1);

function collect(dir, suffix, out) {
	for (const name of readdirSync(dir)) {
		if (name === 'node_modules') continue;
		const path = join(dir, name);
		if (statSync(path).isDirectory()) collect(path, suffix, out);
		else if (name.endsWith(suffix)) out.push(path);
	}
	return out;
}

const files = [];
for (const suite of suites) {
	const suffix = suite === 'e2e' ? '.e2e.mjs' : '.test.mjs';
	files.push(...collect(join(here, suite), suffix, []).sort());
}
if (files.length === 0) {
	console.error(`no test files found in: ${suites.join(', ')}`);
	process.exit(1);
}
const concurrency = suites.includes('e2e') ? '1' : String(process.env.TEST_CONCURRENCY ?? 2);
// TEST_TAP_OUT=<file>: also write a TAP report there (CI adds up its "# pass" / "# fail" lines).
const reporters = process.env.TEST_TAP_OUT
	? ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${process.env.TEST_TAP_OUT}`]
	: [];
const result = spawnSync(
	process.execPath,
	['--test', `--test-concurrency=${concurrency}`, ...reporters, ...passThrough, ...files],
	{ stdio: 'inherit' },
);
process.exit(result.status ?? 1);
