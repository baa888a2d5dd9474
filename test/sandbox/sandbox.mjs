// The sandbox behind `npm start`: the packed package inside the pinned n8n (2.41.1), with
// credentials and three demo workflows imported, an owner login set up, and — unless KEAP_*
// variables point at a real Keap account — the Keap emulator seeded with demo data.
//
//   const sb = await startSandbox({ log: console.log });
//   sb.editorUrl, sb.owner, sb.emulator, sb.credentials, sb.workflows, await sb.stop();
//
// Reuses test/e2e/harness.mjs (provisioning, packing, the instance and its CLI) and starts
// `n8n start` itself, because the sandbox wants a chosen port (5678 when free).
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { CLIENT_ID, CLIENT_SECRET, PAT, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, freePort, packPackage, parseLogLines, provisionN8n } from '../e2e/harness.mjs';
import {
	buildCredentials,
	CREDENTIALS,
	keepAliveWorkflow,
	mainCredential,
	triggerWorkflow,
	webhookWorkflow,
	WELCOME_TAG,
	WORKFLOWS,
} from './workflows.mjs';

export const N8N_VERSION = '2.41.1';
export const DEFAULT_OWNER = {
	email: 'sandbox@example.com',
	password: 'KeapSandbox1',
	firstName: 'Sandbox',
	lastName: 'Owner',
};

/** The real-Keap settings found in `env` (KEAP_API_KEY, KEAP_CLIENT_ID, ...), or null for the emulator. */
export function realKeapFromEnv(env) {
	const real = {
		apiKey: env.KEAP_API_KEY?.trim(),
		clientId: env.KEAP_CLIENT_ID?.trim(),
		clientSecret: env.KEAP_CLIENT_SECRET?.trim(),
		refreshToken: env.KEAP_REFRESH_TOKEN?.trim(),
		accessToken: env.KEAP_ACCESS_TOKEN?.trim(),
		baseUrl: env.KEAP_BASE_URL?.trim().replace(/\/+$/, ''),
	};
	if (!real.apiKey && !real.clientId && !real.refreshToken) return null;
	if (real.clientId && !real.clientSecret) throw new Error('KEAP_CLIENT_ID needs KEAP_CLIENT_SECRET');
	if (real.refreshToken && !(real.clientId && real.clientSecret)) {
		throw new Error('KEAP_REFRESH_TOKEN needs KEAP_CLIENT_ID and KEAP_CLIENT_SECRET (the app it was issued to)');
	}
	return real;
}

/** CREDENTIALS_OVERWRITE_DATA for the three Keap credential types, pointing at `url`. */
export function emulatorOverwrites(url) {
	return {
		keapCrmApiKeyApi: { baseUrl: url },
		keapCrmOAuth2Api: { authUrl: `${url}/app/oauth/authorize`, accessTokenUrl: `${url}/token`, baseUrl: url },
		keapCrmTokenPairApi: { tokenUrl: `${url}/token`, baseUrl: url },
	};
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** `preferred` when free, else a free port; `moved` says the preferred one was taken. */
async function choosePort(preferred) {
	if (preferred && (await portIsFree(preferred))) return { port: preferred, moved: false };
	return { port: await freePort(), moved: Boolean(preferred) };
}

/**
 * Starts everything. Options:
 *  - n8nPort (default 5678; another free port when taken), emulatorPort (default 8099; likewise);
 *    `sandbox.portChanges` lists [{ what, wanted, port }] for each port that had to move
 *  - env: where KEAP_* settings are read (default process.env); `webhookUrl` (default: the
 *    editor URL) is what n8n tells Keap to call (WEBHOOK_URL)
 *  - owner: { email, password, firstName, lastName } (default DEFAULT_OWNER)
 *  - log(message): progress lines; n8nOutput: a stream that gets n8n's own output as it runs
 *  - startTimeoutMs: how long n8n may take to come up (default 3 min)
 * Throws (after stopping what it started) when a step fails.
 */
export async function startSandbox({
	n8nPort = 5678,
	emulatorPort = 8099,
	env = process.env,
	webhookUrl,
	owner = DEFAULT_OWNER,
	log = () => {},
	n8nOutput,
	startTimeoutMs = 180_000,
} = {}) {
	const real = realKeapFromEnv(env);
	const cleanups = [];
	const sandbox = { mode: real ? 'keap' : 'emulator', owner, emulator: null, stop: undefined };
	let stopped = false;
	sandbox.stop = async () => {
		if (stopped) return;
		stopped = true;
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (err) {
				log(`while stopping: ${err.message}`);
			}
		}
	};

	try {
		// The script says what it does: a quick check of the cached install, or on the first run
		// what it downloads and how far it has got.
		await provisionN8n(N8N_VERSION, { onProgress: (line) => log(line.replace(/^provision: /, '')) });
		log('packing this package (npm pack of the built dist/)');
		const tarball = await packPackage();

		sandbox.portChanges = [];
		const chosen = await choosePort(n8nPort);
		const port = chosen.port;
		if (chosen.moved) {
			sandbox.portChanges.push({ what: 'n8n', wanted: n8nPort, port });
			log(`port ${n8nPort} is taken (another n8n or sandbox?): n8n gets port ${port} instead (KEAP_SANDBOX_PORT picks one)`);
		}
		const editorUrl = `http://127.0.0.1:${port}`;
		sandbox.editorUrl = editorUrl;
		sandbox.webhookUrl = (webhookUrl ?? `${editorUrl}/`).replace(/\/?$/, '/');

		let keap;
		const instanceEnv = {};
		if (real) {
			keap = { real };
			log(`real Keap account (${real.baseUrl || 'https://api.infusionsoft.com'}): no emulator`);
		} else {
			const emuPort = await choosePort(emulatorPort);
			if (emuPort.moved) {
				sandbox.portChanges.push({ what: 'the Keap emulator', wanted: emulatorPort, port: emuPort.port });
				log(`port ${emulatorPort} is taken: the Keap emulator gets port ${emuPort.port} instead (KEAP_SANDBOX_EMULATOR_PORT picks one)`);
			}
			const emu = await startEmulator({ port: emuPort.port, host: '127.0.0.1', seed: 'demo', quiet: true });
			cleanups.push(() => emu.close());
			sandbox.emulator = emu;
			// The demo set, plus the tag demo 2 applies (so the editor can show it by name).
			emu.seed({ tags: [{ name: WELCOME_TAG, category: 'Lifecycle', description: 'Applied by demo workflow 2' }] });
			sandbox.tagIds = new Map([...emu.store.tags.values()].map((t) => [t.name, String(t.id)]));
			log(`Keap emulator on ${emu.url}, seeded with demo contacts and tags`);
			keap = {
				emulator: {
					url: emu.url,
					clientId: CLIENT_ID,
					clientSecret: CLIENT_SECRET,
					pat: PAT,
					tokens: emu.issueTokens({ clientId: CLIENT_ID }),
					pairTokens: emu.issueTokens({ clientId: CLIENT_ID }),
				},
			};
			// Credential overwrites (what an n8n administrator sets) point every Keap credential type
			// at the emulator, including ones made by hand in the editor: their hidden Base URL and
			// token URL would otherwise be Keap's production hosts. n8n 2.x also pins an OAuth2
			// type's authorize and token URLs to the type's defaults unless they are overwritten.
			instanceEnv.CREDENTIALS_OVERWRITE_DATA = JSON.stringify(emulatorOverwrites(emu.url));
		}

		log('creating the n8n instance and installing the package as a community package');
		const n8n = await createN8nInstance({ version: N8N_VERSION, packageTarball: tarball, env: instanceEnv });
		cleanups.push(() => n8n.cleanup());
		sandbox.n8n = n8n;

		const credentials = buildCredentials(keap);
		if (!credentials.length) throw new Error('no credential could be built from the KEAP_* variables');
		log(`importing ${credentials.length} credential(s): ${credentials.map((c) => c.name).join(', ')}`);
		// A new Keap node in the editor takes the most recently saved Keap credential (n8n's rule):
		// the API key, the recommended one, is imported last.
		await n8n.importCredentials([...credentials].reverse());
		sandbox.credentials = credentials.map(({ id, name, type }) => ({ id, name, type }));

		const main = mainCredential(credentials);
		const refreshing = [CREDENTIALS.oauth2, CREDENTIALS.tokenPair].filter((c) => credentials.some((x) => x.type === c.type));
		// Real Keap cannot call 127.0.0.1: the trigger demo is published only when WEBHOOK_URL says where Keap can reach n8n.
		const triggerReachable = !real || webhookUrl !== undefined;
		const customFieldSchema = await customFieldColumns(credentials, log);
		const plan = [
			{ wf: webhookWorkflow(main, sandbox.tagIds, { customFieldSchema }), publish: true },
			{ wf: triggerWorkflow(main, sandbox.tagIds), publish: triggerReachable },
			...(refreshing.length ? [{ wf: keepAliveWorkflow(refreshing), publish: !real }] : []),
		];
		log(`importing ${plan.length} demo workflows`);
		const file = join(n8n.userFolder, 'sandbox-workflows.json');
		writeFileSync(file, JSON.stringify(plan.map((p) => p.wf), null, 2));
		const imported = await n8n.cli(['import:workflow', `--input=${file}`]);
		if (imported.exitCode !== 0 || imported.records.some((r) => r.level === 'error')) {
			throw new Error(`n8n import:workflow failed:\n${imported.log.split('\n').slice(-30).join('\n')}`);
		}
		for (const p of plan.filter((x) => x.publish)) {
			log(`publishing "${p.wf.name}"`);
			await n8n.publish(p.wf.id);
		}
		sandbox.workflows = plan.map((p) => ({ id: p.wf.id, name: p.wf.name, published: p.publish, url: `${editorUrl}/workflow/${p.wf.id}` }));
		sandbox.webhookPath = WORKFLOWS.webhook.path;
		sandbox.demoWebhookUrl = `${sandbox.webhookUrl}webhook/${WORKFLOWS.webhook.path}`;

		log(`starting n8n on ${editorUrl}`);
		const server = await startN8n(n8n, { port, webhookUrl: sandbox.webhookUrl, output: n8nOutput });
		cleanups.push(() => server.stop());
		sandbox.server = server;

		await poll(
			async () => {
				server.assertAlive();
				const r = await fetch(`${editorUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
				return r?.status === 200;
			},
			{ timeoutMs: startTimeoutMs, intervalMs: 300, what: `n8n on ${editorUrl}/healthz` },
		).catch((err) => fail(err, server));

		log(`setting up the owner login ${owner.email}`);
		await poll(
			async () => {
				server.assertAlive();
				const r = await fetch(`${editorUrl}/rest/owner/setup`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(owner),
					signal: AbortSignal.timeout(10_000),
				});
				if (r.ok) return true;
				const text = await r.text();
				if (r.status === 400) throw Object.assign(new Error(`owner setup: ${text}`), { fatal: true });
				throw new Error(`owner setup: HTTP ${r.status} ${text.slice(0, 200)}`);
			},
			{ timeoutMs: 60_000, intervalMs: 500, what: 'the owner setup' },
		).catch((err) => fail(err, server));

		// Published workflows are activated a few seconds after /healthz.
		if (plan[0].publish) {
			await poll(
				async () => {
					server.assertAlive();
					const r = await fetch(sandbox.demoWebhookUrl, {
						method: 'OPTIONS',
						headers: { Origin: editorUrl, 'Access-Control-Request-Method': 'POST' },
						signal: AbortSignal.timeout(2_000),
					}).catch(() => null);
					return r !== null && r.status >= 200 && r.status < 300;
				},
				{ timeoutMs: startTimeoutMs, intervalMs: 300, what: `the demo webhook ${sandbox.demoWebhookUrl}` },
			).catch((err) => fail(err, server));
		}
		if (sandbox.emulator) {
			const emu = sandbox.emulator;
			await poll(
				() => [...emu.store.hooks.values()].some((h) => h.eventKey === 'contact.add' && h.status === 'Verified'),
				{ timeoutMs: startTimeoutMs, intervalMs: 300, what: 'the Keap CRM Trigger to register its REST hook at the emulator' },
			).catch((err) => fail(err, server));
		}
		const loadErrors = server.records().filter((r) => r.level === 'error' && r.message.includes('"n8n-nodes-keap"'));
		if (loadErrors.length) fail(new Error(`n8n could not load the package: ${loadErrors[0].message}`), server);
		log('ready');
		return sandbox;
	} catch (err) {
		await sandbox.stop();
		throw err;
	}
}

/**
 * The custom-field columns the Keap CRM node's mapper fetches when a node is opened in the
 * editor, asked of the node itself (its getCustomFieldColumns method, run by n8n-core as n8n
 * runs it) with the API-key credential. Stored with demo 1, they keep n8n's mapper from writing
 * them into the node when it is first opened, which would turn the published workflow into
 * unpublished changes. Without an API key (real Keap, OAuth2 only): undefined.
 */
async function customFieldColumns(credentials, log) {
	const key = credentials.find((c) => c.type === CREDENTIALS.apiKey.type);
	if (!key) return undefined;
	try {
		const { CredentialStore, runNodeMethod } = await import('../engine/harness.mjs');
		const { fields } = await runNodeMethod({
			type: 'keapCrm',
			kind: 'resourceMapping',
			method: 'getCustomFieldColumns',
			parameters: { authentication: CREDENTIALS.apiKey.auth, api: 'rest', resource: 'contact', operation: 'upsert' },
			credentials: { [key.type]: key.id },
			store: new CredentialStore({ [key.id]: { type: key.type, name: key.name, data: key.data } }),
		});
		return fields;
	} catch (err) {
		log(`could not read the custom fields for demo 1 (${err.message}); opening its Keap node will add them`);
		return undefined;
	}
}

/** Polls `check` until truthy; an error with `fatal` set ends the wait at once, others are retried. */
export async function poll(check, { timeoutMs, intervalMs = 300, what }) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			const v = await check();
			if (v) return v;
		} catch (err) {
			if (err.fatal) throw err;
			last = err;
		}
		if (Date.now() >= deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

function fail(err, server) {
	const tail = server
		.records()
		.slice(-40)
		.map((r) => `[${r.level}] ${r.message}`)
		.join('\n');
	err.message += `\nn8n log (last lines, whole log: ${server.logFile}):\n${tail}`;
	throw err;
}

/**
 * `n8n start` of the instance on a given port, in its own process group. n8n's output goes to
 * <user folder>/n8n.log (and to `output` if given).
 * @returns {{ url, port, logFile, stop(): Promise<void>, records(): object[], assertAlive(), exited, onExit(fn) }}
 */
export async function startN8n(instance, { port, webhookUrl, output, env = {} }) {
	const url = `http://127.0.0.1:${port}`;
	const logFile = join(instance.userFolder, 'n8n.log');
	const logStream = createWriteStream(logFile);
	const brokerPort = await freePort();
	const child = spawn(instance.host.nodeBin, [instance.host.n8nBin, 'start'], {
		cwd: instance.userFolder,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...instance.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_EDITOR_BASE_URL: `${url}/`,
			WEBHOOK_URL: webhookUrl,
			...env,
		},
	});
	let text = '';
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8').on('data', (d) => {
			text += d;
			if (text.length > 4_000_000) text = text.slice(-2_000_000);
			logStream.write(d);
			output?.write(d);
		});
	}
	let exited = null;
	const exitListeners = [];
	const exitPromise = new Promise((resolve) => {
		child.on('close', (code, signal) => {
			exited = { code, signal };
			logStream.end();
			for (const fn of exitListeners) fn(exited);
			resolve(exited);
		});
	});
	// If this process ends without stop() (a crash), n8n must not outlive it.
	const onExit = () => killGroup(child.pid, 'SIGKILL');
	process.on('exit', onExit);

	return {
		url,
		port,
		logFile,
		get exited() {
			return exited;
		},
		onExit: (fn) => exitListeners.push(fn),
		records: () => parseLogLines(text),
		assertAlive() {
			if (exited) throw Object.assign(new Error(`n8n exited (code ${exited.code}, signal ${exited.signal})`), { fatal: true });
		},
		async stop() {
			if (!exited) {
				killGroup(child.pid, 'SIGTERM');
				const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15_000);
				await exitPromise;
				clearTimeout(timer);
			}
			killGroup(child.pid, 'SIGKILL'); // n8n's task runner, if it outlived n8n
			process.off('exit', onExit);
		},
	};
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}
