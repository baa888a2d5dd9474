#!/usr/bin/env node
// `npm start` (after `npm run build`, which the script runs first): n8n 2.41.1 with this package
// installed, the Keap emulator seeded with demo data, credentials and demo workflows, and an
// owner login. Prints the editor URL and the login; Ctrl-C (SIGINT) or SIGTERM stops it all.
// Settings (environment; the README's "Try it" section has the table):
//   KEAP_SANDBOX_PORT (n8n, default 5678), KEAP_SANDBOX_EMULATOR_PORT (default 8099),
//   KEAP_SANDBOX_VERBOSE=1 (n8n's log on the console), KEAP_SANDBOX_KEEP=1 (keep the n8n folder),
//   KEAP_API_KEY / KEAP_CLIENT_ID + KEAP_CLIENT_SECRET [+ KEAP_REFRESH_TOKEN, KEAP_ACCESS_TOKEN]
//   / KEAP_BASE_URL: a real Keap account instead of the emulator; WEBHOOK_URL: where Keap can reach n8n.
const env = process.env;
// The harness reads N8N_E2E_KEEP when it loads, hence the imports after this line.
if (env.KEAP_SANDBOX_KEEP === '1') env.N8N_E2E_KEEP = '1';
const { DEFAULT_OWNER, startSandbox } = await import('./sandbox.mjs');
const { PAT } = await import('../emulator/index.mjs');

// test/e2e/harness.mjs exits at once on SIGINT/SIGTERM (right for tests); the sandbox stops
// n8n gracefully instead, so it takes those signals over.
for (const signal of ['SIGINT', 'SIGTERM']) process.removeAllListeners(signal);

function portFrom(name, fallback) {
	if (env[name] === undefined || env[name] === '') return fallback;
	const n = Number(env[name]);
	if (!Number.isInteger(n) || n < 1 || n > 65535) {
		console.error(`${name} must be a port number (1-65535), not ${env[name]}`);
		process.exit(2);
	}
	return n;
}

const started = Date.now();
const say = (msg) => console.log(`[sandbox ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}`);

let sandbox;
let stopping = false;
async function shutdown(reason, code) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${reason}: stopping n8n${sandbox?.emulator ? ' and the Keap emulator' : ''} …`);
	await sandbox?.stop();
	console.log('stopped.');
	process.exit(code);
}
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
]) {
	process.on(signal, () => {
		if (stopping) {
			console.log('second signal: exiting now');
			process.exit(code); // the exit handlers still SIGKILL n8n's process group
		}
		void shutdown(signal, code);
	});
}

try {
	sandbox = await startSandbox({
		n8nPort: portFrom('KEAP_SANDBOX_PORT', 5678),
		emulatorPort: portFrom('KEAP_SANDBOX_EMULATOR_PORT', 8099),
		webhookUrl: env.WEBHOOK_URL || undefined,
		owner: {
			...DEFAULT_OWNER,
			...(env.KEAP_SANDBOX_EMAIL ? { email: env.KEAP_SANDBOX_EMAIL } : {}),
			...(env.KEAP_SANDBOX_PASSWORD ? { password: env.KEAP_SANDBOX_PASSWORD } : {}),
		},
		log: say,
		n8nOutput: env.KEAP_SANDBOX_VERBOSE === '1' ? process.stdout : undefined,
	});
} catch (err) {
	console.error(`\nThe sandbox did not start: ${err.message}`);
	process.exit(1);
}
if (stopping) await new Promise(() => {}); // a signal arrived while starting: shutdown() exits

sandbox.server.onExit(({ code, signal }) => {
	if (stopping) return;
	console.error(`\nn8n stopped on its own (code ${code}, signal ${signal}); its log: ${sandbox.server.logFile}`);
	void shutdown('n8n exited', 1);
});

const emu = sandbox.emulator;
const lines = [
	'',
	'  n8n with n8n-nodes-keap is running.',
	'',
	...sandbox.portChanges.map(
		(c) => `  Note: port ${c.wanted} was taken, so ${c.what} listens on port ${c.port}: use the URLs below.`,
	),
	...(sandbox.portChanges.length ? [''] : []),
	`  Editor ........ ${sandbox.editorUrl}`,
	`  Login ......... ${sandbox.owner.email}  /  ${sandbox.owner.password}`,
	`  Keap .......... ${emu ? `the emulator at ${emu.url} (demo contacts and tags; admin: ${emu.url}/__admin/store)` : 'your real Keap account (KEAP_* variables)'}`,
	'',
	'  Credentials:',
	...sandbox.credentials.map((c) => `    - ${c.name} (${c.type})`),
	'',
	'  Demo workflows:',
	...sandbox.workflows.map((w) => `    - ${w.name}${w.published ? '' : ' [not published]'}\n      ${w.url}`),
	'',
	'  Try demo 1:',
	`    curl -s -X POST ${sandbox.demoWebhookUrl} \\`,
	`      -H 'content-type: application/json' \\`,
	`      -d '{"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace"}'`,
	'    A request without a valid email gets HTTP 400 and says what is wrong:',
	`    curl -s -X POST ${sandbox.demoWebhookUrl} -H 'content-type: application/json' -d '{"email":"ada"}'`,
	...(emu
		? [
				'    Demo 2 then tags the new contact "Welcome Series" (Keap CRM Trigger ← the emulator\'s REST hook):',
				`    curl -s -H 'X-Keap-API-Key: ${PAT}' '${emu.url}/crm/rest/v2/contacts?filter=email%3D%3Dada%40example.com&fields=tag_ids'`,
			]
		: []),
	'',
	`  n8n's log: ${sandbox.server.logFile}${env.KEAP_SANDBOX_KEEP === '1' ? ' (kept after exit)' : ' (removed on exit; KEAP_SANDBOX_KEEP=1 keeps it)'}`,
	'  Ctrl-C stops everything.',
	'',
];
console.log(lines.join('\n'));
