// n8n in queue mode for the e2e tests: real Redis and PostgreSQL (./services.mjs), one main
// (`n8n start`: editor, webhooks, enqueues executions) and N workers (`n8n worker`: run them),
// all sharing one N8N_ENCRYPTION_KEY, one database and one Redis, with the packed package
// installed once in the shared N8N_USER_FOLDER/.n8n/nodes, where n8n's community-package
// installer puts it. Reuses test/e2e/harness.mjs: createN8nInstance (user folder, install,
// CLI, `start` for the main) with the queue settings added to its environment; the workers are
// started here, each with its own health-check port (used for readiness) and task-broker port.
// Everything listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';

import { createN8nInstance, freePort, parseLogLines, waitFor } from '../harness.mjs';
import { ensureQueueServices, startPostgres, startRedis } from './services.mjs';

const DEBUG = process.env.N8N_E2E_DEBUG === '1';

const liveWorkers = new Set();
process.on('exit', () => {
	for (const child of liveWorkers) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
});

/**
 * Starts Redis, PostgreSQL and an n8n instance configured for queue mode (not yet started:
 * import and publish first, then `startMain()` and `startWorkers()`).
 * @param {{ version: string, packageTarball: string, workers?: number, concurrency?: number, env?: object }} opts
 */
export async function createQueueCluster({ version, packageTarball, workers = 2, concurrency = 10, env = {} }) {
	const bins = ensureQueueServices();
	const [redis, postgres] = await Promise.all([startRedis(bins), startPostgres(bins)]);
	let instance;
	try {
		instance = await createN8nInstance({
			version,
			packageTarball,
			env: {
				...postgres.env,
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: redis.host,
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				// Logs every execution a worker starts ("Worker started execution N"), read below.
				N8N_LOG_LEVEL: 'info',
				...env,
			},
		});
	} catch (error) {
		await Promise.all([redis.stop(), postgres.stop()]);
		throw error;
	}

	const workerHandles = [];
	let stopped = false;

	async function startWorker(index) {
		const healthPort = await freePort();
		const brokerPort = await freePort();
		const child = spawn(instance.host.nodeBin, [instance.host.n8nBin, 'worker', `--concurrency=${concurrency}`], {
			cwd: instance.userFolder,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				...instance.env,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			},
		});
		liveWorkers.add(child);
		let log = '';
		const onData = (d) => {
			log += d;
			if (DEBUG) process.stderr.write(`[worker ${index}] ${d}`);
		};
		child.stdout.setEncoding('utf8').on('data', onData);
		child.stderr.setEncoding('utf8').on('data', onData);
		let exited = null;
		const exit = new Promise((resolve) =>
			child.on('close', (code, signal) => {
				exited = { code, signal };
				liveWorkers.delete(child);
				resolve(exited);
			}),
		);
		const handle = {
			index,
			name: `worker-${index}`,
			healthPort,
			rawLog: () => log,
			records: () => parseLogLines(log),
			/** Execution ids this worker started, in order (from its "Worker started execution" log). */
			executions: () =>
				parseLogLines(log)
					.map((r) => /^Worker started execution (\S+)/.exec(r.message)?.[1])
					.filter(Boolean),
			async stop() {
				if (!exited) {
					process.kill(-child.pid, 'SIGTERM');
					const timer = setTimeout(() => {
						try {
							process.kill(-child.pid, 'SIGKILL');
						} catch {
							/* gone */
						}
					}, 15_000);
					await exit;
					clearTimeout(timer);
				}
				try {
					process.kill(-child.pid, 'SIGKILL'); // its task runner, if it outlived it
				} catch {
					/* gone */
				}
			},
		};
		workerHandles.push(handle);
		try {
			await waitFor(
				async () => {
					if (exited) throw new Error(`n8n worker ${index} exited (code ${exited.code})`);
					const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, {
						signal: AbortSignal.timeout(2_000),
					}).catch(() => null);
					return res?.status === 200;
				},
				{ timeoutMs: 120_000, intervalMs: 300, what: `n8n worker ${index} readiness on 127.0.0.1:${healthPort}` },
			);
		} catch (error) {
			error.message += `\nworker ${index} log:\n${log.split('\n').slice(-40).join('\n')}`;
			throw error;
		}
		return handle;
	}

	return {
		instance,
		redis,
		postgres,
		workers: workerHandles,
		/** `n8n start` (the main); waits until every published webhook answers. */
		async startMain(opts = {}) {
			return await instance.start({ timeoutMs: 150_000, ...opts });
		},
		/** Starts the workers (in parallel) and waits until each reports ready. */
		async startWorkers() {
			return await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(i + 1)));
		},
		/** Which worker started each execution id: Map(executionId -> worker name). */
		executionsByWorker() {
			const map = new Map();
			for (const w of workerHandles) for (const id of w.executions()) map.set(id, w.name);
			return map;
		},
		/** Stops workers, main, PostgreSQL and Redis; removes every folder. Safe to call twice. */
		async stop() {
			if (stopped) return;
			stopped = true;
			const problems = [];
			const attempt = async (what, fn) => {
				try {
					await fn();
				} catch (error) {
					problems.push(`${what}: ${error.message}`);
				}
			};
			await Promise.all(workerHandles.map((w) => attempt(w.name, () => w.stop())));
			await attempt('n8n main', () => instance.cleanup());
			await Promise.all([attempt('postgres', () => postgres.stop()), attempt('redis', () => redis.stop())]);
			if (problems.length) throw new Error(`stopping the queue cluster: ${problems.join('; ')}`);
		},
	};
}
