#!/usr/bin/env node
// node-test-to-jest: rewrites ESM test files written for Node's test runner (node:test) into
// jest test files (@jest/globals), in place, keeping everything else byte for byte (node:assert
// assertions stay). Made for n8n-nodes-keap's suites: its time zone conversion relies on the
// `timezone` option of test/jest/environment.cjs, and computed options on test/jest/node-options.mjs.
//
// Usage (from the repository root; the lead's command, test/README.md):
//   node test/jest/node-test-to-jest.mjs test            every test file under test/
//   node test/jest/node-test-to-jest.mjs [--dry-run] [--diff] FILE_OR_DIR...
//   A directory means every *.mjs / *.js file under it (node_modules and this tool's
//   codemod-fixtures/ skipped). Only files that import node:test are touched.
//   --dry-run  report what would change, write nothing      --diff  also print a unified diff
//   Exit status: 0 all done (or nothing to do), 1 a file needs a manual step (it is NOT written,
//   the report names each place), 2 usage or parse error.
// Idempotent: a converted file imports nothing from node:test and is left exactly as it is, so
// running it again over the whole tree changes only the files that still use node:test. In a file
// that mixes both (node:test tests merged into a converted file), calls already in jest's form
// (test(name, fn, timeout), hook(fn, timeout), test.concurrent/failing/each) are left alone.
// Self-test: codemod-fixtures/sample.node-test.mjs (converts, and passes under jest as under
// node --test) and codemod-fixtures/refused.node-test.mjs (every construct in it is refused).
// The parser is acorn, resolved from the current directory's node_modules first (any project
// with eslint has it), then from beside the files, then beside this script.
//
// What it converts
//   import { test, it, describe, suite, before, after, beforeEach, afterEach } from 'node:test'
//     -> import { ... } from '@jest/globals'   (suite -> describe, before -> beforeAll,
//        after -> afterAll; every reference renamed, never a local variable of the same name)
//   test/it/describe(name, { timeout: T }, fn)     -> test(name, fn, T); a describe's timeout
//        goes to every test and hook inside it that has none of its own, as node's subtests
//        inherit it (jest has no suite timeout: node's also bounds the suite as a whole)
//   before/after/beforeEach/afterEach(fn, { timeout: T }) -> beforeAll(fn, T) ...
//   { skip: true | 'reason' }, x.skip(...)        -> x.skip(...)
//   { skip: <expression> }                        -> (<expression> ? x.skip : x)(...)
//   { only: true }, x.only(...)                   -> x.only(...)
//   test.todo(name) / { todo } without a body     -> test.todo(name)
//   test(name, <computed options>, fn), and a todo test with a body (test(name, { todo }, fn),
//        test.todo(name, fn))                     -> withOptions(test)(name, options, fn), from
//        test/jest/node-options.mjs, which reads the options when the test is registered (skip,
//        only, timeout; todo: the body runs, a failure is printed, the title ends in "# TODO"
//        and test/jest/totals.mjs counts it as todo, neither passed nor failed, as node did)
//   describe(name, { concurrency: true | N>1 }, fn) -> each test inside it (nested describes
//        inherit it, as in node) is test.concurrent (jest's maxConcurrency caps it; a note
//        warns that beforeEach/afterEach do not wrap concurrent tests in jest as they do in
//        node); concurrency 1/false is dropped
//   the test context parameter (test('x', async (t) => ...)) is removed (jest would take a
//   parameter for a `done` callback), and its uses become:
//     t.name, t.fullName -> expect.getState().currentTestName (jest's is the full name: the
//                           describe titles, then the test's)
//     t.diagnostic(m)    -> console.log(m)
//     t.after(fn)        -> afterThisTest.push(fn), with a file-level afterEach that runs the
//                           running test's clean-ups after it, in the order they were added
//     (t, done) => ...   -> (done) => ...  (node passes done second, jest first)
//   process.env.TZ = 'Zone' at the top of a file -> a leading docblock
//        /** @jest-environment-options {"timezone": "Zone"} */ (jest gives each test file a copy
//        of process.env, so the assignment would not reach Node; the project's jest environment
//        must apply the option: n8n-nodes-keap's test/jest/environment.cjs does)
// What it refuses (reported with line:column, file left alone): t.skip() / t.todo() at run time,
// t.test() subtests, t.plan(), t.signal, t.assert, t.mock, mock/snapshot/run from node:test, a
// context passed on as a value, { signal } / { plan } options, computed options of a describe or
// a hook, async describe callbacks (jest ignores their promise), a test with no name,
// require('node:test') / import('node:test'), names that would clash after renaming.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RENAMES = { test: 'test', it: 'it', describe: 'describe', suite: 'describe', before: 'beforeAll', after: 'afterAll', beforeEach: 'beforeEach', afterEach: 'afterEach' };
const TESTS = new Set(['test', 'it']);
const SUITES = new Set(['describe', 'suite']);
const HOOKS = new Set(['before', 'after', 'beforeEach', 'afterEach']);
const CONTEXT_NAME = new Set(['name', 'fullName']);
const HELPER = 'afterThisTest';
const ADAPTER = 'withOptions';
// Where withOptions lives: beside this script (test/jest/node-options.mjs).
const ADAPTER_FILE = join(dirname(fileURLToPath(import.meta.url)), 'node-options.mjs');
const JEST_ONLY_MODIFIERS = new Set(['concurrent', 'failing', 'each']);
const isNumeric = (n) =>
	(n.type === 'Literal' && typeof n.value === 'number') ||
	(n.type === 'BinaryExpression' && isNumeric(n.left) && isNumeric(n.right)) ||
	(n.type === 'UnaryExpression' && isNumeric(n.argument));

// ---------------------------------------------------------------------------------------------
// Command line

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const showDiff = args.includes('--diff');
const targets = args.filter((a) => !a.startsWith('--'));
if (targets.length === 0 || args.includes('--help')) {
	console.error('usage: node node-test-to-jest.mjs [--dry-run] [--diff] FILE_OR_DIR...');
	process.exit(2);
}

function loadAcorn(hints) {
	const here = dirname(fileURLToPath(import.meta.url));
	for (const dir of [process.cwd(), ...hints, here]) {
		try {
			return createRequire(join(dir, 'noop.js'))('acorn');
		} catch {
			// try the next place
		}
	}
	console.error('node-test-to-jest: cannot find the `acorn` parser; run it from a project whose node_modules has it (eslint brings it)');
	process.exit(2);
}

function collect(path, out) {
	if (!existsSync(path)) {
		console.error(`node-test-to-jest: no such file or directory: ${path}`);
		process.exit(2);
	}
	if (statSync(path).isDirectory()) {
		for (const name of readdirSync(path).sort()) {
			// codemod-fixtures: this tool's self-test files (one of them must be refused).
			if (name !== 'node_modules' && name !== 'codemod-fixtures' && !name.startsWith('.')) {
				const sub = join(path, name);
				if (statSync(sub).isDirectory() || /\.(mjs|js)$/.test(name)) collect(sub, out);
			}
		}
	} else out.push(resolve(path));
	return out;
}

const files = targets.flatMap((t) => collect(t, []));
const acorn = loadAcorn([...new Set(files.map(dirname))]);
let needsManual = 0;
let converted = 0;
for (const file of files) {
	const source = readFileSync(file, 'utf8');
	if (!/['"]node:test['"]/.test(source)) continue;
	let result;
	try {
		result = convert(source, file);
	} catch (error) {
		console.error(`${relative(process.cwd(), file)}: cannot parse: ${error.message}`);
		process.exitCode = 2;
		continue;
	}
	const name = relative(process.cwd(), file);
	if (result.problems.length) {
		needsManual++;
		console.log(`${name}: NOT converted, needs a manual step:`);
		for (const p of result.problems) console.log(`  ${p}`);
		continue;
	}
	if (result.code === source) continue;
	converted++;
	console.log(`${name}: ${dryRun ? 'would convert' : 'converted'} (${result.summary.join(', ') || 'imports'})`);
	for (const n of result.notes) console.log(`  note: ${n}`);
	if (showDiff) console.log(unifiedDiff(source, result.code, name));
	if (!dryRun) writeFileSync(file, result.code);
}
console.log(`node-test-to-jest: ${converted} file(s) ${dryRun ? 'to convert' : 'converted'}, ${needsManual} need a manual step`);
if (needsManual && !process.exitCode) process.exitCode = 1;

// ---------------------------------------------------------------------------------------------
// The conversion of one file

function convert(source, file) {
	const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, locations: true });
	const problems = [];
	const notes = new Set();
	const summary = new Map();
	const count = (what) => summary.set(what, (summary.get(what) ?? 0) + 1);
	const at = (node) => `${node.loc.start.line}:${node.loc.start.column + 1}`;
	const refuse = (node, why) => problems.push(`${at(node)} ${why}`);
	const text = (node) => source.slice(node.start, node.end);
	const edits = [];
	const edit = (start, end, replacement) => edits.push({ start, end, text: replacement });

	// The node:test import(s): local name -> node:test export.
	const bindings = new Map();
	const imports = [];
	for (const stmt of ast.body) {
		if (stmt.type !== 'ImportDeclaration' || stmt.source.value !== 'node:test') continue;
		imports.push(stmt);
		for (const spec of stmt.specifiers) {
			if (spec.type === 'ImportDefaultSpecifier') bindings.set(spec.local.name, 'test');
			else if (spec.type === 'ImportNamespaceSpecifier') refuse(spec, `namespace import of node:test (${text(spec)}); import the functions by name`);
			else bindings.set(spec.local.name, spec.imported.name ?? spec.imported.value);
		}
	}
	for (const exported of new Set(bindings.values())) {
		if (!(exported in RENAMES)) refuse(imports[0], `node:test's \`${exported}\` has no jest counterpart this tool writes (mock/snapshot/run/only/skip/todo imports): convert by hand`);
	}

	const scopes = buildScopes(ast);
	const moduleNames = scopes.get(ast);
	// A reference resolves to the node:test import when no scope between it and the module declares it.
	const resolvesToImport = (name, stack) => bindings.has(name) && !stack.some((s) => s !== moduleNames && s.has(name));
	const jestNames = new Set();
	let usesExpect = false;
	let usesHelper = false;
	let usesAdapter = false;
	// A file without a node:test import (one converted before, a helper module that only names
	// node:test in a comment) is left exactly as it is: running the tool again changes nothing.
	if (imports.length === 0) return { code: source, problems: [], notes: [], summary: [] };

	// Renamed names must not clash with a module-level name of the file.
	for (const [local, exported] of bindings) {
		const target = RENAMES[exported];
		if (target && target !== local && moduleNames.has(target)) refuse(imports[0], `\`${local}\` becomes \`${target}\`, which the file already declares`);
	}

	const handled = new Set(); // Identifier nodes already rewritten as part of a call
	const removed = new Set(); // option objects cut out of a call: nothing inside them is edited

	/** The node:test function a callee names, with its modifier: { kind, base, mod, id } or null. */
	function calleeInfo(callee, stack) {
		if (callee.type === 'Identifier' && resolvesToImport(callee.name, stack)) {
			return { exported: bindings.get(callee.name), mod: null, id: callee };
		}
		if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && resolvesToImport(callee.object.name, stack)) {
			return { exported: bindings.get(callee.object.name), mod: callee.property.name, id: callee.object };
		}
		return null;
	}

	const isFn = (n) => n && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression');

	/**
	 * Rewrites one call of test/it/describe/suite/hook. `inherited` holds the enclosing describe's
	 * timeout (source text) and concurrency. Returns what the body of this call inherits.
	 */
	function rewriteCall(call, info, inherited, stmtContext) {
		const { exported } = info;
		const isTest = TESTS.has(exported);
		const isSuite = SUITES.has(exported);
		const isHook = HOOKS.has(exported);
		const callArgs = call.arguments;
		let mod = info.mod;
		// Already jest's: test.concurrent/failing/each (node:test has none of them). Left alone, so
		// that a file converted before, or partly, converts to itself.
		if (mod && JEST_ONLY_MODIFIERS.has(mod)) return inherited;
		if (mod && !['skip', 'only', 'todo'].includes(mod)) {
			refuse(call, `${exported}.${mod}() has no jest counterpart this tool writes`);
			return inherited;
		}
		if (isHook && mod) {
			refuse(call, `${exported}.${mod}()`);
			return inherited;
		}

		// Split node's ([name][, options][, fn]) (tests, suites) or (fn[, options]) (hooks).
		let name, options, fn;
		if (isHook) {
			[fn, options] = callArgs; // fn may also be a function passed by name
			if (!fn) {
				refuse(call, `${exported}() without a function`);
				return inherited;
			}
			// jest's (fn, timeout): a number where node has its options object.
			if (options && isNumeric(options)) return inherited;
		} else {
			const rest = [...callArgs];
			if (rest[0] && !isFn(rest[0]) && rest[0].type !== 'ObjectExpression') name = rest.shift();
			// jest's (name, fn, timeout): a function, then a timeout that is no options object.
			if (name && isFn(rest[0]) && rest.length === 2 && rest[1].type !== 'ObjectExpression' && !isFn(rest[1])) return inherited;
			if (rest[0] && !isFn(rest[0]) && !(rest.length === 1 && rest[0].type !== 'ObjectExpression')) options = rest.shift();
			fn = rest.shift();
			if (rest.length) {
				refuse(call, `${exported}() with more arguments than ([name], [options], [fn])`);
				return inherited;
			}
			if (!name) {
				refuse(call, `${exported}() without a name: jest needs one`);
				return inherited;
			}
		}
		// Options jest cannot take in its own form: computed ones (defect(n), known(n, why), a
		// variable), a todo test with a body. They go, as they are, to withOptions (node-options.mjs),
		// which reads them when the test is registered.
		const todoWithBody = (mod === 'todo' || options?.properties?.some((p) => p.type === 'Property' && !p.computed && (p.key.name ?? p.key.value) === 'todo' && !(p.value.type === 'Literal' && !p.value.value))) && fn;
		if (isTest && fn && ((options && options.type !== 'ObjectExpression') || todoWithBody)) {
			if (mod && !(mod === 'todo' && !options)) {
				refuse(call, `${exported}.${mod}() with ${options ? 'computed options' : 'a body'}: convert by hand`);
				return inherited;
			}
			const register = inherited.concurrent ? `${RENAMES[exported]}.concurrent` : RENAMES[exported];
			jestNames.add(RENAMES[exported]);
			usesAdapter = true;
			edit(call.callee.start, call.callee.end, `${ADAPTER}(${register})`);
			handled.add(info.id);
			if (mod === 'todo') edit(fn.start, fn.start, '{ todo: true }, ');
			if (isFn(fn)) stripContext(fn, 'test');
			if (inherited.timeout) edit(fn.end, fn.end, `, ${inherited.timeout}`);
			count('options read at run time');
			return inherited;
		}
		if (options && options.type !== 'ObjectExpression') {
			refuse(options, `the options of ${exported}() are not an object literal (${text(options).slice(0, 40)}): jest takes none, spell them out`);
			return inherited;
		}

		// Read the options.
		let timeout;
		let skip; // { static: boolean } | { expr: string }
		let only = mod === 'only';
		let todo = mod === 'todo';
		let concurrent; // undefined: inherited, as node does
		if (mod === 'skip') skip = { static: true };
		for (const prop of options?.properties ?? []) {
			if (prop.type !== 'Property' || prop.computed) {
				refuse(prop, `option ${text(prop)} of ${exported}() cannot be read`);
				continue;
			}
			const key = prop.key.name ?? prop.key.value;
			const value = prop.value;
			const literal = value.type === 'Literal' ? value.value : value.type === 'Identifier' && value.name === 'undefined' ? undefined : Symbol.for('dynamic');
			const dynamic = literal === Symbol.for('dynamic');
			switch (key) {
				case 'timeout':
					if (!(literal === undefined || literal === Infinity)) timeout = text(value);
					break;
				case 'skip':
					if (dynamic) skip = { expr: ['Identifier', 'MemberExpression', 'CallExpression'].includes(value.type) ? text(value) : `(${text(value)})` };
					else if (literal) skip = { static: true };
					break;
				case 'only':
					if (dynamic) refuse(prop, `a computed \`only\` option`);
					else only ||= Boolean(literal);
					break;
				case 'todo':
					if (dynamic) refuse(prop, 'a computed `todo` option');
					else todo ||= Boolean(literal);
					break;
				case 'concurrency':
					if (!isSuite) {
						notes.add(`${at(prop)} the concurrency option of a test concerns its subtests, which jest has not: dropped`);
						break;
					}
					if (dynamic) refuse(prop, 'a computed `concurrency` option');
					else concurrent = literal === true || (typeof literal === 'number' && literal > 1);
					break;
				default:
					refuse(prop, `option \`${key}\` of ${exported}() has no jest counterpart`);
			}
		}
		if (!isHook && !fn && !todo) {
			refuse(call, `${exported}() without a function: node passes it, jest rejects it (test.todo(name) if that is what it means)`);
			return inherited;
		}
		if (todo && fn) {
			refuse(call, `a todo ${exported} with a body: node runs it and ignores its result; jest's test.todo takes no body. Decide by hand (test.todo(name) or a real test)`);
			return inherited;
		}
		if (todo && isSuite) {
			refuse(call, 'describe.todo has no jest counterpart');
			return inherited;
		}
		if (skip?.expr && (only || todo)) {
			refuse(call, 'a computed skip together with only/todo');
			return inherited;
		}
		if (isTest && inherited.concurrent && !skip && !only && !todo) {
			count('concurrent tests');
		}

		// The callee.
		const base = RENAMES[exported];
		jestNames.add(base);
		let variant = only ? `${base}.only` : todo ? `${base}.todo` : skip?.static ? `${base}.skip` : isTest && inherited.concurrent ? `${base}.concurrent` : base;
		let calleeText = variant;
		if (skip?.expr) {
			const plain = isTest && inherited.concurrent ? `${base}.concurrent` : base;
			calleeText = `(${skip.expr} ? ${base}.skip : ${plain})`;
			if (stmtContext.needsSemicolon) calleeText = `;${calleeText}`;
			count('computed skips');
		} else if (skip?.static) count('skips');
		if (calleeText !== text(call.callee)) edit(call.callee.start, call.callee.end, calleeText);
		if (base !== info.id.name) count(`${info.id.name} -> ${base}`);
		handled.add(info.id);

		// The arguments: drop the options object, strip the context parameter, add the timeout.
		if (options) {
			const prev = isHook ? fn : name;
			edit(prev.end, options.end, '');
			removed.add(options);
			count('options');
		}
		const effectiveTimeout = (timeout ?? (isSuite ? undefined : inherited.timeout)) || undefined;
		if (isFn(fn)) {
			if (fn.async && isSuite) refuse(fn, 'an async describe callback: jest ignores its promise (tests registered after an await are lost)');
			stripContext(fn, isTest ? 'test' : exported === 'beforeEach' || exported === 'afterEach' ? 'each hook' : isHook ? 'hook' : 'suite');
		}
		if (!isSuite && effectiveTimeout && fn && !todo) {
			edit(fn.end, fn.end, `, ${effectiveTimeout}`);
			count('timeouts');
		}
		// node: a suite's timeout and concurrency, when unspecified, come from its parent.
		return isSuite ? { timeout: timeout ?? inherited.timeout, concurrent: concurrent ?? inherited.concurrent } : inherited;
	}

	/** Removes a test/hook/suite callback's context parameter and rewrites its uses. */
	function stripContext(fn, kind) {
		const [ctx, done] = fn.params;
		if (!ctx) return;
		if (ctx.type !== 'Identifier') {
			refuse(ctx, `a destructured ${kind} context (${text(ctx)}): rewrite by hand`);
			return;
		}
		const uses = [];
		findReferences(fn.body, ctx.name, uses);
		for (const { node, parent, grandparent } of uses) {
			const member = parent?.type === 'MemberExpression' && parent.object === node && !parent.computed ? parent.property.name : null;
			const called = grandparent?.type === 'CallExpression' && grandparent.callee === parent;
			const perTest = kind === 'test' || kind === 'each hook';
			if (member && CONTEXT_NAME.has(member) && perTest) {
				edit(parent.start, parent.end, 'expect.getState().currentTestName');
				usesExpect = true;
				count('t.name');
			} else if (member === 'diagnostic' && called) {
				edit(parent.start, parent.end, 'console.log');
				count('t.diagnostic');
			} else if (member === 'after' && perTest && called) {
				edit(parent.start, parent.end, `${HELPER}.push`);
				usesHelper = true;
				count('t.after');
			} else {
				refuse(node, `${member ? `${ctx.name}.${member}` : `the ${kind} context \`${ctx.name}\` used as a value`} in a ${kind}: no jest counterpart this tool writes`);
			}
		}
		// Remove the parameter: (t) -> (), t => -> () =>, (t, done) -> (done).
		const head = source.slice(fn.start, ctx.start);
		if (done) edit(ctx.start, done.start, '');
		else if (head.includes('(')) edit(ctx.start, ctx.end, '');
		else edit(ctx.start, ctx.end, '()');
		count('context parameters');
	}

	/** Every reference to `name` inside `root` that resolves to the binding declared outside it. */
	function findReferences(root, name, out) {
		walk(root, (node, parent, key, stack, ancestors) => {
			if (node.type === 'Identifier' && node.name === name && isReference(node, parent, key) && !stack.some((s) => s.has(name))) {
				out.push({ node, parent, grandparent: ancestors[ancestors.length - 2] });
			}
		}, [], scopes);
	}

	// Walk the whole file: calls of node:test functions, and every other reference to them.
	const inheritedFor = new Map(); // function node -> what its body inherits
	walk(ast, (node, parent, key, stack, ancestors) => {
		if ((node.type === 'ImportDeclaration' && imports.includes(node)) || removed.has(node)) return 'skip';
		if (node.type === 'CallExpression') {
			if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.value === 'node:test') refuse(node, "require('node:test')");
			const info = calleeInfo(node.callee, stack);
			if (info && info.exported in RENAMES) {
				let inherited = { timeout: undefined, concurrent: false };
				for (let i = ancestors.length - 1; i >= 0; i--) {
					if (inheritedFor.has(ancestors[i])) {
						inherited = inheritedFor.get(ancestors[i]);
						break;
					}
				}
				const stmt = parent?.type === 'ExpressionStatement' && node.callee.start === parent.start ? parent : null;
				const needsSemicolon = Boolean(stmt) && needsLeadingSemicolon(stmt, ancestors, source);
				const passOn = rewriteCall(node, info, inherited, { needsSemicolon });
				const fn = node.arguments.find(isFn);
				if (fn) inheritedFor.set(fn, SUITES.has(info.exported) ? passOn : { timeout: undefined, concurrent: false });
			}
		}
		if (node.type === 'ImportExpression' && node.source.value === 'node:test') refuse(node, "import('node:test')");
		if (node.type === 'Identifier' && !handled.has(node) && isReference(node, parent, key) && resolvesToImport(node.name, stack)) {
			const exported = bindings.get(node.name);
			const target = RENAMES[exported];
			if (!target) return;
			if (parent?.type === 'ExportSpecifier') {
				refuse(node, `\`${node.name}\` is exported`);
				return;
			}
			jestNames.add(target);
			if (target !== node.name) {
				count(`${node.name} -> ${target}`);
				const shorthand = parent?.type === 'Property' && parent.shorthand && parent.value === node;
				edit(node.start, node.end, shorthand ? `${node.name}: ${target}` : target);
			}
		}
	}, [], scopes);

	// A time zone set at the top of the file: jest gives a test file its own copy of process.env,
	// so the assignment no longer reaches Node; the file's jest environment options do (this
	// needs an environment that reads `timezone`, as n8n-nodes-keap's test/jest/environment.cjs).
	let docblock = '';
	for (const stmt of ast.body) {
		const e = stmt.type === 'ExpressionStatement' ? stmt.expression : null;
		if (e?.type === 'AssignmentExpression' && text(e.left).replace(/\s/g, '') === 'process.env.TZ') {
			if (e.right.type !== 'Literal' || typeof e.right.value !== 'string') {
				refuse(stmt, 'process.env.TZ set to a computed value: under jest it changes only the file\'s copy of process.env');
				continue;
			}
			docblock = `/** @jest-environment-options {"timezone": ${JSON.stringify(e.right.value)}} */\n`;
			const end = source[stmt.end] === '\n' ? stmt.end + 1 : stmt.end;
			edit(stmt.start, end, '');
			count('time zone');
			notes.add('process.env.TZ became the docblock option `timezone`: the jest environment must apply it (test/jest/environment.cjs does)');
		}
	}
	if (docblock && /^\s*\/\*\*/.test(source.replace(/^#!.*\n/, ''))) {
		refuse(ast, 'the file already starts with a docblock: add the timezone option to it by hand');
	}
	if (docblock) edit(source.startsWith('#!') ? source.indexOf('\n') + 1 : 0, source.startsWith('#!') ? source.indexOf('\n') + 1 : 0, docblock);

	if (problems.length) return { code: source, problems, notes: [...notes], summary: [] };
	if (imports.length === 0) return { code: source, problems, notes: [], summary: [] };

	// The import: one from @jest/globals in place of the first node:test import.
	if (usesExpect) jestNames.add('expect');
	if (usesHelper) jestNames.add('afterEach');
	if (usesHelper && moduleNames.has(HELPER)) {
		return { code: source, problems: [`the file already declares \`${HELPER}\`, the name this tool gives t.after's list`], notes: [], summary: [] };
	}
	const order = ['describe', 'test', 'it', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'expect'];
	const names = [...jestNames].sort((a, b) => order.indexOf(a) - order.indexOf(b));
	const existing = ast.body.find((s) => s.type === 'ImportDeclaration' && s.source.value === '@jest/globals');
	let importText = `import { ${names.join(', ')} } from '@jest/globals';`;
	if (existing) {
		const have = new Set(existing.specifiers.map((s) => s.local.name));
		const missing = names.filter((n) => !have.has(n));
		importText = missing.length ? `import { ${missing.join(', ')} } from '@jest/globals';` : '';
	}
	if (usesAdapter) {
		if (moduleNames.has(ADAPTER) && !ast.body.some((s) => s.type === 'ImportDeclaration' && s.source.value.endsWith('node-options.mjs'))) {
			return { code: source, problems: [`the file already declares \`${ADAPTER}\`, the name of test/jest/node-options.mjs's adapter`], notes: [], summary: [] };
		}
		if (!moduleNames.has(ADAPTER)) {
			let rel = relative(dirname(file), ADAPTER_FILE).split('\\').join('/');
			if (!rel.startsWith('.')) rel = `./${rel}`;
			importText += `${importText ? '\n' : ''}import { ${ADAPTER} } from '${rel}';`;
		}
		notes.add('options computed at run time or a todo test with a body: withOptions (test/jest/node-options.mjs) reads them when the test is registered');
	}
	let helperText = '';
	if (usesHelper) {
		helperText =
			`\n\n// node:test's t.after(fn) under jest: the clean-ups the running test registered, run after it in\n` +
			`// the order they were added (all of them, then the first error is thrown).\n` +
			`const ${HELPER} = [];\n` +
			`afterEach(async () => {\n` +
			`\tconst errors = [];\n` +
			`\tfor (const fn of ${HELPER}.splice(0)) await Promise.resolve().then(fn).catch((error) => errors.push(error));\n` +
			`\tif (errors.length) throw errors[0];\n` +
			`});`;
		notes.add("t.after clean-ups now run in a file-level afterEach: after the test's describe-level afterEach hooks, not before them");
	}
	imports.forEach((imp, i) => {
		const end = i === 0 ? imp.end : source[imp.end] === '\n' ? imp.end + 1 : imp.end;
		edit(imp.start, end, i === 0 ? importText : '');
	});
	if (helperText) {
		// After the last import (imports are hoisted anyway; this keeps them together).
		const kept = ast.body.filter((s) => s.type === 'ImportDeclaration' && (s === imports[0] || !imports.includes(s)));
		const anchor = kept.at(-1);
		edit(anchor.end, anchor.end, helperText);
	}
	if (summary.get('concurrent tests')) notes.add('jest does not run beforeEach/afterEach around test.concurrent tests the way node does around concurrent subtests: check the hooks of those describes');
	if (usesExpect) notes.add("expect.getState().currentTestName is jest's full name (describe titles, then the test's), where node's t.name was the test's own");

	return { code: applyEdits(source, edits), problems, notes: [...notes], summary: [...summary].map(([k, v]) => `${v} ${k}`) };
}

/** Whether a statement that now starts with `(` would continue the previous one (no `;` before it). */
function needsLeadingSemicolon(stmt, ancestors, source) {
	const container = ancestors[ancestors.length - 1];
	const body = Array.isArray(container?.body) ? container.body : Array.isArray(container?.consequent) ? container.consequent : [];
	const i = body.indexOf(stmt);
	if (i <= 0) return false;
	const prev = body[i - 1];
	return !/[;}]$/.test(source.slice(prev.start, prev.end));
}

function applyEdits(source, edits) {
	edits.sort((a, b) => a.start - b.start || a.end - b.end);
	for (let i = 1; i < edits.length; i++) {
		if (edits[i].start < edits[i - 1].end) throw new Error(`overlapping edits at ${edits[i - 1].start}-${edits[i - 1].end} and ${edits[i].start}-${edits[i].end}`);
	}
	let out = '';
	let pos = 0;
	for (const e of edits) {
		out += source.slice(pos, e.start) + e.text;
		pos = e.end;
	}
	return out + source.slice(pos);
}

// ---------------------------------------------------------------------------------------------
// Scopes and walking (enough of ECMAScript's scoping to tell a hook from a local variable)

function walk(root, visit, stack, scopes, ancestors = []) {
	const go = (node, parent, key) => {
		if (!node || typeof node.type !== 'string') return;
		const own = scopes.get(node);
		if (own) stack.push(own);
		const verdict = visit(node, parent, key, stack, ancestors);
		if (verdict !== 'skip') {
			ancestors.push(node);
			for (const k of Object.keys(node)) {
				if (k === 'loc' || k === 'start' || k === 'end' || k === 'type') continue;
				const child = node[k];
				if (Array.isArray(child)) child.forEach((c) => go(c, node, k));
				else if (child && typeof child.type === 'string') go(child, node, k);
			}
			ancestors.pop();
		}
		if (own) stack.pop();
	};
	go(root, null, null);
}

function isReference(node, parent, key) {
	if (!parent) return true;
	switch (parent.type) {
		case 'MemberExpression':
			return key !== 'property' || parent.computed;
		case 'Property':
			return key === 'value' || parent.computed;
		case 'MethodDefinition':
		case 'PropertyDefinition':
			return key !== 'key' || parent.computed;
		case 'LabeledStatement':
		case 'BreakStatement':
		case 'ContinueStatement':
		case 'MetaProperty':
		case 'ImportSpecifier':
		case 'ImportDefaultSpecifier':
		case 'ImportNamespaceSpecifier':
			return false;
		case 'ExportSpecifier':
			return key === 'local';
		default:
			return true;
	}
}

/** scope-creating node -> Set of names it declares. */
function buildScopes(ast) {
	const scopes = new Map();
	const declare = (scopeNode, pattern) => {
		const set = scopes.get(scopeNode);
		const add = (p) => {
			if (!p) return;
			if (p.type === 'Identifier') set.add(p.name);
			else if (p.type === 'ObjectPattern') p.properties.forEach((q) => add(q.type === 'RestElement' ? q.argument : q.value));
			else if (p.type === 'ArrayPattern') p.elements.forEach(add);
			else if (p.type === 'RestElement') add(p.argument);
			else if (p.type === 'AssignmentPattern') add(p.left);
		};
		add(pattern);
	};
	const isFunction = (n) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
	const creates = (n) => n.type === 'Program' || isFunction(n) || n.type === 'BlockStatement' || n.type === 'StaticBlock' || n.type === 'CatchClause' || n.type === 'SwitchStatement' || n.type === 'ClassExpression' || ((n.type === 'ForStatement' || n.type === 'ForInStatement' || n.type === 'ForOfStatement'));
	walk(ast, (node) => {
		if (creates(node)) scopes.set(node, new Set());
	}, [], new Map());
	// Second pass: place declarations.
	const visit = (node, fnScope, blockScope) => {
		if (!node || typeof node.type !== 'string') return;
		let f = fnScope;
		let b = blockScope;
		if (scopes.has(node)) {
			if (node.type === 'Program' || isFunction(node)) f = node;
			b = node;
		}
		switch (node.type) {
			case 'ImportDeclaration':
				node.specifiers.forEach((s) => declare(f, s.local));
				return;
			case 'VariableDeclaration': {
				const target = node.kind === 'var' ? f : b;
				node.declarations.forEach((d) => declare(target, d.id));
				break;
			}
			case 'FunctionDeclaration':
				declare(blockScope ?? f, node.id);
				break;
			case 'ClassDeclaration':
				declare(b, node.id);
				break;
			case 'ClassExpression':
				if (node.id) declare(node, node.id);
				break;
			case 'FunctionExpression':
				if (node.id) declare(node, node.id);
				break;
			case 'CatchClause':
				if (node.param) declare(node, node.param);
				break;
			default:
		}
		if (isFunction(node)) node.params.forEach((p) => declare(node, p));
		for (const k of Object.keys(node)) {
			if (k === 'loc') continue;
			const child = node[k];
			if (Array.isArray(child)) child.forEach((c) => visit(c, f, b));
			else if (child && typeof child.type === 'string') visit(child, f, b);
		}
	};
	visit(ast, ast, ast);
	return scopes;
}

// ---------------------------------------------------------------------------------------------

function unifiedDiff(a, b, name) {
	const x = a.split('\n');
	const y = b.split('\n');
	const out = [`--- ${name}`, `+++ ${name} (jest)`];
	// Line-level LCS is overkill for edits this local: pair lines by position inside changed runs.
	let i = 0;
	let j = 0;
	while (i < x.length || j < y.length) {
		if (x[i] === y[j]) {
			i++;
			j++;
			continue;
		}
		// find the next line common to both
		let ni = i;
		let nj = j;
		search: for (let d = 1; d < 200; d++) {
			for (let k = 0; k <= d; k++) {
				if (x[i + k] !== undefined && x[i + k] === y[j + d - k]) {
					ni = i + k;
					nj = j + d - k;
					break search;
				}
			}
			ni = x.length;
			nj = y.length;
		}
		out.push(`@@ -${i + 1} +${j + 1} @@`);
		for (; i < ni; i++) out.push(`-${x[i]}`);
		for (; j < nj; j++) out.push(`+${y[j]}`);
	}
	return out.join('\n');
}
