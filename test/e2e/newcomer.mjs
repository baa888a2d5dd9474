// The README's "Try it" the way a newcomer runs it: `npm start` from the clone, through npm,
// on an n8n cache that is empty (N8N_KEAP_CACHE, a temp folder unless NEWCOMER_CACHE names
// one; npm's own download cache ~/.npm is shared), headless. It waits for the banner, signs in
// with the printed login, calls demo 1 with the printed URL, checks the contact and its tags
// in the emulator (and demo 2's tag), sends bad input, stops everything with SIGINT as Ctrl-C
// does, and checks that nothing is left running. Then it breaks the cached sqlite3 binding and
// starts again: the second start must notice, repair the cache by itself and be ready again.
//
//   npm run build && JEST_E2E=newcomer npx jest --runInBand   (10-20 minutes: a full n8n install)
//
// Not one of the *.e2e.mjs files `npm run test:e2e` runs: CI (.ci/run) runs it as its own step.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { SAK } from '../emulator/index.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OWN_CACHE = !process.env.NEWCOMER_CACHE;
const CACHE = process.env.NEWCOMER_CACHE || mkdtempSync(join(tmpdir(), 'keap-newcomer-cache-'));
const FIRST_RUN_TIMEOUT_MS = Number(process.env.NEWCOMER_TIMEOUT_MS || 40 * 60_000);
/** The longest a first run may stay silent: the provisioning prints progress every 20 s. */
const MAX_SILENCE_MS = 90_000;

const clock = Date.now();
const note = (msg) => process.stderr.write(`[newcomer ${((Date.now() - clock) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);

/** The environment of a newcomer's shell: nothing of this test's own or of a real Keap account. */
function newcomerEnv() {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(KEAP_|N8N_|npm_|TEST_|NODE_TEST)/.test(k)) continue;
		env[k] = v;
	}
	return { ...env, N8N_KEAP_CACHE: CACHE };
}

/**
 * `npm start` in its own process group (as a terminal runs it), its output collected and
 * echoed. Resolves `ready` with the printed banner once "Ctrl-C stops everything." appears.
 */
function npmStart() {
	const child = spawn('npm', ['start'], { cwd: REPO, env: newcomerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const run = { child, out: '', lines: [], exited: null, started: Date.now() };
	let partial = '';
	const onData = (d) => {
		run.out += d;
		const parts = (partial + d).split('\n');
		partial = parts.pop();
		for (const line of parts) {
			run.lines.push({ at: Date.now(), line });
			process.stderr.write(`  | ${line}\n`);
		}
	};
	child.stdout.setEncoding('utf8').on('data', onData);
	child.stderr.setEncoding('utf8').on('data', onData);
	run.exit = new Promise((resolve) => child.on('close', (code, signal) => resolve((run.exited = { code, signal }))));
	run.ready = new Promise((resolve, reject) => {
		const timer = setInterval(() => {
			if (run.out.includes('Ctrl-C stops everything.')) {
				clearInterval(timer);
				resolve(parseBanner(run.out));
			} else if (run.exited) {
				clearInterval(timer);
				reject(new Error(`npm start exited (${JSON.stringify(run.exited)}) before it was ready`));
			} else if (Date.now() - run.started > FIRST_RUN_TIMEOUT_MS) {
				clearInterval(timer);
				reject(new Error(`npm start was not ready after ${FIRST_RUN_TIMEOUT_MS / 60_000} min`));
			}
		}, 250);
	});
	/** Ctrl-C: SIGINT to the whole process group. */
	run.interrupt = () => {
		try {
			process.kill(-child.pid, 'SIGINT');
		} catch {
			/* already gone */
		}
	};
	run.kill = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	};
	return run;
}

/** What the banner says: editor URL, login, emulator URL, the demo call and the emulator key. */
function parseBanner(text) {
	const pick = (re, what) => {
		const m = re.exec(text);
		if (!m) throw new Error(`the banner does not show ${what}:\n${text.slice(-3000)}`);
		return m[1];
	};
	return {
		editorUrl: pick(/Editor \.+ (http:\/\/\S+)/, 'the editor URL'),
		email: pick(/Login \.+ (\S+)\s+\/\s+\S+/, 'the login'),
		password: pick(/Login \.+ \S+\s+\/\s+(\S+)/, 'the password'),
		emulatorUrl: pick(/the emulator at (http:\/\/[^\s)]+)/, 'the emulator URL'),
		demoUrl: pick(/curl -s -X POST (http:\/\/\S+) \\/, 'the demo 1 call'),
		apiKey: pick(/X-Keap-API-Key: ([^']+)'/, 'the emulator key'),
		n8nLog: pick(/n8n's log: (\S+)/, "n8n's log file"),
	};
}

/** True when something accepts connections on 127.0.0.1:port. */
function listening(port) {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Processes (pid, command line) whose command line mentions `text`. */
function processesMentioning(text) {
	const found = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		if (Number(pid) === process.pid) continue;
		let cmdline;
		try {
			cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
		} catch {
			continue;
		}
		if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
	}
	return found;
}

function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

async function until(check, { timeoutMs, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 1_000));
	}
}

/**
 * A read from the emulator with its Service Account Key: a key with its own quota (Keap's
 * 10 calls/s per key), so checking never takes calls from the printed key n8n is using.
 */
async function keap(banner, path) {
	const res = await fetch(`${banner.emulatorUrl}${path}`, { headers: { 'X-Keap-API-Key': SAK } });
	assert.equal(res.status, 200, `${path}: ${res.status}`);
	return await res.json();
}

/** Stops a run with SIGINT and checks that it took everything with it. */
async function stopAndCheck(run, banner) {
	const ports = [banner.editorUrl, banner.emulatorUrl].map((u) => Number(new URL(u).port));
	run.interrupt();
	const exited = await Promise.race([run.exit, new Promise((r) => setTimeout(() => r(null), 60_000))]);
	assert.ok(exited, 'npm start stopped within 60 s of SIGINT');
	assert.match(run.out, /SIGINT: stopping n8n and the Keap emulator/);
	assert.match(run.out, /\nstopped\.\n/);
	await until(async () => !groupAlive(run.child.pid), { timeoutMs: 20_000, what: 'the process group to be empty' });
	for (const port of ports) assert.equal(await listening(port), false, `port ${port} is free again`);
	assert.deepEqual(processesMentioning(CACHE), [], 'no process runs from the n8n cache (n8n, its task runner)');
	const userFolder = dirname(banner.n8nLog);
	assert.deepEqual(processesMentioning(userFolder), [], "no process uses the sandbox's n8n folder");
	assert.equal(existsSync(userFolder), false, "the sandbox's n8n folder is removed");
}

/**
 * What `npm start` could leave in a clone: untracked files (a packed tarball, an n8n folder) and
 * changes to package.json or package-lock.json. null outside a git checkout.
 */
function cloneState() {
	const res = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO, encoding: 'utf8' });
	if (res.status !== 0) return null;
	return res.stdout
		.split('\n')
		.filter((line) => line.startsWith('??') || / package(-lock)?\.json$/.test(line))
		.sort()
		.join('\n');
}

describe('a newcomer: npm start on an empty n8n cache', () => {
	let run;
	let banner;
	const statusBefore = cloneState();

	beforeAll(() => {
		if (OWN_CACHE) note(`n8n cache for this run: ${CACHE} (empty)`);
		else note(`n8n cache for this run: ${CACHE}`);
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);
	afterAll(async () => {
		run?.kill();
		// Deleting 3 GB takes minutes on a slow disk: done in the background, not waited for.
		if (OWN_CACHE) spawn('rm', ['-rf', CACHE], { detached: true, stdio: 'ignore' }).unref();
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('npm install left package-lock.json as committed', () => {
		const res = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'package-lock.json'], { cwd: REPO });
		if (res.status === null || res.error) return; // not a git checkout
		assert.equal(res.status, 0, 'package-lock.json differs from the committed one (git diff package-lock.json)');
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('npm start downloads n8n with progress and reaches a ready editor', async () => {
		run = npmStart();
		banner = await run.ready;
		note(`ready after ${((Date.now() - run.started) / 1000).toFixed(0)} s (first run)`);
		const text = run.lines.map((l) => l.line).join('\n');
		assert.match(text, /first run for n8n 2\.41\.1: downloading it/);
		assert.match(text, /still installing n8n 2\.41\.1… \d+ s, \d+ MB so far/);
		assert.match(text, /n8n 2\.41\.1 is ready in .* \(SQLite [\d.]+ opens/);
		assert.doesNotMatch(text, /SQLite package has not been found/);
		// Never silent for long while it installs.
		const readyAt = run.lines.find((l) => l.line.includes('is ready in'))?.at ?? Date.now();
		let last = run.started;
		for (const { at } of run.lines.filter((l) => l.at <= readyAt)) {
			assert.ok(at - last <= MAX_SILENCE_MS, `${((at - last) / 1000).toFixed(0)} s without a line before ${new Date(at).toISOString()}`);
			last = at;
		}
		assert.ok(existsSync(join(CACHE, 'n8n-2.41.1', '.ready')), 'the cache is marked ready');
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('the editor answers and the printed login signs in', async () => {
		assert.ok(banner, 'started');
		const page = await fetch(banner.editorUrl);
		assert.equal(page.status, 200);
		assert.match(await page.text(), /<html/i);
		const login = await fetch(`${banner.editorUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: banner.email, password: banner.password }),
		});
		assert.equal(login.status, 200, await login.text());
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('demo 1 as the banner prints it creates the contact, tagged Lead and Newsletter; demo 2 adds "Welcome Series"', async () => {
		assert.ok(banner, 'started');
		const email = `newcomer-${Date.now()}@example.com`;
		const res = await fetch(banner.demoUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, first_name: 'Ada', last_name: 'Lovelace' }),
			signal: AbortSignal.timeout(60_000),
		});
		const body = await res.json();
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.email_addresses[0].email, email);

		const { tags } = await keap(banner, '/crm/rest/v2/tags?page_size=1000');
		const tagId = (name) => tags.find((t) => t.name === name)?.id;
		const find = async () => {
			const { contacts } = await keap(banner, `/crm/rest/v2/contacts?filter=${encodeURIComponent(`email==${email}`)}&fields=given_name,family_name,tag_ids`);
			return contacts;
		};
		const [stored] = await find();
		assert.equal(stored.given_name, 'Ada');
		assert.equal(stored.family_name, 'Lovelace');
		for (const name of ['Lead', 'Newsletter']) assert.ok(stored.tag_ids.includes(tagId(name)), `tag ${name} on the contact`);
		await until(async () => (await find())[0]?.tag_ids.includes(tagId('Welcome Series')), {
			timeoutMs: 60_000,
			what: 'demo 2 to tag the contact "Welcome Series"',
		});
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('demo 1 answers bad input with HTTP 400 saying what is wrong', async () => {
		assert.ok(banner, 'started');
		for (const [body, says] of [
			[{ email: 'ada' }, /"ada" is not a valid email address/],
			[{}, /no "email"/],
		]) {
			const res = await fetch(banner.demoUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			const json = await res.json();
			assert.equal(res.status, 400, JSON.stringify(json));
			assert.match(json.error, says);
		}
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('Ctrl-C (SIGINT) stops n8n and the emulator; nothing is left running; the clone is unchanged', async () => {
		assert.ok(banner, 'started');
		await stopAndCheck(run, banner);
		if (statusBefore !== null) assert.equal(cloneState(), statusBefore, 'npm start left no file in the clone and changed neither package.json nor the lock');
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('a broken cache (the sqlite3 binding gone, the marker still there) is repaired by the next npm start', async () => {
		assert.ok(banner, 'the first start worked');
		const release = join(CACHE, 'n8n-2.41.1', 'node_modules', 'sqlite3', 'build');
		rmSync(release, { recursive: true, force: true });
		run = npmStart();
		banner = await run.ready;
		note(`ready after ${((Date.now() - run.started) / 1000).toFixed(0)} s (with the repair)`);
		const text = run.lines.map((l) => l.line).join('\n');
		assert.match(text, /cannot open its database .*rebuilding the sqlite3 binding/);
		assert.doesNotMatch(text, /first run for n8n/, 'repaired, not installed again');
		const res = await fetch(banner.demoUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: `repaired-${Date.now()}@example.com` }),
			signal: AbortSignal.timeout(60_000),
		});
		assert.equal(res.status, 200);
		await stopAndCheck(run, banner);
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);

	test('a warm npm start checks the cache instead of downloading', async () => {
		assert.ok(banner, 'the earlier starts worked');
		run = npmStart();
		banner = await run.ready;
		note(`ready after ${((Date.now() - run.started) / 1000).toFixed(0)} s (warm)`);
		const text = run.lines.map((l) => l.line).join('\n');
		assert.match(text, /n8n 2\.41\.1 is ready in .* \(Node v24[\d.]*, SQLite [\d.]+ opens\)/);
		assert.doesNotMatch(text, /first run|still installing|rebuilding/);
		await stopAndCheck(run, banner);
	}, FIRST_RUN_TIMEOUT_MS + 20 * 60_000);
});
