// Lints the GitHub Actions workflows (.github/workflows/*.yml) with @action-validator/core,
// which checks each file against the workflow schema (SchemaStore's) and its glob patterns.
// Fails when a workflow is invalid, when ci.yml or publish.yml is missing, or when a canary
// workflow with a misspelt key passes (a validator that accepts everything proves nothing).
// Also checks what n8n's verification needs of publish.yml: a provenance publish with
// `id-token: write`.
// Usage: node test/verify/workflows.mjs [--json <file>]   (report shape as test/verify/scan.mjs)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const argv = process.argv.slice(2);
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;

const checks = [];
function check(name, ok, detail = '') {
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'ok' : 'FAILED'}: ${name}${detail ? `\n${detail.trim().replace(/^/gm, '    ')}` : ''}`);
}
/** The leaf errors of a validation, one line each. */
function leafErrors(errors, out = []) {
	for (const e of errors) {
		if (e.states?.length) e.states.forEach((s) => leafErrors(s.errors, out));
		else out.push(`${e.path ?? (e.location ? `line ${e.location.line}` : '')}: ${e.detail ?? e.title}`);
	}
	return out;
}

const canary = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo\n';
check('canary: a workflow with `step:` for `steps:` is rejected', validateWorkflow(canary).errors.length > 0);

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
for (const required of ['ci.yml', 'publish.yml']) check(`${required} exists`, files.includes(required));
for (const file of files) {
	const { errors } = validateWorkflow(readFileSync(join(DIR, file), 'utf8'));
	check(`${file} is a valid workflow`, errors.length === 0, [...new Set(leafErrors(errors))].join('\n'));
}
if (files.includes('publish.yml')) {
	const text = readFileSync(join(DIR, 'publish.yml'), 'utf8');
	check('publish.yml publishes with provenance, with id-token: write', /npm publish\b[^\n]*--provenance/.test(text) && /^\s*id-token:\s*write\s*$/m.test(text));
}

const failed = checks.filter((c) => !c.ok).length;
console.log(`workflows: ${checks.length - failed} passed, ${failed} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ numPassedTests: checks.length - failed, numFailedTests: failed, checks }, null, 2));
process.exit(failed ? 1 : 0);
