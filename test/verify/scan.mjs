// n8n's verification scan, offline: runs @n8n/scan-community-package's own analysis (its
// exported `analyzePackage`, with the file patterns and rule set its CLI uses) on
//   1. the tarball `npm pack` makes of this repository (built dist/, index.js, package.json),
//      unpacked, as the CLI scans the package it downloads from npm, and
//   2. the sources (package.json, nodes/, credentials/), as the CLI scans the GitHub commit the
//      package's npm provenance points at.
// Any finding fails the run, warnings included (n8n's verdict ignores warnings; the same rules'
// warnings are collected here with the scanner's own config and file list). The CLI itself (`npx @n8n/scan-community-package n8n-nodes-keap`)
// needs the published package and its provenance, so it can only run after a release.
// Before scanning, a canary package that breaks two of the scanner's rules is analysed and must
// fail: a scanner whose rules silently stopped running would otherwise pass everything.
//
// Usage: node test/verify/scan.mjs [--json <file>]     (needs `npm run build` first)
//   --json: also write {numPassedTests, numFailedTests, checks} there (.ci/run adds it up).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;

const work = mkdtempSync(join(tmpdir(), 'n8n-keap-scan-'));
// The scanner makes a temp folder when it is loaded; keep it inside ours, removed at the end.
mkdirSync(join(work, 'tmp'));
process.env.TMPDIR = join(work, 'tmp');
const SCANNER = import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import(SCANNER);
// The ESLint and fast-glob the scanner itself loads.
const scannerRequire = createRequire(SCANNER);
const { ESLint } = scannerRequire('eslint');
const glob = scannerRequire('fast-glob');
// What the CLI lints in the downloaded tarball (scanner.mjs, analyzePackageByName).
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const checks = [];
async function check(name, run) {
	let ok = false;
	let detail = '';
	try {
		[ok, detail] = await run();
	} catch (error) {
		detail = error.stack ?? String(error);
	}
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'ok' : 'FAILED'}: ${name}${detail ? `\n${detail.trim().replace(/^/gm, '    ')}` : ''}`);
}

function run(cmd, args, cwd) {
	const res = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}):\n${res.stderr}`);
	return res.stdout;
}

/** The scanner's verdict, then its warnings, as [passed, text]; "no files found" fails here. */
async function scan(dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.message === 'No files found to analyze') return [false, `no files matching ${patterns.join(', ')} in ${dir}`];
	if (!result.passed) {
		const hint = result.details?.includes('valid-author')
			? "\nn8n requires the author's email: set the maintainer's real address with `npm pkg set author.email=<address>`."
			: '';
		return [false, `${result.message}\n${result.details ?? result.error?.stack ?? ''}${hint}`];
	}
	// What analyzePackage lints, with the same options (it reports errors only).
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const warned = (await eslint.lintFiles(files)).filter((r) => r.warningCount > 0);
	if (warned.length === 0) return [true, `${files.length} files, no findings`];
	return [false, `warnings:\n${await (await eslint.loadFormatter('stylish')).format(warned)}`];
}

try {
	await check('canary: the scanner flags require("node:path") and __dirname', async () => {
		const dir = join(work, 'canary');
		mkdirSync(dir);
		writeFileSync(join(dir, 'index.js'), "const path = require('node:path');\nmodule.exports = path.join(__dirname, 'x');\n");
		const result = await analyzePackage(dir, TARBALL_FILE_PATTERNS);
		// (its 'node:path' require and its global __dirname, each by its own rule)
		const found = ['no-restricted-imports', 'no-restricted-globals'].filter((rule) => result.details?.includes(rule));
		return [result.passed === false && found.length === 2, found.length === 2 ? '' : `the scanner reported: ${JSON.stringify(result)}`];
	});

	await check('tarball (npm pack, unpacked): no findings', async () => {
		for (const file of JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).n8n.nodes) {
			if (!existsSync(join(ROOT, file))) throw new Error(`${file} is not built; run \`npm run build\` first`);
		}
		const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT));
		const unpacked = join(work, 'package');
		mkdirSync(unpacked);
		run('tar', ['-xzf', join(work, packed[0].filename), '-C', unpacked, '--strip-components=1'], work);
		return scan(unpacked, TARBALL_FILE_PATTERNS);
	});

	await check('sources (package.json, nodes/, credentials/): no findings', () => scan(ROOT, SOURCE_FILE_PATTERNS));
} finally {
	rmSync(work, { recursive: true, force: true });
}

const failed = checks.filter((c) => !c.ok).length;
console.log(`scan: ${checks.length - failed} passed, ${failed} failed`);
if (jsonOut) {
	writeFileSync(jsonOut, JSON.stringify({ numPassedTests: checks.length - failed, numFailedTests: failed, checks }, null, 2));
}
process.exit(failed ? 1 : 0);
