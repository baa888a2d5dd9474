// Throughput benchmarks at Keap's limits, in a real n8n 2.41.1 (the e2e harness) against the
// Keap emulator with its default (Keap's documented) quotas. Prints figures; asserts nothing.
//
//   npm run bench                      # build, then every scenario (about 20 minutes)
//   npm run bench -- a e               # a subset (after `npm run build`: node test/bench/run.mjs a e)
//   node test/bench/run.mjs b --xmlrpc-pat      # also the XML-RPC run with a PAT (about 21 minutes more)
//   node test/bench/run.mjs --items 200 --contacts 5000 --small-contacts 1000   # a quick try
//
// Scenarios (see README.md beside this file):
//   a  1,000 items "Create or Update a contact and apply 2 tags" over REST: PAT, OAuth2, and
//      OAuth2 with Create or Update followed by Tag > Apply
//   b  the same over XML-RPC (OAuth2; PAT with --xmlrpc-pat)
//   c  one REST-hook delivery of 1,000 new contacts, hydrated by the Keap CRM Trigger
//   d  Get Many, Return All, over 10,000 and 50,000 contacts, and Limit 10,000 out of 50,000:
//      calls, time, the n8n process's peak memory (each in a fresh n8n process)
//   e  n8n's built-in Keap node doing (a) beside ours, both against https://api.infusionsoft.com
//      (the emulator on 127.0.0.1:443 with a certificate from a CA made here)
//
// Results: a table on stdout, test/bench/results/latest.json and latest.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator, CLIENT_ID, CLIENT_SECRET, PAT, SAK } from '../emulator/index.mjs';
import { createN8nInstance, packPackage } from '../e2e/harness.mjs';
import {
	QUOTA_PER_MINUTE,
	apiSpanMs,
	chainWorkflow,
	contactsInStore,
	countNode,
	countersSince,
	findN8nPid,
	fmtMb,
	fmtMs,
	fmtNum,
	mdTable,
	postJson,
	quotaMinimumMs,
	reportNode,
	sampleMemory,
	sleep,
	splitOutNode,
	startReceiver,
	textTable,
	waitForMinuteStart,
	webhookNode,
} from './lib.mjs';
import { makeLocalCa, hasOpenssl } from './tls.mjs';

// `npm run bench -- faults [...]`: issue 16's fault report (faults.mjs) instead of these scenarios.
if (process.argv[2] === 'faults') {
	const { runFaultsBench } = await import('./faults.mjs');
	await runFaultsBench(process.argv.slice(3));
	process.exit(process.exitCode ?? 0);
}

const HERE = dirname(fileURLToPath(import.meta.url));
const N8N_VERSION = '2.41.1';
const OUR_NODE = 'n8n-nodes-keap.keapCrm';
const OUR_TRIGGER = 'n8n-nodes-keap.keapCrmTrigger';
const TAG_NAMES = ['Bench A', 'Bench B'];
const TAG_IDS = [101, 102]; // the emulator's first two tag ids, seeded in this order

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
	const opts = { scenarios: new Set(), items: 1000, contacts: 50_000, smallContacts: 10_000, xmlrpcPat: false, spikeArrest: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (/^[a-e]$/i.test(a)) opts.scenarios.add(a.toLowerCase());
		else if (a === '--xmlrpc-pat') opts.xmlrpcPat = true;
		else if (a === '--spike-arrest') opts.spikeArrest = true;
		else if (a === '--items') opts.items = Number(argv[++i]);
		else if (a === '--contacts') opts.contacts = Number(argv[++i]);
		else if (a === '--small-contacts') opts.smallContacts = Number(argv[++i]);
		else if (a === '--help' || a === '-h') {
			process.stdout.write(
				'usage: node test/bench/run.mjs [a] [b] [c] [d] [e] [--xmlrpc-pat] [--spike-arrest] [--items N] [--contacts N] [--small-contacts N]\n',
			);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (try --help)`);
	}
	if (opts.scenarios.size === 0) for (const s of 'abcde') opts.scenarios.add(s);
	for (const k of ['items', 'contacts', 'smallContacts']) {
		if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} needs a positive whole number`);
	}
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
const has = (s) => opts.scenarios.has(s);
const log = (msg) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Emulators, credentials and workflows

const emulatorsToClose = [];

/** Every emulator starts with Keap's quotas; `--spike-arrest` adds the 25/s spike arrest. */
async function emulator(extra = {}) {
	const emu = await startEmulator({
		port: 0,
		host: '127.0.0.1',
		quiet: true,
		...extra,
		config: { logMax: 100_000, hookTimeoutMs: 120_000, ...(extra.config ?? {}) },
		...(opts.spikeArrest ? { limits: { spikeArrestPerSecond: 25 } } : {}),
	});
	emulatorsToClose.push(emu);
	return emu;
}

function seedTags(emu) {
	const { tags } = emu.seed({ tags: TAG_NAMES.map((name) => ({ name })) });
	if (tags.join() !== TAG_IDS.join()) throw new Error(`the emulator gave the bench tags ids ${tags}, expected ${TAG_IDS}`);
}

const patCredential = (id, emu) => ({ id, name: id, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } });

/** Our OAuth2 credential with tokens the emulator issued; no baseUrl = https://api.infusionsoft.com. */
function oauthCredential(id, emu, baseUrl = emu.url) {
	const data = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'full', oauthTokenData: emu.issueTokens({ clientId: CLIENT_ID }) };
	if (baseUrl) data.baseUrl = baseUrl;
	return { id, name: id, type: 'keapCrmOAuth2Api', data };
}

const credRef = (cred) => ({ [cred.type]: { id: cred.id, name: cred.name } });
const authOf = (cred) => (cred.type === 'keapCrmApiKeyApi' ? 'apiKey' : 'oAuth2');

/** Our node, Create or Update with two tags by name; per-item errors become error items. */
function ourUpsertNode(cred, api, { withTags = true } = {}) {
	return {
		name: 'Keap CRM Upsert',
		type: OUR_NODE,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		parameters: {
			authentication: authOf(cred),
			api,
			resource: 'contact',
			operation: 'upsert',
			matchOn: 'Email',
			email: '={{ $json.email }}',
			additionalFields: {
				given_name: '={{ $json.first }}',
				family_name: '={{ $json.last }}',
				...(withTags ? { tags: TAG_NAMES } : {}),
			},
		},
		credentials: credRef(cred),
	};
}

function ourTagApplyNode(cred) {
	return {
		name: 'Keap CRM Tag Apply',
		type: OUR_NODE,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		parameters: {
			authentication: authOf(cred),
			api: 'rest',
			resource: 'tag',
			operation: 'apply',
			contactIds: '={{ $json.id }}',
			tags: TAG_NAMES,
			createMissing: false,
		},
		credentials: credRef(cred),
	};
}

/**
 * n8n's built-in Keap node (n8n-nodes-base.keap 1): Contact > Upsert (PUT /crm/rest/v1/contacts)
 * then Contact Tag > Create (POST /crm/rest/v1/contacts/{id}/tags with the tag ids), with the
 * node's default error setting: it has no per-item error handling of its own.
 */
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

const writeWorkflow = (id, path, nodes) => chainWorkflow({ id, nodes: [webhookNode(path), splitOutNode('body.contacts'), ...nodes] });

const inputContacts = (n, domain) =>
	Array.from({ length: n }, (_, i) => ({ email: `c${i}@${domain}`, first: 'Bench', last: `Item ${i}` }));

// ---------------------------------------------------------------------------------------------
// One write run (a, b, e): N items in through a webhook, then what the emulator saw

/**
 * @param run { id, scenario, label, node, credential, api, perMinute, emu, path, domain, align, timeoutMs }
 */
async function writeRun(server, run) {
	if (run.align !== false) {
		const waited = await waitForMinuteStart();
		log(`${run.id}: waited ${fmtMs(waited)} for the next UTC minute (a fresh per-minute quota window)`);
	}
	const before = run.emu.counters();
	const mark = run.emu.log().length;
	log(`${run.id}: ${opts.items} items -> ${run.label}`);
	const res = await postJson(`${server.url}/webhook/${run.path}`, { contacts: inputContacts(opts.items, run.domain) }, {
		timeoutMs: run.timeoutMs ?? 30 * 60_000,
	});
	const c = countersSince(run.emu, before);
	const span = apiSpanMs(run.emu, mark);
	const inStore = contactsInStore(run.emu, run.domain, TAG_IDS);
	const out = Array.isArray(res.body) ? res.body : [];
	const errorItems = out.filter((j) => j && typeof j === 'object' && j.error !== undefined);
	const errorSample = errorItems[0]?.error;
	const execution = res.status === 200 && Array.isArray(res.body) ? 'completed' : `failed (HTTP ${res.status}: ${res.text.slice(0, 160)})`;
	const failedItems = opts.items - inStore.tagged;
	const quotaMin = quotaMinimumMs(c.apiCalls, run.perMinute);
	const result = {
		id: run.id,
		scenario: run.scenario,
		label: run.label,
		node: run.node,
		credential: run.credential,
		api: run.api,
		items: opts.items,
		execution,
		apiCalls: c.apiCalls,
		callsPerItem: c.apiCalls / opts.items,
		callsPerCompletedItem: inStore.tagged ? c.apiCalls / inStore.tagged : undefined,
		tokenCalls: c.tokenCalls,
		calls: c.calls,
		xmlrpcCalls: c.xmlrpc,
		throttled429: c.throttled429,
		unauthorized401: c.unauthorized401,
		validationRejects: c.validationRejects,
		completedItems: inStore.tagged,
		contactsWritten: inStore.contacts,
		failedItems,
		errorItems: errorItems.length,
		errorSample: errorSample === undefined ? undefined : String(typeof errorSample === 'object' ? JSON.stringify(errorSample) : errorSample).slice(0, 300),
		errorsCiting429: errorItems.filter((j) => /429|throttl|quota/i.test(JSON.stringify(j))).length,
		wallMs: res.ms,
		apiSpanMs: span,
		quotaPerMinute: run.perMinute,
		quotaMinMs: quotaMin,
		wallVsQuotaMin: quotaMin > 0 ? res.ms / quotaMin : undefined,
	};
	log(
		`${run.id}: ${execution}; ${c.apiCalls} API calls (${fmtNum(result.callsPerItem, 3)}/item), ${c.throttled429} x 429, ` +
			`${failedItems} failed items, wall ${fmtMs(res.ms)} (quota minimum ${fmtMs(quotaMin)}); calls ${JSON.stringify(c.calls)}` +
			(Object.keys(c.xmlrpc).length ? ` xmlrpc ${JSON.stringify(c.xmlrpc)}` : '') +
			(errorSample !== undefined ? `; first error item: ${result.errorSample}` : ''),
	);
	return result;
}

// ---------------------------------------------------------------------------------------------
// c: a hook delivery of N new contacts, hydrated by the trigger

async function triggerRun(emu, receiver, n) {
	emu.setConfig({ limits: false, hookDelayMs: 3_600_000 }); // set-up calls: unthrottled, events held back
	const domain = 'c.bench.example.com';
	const ids = [];
	let next = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			const r = await fetch(`${emu.url}/crm/rest/v2/contacts`, {
				method: 'POST',
				headers: { 'X-Keap-API-Key': SAK, 'content-type': 'application/json' },
				body: JSON.stringify({ given_name: 'Hook', family_name: `Item ${i}`, email_addresses: [{ email: `h${i}@${domain}`, field: 'EMAIL1' }] }),
				signal: AbortSignal.timeout(30_000),
			});
			if (r.status !== 201) throw new Error(`creating contact ${i} for the hook run: HTTP ${r.status} ${await r.text()}`);
			ids.push((await r.json()).id);
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	emu.setConfig({ limits: {} }); // Keap's quotas again for the trigger's own calls
	log(`c: ${ids.length} contacts created in the emulator; delivering the contact.add batch`);
	const before = emu.counters();
	const started = performance.now();
	const attempts = await emu.flushHooks();
	const deliveredMs = performance.now() - started;
	const report = await receiver.next(5 * 60_000);
	const finishedMs = report.at - started;
	const c = countersSince(emu, before);
	const events = attempts.filter((a) => a.kind === 'event');
	const result = {
		id: 'c.trigger.pat',
		scenario: 'c',
		objects: n,
		deliveries: events.length,
		deliveryOk: events.every((a) => a.ok),
		objectsDelivered: events.reduce((s, a) => s + a.objects, 0),
		hydrationCalls: c.apiCalls,
		calls: c.calls,
		throttled429: c.throttled429,
		items: report.body?.count_id,
		itemsHydrated: report.body?.count_given_name,
		deliveryMs: deliveredMs,
		toWorkflowEndMs: finishedMs,
	};
	log(
		`c: ${result.deliveries} delivery of ${result.objectsDelivered} objects (ok: ${result.deliveryOk}); the trigger made ${c.apiCalls} calls ${JSON.stringify(c.calls)}; ` +
			`${result.items} items (${result.itemsHydrated} hydrated); delivery answered in ${fmtMs(deliveredMs)}, workflow ended after ${fmtMs(finishedMs)}`,
	);
	return result;
}

// ---------------------------------------------------------------------------------------------
// d: Get Many, Return All, with the n8n process's memory sampled

function seedContacts(emu, from, to) {
	const contacts = [];
	for (let i = from; i < to; i++) {
		contacts.push({
			given_name: `Given${i}`,
			family_name: `Family${i}`,
			email_addresses: [{ email: `d${i}@d.bench.example.com`, field: 'EMAIL1' }],
			phone_numbers: [{ number: `(480) 555-${String(i % 10_000).padStart(4, '0')}`, field: 'PHONE1', type: 'Mobile' }],
			addresses: [{ field: 'BILLING', line1: `${i} Main St`, locality: 'Phoenix', region: 'Arizona', country_code: 'USA', zip_code: '85001' }],
			company_name: `Company ${i % 500}`,
			job_title: 'Owner',
		});
	}
	for (let s = 0; s < contacts.length; s += 5000) emu.seed({ contacts: contacts.slice(s, s + 5000) });
}

/** Sums the time the emulator spends on requests (it runs in this process, beside the sampler). */
function busyMeter(emu) {
	let busy = 0;
	emu.server.on('request', (req, res) => {
		const t = performance.now();
		res.on('finish', () => (busy += performance.now() - t));
	});
	return { read: () => busy };
}

/** One Get Many call in a fresh n8n: `path` returns `output` of the `stored` contacts. */
async function getAllRun(n8n, server, emu, busy, { id, path, stored, output }) {
	const pid = findN8nPid(n8n.host.n8nBin, n8n.userFolder);
	if (!pid) throw new Error('could not find the n8n process in /proc');
	// One tiny execution first (Limit 1): what n8n sets up on its first run of a workflow
	// (loading the node, the first database writes) is then not counted as growth.
	const warm = await postJson(`${server.url}/webhook/bench-d-warm`, {}, { timeoutMs: 5 * 60_000 });
	if (warm.status !== 200) throw new Error(`the warm-up execution failed: HTTP ${warm.status} ${warm.text.slice(0, 300)}`);
	await sleep(3000); // let n8n settle before taking the baseline
	const before = emu.counters();
	const busyBefore = busy.read();
	const sampler = sampleMemory(pid, { intervalMs: 50 });
	const res = await postJson(`${server.url}/webhook/${path}`, {}, { timeoutMs: 20 * 60_000 });
	const mem = sampler.stop();
	const c = countersSince(emu, before);
	const count = Array.isArray(res.body) ? res.body[0]?.count_id : undefined;
	const result = {
		id,
		scenario: 'd',
		contacts: stored,
		output,
		execution: res.status === 200 ? 'completed' : `failed (HTTP ${res.status}: ${res.text.slice(0, 160)})`,
		items: count,
		apiCalls: c.apiCalls,
		calls: c.calls,
		throttled429: c.throttled429,
		wallMs: res.ms,
		emulatorMs: busy.read() - busyBefore,
		rssBaseline: mem.baseline,
		rssPeak: mem.peak,
		rssPeakSampled: mem.peakSampled,
		rssPeakKernel: mem.peakHwm,
		rssGrowth: mem.peak - mem.baseline,
		memorySamples: mem.samples,
	};
	log(
		`${id} (${output} of ${stored} contacts): ${result.execution}, ${count} items, ${c.apiCalls} calls ${JSON.stringify(c.calls)}, wall ${fmtMs(res.ms)} ` +
			`(emulator busy ${fmtMs(result.emulatorMs)}); n8n RSS ${fmtMb(mem.baseline)} -> peak ${fmtMb(mem.peak)} (+${fmtMb(result.rssGrowth)})`,
	);
	return result;
}

// ---------------------------------------------------------------------------------------------
// Main

const results = {
	date: new Date().toISOString(),
	n8nVersion: N8N_VERSION,
	benchNode: process.version,
	machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMb: Math.round(totalmem() / 1024 / 1024) },
	options: { scenarios: [...opts.scenarios].sort(), items: opts.items, contacts: opts.contacts, smallContacts: opts.smallContacts, xmlrpcPat: opts.xmlrpcPat, spikeArrest: opts.spikeArrest },
	limits: { patPerSecond: 10, patPerMinute: QUOTA_PER_MINUTE.pat, oauthPerMinute: QUOTA_PER_MINUTE.oauth, spikeArrestPerSecond: opts.spikeArrest ? 25 : 0 },
	runs: [],
	skipped: [],
	errors: [],
};

const cleanups = [];
let ca;
process.on('exit', () => ca?.remove());

async function main() {
	const tarball = await packPackage();
	const credentials = [];
	const workflows = [];
	const emus = {};
	const receiver = await startReceiver();
	cleanups.push(() => receiver.close());

	// e: the emulator as https://api.infusionsoft.com (127.0.0.1:443, our CA)
	let eReady = false;
	if (has('e')) {
		if (!hasOpenssl()) results.skipped.push({ scenario: 'e', reason: 'no openssl CLI' });
		else {
			try {
				ca = makeLocalCa();
				emus.e = await emulator({ port: 443, tls: { key: ca.key, cert: ca.cert } });
				seedTags(emus.e);
				eReady = true;
			} catch (error) {
				results.skipped.push({ scenario: 'e', reason: `cannot serve HTTPS on 127.0.0.1:443 (${error.code ?? error.message})` });
			}
		}
		if (eReady) {
			const builtin = {
				id: 'benchBuiltinOAuth',
				name: 'benchBuiltinOAuth',
				type: 'keapOAuth2Api',
				data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, oauthTokenData: emus.e.issueTokens({ clientId: CLIENT_ID }) },
			};
			const ours = oauthCredential('benchOursHttpsOAuth', emus.e, null); // default base URL: https://api.infusionsoft.com
			credentials.push(builtin, ours);
			workflows.push(writeWorkflow('benchEBuiltin', 'bench-e-builtin', builtinNodes(builtin)));
			workflows.push(writeWorkflow('benchEOurs', 'bench-e-ours', [ourUpsertNode(ours, 'rest')]));
		}
	}
	if (has('a')) {
		for (const k of ['aPat', 'aOAuth', 'aApply']) {
			emus[k] = await emulator();
			seedTags(emus[k]);
		}
		const pat = patCredential('benchPatA', emus.aPat);
		const oauth = oauthCredential('benchOAuthA', emus.aOAuth);
		const apply = oauthCredential('benchOAuthApply', emus.aApply);
		credentials.push(pat, oauth, apply);
		workflows.push(writeWorkflow('benchARestPat', 'bench-a-rest-pat', [ourUpsertNode(pat, 'rest')]));
		workflows.push(writeWorkflow('benchARestOAuth', 'bench-a-rest-oauth', [ourUpsertNode(oauth, 'rest')]));
		workflows.push(
			writeWorkflow('benchAApplyOAuth', 'bench-a-apply-oauth', [ourUpsertNode(apply, 'rest', { withTags: false }), ourTagApplyNode(apply)]),
		);
	}
	if (has('b')) {
		emus.bOAuth = await emulator();
		seedTags(emus.bOAuth);
		const oauth = oauthCredential('benchOAuthB', emus.bOAuth);
		credentials.push(oauth);
		workflows.push(writeWorkflow('benchBXmlOAuth', 'bench-b-xmlrpc-oauth', [ourUpsertNode(oauth, 'xmlrpc')]));
		if (opts.xmlrpcPat) {
			emus.bPat = await emulator();
			seedTags(emus.bPat);
			const pat = patCredential('benchPatB', emus.bPat);
			credentials.push(pat);
			workflows.push(writeWorkflow('benchBXmlPat', 'bench-b-xmlrpc-pat', [ourUpsertNode(pat, 'xmlrpc')]));
		}
	}
	if (has('c')) {
		emus.c = await emulator();
		const pat = patCredential('benchPatC', emus.c);
		credentials.push(pat);
		workflows.push(
			chainWorkflow({
				id: 'benchCTrigger',
				nodes: [
					{
						name: 'Keap CRM Trigger',
						type: OUR_TRIGGER,
						typeVersion: 1,
						webhookId: '5e1f0b7a-7c0e-4c11-9a55-0b3c4e6d8f21',
						parameters: { authentication: 'apiKey', event: 'contact.add', output: 'full' },
						credentials: credRef(pat),
					},
					countNode(['id', 'given_name']),
					reportNode(receiver.url),
				],
			}),
		);
	}
	let busyD;
	if (has('d')) {
		emus.d = await emulator();
		busyD = busyMeter(emus.d);
		const pat = patCredential('benchPatD', emus.d);
		credentials.push(pat);
		const getMany = (returnAll, limit) => ({
			name: 'Keap CRM Get Many',
			type: OUR_NODE,
			typeVersion: 1,
			parameters: {
				authentication: 'apiKey',
				api: 'rest',
				resource: 'contact',
				operation: 'getAll',
				returnAll,
				...(returnAll ? {} : { limit }),
				filters: {},
			},
			credentials: credRef(pat),
		});
		workflows.push(chainWorkflow({ id: 'benchDGetAll', nodes: [webhookNode('bench-d-getall'), getMany(true), countNode(['id'])] }));
		workflows.push(
			chainWorkflow({ id: 'benchDLimit', nodes: [webhookNode('bench-d-limit'), getMany(false, opts.smallContacts), countNode(['id'])] }),
		);
		workflows.push(chainWorkflow({ id: 'benchDSample', nodes: [webhookNode('bench-d-sample'), getMany(false, 1000)] }));
		workflows.push(chainWorkflow({ id: 'benchDWarm', nodes: [webhookNode('bench-d-warm'), getMany(false, 1), countNode(['id'])] }));
	}
	if (credentials.length === 0) throw new Error('nothing to run');

	log(`n8n ${N8N_VERSION}: creating an instance with the packed package`);
	const n8n = await createN8nInstance({
		version: N8N_VERSION,
		packageTarball: tarball,
		env: eReady
			? { NODE_OPTIONS: `--require ${join(HERE, 'keap-hosts.cjs')}`, NODE_EXTRA_CA_CERTS: ca.caCertPath }
			: {},
	});
	cleanups.unshift(() => n8n.cleanup());
	results.n8nNode = spawnSync(n8n.host.nodeBin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout?.trim();
	await n8n.importCredentials(credentials);
	for (const wf of workflows) {
		await n8n.importWorkflow(wf);
		await n8n.publish(wf.id);
	}
	const start = async () => {
		log('starting n8n');
		return await n8n.start({
			timeoutMs: 240_000,
			ready: has('c')
				? async () => [...emus.c.store.hooks.values()].some((h) => h.eventKey === 'contact.add' && h.status === 'Verified')
				: undefined,
		});
	};
	let server = await start();
	const step = async (name, fn) => {
		try {
			return await fn();
		} catch (error) {
			log(`${name}: ERROR ${error.stack ?? error.message}`);
			results.errors.push({ run: name, message: String(error.message).slice(0, 2000) });
			return undefined;
		}
	};

	if (has('c')) {
		const r = await step('c', () => triggerRun(emus.c, receiver, opts.items));
		if (r) results.runs.push(r);
	}
	if (eReady) {
		const domain = (s) => `${s}.bench.example.com`;
		const base = { scenario: 'e', credential: 'OAuth2', api: 'rest', perMinute: QUOTA_PER_MINUTE.oauth, emu: emus.e };
		for (const run of [
			{ ...base, id: 'e.builtin.oauth', node: 'n8n built-in Keap', label: 'built-in Keap: Contact > Upsert, then Contact Tag > Create', path: 'bench-e-builtin', domain: domain('e-builtin') },
			{ ...base, id: 'e.ours.oauth', node: 'Keap CRM (ours)', label: 'Keap CRM: Create or Update with 2 tags', path: 'bench-e-ours', domain: domain('e-ours') },
		]) {
			const r = await step(run.id, () => writeRun(server, run));
			if (r) results.runs.push(r);
		}
		// What the built-in needs to finish the job when nothing throttles it (emulator limits off).
		emus.e.setConfig({ limits: false });
		const r = await step('e.builtin.unthrottled', () =>
			writeRun(server, {
				...base,
				id: 'e.builtin.unthrottled',
				node: 'n8n built-in Keap',
				credential: 'OAuth2 (no limits)',
				label: 'built-in Keap with the emulator limits off',
				path: 'bench-e-builtin',
				domain: domain('e-builtin-nolimits'),
				align: false,
			}),
		);
		if (r) results.runs.push(r);
		emus.e.setConfig({ limits: {} });
	}
	if (has('a')) {
		const base = { scenario: 'a', api: 'rest', node: 'Keap CRM (ours)' };
		for (const run of [
			{ ...base, id: 'a.rest.oauth', credential: 'OAuth2', perMinute: QUOTA_PER_MINUTE.oauth, emu: emus.aOAuth, path: 'bench-a-rest-oauth', label: 'Create or Update with 2 tags, REST, OAuth2', domain: 'a-oauth.bench.example.com' },
			{ ...base, id: 'a.rest.oauth.apply', credential: 'OAuth2', perMinute: QUOTA_PER_MINUTE.oauth, emu: emus.aApply, path: 'bench-a-apply-oauth', label: 'Create or Update, then Tag > Apply, REST, OAuth2', domain: 'a-apply.bench.example.com' },
			{ ...base, id: 'a.rest.pat', credential: 'PAT', perMinute: QUOTA_PER_MINUTE.pat, emu: emus.aPat, path: 'bench-a-rest-pat', label: 'Create or Update with 2 tags, REST, PAT', domain: 'a-pat.bench.example.com' },
		]) {
			const r = await step(run.id, () => writeRun(server, run));
			if (r) results.runs.push(r);
		}
	}
	if (has('b')) {
		const base = { scenario: 'b', api: 'xmlrpc', node: 'Keap CRM (ours)' };
		const runs = [
			{ ...base, id: 'b.xmlrpc.oauth', credential: 'OAuth2', perMinute: QUOTA_PER_MINUTE.oauth, emu: emus.bOAuth, path: 'bench-b-xmlrpc-oauth', label: 'Create or Update with 2 tags, XML-RPC, OAuth2', domain: 'b-oauth.bench.example.com' },
		];
		if (opts.xmlrpcPat) {
			runs.push({ ...base, id: 'b.xmlrpc.pat', credential: 'PAT', perMinute: QUOTA_PER_MINUTE.pat, emu: emus.bPat, path: 'bench-b-xmlrpc-pat', label: 'Create or Update with 2 tags, XML-RPC, PAT', domain: 'b-pat.bench.example.com', timeoutMs: 90 * 60_000 });
		} else {
			results.skipped.push({ scenario: 'b', run: 'b.xmlrpc.pat', reason: 'XML-RPC with a PAT runs only with --xmlrpc-pat (about 5 calls per item at 240/min: over 20 minutes)' });
		}
		for (const run of runs) {
			const r = await step(run.id, () => writeRun(server, run));
			if (r) results.runs.push(r);
		}
	}
	// d: each run in a freshly restarted n8n process (the first start of an instance does one-time
	// work that leaves its process larger; restarts are alike)
	if (has('d')) {
		await server.stop();
		seedContacts(emus.d, 0, opts.smallContacts);
		server = await start();
		let r = await step('d.all.small', () =>
			getAllRun(n8n, server, emus.d, busyD, { id: 'd.all.small', path: 'bench-d-getall', stored: opts.smallContacts, output: opts.smallContacts }),
		);
		if (r) results.runs.push(r);
		await server.stop();
		seedContacts(emus.d, opts.smallContacts, opts.contacts);
		server = await start();
		r = await step('d.all.large', () =>
			getAllRun(n8n, server, emus.d, busyD, { id: 'd.all.large', path: 'bench-d-getall', stored: opts.contacts, output: opts.contacts }),
		);
		if (r) results.runs.push(r);
		const sample = await step('d.sample', () => postJson(`${server.url}/webhook/bench-d-sample`, {}, { timeoutMs: 5 * 60_000 }));
		if (Array.isArray(sample?.body) && sample.body.length) {
			results.outputBytesPerContact = sample.bytes / sample.body.length;
			log(`d: one output item of Get Many is ${fmtNum(results.outputBytesPerContact)} bytes of JSON on average`);
		}
		await server.stop();
		server = await start();
		r = await step('d.limit.large', () =>
			getAllRun(n8n, server, emus.d, busyD, { id: 'd.limit.large', path: 'bench-d-limit', stored: opts.contacts, output: opts.smallContacts }),
		);
		if (r) results.runs.push(r);
	}
	await server.stop();
}

// ---------------------------------------------------------------------------------------------
// Targets and report

function evaluate() {
	const run = (id) => results.runs.find((r) => r.id === id);
	const targets = [];
	const add = (scenario, text, value, pass) => targets.push({ scenario, text, value, pass });
	for (const id of ['a.rest.pat', 'a.rest.oauth', 'a.rest.oauth.apply']) {
		const r = run(id);
		if (!r) continue;
		add('a', `${id}: <= 1.02 API calls per item`, fmtNum(r.callsPerItem, 3), r.callsPerItem <= 1.02);
		add('a', `${id}: zero failed items`, String(r.failedItems), r.failedItems === 0);
		add('a', `${id}: no 429 surfaced (429s received and retried: ${r.throttled429})`, String(r.errorsCiting429), r.errorsCiting429 === 0 && r.failedItems === 0);
	}
	const pat = run('a.rest.pat');
	if (pat) add('a', 'a.rest.pat: wall time <= 1.15 x the quota minimum', `${fmtNum(pat.wallVsQuotaMin, 3)} x`, pat.wallVsQuotaMin <= 1.15);
	const c = run('c.trigger.pat');
	if (c) add('c', `c: <= 2 calls to hydrate ${c.objects} objects`, String(c.hydrationCalls), c.hydrationCalls <= 2 && c.itemsHydrated === c.objects);
	const small = run('d.all.small');
	const large = run('d.all.large');
	const limited = run('d.limit.large');
	results.memory = { outputBytesPerContact: results.outputBytesPerContact };
	if (small && large && small.rssGrowth > 0) {
		const outputRatio = opts.contacts / opts.smallContacts;
		const growthRatio = large.rssGrowth / small.rssGrowth;
		Object.assign(results.memory, {
			outputRatio,
			growthRatio,
			growthPerContactSmall: small.rssGrowth / opts.smallContacts,
			growthPerContactLarge: large.rssGrowth / opts.contacts,
		});
		add(
			'd',
			`d: memory grows in proportion to the output (${fmtNum(outputRatio, 1)} x the output: growth ratio <= 1.25 x that)`,
			`${fmtNum(growthRatio, 2)} x`,
			small.items === small.output && large.items === large.output && growthRatio <= outputRatio * 1.25,
		);
	}
	if (small && limited && small.rssGrowth > 0) {
		const ratio = limited.rssGrowth / small.rssGrowth;
		results.memory.sameOutputLargerStoreRatio = ratio;
		add(
			'd',
			`d: memory grows with the output only: ${opts.smallContacts} out of ${opts.contacts} stored vs all of ${opts.smallContacts} stored (<= 1.25 x)`,
			`${fmtNum(ratio, 2)} x`,
			limited.items === limited.output && ratio <= 1.25,
		);
	}
	const builtin = run('e.builtin.oauth');
	const builtinAll = run('e.builtin.unthrottled');
	const ours = run('e.ours.oauth');
	if (ours && (builtinAll || builtin)) {
		const ref = builtinAll ?? builtin;
		const ratio = ref.apiCalls / ours.apiCalls;
		results.callRatio = ratio;
		add('e', `e: ours >= 1.9 x fewer calls than the built-in node (built-in ${ref.apiCalls} calls to do the job${builtinAll ? ', unthrottled' : ''}, ours ${ours.apiCalls})`, `${fmtNum(ratio, 2)} x`, ratio >= 1.9);
	}
	if (ours && builtin) {
		add('e', 'e: ours completes where the built-in fails on throttling', `ours ${ours.failedItems} failed / built-in ${builtin.failedItems} failed (${builtin.throttled429} x 429)`, ours.failedItems === 0 && builtin.failedItems > 0 && builtin.throttled429 > 0);
	}
	results.targets = targets;
}

function report() {
	const writes = results.runs.filter((r) => ['a', 'b', 'e'].includes(r.scenario));
	const writeRows = [
		['Run', 'Node', 'Credential', 'API', 'Items', 'Execution', 'API calls', 'Calls/item', '429s', 'Failed items', 'Wall', 'Quota min', 'Wall/min'],
		...writes.map((r) => [
			r.id,
			r.node,
			r.credential,
			r.api === 'xmlrpc' ? 'XML-RPC' : 'REST',
			r.items,
			r.execution.startsWith('failed') ? 'failed' : r.execution,
			r.apiCalls,
			fmtNum(r.callsPerItem, 3),
			r.throttled429,
			r.failedItems,
			fmtMs(r.wallMs),
			fmtMs(r.quotaMinMs),
			r.wallVsQuotaMin === undefined || r.credential.includes('no limits') ? '—' : `${fmtNum(r.wallVsQuotaMin, 2)} x`,
		]),
	];
	const c = results.runs.find((r) => r.scenario === 'c');
	const cRows = c && [
		['Run', 'Objects delivered', 'Deliveries', 'Hydration calls', 'Items out (hydrated)', 'Delivery answered', 'Workflow ended'],
		[c.id, c.objectsDelivered, c.deliveries, c.hydrationCalls, `${c.items} (${c.itemsHydrated})`, fmtMs(c.deliveryMs), fmtMs(c.toWorkflowEndMs)],
	];
	const ds = results.runs.filter((r) => r.scenario === 'd');
	const dRows = ds.length && [
		['Run', 'Contacts stored', 'Items out', 'API calls', 'Wall', 'Emulator busy', 'n8n RSS before', 'Peak RSS', 'Growth', 'Growth/item out'],
		...ds.map((r) => [
			r.id,
			r.contacts,
			r.items ?? '—',
			r.apiCalls,
			fmtMs(r.wallMs),
			fmtMs(r.emulatorMs),
			fmtMb(r.rssBaseline),
			fmtMb(r.rssPeak),
			fmtMb(r.rssGrowth),
			`${fmtNum(r.rssGrowth / r.output / 1024, 1)} KB`,
		]),
	];
	const tRows = [['Target', 'Measured', 'Result'], ...(results.targets ?? []).map((t) => [t.text, t.value, t.pass ? 'PASS' : 'MISS'])];

	const out = [];
	out.push('', `Keap CRM benchmarks — n8n ${N8N_VERSION} (Node ${results.n8nNode ?? '?'}), ${results.machine.cpus} CPUs, ${results.date}`, '');
	if (writes.length) out.push(textTable(writeRows), '');
	if (cRows) out.push(textTable(cRows), '');
	if (dRows) out.push(textTable(dRows), '');
	if (results.outputBytesPerContact) out.push(`Get Many output: ${fmtNum(results.outputBytesPerContact)} bytes of JSON per contact.`, '');
	out.push(textTable(tRows), '');
	for (const s of results.skipped) out.push(`skipped ${s.run ?? s.scenario}: ${s.reason}`);
	for (const e of results.errors) out.push(`ERROR in ${e.run}: ${e.message.split('\n')[0]}`);
	process.stdout.write(`${out.join('\n')}\n`);

	const md = [];
	md.push(`# Benchmarks`, '');
	md.push(
		`Real n8n ${N8N_VERSION} with the packed package, against the Keap emulator with Keap's quotas ` +
			`(PAT: 10/s and ${QUOTA_PER_MINUTE.pat}/min; OAuth2: ${QUOTA_PER_MINUTE.oauth}/min${opts.spikeArrest ? '; spike arrest 25/s' : ''}). ` +
			`${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${results.date.slice(0, 10)}. ` +
			`Each quota-bound run starts at a UTC minute (a full per-minute window). "Quota min" = API calls / allowed rate. ` +
			`Generated by \`npm run bench\` (test/bench/run.mjs).`,
		'',
	);
	if (writes.length) md.push('## Create or Update a contact and apply 2 tags (a, b, e)', '', mdTable(writeRows), '');
	if (cRows) md.push('## Hook delivery hydrated by the Keap CRM Trigger (c)', '', mdTable(cRows), '');
	if (dRows) {
		md.push('## Get Many: Return All, and Limit (d)', '', mdTable(dRows), '');
		if (results.outputBytesPerContact) md.push(`Output: about ${fmtNum(results.outputBytesPerContact)} bytes of JSON per contact. RSS is the n8n process's (VmRSS; peak = VmHWM reset before the run).`, '');
	}
	md.push('## Targets', '', mdTable(tRows), '');
	if (results.skipped.length) md.push(...results.skipped.map((s) => `- skipped ${s.run ?? s.scenario}: ${s.reason}`), '');
	if (results.errors.length) md.push(...results.errors.map((e) => `- error in ${e.run}: ${e.message.split('\n')[0]}`), '');
	const dir = join(HERE, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(join(dir, 'latest.md'), `${md.join('\n')}\n`);
	log(`wrote ${join(dir, 'latest.json')} and latest.md`);
}

try {
	await main();
} catch (error) {
	log(`ERROR ${error.stack ?? error.message}`);
	results.errors.push({ run: 'setup', message: String(error.message).slice(0, 2000) });
} finally {
	for (const fn of cleanups) {
		try {
			await fn();
		} catch (error) {
			log(`cleanup: ${error.message}`);
		}
	}
	for (const emu of emulatorsToClose) await emu.close().catch(() => {});
}
evaluate();
report();
process.exit(results.errors.length ? 1 : 0);
