// Pacing benchmarks (issue 21): our node against Keap's quota in real n8n 2.41.1, side by side
// with an older build of the package (its pacer) and with n8n's built-in Keap node. Prints
// figures; asserts nothing about time.
//
//   node test/bench/pacing.mjs --baseline-ref main           # every run, full size (about an hour)
//   node test/bench/pacing.mjs --items 100 --queue-items 50 --only oauth,queue2 --variants new
//
// Runs (each on a quota of its own: the emulator's windows are emptied before each one):
//   oauth    N items "Create or Update a contact + 2 tags", OAuth2 (1500/min, 25/s)
//   pat      the same with a PAT (240/min, 10/s)
//   left150  OAuth2 while another script of the same app spends 1350 of the 1500 calls a minute
//   expired  OAuth2 with the access token expired at the start (401, one refresh, resends)
//   queue2   n8n queue mode, 2 workers: 4 executions of M items at once on one app's quota
//   queue4   the same with 4 workers
// Variants: new (this build), old (--baseline DIR or --baseline-ref REF: a build of another
// version, e.g. main), builtin (n8n-nodes-base.keap: Contact > Upsert, then Contact Tag > Create;
// OAuth2 only, so not `pat`).
//
// The emulator serves HTTPS on 127.0.0.1:443 as api.infusionsoft.com (bench CA, see tls.mjs and
// keap-hosts.cjs; the built-in node's URLs are fixed) with Keap's documented limits over
// sliding windows (`--windows fixed`: UTC-aligned ones). Results: a table on stdout and
// test/bench/results/pacing.json / pacing.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createN8nInstance, packPackage, REPO_ROOT } from '../e2e/harness.mjs';
import { createQueueCluster } from '../e2e/queue/cluster.mjs';
import { CLIENT_ID, CLIENT_SECRET, PAT, startEmulator } from '../emulator/index.mjs';
import { apiSpanMs, chainWorkflow, contactsInStore, countersSince, findN8nPid, fmtMs, fmtNum, mdTable, postJson, sleep, splitOutNode, textTable, webhookNode } from './lib.mjs';
import { hasOpenssl, makeLocalCa } from './tls.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const N8N_VERSION = '2.41.1';
const TAG_NAMES = ['Bench A', 'Bench B'];
const TAG_IDS = [101, 102];
const RUNS = ['oauth', 'pat', 'left150', 'expired', 'queue2', 'queue4'];
const VARIANTS = ['new', 'old', 'builtin'];
const OTHERS_PER_MINUTE = 1350;

function parseArgs(argv) {
	const o = { items: 1000, queueItems: 500, only: RUNS, variants: VARIANTS, windows: 'sliding', baseline: undefined, baselineRef: undefined };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => argv[++i];
		if (a === '--items') o.items = Number(next());
		else if (a === '--queue-items') o.queueItems = Number(next());
		else if (a === '--only') o.only = next().split(',');
		else if (a === '--variants') o.variants = next().split(',');
		else if (a === '--windows') o.windows = next();
		else if (a === '--baseline') o.baseline = next();
		else if (a === '--baseline-ref') o.baselineRef = next();
		else if (a === '--help' || a === '-h') {
			process.stdout.write('usage: node test/bench/pacing.mjs [--items N] [--queue-items N] [--only oauth,pat,left150,expired,queue2,queue4] [--variants new,old,builtin] [--windows sliding|fixed] [--baseline DIR | --baseline-ref REF]\n');
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (try --help)`);
	}
	for (const r of o.only) if (!RUNS.includes(r)) throw new Error(`unknown run ${r}`);
	for (const v of o.variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
	if (!['sliding', 'fixed'].includes(o.windows)) throw new Error('--windows is sliding or fixed');
	if (o.variants.includes('old') && !o.baseline && !o.baselineRef) throw new Error('the old variant needs --baseline DIR or --baseline-ref REF');
	return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (msg) => process.stdout.write(`[pacing ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const cleanups = [];

// ---------------------------------------------------------------------------------------------
// Packages: this build, and an older one

function run(cmd, args, cwd, timeoutMs = 300_000) {
	const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: process.env });
	if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} failed (exit ${res.status}):\n${res.stderr}\n${res.stdout}`.slice(0, 4000));
	return res.stdout;
}

/** Builds `ref` of this repository in a temp folder (with this checkout's node_modules). */
function buildRef(ref) {
	const dir = mkdtempSync(join(tmpdir(), 'keap-baseline-'));
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	const sha = run('git', ['rev-parse', ref], REPO_ROOT).trim();
	spawnSync('sh', ['-c', `git archive ${sha} | tar -x -C ${dir}`], { cwd: REPO_ROOT, stdio: 'inherit' });
	symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
	run('npm', ['run', 'build'], dir);
	return { dir, label: `${ref} (${sha.slice(0, 7)})` };
}

function packDir(dir) {
	const dest = mkdtempSync(join(tmpdir(), 'keap-baseline-pack-'));
	cleanups.push(() => rmSync(dest, { recursive: true, force: true }));
	run('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], dir);
	const file = readdirSync(dest).find((f) => f.endsWith('.tgz'));
	if (!file) throw new Error(`npm pack in ${dir} made no tarball`);
	return join(dest, file);
}

// ---------------------------------------------------------------------------------------------
// Credentials and workflows

let emu;
const ourKinds = { oauth: 'keapCrmOAuth2Api', pat: 'keapCrmApiKeyApi' };

function credentialFor(id, kind) {
	if (kind === 'pat') return { id, name: id, type: 'keapCrmApiKeyApi', data: { apiKey: PAT } };
	const tokens = emu.issueTokens({ clientId: CLIENT_ID });
	if (kind === 'builtin') return { id, name: id, type: 'keapOAuth2Api', data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, oauthTokenData: tokens } };
	return { id, name: id, type: 'keapCrmOAuth2Api', data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'full', oauthTokenData: tokens } };
}

function ourNodes(cred) {
	return [
		{
			name: 'Keap CRM Upsert',
			type: 'n8n-nodes-keap.keapCrm',
			typeVersion: 1,
			onError: 'continueRegularOutput',
			parameters: {
				authentication: cred.type === 'keapCrmApiKeyApi' ? 'apiKey' : 'oAuth2',
				api: 'rest',
				resource: 'contact',
				operation: 'upsert',
				matchOn: 'Email',
				email: '={{ $json.email }}',
				additionalFields: { given_name: '={{ $json.first }}', family_name: '={{ $json.last }}', tags: TAG_NAMES },
			},
			credentials: { [cred.type]: { id: cred.id, name: cred.name } },
		},
	];
}

function builtinNodes(cred) {
	const credentials = { keapOAuth2Api: { id: cred.id, name: cred.name } };
	return [
		{
			name: 'Keap Upsert',
			type: 'n8n-nodes-base.keap',
			typeVersion: 1,
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				duplicateOption: 'email',
				emailsUi: { emailsValues: [{ field: 'EMAIL1', email: '={{ $json.email }}' }] },
				additionalFields: { givenName: '={{ $json.first }}', familyName: '={{ $json.last }}' },
			},
			credentials,
		},
		{
			name: 'Keap Tag',
			type: 'n8n-nodes-base.keap',
			typeVersion: 1,
			parameters: { resource: 'contactTag', operation: 'create', contactId: '={{ $json.id }}', tagIds: TAG_IDS },
			credentials,
		},
	];
}

/** One bench run's credential and workflow (ids <= 21 characters). */
function plan(runId, variant) {
	const kind = variant === 'builtin' ? 'builtin' : runId === 'pat' ? 'pat' : 'oauth';
	const short = `${runId}${variant}`.replace(/[^a-z0-9]/gi, '').slice(0, 14);
	const cred = credentialFor(`bp${short}`, kind);
	const path = `pacing-${runId}-${variant}`;
	const workflow = chainWorkflow({
		id: `bw${short}`,
		nodes: [webhookNode(path), splitOutNode('body.contacts'), ...(variant === 'builtin' ? builtinNodes(cred) : ourNodes(cred))],
	});
	return { runId, variant, kind, cred, path, workflow };
}

const contacts = (n, domain) => Array.from({ length: n }, (_, i) => ({ email: `c${i}@${domain}`, first: 'Pace', last: `Item ${i}` }));

// ---------------------------------------------------------------------------------------------
// Another script of the same app (left150): calls counted straight into the emulator's quota

function startOtherScript(perMinute) {
	const cred = { kind: 'oauth', clientId: CLIENT_ID, userId: 1 };
	const stats = { sent: 0, throttled: 0 };
	let stopped = false;
	const gap = 60_000 / perMinute;
	const started = performance.now();
	const done = (async () => {
		while (!stopped) {
			const r = emu.limiter.take(cred);
			stats.sent++;
			if (!r.ok) stats.throttled++;
			const due = started + stats.sent * gap;
			await sleep(Math.max(0, due - performance.now()));
		}
	})();
	return { stats, stop: async () => ((stopped = true), await done) };
}

// ---------------------------------------------------------------------------------------------
// One run: N executions at once, then what the emulator saw

const QUOTA = { oauth: 1500, pat: 240, left150: 1500 - OTHERS_PER_MINUTE, expired: 1500, queue2: 1500, queue4: 1500 };

/** CPU seconds (user + system) a process has used, from /proc (undefined when unreadable). */
function cpuSeconds(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return undefined;
	}
}

async function measure(p, { post, executions, items, pid }) {
	const domain = `${p.runId}-${p.variant}-${Date.now()}.pacing.example.com`;
	emu.limiter.reset(); // a quota of its own
	let other;
	if (p.runId === 'left150') {
		other = startOtherScript(OTHERS_PER_MINUTE);
		log(`${p.runId}/${p.variant}: another script spends ${OTHERS_PER_MINUTE} calls a minute; waiting 61 s so that its window is full`);
		await sleep(61_000);
	}
	if (p.runId === 'expired') {
		const t = emu.oauth.access.get(p.cred.data.oauthTokenData.access_token);
		if (t) t.expiresAt = emu.now() - 1;
	}
	// n8n's built-in Keap credential refreshes with its client secret in the body, which Keap
	// accepts (N8N-NOTES.md section 2) and the emulator only with this switch.
	emu.setConfig({ acceptBodyCredentialsOnRefresh: p.variant === 'builtin' });
	const before = emu.counters();
	const logMark = emu.log().length;
	const cpuBefore = pid ? cpuSeconds(pid) : undefined;
	const otherBefore = other ? { ...other.stats } : undefined;
	log(`${p.runId}/${p.variant}: ${executions} x ${items} items`);
	const started = performance.now();
	// A 404 "Cannot POST" means n8n did not take the call (seen now and then right after a
	// start on this busy machine): nothing ran, so it is sent again.
	let webhookRetries = 0;
	const postOnce = async (body) => {
		for (let attempt = 0; ; attempt++) {
			const answer = await post(p.path, body);
			if (answer.status !== 404 || attempt >= 4) return answer;
			webhookRetries++;
			log(`${p.runId}/${p.variant}: n8n answered 404 to the webhook; sending it again in 3 s`);
			await sleep(3000);
		}
	};
	const answers = await Promise.all(Array.from({ length: executions }, (_, e) => postOnce({ contacts: contacts(items, `e${e}.${domain}`) })));
	const wallMs = performance.now() - started;
	const cpuAfter = pid ? cpuSeconds(pid) : undefined;
	const load = loadavg()[0];
	const spanMs = apiSpanMs(emu, logMark);
	const otherStats = other ? (await other.stop(), { sent: other.stats.sent - otherBefore.sent, throttled: other.stats.throttled - otherBefore.throttled }) : undefined;
	const c = countersSince(emu, before);
	const after = emu.counters();
	const throttledBy = Object.fromEntries(
		Object.entries(after.throttledBy ?? {})
			.map(([k, v]) => [k, v - (before.throttledBy?.[k] ?? 0)])
			.filter(([, v]) => v > 0),
	);
	let completed = 0;
	for (let e = 0; e < executions; e++) completed += contactsInStore(emu, `e${e}.${domain}`, TAG_IDS).tagged;
	const total = executions * items;
	const quotaMinMs = (c.apiCalls / QUOTA[p.runId]) * 60_000;
	const failedExecutions = answers.filter((a) => a.status !== 200 || !Array.isArray(a.body)).length;
	const r = {
		run: p.runId,
		variant: p.variant,
		node: p.variant === 'builtin' ? 'n8n built-in Keap' : p.variant === 'old' ? `Keap CRM, ${baselineLabel}` : 'Keap CRM (this build)',
		credential: p.kind === 'pat' ? 'PAT' : 'OAuth2',
		executions,
		items: total,
		apiCalls: c.apiCalls,
		callsPerItem: c.apiCalls / total,
		throttled429: c.throttled429,
		throttledBy,
		share429: c.throttled429 / Math.max(1, c.apiCalls),
		unauthorized401: c.unauthorized401,
		tokenCalls: c.tokenCalls,
		completedItems: completed,
		failedItems: total - completed,
		failedExecutions,
		wallMs,
		quotaPerMinute: QUOTA[p.runId],
		quotaMinMs,
		wallVsQuotaMin: wallMs / quotaMinMs,
		apiSpanMs: spanMs,
		n8nCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
		loadAverage: load,
		other: otherStats,
		webhookRetries,
		firstError: answers
			.filter((a) => a.status !== 200 || !Array.isArray(a.body))
			.map((a) => `HTTP ${a.status}: ${String(a.text ?? '').replace(/\s+/g, ' ').slice(0, 160)}`)[0],
	};
	log(
		`${p.runId}/${p.variant}: ${c.apiCalls} calls (${fmtNum(r.callsPerItem, 3)}/item), ${c.throttled429} x 429${c.throttled429 ? ` (full: ${JSON.stringify(throttledBy)})` : ''}, ${c.unauthorized401} x 401, ${c.tokenCalls} token calls, ` +
			`${r.failedItems} failed items, first to last API call ${fmtMs(spanMs)}, n8n CPU ${r.n8nCpuSeconds === undefined ? '?' : `${fmtNum(r.n8nCpuSeconds, 1)} s`}, load ${fmtNum(load, 1)}, wall ${fmtMs(wallMs)} vs quota minimum ${fmtMs(quotaMinMs)} (${fmtNum(r.wallVsQuotaMin, 3)} x)` +
			(otherStats ? `; the other script: ${otherStats.sent} calls, ${otherStats.throttled} x 429` : '') +
			(r.firstError ? `; first failed answer: ${r.firstError}` : ''),
	);
	return r;
}

// ---------------------------------------------------------------------------------------------
// Main

const results = { date: new Date().toISOString(), n8nVersion: N8N_VERSION, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model }, options: opts, runs: [], errors: [] };
let baselineLabel = 'older build';
let ca;

async function singleProcessRuns(variant, tarball) {
	const ids = opts.only.filter((r) => !r.startsWith('queue') && !(variant === 'builtin' && r === 'pat'));
	if (!ids.length) return;
	const plans = ids.map((id) => plan(id, variant));
	const n8n = await createN8nInstance({ version: N8N_VERSION, packageTarball: tarball, env: tlsEnv() });
	try {
		await n8n.importCredentials(plans.map((p) => p.cred));
		for (const p of plans) {
			await n8n.importWorkflow(p.workflow);
			await n8n.publish(p.workflow.id);
		}
		const server = await n8n.start({ timeoutMs: 240_000 });
		try {
			const post = (path, body) => postJson(`${server.url}/webhook/${path}`, body, { timeoutMs: 60 * 60_000 });
			const pid = findN8nPid(n8n.host.n8nBin, n8n.userFolder);
			for (const p of plans) {
				try {
					results.runs.push(await measure(p, { post, executions: 1, items: opts.items, pid }));
				} catch (error) {
					log(`${p.runId}/${variant}: ERROR ${error.stack ?? error.message}`);
					results.errors.push({ run: `${p.runId}/${variant}`, message: String(error.message).slice(0, 1000) });
				}
			}
		} finally {
			await server.stop();
		}
	} finally {
		await n8n.cleanup();
	}
}

async function queueRun(runId, variant, tarball) {
	const workers = runId === 'queue2' ? 2 : 4;
	const p = plan(runId, variant);
	// 4 executions over the workers: a worker runs at most 4 / workers at a time
	const cluster = await createQueueCluster({ version: N8N_VERSION, packageTarball: tarball, workers, concurrency: 4 / workers, env: tlsEnv() });
	try {
		await cluster.instance.importCredentials([p.cred]);
		await cluster.instance.importWorkflow(p.workflow);
		await cluster.instance.publish(p.workflow.id);
		const [, main] = await Promise.all([cluster.startWorkers(), cluster.startMain()]);
		const post = (path, body) => postJson(`${main.url}/webhook/${path}`, body, { timeoutMs: 60 * 60_000 });
		const r = await measure(p, { post, executions: 4, items: opts.queueItems });
		const byWorker = {};
		for (const w of cluster.executionsByWorker().values()) byWorker[w] = (byWorker[w] ?? 0) + 1;
		r.workers = workers;
		r.executionsByWorker = byWorker;
		results.runs.push(r);
	} catch (error) {
		log(`${runId}/${variant}: ERROR ${error.stack ?? error.message}`);
		results.errors.push({ run: `${runId}/${variant}`, message: String(error.message).slice(0, 1000) });
	} finally {
		await cluster.stop().catch((e) => log(`stopping the cluster: ${e.message}`));
	}
}

function tlsEnv() {
	return { NODE_OPTIONS: `--require ${join(HERE, 'keap-hosts.cjs')}`, NODE_EXTRA_CA_CERTS: ca.caCertPath };
}

async function main() {
	if (!hasOpenssl()) throw new Error('the pacing bench needs the openssl CLI (the emulator is served as https://api.infusionsoft.com)');
	ca = makeLocalCa();
	cleanups.push(() => ca.remove());
	emu = await startEmulator({
		port: 443,
		host: '127.0.0.1',
		quiet: true,
		tls: { key: ca.key, cert: ca.cert },
		limits: { window: opts.windows },
		config: { logMax: 20_000 },
	});
	cleanups.push(() => emu.close());
	const { tags } = emu.seed({ tags: TAG_NAMES.map((name) => ({ name })) });
	if (tags.join() !== TAG_IDS.join()) throw new Error(`bench tags got ids ${tags}`);
	const tarballs = { new: await packPackage(), builtin: await packPackage() };
	if (opts.variants.includes('old')) {
		const base = opts.baseline ? { dir: opts.baseline, label: opts.baseline } : buildRef(opts.baselineRef);
		baselineLabel = base.label;
		tarballs.old = packDir(base.dir);
		log(`old variant: ${baselineLabel}`);
	}
	for (const variant of opts.variants) await singleProcessRuns(variant, tarballs[variant]);
	for (const runId of opts.only.filter((r) => r.startsWith('queue'))) {
		for (const variant of opts.variants) await queueRun(runId, variant, tarballs[variant]);
	}
}

// ---------------------------------------------------------------------------------------------
// Report

function targets() {
	const out = [];
	for (const r of results.runs.filter((x) => x.variant === 'new')) {
		const shared = r.run.startsWith('queue') || r.run === 'left150';
		if (r.run.startsWith('queue')) out.push([`${r.run}: <= 1% of calls answered 429`, `${fmtNum(r.share429 * 100, 2)} %`, r.share429 <= 0.01]);
		else out.push([`${r.run}: no 429`, String(r.throttled429), r.throttled429 === 0]);
		if (['oauth', 'pat'].includes(r.run)) out.push([`${r.run}: wall <= 1.10 x the quota minimum`, `${fmtNum(r.wallVsQuotaMin, 3)} x`, r.wallVsQuotaMin <= 1.1]);
		if (shared) out.push([`${r.run}: wall <= 1.15 x the quota minimum`, `${fmtNum(r.wallVsQuotaMin, 3)} x`, r.wallVsQuotaMin <= 1.15]);
		// today's calls per item: the older build's on the same run, else one call per item plus,
		// per execution, the tag list and one apply per tag and 100 contacts (Keap's batch cap)
		const old = results.runs.find((x) => x.variant === 'old' && x.run === r.run);
		const perExecution = r.items / r.executions;
		// (expired: plus the first call, answered 401, that every client makes once)
		const expired = r.run === 'expired' ? 1 : 0;
		const bar = old ? old.callsPerItem : 1 + (r.executions * (1 + TAG_NAMES.length * Math.ceil(perExecution / 100)) + expired) / r.items;
		out.push([`${r.run}: <= ${fmtNum(bar, 4)} calls per item (${old ? 'the older build' : `one per item, one tag list and 2 tags x 100 per execution${expired ? ', one 401' : ''}`})`, fmtNum(r.callsPerItem, 4), r.callsPerItem <= bar + 1e-9]);
		out.push([`${r.run}: no failed item`, String(r.failedItems), r.failedItems === 0]);
	}
	return out;
}

function report() {
	const rows = [
		['Run', 'Node', 'Cred', 'Executions x items', 'API calls', 'Calls/item', '429s', '401s', 'Token calls', 'Failed items', 'Wall', 'Quota min', 'Wall/min', 'API span', 'n8n CPU', 'Load', 'Notes'],
		...results.runs.map((r) => [
			r.run,
			r.node,
			r.credential,
			`${r.executions} x ${r.items / r.executions}`,
			r.apiCalls,
			fmtNum(r.callsPerItem, 3),
			`${r.throttled429}${r.run.startsWith('queue') ? ` (${fmtNum(r.share429 * 100, 2)} %)` : ''}`,
			r.unauthorized401,
			r.tokenCalls,
			r.failedItems,
			fmtMs(r.wallMs),
			fmtMs(r.quotaMinMs),
			`${fmtNum(r.wallVsQuotaMin, 2)} x`,
			fmtMs(r.apiSpanMs ?? 0),
			r.n8nCpuSeconds === undefined ? '' : `${fmtNum(r.n8nCpuSeconds, 1)} s`,
			fmtNum(r.loadAverage ?? 0, 1),
			[
				r.throttled429 ? `429s by full bucket: ${Object.entries(r.throttledBy ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}` : '',
				r.other ? `other script: ${r.other.sent} calls, ${r.other.throttled} x 429` : '',
				r.executionsByWorker ? `executions per worker: ${Object.values(r.executionsByWorker).join('/')}` : '',
				r.failedExecutions ? `${r.failedExecutions} execution(s) failed` : '',
				r.webhookRetries ? `webhook sent again after a 404 (${r.webhookRetries} x 3 s in the wall time)` : '',
			]
				.filter(Boolean)
				.join('; '),
		]),
	];
	const t = [['Target (this build)', 'Measured', 'Result'], ...targets().map(([a, b, ok]) => [a, b, ok ? 'PASS' : 'MISS'])];
	const head = `Pacing benchmarks: n8n ${N8N_VERSION}, ${results.machine.cpus} CPUs, ${results.date.slice(0, 16)}Z; emulator with Keap's documented limits over ${opts.windows} windows; quota minimum = API calls / the rate Keap allows (OAuth2 1500/min, PAT 240/min, left150: 150/min)`;
	process.stdout.write(`\n${head}\n\n${textTable(rows)}\n\n${textTable(t)}\n`);
	for (const e of results.errors) process.stdout.write(`ERROR in ${e.run}: ${e.message.split('\n')[0]}\n`);
	const dir = join(HERE, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'pacing.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(
		join(dir, 'pacing.md'),
		`# Pacing benchmarks\n\n${head}. Generated by \`node test/bench/pacing.mjs ${process.argv.slice(2).join(' ')}\`.\n\n${mdTable(rows)}\n\n${mdTable(t)}\n` +
			results.errors.map((e) => `\n- error in ${e.run}: ${e.message.split('\n')[0]}`).join(''),
	);
}

try {
	await main();
} catch (error) {
	log(`ERROR ${error.stack ?? error.message}`);
	results.errors.push({ run: 'setup', message: String(error.message).slice(0, 2000) });
} finally {
	for (const fn of cleanups.reverse()) {
		try {
			await fn();
		} catch (error) {
			log(`cleanup: ${error.message}`);
		}
	}
}
report();
process.exit(results.errors.length ? 1 : 0);
