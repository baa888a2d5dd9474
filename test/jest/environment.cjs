// The jest environment of every project: jest's node environment, plus what the suites relied on
// when Node's test runner ran each file in a process of its own.
//  1. The project's `testTimeout`: jest 30 applies only the top-level one (jest-circus reads
//     globalConfig.testTimeout), so a project's is set here, as jest.setTimeout() would.
//  2. A time zone per file: a file whose docblock holds
//       @jest-environment-options {"timezone": "America/New_York"}
//     runs with TZ set to it in the real process (Node applies a TZ change at once), restored
//     after the file. `process.env` inside a test file is jest's copy: setting TZ there does
//     nothing.
//  3. structuredClone, and fetch's Response.json(), whose values belong to the test file's
//     realm. jest runs a file in a vm context whose Object, Array, Map, ... are not Node's; Node
//     builds these values from its own, and node:assert's deepStrictEqual compares prototypes,
//     so they would not equal a literal of the same content ("Compared values have no visual
//     difference": the sign of such a realm mismatch). Node still does the work (and throws what
//     it throws); the result is then rebuilt, value for value, from the context's constructors.
//  4. A process end for each file. A test file's `process` is jest's copy of Node's: its 'exit'
//     and signal listeners never hear the real process. The end-to-end harness kills the n8n
//     processes it started and removes its temp folders on 'exit' (and on SIGINT/SIGTERM), as a
//     file's own process ended under Node's test runner. So the copy gets 'exit' when the file
//     is done (or when the real process exits first), and SIGINT/SIGTERM when the real process
//     gets them while the file listens for them.
//  5. node:assert's deep comparisons (deepStrictEqual, and deepEqual of node:assert/strict) across
//     realms: what Node's own modules return (readdirSync's array, Object.entries of it, a parsed
//     JSON body, ...) is built from Node's Array and Object, a literal in the test from the
//     context's, and deepStrictEqual compares prototypes. Before they compare, plain objects,
//     arrays, Dates, Maps, Sets and RegExps of either realm are copied into Node's, so that only
//     the realm stops mattering; an instance of any other class is compared as it is.
const { TestEnvironment } = require('jest-environment-node');
const vm = require('node:vm');

// Evaluated inside the test file's context: every `{}`, `[]`, `new Map()` below is the context's.
const REALM_COPY = `(function toRealm(value, seen = new Map()) {
	if (value === null || typeof value !== 'object') return value;
	if (seen.has(value)) return seen.get(value);
	const tag = Object.prototype.toString.call(value).slice(8, -1);
	const keep = (out) => (seen.set(value, out), out);
	const props = (out) => {
		for (const key of Object.keys(value)) out[key] = toRealm(value[key], seen);
		return out;
	};
	switch (tag) {
		case 'Object':
			return props(keep({}));
		case 'Array':
			return props(keep(new Array(value.length)));
		case 'Date':
			return keep(new Date(Date.prototype.getTime.call(value)));
		case 'RegExp': {
			const out = keep(new RegExp(value.source, value.flags));
			out.lastIndex = value.lastIndex;
			return out;
		}
		case 'Map': {
			const out = keep(new Map());
			for (const [k, v] of Map.prototype.entries.call(value)) out.set(toRealm(k, seen), toRealm(v, seen));
			return out;
		}
		case 'Set': {
			const out = keep(new Set());
			for (const v of Set.prototype.values.call(value)) out.add(toRealm(v, seen));
			return out;
		}
		case 'ArrayBuffer': {
			const out = keep(new ArrayBuffer(value.byteLength));
			new Uint8Array(out).set(new Uint8Array(value));
			return out;
		}
		case 'DataView':
			return keep(new DataView(toRealm(value.buffer, seen), value.byteOffset, value.byteLength));
		case 'Boolean':
		case 'Number':
		case 'String':
		case 'BigInt':
			return keep(Object(globalThis[tag].prototype.valueOf.call(value)));
		case 'Error': {
			const Ctor = ['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'].includes(value.name) ? globalThis[value.name] : Error;
			const out = keep(new Ctor(value.message));
			for (const key of ['name', 'stack', 'cause']) {
				if (Object.prototype.hasOwnProperty.call(value, key)) Object.defineProperty(out, key, { value: toRealm(value[key], seen), writable: true, configurable: true });
			}
			return props(out);
		}
		default:
			if (ArrayBuffer.isView(value) && typeof globalThis[tag] === 'function') {
				return keep(new globalThis[tag](toRealm(value.buffer, seen), value.byteOffset, value.length));
			}
			return value; // Blob, File and the like: Node's own objects, left as they are
	}
})`;

const assert = require('node:assert');

/** The intrinsic constructor name of `proto` (Object, Array, ...) in whichever realm, or null. */
function intrinsicName(proto) {
	const ctor = proto && Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : undefined;
	if (typeof ctor !== 'function' || ctor.prototype !== proto) return null;
	if (!['Object', 'Array', 'Date', 'Map', 'Set', 'RegExp'].includes(ctor.name)) return null;
	return /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(ctor)) ? ctor.name : null;
}

/** `value` with its plain containers (of any realm) rebuilt from this realm's constructors. */
function toNodeRealm(value, seen = new Map()) {
	if (value === null || typeof value !== 'object') return value;
	if (seen.has(value)) return seen.get(value);
	const proto = Object.getPrototypeOf(value);
	const name = proto === null ? null : intrinsicName(proto);
	if (name === null) return value; // null prototype or another class: as it is
	const keep = (out) => (seen.set(value, out), out);
	const props = (out) => {
		for (const key of Object.keys(value)) out[key] = toNodeRealm(value[key], seen);
		for (const sym of Object.getOwnPropertySymbols(value)) {
			if (Object.prototype.propertyIsEnumerable.call(value, sym)) out[sym] = toNodeRealm(value[sym], seen);
		}
		return out;
	};
	switch (name) {
		case 'Object':
			return props(keep({}));
		case 'Array':
			return props(keep(new Array(value.length)));
		case 'Date':
			return props(keep(new Date(Date.prototype.getTime.call(value))));
		case 'RegExp': {
			const out = keep(new RegExp(value.source, value.flags));
			out.lastIndex = value.lastIndex;
			return out;
		}
		case 'Map': {
			const out = keep(new Map());
			for (const [k, v] of Map.prototype.entries.call(value)) out.set(toNodeRealm(k, seen), toNodeRealm(v, seen));
			return props(out);
		}
		case 'Set': {
			const out = keep(new Set());
			for (const v of Set.prototype.values.call(value)) out.add(toNodeRealm(v, seen));
			return props(out);
		}
		default:
			return value;
	}
}

/** Once per worker process: node:assert's deep comparisons see through the realm (point 5). */
function bridgeAssert() {
	const done = Symbol.for('n8n-nodes-keap.jest.assert-realm-bridge');
	if (assert[done]) return;
	assert[done] = true;
	const wrap = (target, key) => {
		const original = target[key];
		const bridged = {
			[key](actual, expected, ...rest) {
				try {
					return original.call(this, toNodeRealm(actual), toNodeRealm(expected), ...rest);
				} catch (error) {
					if (error instanceof assert.AssertionError) Error.captureStackTrace(error, bridged);
					throw error;
				}
			},
		}[key];
		target[key] = bridged;
	};
	wrap(assert, 'deepStrictEqual');
	wrap(assert, 'notDeepStrictEqual');
	for (const key of ['deepEqual', 'deepStrictEqual', 'notDeepEqual', 'notDeepStrictEqual']) wrap(assert.strict, key);
}

class KeapTestEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		bridgeAssert();
		const { projectConfig } = config;
		this.timezone = projectConfig.testEnvironmentOptions?.timezone;
		if (projectConfig.testTimeout) this.global[Symbol.for('TEST_TIMEOUT_SYMBOL')] = projectConfig.testTimeout;
		const toRealm = vm.runInContext(REALM_COPY, this.getVmContext());
		const nodeClone = globalThis.structuredClone;
		this.global.structuredClone = function structuredClone(value, options) {
			return toRealm(nodeClone(value, options));
		};
		const nodeFetch = globalThis.fetch;
		this.global.fetch = async function fetch(...args) {
			const response = await nodeFetch(...args);
			const json = response.json.bind(response);
			Object.defineProperty(response, 'json', { value: async () => toRealm(await json()), configurable: true, writable: true });
			return response;
		};
	}

	async setup() {
		await super.setup();
		if (this.timezone) {
			this.savedTimezone = process.env.TZ;
			process.env.TZ = this.timezone;
		}
		const fileProcess = this.global.process;
		this.onRealExit = (code) => this.endFileProcess(code);
		process.once('exit', this.onRealExit);
		this.onRealSignal = {};
		for (const signal of ['SIGINT', 'SIGTERM']) {
			const forward = () => {
				if (fileProcess.listenerCount(signal) > 0) fileProcess.emit(signal, signal);
				else if (process.listenerCount(signal) === 1) {
					// Nobody else listens: what Node would have done without this listener.
					process.removeListener(signal, forward);
					process.kill(process.pid, signal);
				}
			};
			this.onRealSignal[signal] = forward;
			process.on(signal, forward);
		}
	}

	/** Emits 'exit' once on the file's process, as the end of a file's own process did. */
	endFileProcess(code = 0) {
		if (this.ended) return;
		this.ended = true;
		const fileProcess = this.global?.process;
		if (!fileProcess || fileProcess.listenerCount('exit') === 0) return;
		try {
			fileProcess.emit('exit', code);
		} catch (error) {
			process.stderr.write(`an 'exit' listener of the test file threw: ${error?.stack ?? error}\n`);
		}
	}

	async teardown() {
		this.endFileProcess(0);
		process.removeListener('exit', this.onRealExit);
		for (const [signal, forward] of Object.entries(this.onRealSignal ?? {})) process.removeListener(signal, forward);
		if (this.timezone) {
			if (this.savedTimezone === undefined) delete process.env.TZ;
			else process.env.TZ = this.savedTimezone;
		}
		await super.teardown();
	}
}

module.exports = KeapTestEnvironment;
