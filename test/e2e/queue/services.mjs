// Real Redis and PostgreSQL for the queue-mode e2e test, started by the test itself: each on a
// free loopback port, in its own temp data folder, in its own process group, stopped (and the
// folder removed) by stop(), and killed when the test process exits whatever happened.
// PostgreSQL refuses to run as root: as root it runs as the `postgres` user (runuser), which
// the Debian package creates; as any other user it runs as that user.
//
// Missing binaries are installed once with QUEUE_SERVICES_INSTALL (Debian/apt, root only);
// without root the error names the command to run.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, waitFor } from '../harness.mjs';

/** What `.ci/run` (or a person) runs once on a fresh Debian machine. */
export const QUEUE_SERVICES_INSTALL = 'apt-get update && apt-get install -y redis-server postgresql';

const live = new Set(); // child processes still running
const dirs = new Set(); // data folders still on disk
process.on('exit', () => {
	for (const child of live) signalGroup(child, 'SIGKILL');
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function signalGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The newest PostgreSQL server binaries folder (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(root, majors[0], 'bin') : undefined;
}

function redisServerBin() {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * Makes sure redis-server and the PostgreSQL server are installed: installs them with apt when
 * missing and running as root, else throws naming the command.
 * @returns {{ redisServer: string, pgBin: string }}
 */
export function ensureQueueServices() {
	let redisServer = redisServerBin();
	let pgBin = postgresBinDir();
	if (redisServer && pgBin) return { redisServer, pgBin };
	if (!isRoot()) {
		throw new Error(`redis-server and PostgreSQL are needed for the queue-mode test: run \`${QUEUE_SERVICES_INSTALL}\` as root`);
	}
	const res = spawnSync('sh', ['-c', QUEUE_SERVICES_INSTALL], {
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeout: 10 * 60_000,
	});
	redisServer = redisServerBin();
	pgBin = postgresBinDir();
	if (res.status !== 0 || !redisServer || !pgBin) {
		throw new Error(`\`${QUEUE_SERVICES_INSTALL}\` failed (exit ${res.status}):\n${String(res.stderr).split('\n').slice(-20).join('\n')}`);
	}
	return { redisServer, pgBin };
}

/** Spawns a long-running server in its own process group, collecting its output. */
function spawnServer(cmd, args, { env } = {}) {
	const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
	live.add(child);
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
	let exited = null;
	const exit = new Promise((resolve) =>
		child.on('close', (code, signal) => {
			exited = { code, signal };
			live.delete(child);
			resolve(exited);
		}),
	);
	return {
		child,
		output: () => output,
		get exited() {
			return exited;
		},
		/** `signal` to the group, SIGKILL after `graceMs`; resolves once the leader exited. */
		async stop(signal = 'SIGTERM', graceMs = 10_000) {
			if (!exited) {
				signalGroup(child, signal);
				const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
				await exit;
				clearTimeout(timer);
			}
			signalGroup(child, 'SIGKILL'); // whatever it left in its group
		},
	};
}

function runChecked(cmd, args, { timeoutMs = 60_000, env } = {}) {
	const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, env: env ?? process.env });
	if (res.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}${res.error ? `, ${res.error.message}` : ''}):\n${res.stdout}\n${res.stderr}`);
	}
	return res.stdout;
}

/** Sends PING over RESP; true on +PONG. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => done(String(d).startsWith('+PONG')));
	});
}

/**
 * A Redis server on a free 127.0.0.1 port, no persistence.
 * @returns {Promise<{ host: string, port: number, stop: () => Promise<void>, output: () => string }>}
 */
export async function startRedis({ redisServer = redisServerBin() } = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'keap-queue-redis-'));
	dirs.add(dir);
	const port = await freePort();
	const server = spawnServer(redisServer, [
		'--port', String(port),
		'--bind', '127.0.0.1',
		'--protected-mode', 'yes',
		'--dir', dir,
		'--save', '',
		'--appendonly', 'no',
		'--daemonize', 'no',
	]);
	try {
		await waitFor(
			async () => {
				if (server.exited) throw new Error(`redis-server exited: ${server.output()}`);
				return await redisPing(port);
			},
			{ timeoutMs: 20_000, intervalMs: 100, what: `redis on 127.0.0.1:${port}` },
		);
	} catch (error) {
		await server.stop('SIGKILL', 0);
		rmSync(dir, { recursive: true, force: true });
		dirs.delete(dir);
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		output: server.output,
		async stop() {
			await server.stop('SIGTERM', 5_000);
			rmSync(dir, { recursive: true, force: true });
			dirs.delete(dir);
		},
	};
}

/**
 * A PostgreSQL server on a free 127.0.0.1 port (TCP only on loopback, its Unix socket in the
 * data folder), a fresh cluster with trust auth for user `n8n` and an empty database `n8n`.
 * Durability is off (fsync, synchronous_commit): the data lives as long as the test.
 * @returns {Promise<{ host, port, user, password, database, env: object, psql: (sql) => string, stop, output }>}
 */
export async function startPostgres({ pgBin = postgresBinDir() } = {}) {
	const root = mkdtempSync(join(tmpdir(), 'keap-queue-pg-'));
	dirs.add(root);
	const data = join(root, 'data');
	const asUser = isRoot() ? ['runuser', '-u', 'postgres', '--'] : [];
	if (isRoot()) {
		const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		if (pw.status !== 0) throw new Error('running as root needs the `postgres` user (the postgresql package creates it)');
		chownSync(root, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
	}
	const as = (bin, args) => (asUser.length ? [asUser[0], [...asUser.slice(1), join(pgBin, bin), ...args]] : [join(pgBin, bin), args]);
	const env = { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C', HOME: root };
	try {
		runChecked(...as('initdb', ['-D', data, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']), {
			env,
			timeoutMs: 120_000,
		});
	} catch (error) {
		rmSync(root, { recursive: true, force: true });
		dirs.delete(root);
		throw error;
	}
	const port = await freePort();
	const [cmd, args] = as('postgres', [
		'-D', data,
		'-p', String(port),
		'-c', 'listen_addresses=127.0.0.1',
		'-c', `unix_socket_directories=${root}`,
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=100',
	]);
	const server = spawnServer(cmd, args, { env });
	const stop = async () => {
		// SIGINT: PostgreSQL's fast shutdown (ends sessions, no waiting for clients).
		await server.stop('SIGINT', 10_000);
		rmSync(root, { recursive: true, force: true });
		dirs.delete(root);
	};
	try {
		await waitFor(
			async () => {
				if (server.exited) throw new Error(`postgres exited: ${server.output()}`);
				const ready = spawnSync(join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n'], {
					timeout: 5_000,
				});
				return ready.status === 0;
			},
			{ timeoutMs: 60_000, intervalMs: 200, what: `postgres on 127.0.0.1:${port}` },
		);
		runChecked(join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { env });
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		password: '',
		database: 'n8n',
		/** The DB_* settings n8n needs for this database. */
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/** Runs one SQL statement with psql; returns its unaligned, tuples-only output. */
		psql: (sql) =>
			runChecked(join(pgBin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-At', '-c', sql], {
				env,
			}),
		output: server.output,
		stop,
	};
}
