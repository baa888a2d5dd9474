// jest runs every test suite. Its projects: one per folder of test/ that holds *.test.mjs files
// (unit, emulator, faults, engine, jest), run by default, and `e2e` (test/e2e/*.e2e.mjs, real
// n8n, long timeouts), the only project when JEST_E2E=1, so that `npx jest`, `npx jest --watch`
// and `npm test -- <pattern>` never start n8n. JEST_E2E=newcomer: test/e2e/newcomer.mjs alone
// (`npm start` on an empty n8n cache, a CI step of its own).
//   npm test             every project but e2e      npm run test:e2e   e2e, in band
//   npx jest --watch     the tests a change concerns (see test/jest/dependencies.cjs)
//   npx jest --coverage  coverage of the built dist/, reported on the TypeScript sources
//                        through tsc's source maps (node_modules/.cache/coverage/index.html)
// The test files are ES modules run as they are (no transform), which needs Node's
// --experimental-vm-modules: .npmrc's node-options passes it to npm scripts and npx.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const testDir = join(root, 'test');
const holdsTests = (dir) =>
	readdirSync(join(testDir, dir), { withFileTypes: true, recursive: true }).some((e) => e.isFile() && e.name.endsWith('.test.mjs'));

const project = (name, testMatch, testTimeout) => ({
	displayName: name,
	rootDir: root,
	testMatch,
	testTimeout,
	testEnvironment: join(root, 'test', 'jest', 'environment.cjs'),
	transform: {},
	// 'ts' only so that the watcher knows the sources the dist/ files are built from.
	moduleFileExtensions: ['mjs', 'js', 'cjs', 'json', 'ts'],
	dependencyExtractor: join(root, 'test', 'jest', 'dependencies.cjs'),
	modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/test-results/'],
});

const suites = readdirSync(testDir, { withFileTypes: true })
	.filter((e) => e.isDirectory() && e.name !== 'e2e' && holdsTests(e.name))
	.map((e) => e.name)
	.sort();

export default {
	projects:
		process.env.JEST_E2E === '1'
			? // Each file provisions, starts and drives real n8n processes (and sets its own limits).
				[project('e2e', ['<rootDir>/test/e2e/**/*.e2e.mjs'], 30 * 60_000)]
			: process.env.JEST_E2E === 'newcomer'
				? [project('newcomer', ['<rootDir>/test/e2e/newcomer.mjs'], 30 * 60_000)]
				: // Node's test runner set no timeout; each of these tests takes seconds.
				suites.map((name) => project(name, [`<rootDir>/test/${name}/**/*.test.mjs`], 120_000)),
	// As many test files at once as Node's test runner ran here before (TEST_CONCURRENCY, 2).
	maxWorkers: 2,
	coverageProvider: 'v8',
	collectCoverageFrom: ['<rootDir>/dist/**/*.js'],
	// Not coverage/: `n8n-node lint` (strict, its config not ours to change) would lint the
	// report's scripts. ESLint skips node_modules.
	coverageDirectory: '<rootDir>/node_modules/.cache/coverage',
	coverageReporters: ['text-summary', 'html', 'lcov'],
};
