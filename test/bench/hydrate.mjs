// Benchmark: the Keap CRM Trigger hydrating a delivery of N objects (default 1000, Keap's
// most per delivery) of every object type Keap's hook events name, in a real n8n (the e2e
// harness: the packed package installed as a community package, `n8n start` with WEBHOOK_URL on
// loopback) against the emulator. One published workflow holds one trigger per event (each
// registers its own hook); the types are delivered one after the other, and for each the
// emulator's log gives the trigger's calls (per route) and the longest request line. Prints
// figures, asserts nothing about time.
//
//   npm run build && node test/bench/hydrate.mjs               # 1000 objects per type, OAuth2
//   node test/bench/hydrate.mjs --objects 200 --pat            # smaller; a PAT (10 calls/s, 240/min)
//
// The credential is OAuth2 by default (Keap's 1500 calls/min): appointments, which Keap reads
// only one GET at a time, take 1000 calls. The emulator's own quotas are off (the node paces
// itself to the credential's documented limits); the figures are calls, not seconds.
import { parseArgs } from 'node:util';

import { CLIENT_ID, CLIENT_SECRET, PAT, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, packPackage } from '../e2e/harness.mjs';
import { eventually, ownerSession } from '../e2e/trigger-helpers.mjs';
import { OBJECT_EVENTS, seedHookObjects } from '../engine/hook-objects.mjs';
import { fmtMs, textTable } from './lib.mjs';

const { values: opts } = parseArgs({ options: { objects: { type: 'string', default: '1000' }, pat: { type: 'boolean', default: false }, version: { type: 'string', default: '2.41.1' } } });
const N = Number(opts.objects);
const WORKFLOW_ID = 'benchHydrate00001';
const log = (msg) => process.stdout.write(`[hydrate ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const triggerName = (type) => `Trigger ${type}`;
const webhookId = (i) => `7d0c2a4e-1b3f-4c5d-8e6f-${String(i).padStart(12, '0')}`;

const emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, limits: false, config: { hookDelayMs: 3_600_000, hookRetryDelaysMs: [3_600_000], hookTimeoutMs: 30_000 } }); // Keap's 30 s
let n8n;
let exitCode = 0;
try {
	log(`seeding ${N} records of each of ${OBJECT_EVENTS.length} object types`);
	const sets = seedHookObjects(emu, N, 'b');
	const cred = opts.pat
		? { id: 'benchHydratePat01', name: 'bench PAT', type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }
		: { id: 'benchHydrateOAuth', name: 'bench OAuth2', type: 'keapCrmOAuth2Api', data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'full', oauthTokenData: emu.issueTokens({ clientId: CLIENT_ID }), baseUrl: emu.url } };
	const auth = opts.pat ? 'apiKey' : 'oAuth2';
	const nodes = OBJECT_EVENTS.map(({ type, eventKey }, i) => ({
		id: `bench-hydrate-${i}`,
		name: triggerName(type),
		type: 'n8n-nodes-keap.keapCrmTrigger',
		typeVersion: 1,
		position: [0, i * 120],
		webhookId: webhookId(i),
		parameters: { authentication: auth, event: eventKey, output: 'full' },
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
	}));
	nodes.push({ id: 'bench-hydrate-done', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} });
	const connections = Object.fromEntries(OBJECT_EVENTS.map(({ type }) => [triggerName(type), { main: [[{ node: 'Done', type: 'main', index: 0 }]] }]));

	n8n = await createN8nInstance({ version: opts.version, packageTarball: await packPackage() });
	await n8n.importCredentials([cred]);
	await n8n.importWorkflow({ id: WORKFLOW_ID, name: 'bench hydrate', active: false, nodes, connections, settings: {}, pinData: {} });
	await n8n.publish(WORKFLOW_ID);
	log(`starting n8n ${opts.version}`);
	const server = await n8n.start({
		timeoutMs: 240_000,
		ready: async () => [...emu.store.hooks.values()].filter((h) => h.status === 'Verified').length === OBJECT_EVENTS.length,
	});
	const session = await ownerSession(server.url);
	const rows = [];
	let done = 0;
	for (const { type, eventKey } of OBJECT_EVENTS) {
		const set = sets[type];
		for (const e of set.entries) emu.emitHook({ eventKey, id: e.id, objectType: set.objectType, apiPath: e.apiPath });
		const from = emu.log().length;
		const started = performance.now();
		const attempts = (await emu.flushHooks()).filter((a) => a.kind === 'event');
		const execution = await eventually(
			async () => {
				const list = await session.executions(WORKFLOW_ID);
				return list.length === done + 1 && list.at(-1).status !== 'running' && list.at(-1).status !== 'new' ? list.at(-1) : null;
			},
			{ what: `the ${type} execution`, timeoutMs: 10 * 60_000, intervalMs: 500 },
		);
		done++;
		const ms = performance.now() - started;
		const calls = emu.log().slice(from).filter((c) => !c.path.startsWith('/crm/rest/v1/hooks'));
		const byRoute = {};
		for (const c of calls) byRoute[`${c.method} ${c.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`] = (byRoute[`${c.method} ${c.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`] ?? 0) + 1;
		const { items, status } = await session.executionItems(execution.id, triggerName(type));
		const missing = items.filter((i) => i.not_found || i.not_fetched || i.tag?.not_found).length;
		const longest = Math.max(0, ...calls.map((c) => c.requestLineBytes));
		rows.push({ type, eventKey, objects: set.entries.length, delivered: attempts.reduce((s, a) => s + a.objects, 0), status, items: items.length, missing, calls: calls.length, longest, byRoute, ms });
		log(`${eventKey}: ${items.length} items (${missing} not returned), ${calls.length} calls ${JSON.stringify(byRoute)}, longest request line ${longest} bytes, ${fmtMs(ms)} (${status})`);
		if (status !== 'success' || items.length !== set.entries.length || missing || longest > 7168) exitCode = 1;
	}
	process.stdout.write(`\nKeap CRM Trigger, Full Records, ${N} objects per delivery, ${opts.pat ? 'PAT' : 'OAuth2'}, real n8n ${opts.version}:\n`);
	process.stdout.write(
		`${textTable([
			['object', 'event', 'objects', 'items', 'not returned', 'calls', 'longest request line', 'delivery to end'],
			...rows.map((r) => [r.type, r.eventKey, String(r.objects), String(r.items), String(r.missing), String(r.calls), `${r.longest} B`, fmtMs(r.ms)]),
		])}\n`,
	);
	process.stdout.write(`Calls per route:\n${rows.map((r) => `  ${r.type}: ${JSON.stringify(r.byRoute)}`).join('\n')}\n`);
} catch (error) {
	log(`ERROR ${error.stack ?? error.message}`);
	exitCode = 1;
} finally {
	await n8n?.cleanup();
	await emu.close();
}
process.exit(exitCode);
