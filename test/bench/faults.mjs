// Issue 16's report: the Keap CRM node and its polling trigger in a real n8n 2.41.1 (the e2e
// harness: the packed package installed as a community package), with the fault proxy
// (test/faults/proxy.mjs) between n8n and the Keap emulator. Prints, per run, what went in,
// what came out and what Keap holds afterwards; asserts nothing (least of all about time).
//
//   npm run bench -- faults                           # build, then every run (about 20 minutes)
//   node test/bench/faults.mjs                        # the same without the build step
//   node test/bench/faults.mjs --items 50 --bad 150 --polls 3 --storm-seconds 10   # a reduced run
//   node test/bench/faults.mjs writes poll            # only some runs: writes storm bad echo poll
//
// Runs (see README.md beside this file):
//   writes  200 items each of Create, Create or Update, Create or Update with an address (all
//           with two tags) and Tag > Apply, under 10% 503, 5% connections dropped before and 5%
//           after forwarding (every /crm call), with and without Continue On Fail; then every
//           failed item is run again without faults (without Continue On Fail: the whole batch,
//           as n8n's "retry from the failed node" does) and Keap's store is counted
//   storm   200 items Create or Update while every call gets 429 for 30 s (with Retry-After: 1,
//           and without Retry-After)
//   bad     1000 items of bad input (one bad value each) through Create or Update
//   echo    answers that echo the request headers: secrets in outputs and in n8n's log
//   poll    the polling trigger over several one-minute polls, every other poll failing
//
// Figures: in (input items), out (items in the webhook's answer), errors (error items), lost
// (in - out, with Continue On Fail), false ok (success items Keap does not back: no such
// contact, or without its tags), missing (items not done in Keap after the re-run), dup
// contacts / dup tags (in Keap, after the re-run), calls (n8n -> proxy, first run + re-run) and
// the faults the proxy injected. Results also go to test/bench/results/faults-latest.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CLIENT_ID, CLIENT_SECRET, PAT, SAK, startEmulator } from '../emulator/index.mjs';
import { startFaultProxy } from '../faults/proxy.mjs';
import { createN8nInstance, packPackage } from '../e2e/harness.mjs';
import { chainWorkflow, fmtMs, mdTable, postJson, reportNode, splitOutNode, textTable, webhookNode } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const NODE = 'n8n-nodes-keap.keapCrm';
const TRIGGER = 'n8n-nodes-keap.keapCrmPollingTrigger';
const TAGS = ['Lead', 'Newsletter'];
const RUN_NAMES = ['writes', 'storm', 'bad', 'echo', 'poll'];
const FAVORITE_COLOR = '6';

function parseArgs(argv) {
	const opts = { runs: new Set(), items: 200, bad: 1000, polls: 6, stormSeconds: 30, seed: 16 };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (RUN_NAMES.includes(a)) opts.runs.add(a);
		else if (a === '--items') opts.items = Number(argv[++i]);
		else if (a === '--bad') opts.bad = Number(argv[++i]);
		else if (a === '--polls') opts.polls = Number(argv[++i]);
		else if (a === '--storm-seconds') opts.stormSeconds = Number(argv[++i]);
		else if (a === '--seed') opts.seed = Number(argv[++i]);
		else if (a === '--help' || a === '-h') {
			process.stdout.write(`usage: node test/bench/faults.mjs [${RUN_NAMES.join('] [')}] [--items N] [--bad N] [--polls N] [--storm-seconds N] [--seed N]\n`);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (try --help)`);
	}
	if (opts.runs.size === 0) for (const r of RUN_NAMES) opts.runs.add(r);
	for (const k of ['items', 'bad', 'polls', 'stormSeconds']) {
		if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} needs a positive whole number`);
	}
	return opts;
}

const log = (msg) => process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Faults

/** 10% 503, 5% dropped before and 5% after forwarding, of every /crm call (first firing rule wins). */
const WRITE_FAULTS = [
	{ name: '503', path: '/crm/**', fault: 'status', status: 503, probability: 0.1 },
	{ name: 'drop before', path: '/crm/**', fault: 'dropBefore', probability: 0.05 / 0.9 },
	{ name: 'drop after', path: '/crm/**', fault: 'dropAfter', probability: 0.05 / 0.85 },
];

// ---------------------------------------------------------------------------------------------
// Workflows and credentials

const credRef = (cred) => ({ [cred.type]: { id: cred.id, name: cred.name } });

function oauthCredential(id, emu, baseUrl) {
	return { id, name: id, type: 'keapCrmOAuth2Api', data: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'full', baseUrl, oauthTokenData: emu.issueTokens({ clientId: CLIENT_ID }) } };
}
const patCredential = (id, baseUrl) => ({ id, name: id, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl } });
const authOf = (cred) => (cred.type === 'keapCrmApiKeyApi' ? 'apiKey' : 'oAuth2');

const ADDRESS = { address: [{ field: 'BILLING', line1: '1 Main St', locality: 'Phoenix', region_code: 'US-AZ', country_code: 'USA', postal_code: '85001' }] };

/** The Keap CRM node for one kind of write run. */
function writeNode(kind, cred, cof) {
	const contact = {
		email: '={{ $json.email }}',
		additionalFields: { given_name: '={{ $json.first }}', family_name: '={{ $json.last }}', tags: TAGS },
	};
	const parameters = {
		create: { resource: 'contact', operation: 'create', ...contact },
		upsert: { resource: 'contact', operation: 'upsert', matchOn: 'Email', ...contact },
		upsertAddress: { resource: 'contact', operation: 'upsert', matchOn: 'Email', ...contact, addresses: ADDRESS },
		tagApply: { resource: 'tag', operation: 'apply', contactIds: '={{ $json.id }}', tags: TAGS, createMissing: false },
	}[kind];
	return {
		name: 'Keap CRM',
		type: NODE,
		typeVersion: 1,
		...(cof ? { onError: 'continueRegularOutput' } : {}),
		parameters: { authentication: authOf(cred), api: 'rest', ...parameters },
		credentials: credRef(cred),
	};
}

const webhookWorkflow = (id, path, node) => chainWorkflow({ id, nodes: [webhookNode(path), splitOutNode('body.items'), node] });

// ---------------------------------------------------------------------------------------------
// Keap's side of a run

function storeView(emu) {
	const byEmail = new Map();
	for (const c of emu.store.contacts.values()) {
		for (const e of c.email_addresses ?? []) {
			const key = String(e.email).toLowerCase();
			if (!byEmail.has(key)) byEmail.set(key, []);
			byEmail.get(key).push(c);
		}
	}
	const tagIds = TAGS.map((name) => [...emu.store.tags.values()].find((t) => t.name === name)?.id);
	const hasTags = (contactId) => tagIds.every((t) => t !== undefined && emu.store.applied.get(Number(contactId))?.has(t));
	return { byEmail, hasTags };
}

function tagCounts(emu) {
	const counts = {};
	for (const t of emu.store.tags.values()) counts[t.name] = (counts[t.name] ?? 0) + 1;
	return counts;
}

/** Tags created during a run whose name already existed (or was created twice). */
function duplicateTags(before, after) {
	let dup = 0;
	for (const [name, n] of Object.entries(after)) dup += Math.max(0, n - Math.max(before[name] ?? 0, 1));
	return dup;
}

/** Success items of a write run that Keap does not back, and the ids of the items that succeeded. */
function judgeOutputs(kind, out, emu, items) {
	const view = storeView(emu);
	let falseOk = 0;
	const done = new Set();
	for (const json of out) {
		if (!json || typeof json !== 'object' || json.error !== undefined) continue;
		if (kind === 'tagApply') {
			const id = String(json.contact_ids?.[0] ?? '');
			if (!/^\d+$/.test(id) || !view.hasTags(id)) falseOk++;
			else done.add(id);
			continue;
		}
		const email = String(json.email_addresses?.find?.((e) => e.field === 'EMAIL1')?.email ?? json.email_addresses?.[0]?.email ?? '').toLowerCase();
		const id = String(json.id);
		const backed = /^\d+$/.test(id) && (view.byEmail.get(email) ?? []).some((c) => String(c.id) === id) && view.hasTags(id);
		if (!backed) falseOk++;
		else done.add(email);
	}
	const key = (item) => (kind === 'tagApply' ? String(item.id) : item.email.toLowerCase());
	return { falseOk, failed: items.filter((item) => !done.has(key(item))) };
}

function endState(kind, emu, items) {
	const view = storeView(emu);
	let missing = 0;
	let dupContacts = 0;
	for (const item of items) {
		if (kind === 'tagApply') {
			if (!view.hasTags(item.id)) missing++;
			continue;
		}
		const found = view.byEmail.get(item.email.toLowerCase()) ?? [];
		if (found.length > 1) dupContacts += found.length - 1;
		if (!found.some((c) => view.hasTags(c.id))) missing++;
	}
	return { missing, dupContacts };
}

const isError = (json) => json && typeof json === 'object' && json.error !== undefined;

// ---------------------------------------------------------------------------------------------
// A tiny receiver for the polling run: every POST body, in order

async function startCollector() {
	const bodies = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			try {
				bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
			} catch {
				bodies.push(null);
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}/item`, bodies, close: () => new Promise((r) => server.close(r)) };
}

// ---------------------------------------------------------------------------------------------
// Bad input (the same kinds as test/engine/bad-input.test.mjs)

const BIG = 100_000;
const BAD_KINDS = [
	['email null', 'email', null],
	['email missing', 'email', undefined],
	['email an object', 'email', { address: 'a@example.com' }],
	['email a number', 'email', 12345],
	['email an array', 'email', ['a@example.com', 'b@example.com']],
	['first name of 100 kB', 'first', 'A'.repeat(BIG)],
	['first name an object', 'first', { name: 'Ada' }],
	['first name an array', 'first', ['Ada', 'Bea']],
	['first name with control characters', 'first', 'Ada\u0000\u0007\u001b'],
	['job title an array', 'job', ['Boss', 'Owner']],
	['custom field of 100 kB', 'color', 'x'.repeat(BIG)],
	['region US-ZZ', 'region', 'US-ZZ'],
	['tags an object', 'tags', { first: 'Lead' }],
	['tag name of 300 characters', 'tags', ['T'.repeat(300)]],
	['unknown tag id', 'tags', ['987654']],
];
const BAD_FIELD = { email: /\bEmail\b/, first: /First Name|given_name/i, job: /Job Title|job_title/i, color: /Favorite Color|Custom Field/i, region: /Region/i, tags: /\bTags?\b/i };

function badItem(i, domain) {
	const [, field, value] = BAD_KINDS[i % BAD_KINDS.length];
	const json = { email: `bad${i}@${domain}`, first: 'Ada', job: 'Analyst', color: 'Blue', region: 'US-AZ', tags: [] };
	if (value === undefined) delete json[field];
	else json[field] = value;
	return json;
}

function badNode(cred) {
	return {
		name: 'Keap CRM',
		type: NODE,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		parameters: {
			authentication: authOf(cred),
			api: 'rest',
			resource: 'contact',
			operation: 'upsert',
			matchOn: 'Email',
			email: '={{ $json.email }}',
			additionalFields: { given_name: '={{ $json.first }}', job_title: '={{ $json.job }}', tags: '={{ $json.tags }}' },
			customFields: { mappingMode: 'defineBelow', value: { [FAVORITE_COLOR]: '={{ $json.color }}' } },
			addresses: { address: [{ field: 'BILLING', locality: 'Phoenix', region_code: '={{ $json.region }}', country_code: 'USA' }] },
		},
		credentials: credRef(cred),
	};
}

function invalidWrite(entry) {
	const body = JSON.stringify(entry.body ?? '');
	return (
		body.includes('A'.repeat(41)) ||
		body.includes('x'.repeat(1000)) ||
		body.includes('T'.repeat(256)) ||
		body.includes('[object Object]') ||
		/\\u000[07]|\\u001b/.test(body) ||
		body.includes('US-ZZ') ||
		entry.path.includes('987654')
	);
}

// ---------------------------------------------------------------------------------------------

export async function runFaultsBench(argv) {
	const opts = parseArgs(argv);
	const has = (r) => opts.runs.has(r);
	const results = { startedAt: new Date().toISOString(), options: { ...opts, runs: [...opts.runs] }, runs: [], poll: undefined, bad: undefined, echo: undefined, errors: [] };
	const cleanups = [];
	try {
		const tarball = await packPackage();
		const emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, limits: false, seed: 'demo', config: { logMax: 400_000 } });
		cleanups.push(() => emu.close());
		const proxy = await startFaultProxy({ target: emu.url, seed: opts.seed });
		cleanups.push(() => proxy.close());
		const collector = await startCollector();
		cleanups.push(() => collector.close());

		// Credentials and workflows of phase 1 (webhook-started runs).
		const credentials = [];
		const workflows = [];
		const writeRuns = [];
		if (has('writes')) {
			for (const kind of ['create', 'upsert', 'upsertAddress', 'tagApply']) {
				for (const cof of [true, false]) {
					const id = `${kind}-${cof ? 'cof' : 'stop'}`;
					// Its own credential per run: the node's pacer (per credential) starts empty each time.
					const cred = oauthCredential(`fw${writeRuns.length}${kind}`.slice(0, 21), emu, proxy.url);
					credentials.push(cred);
					const path = `faults-${kind}-${cof ? 'cof' : 'stop'}`.toLowerCase();
					workflows.push(webhookWorkflow(cred.id, path, writeNode(kind, cred, cof)));
					writeRuns.push({ id, kind, cof, path, label: `${kind}${cof ? ', Continue On Fail' : ', stop on error'}` });
				}
			}
		}
		const stormRuns = [];
		if (has('storm')) {
			for (const retryAfter of [1, null]) {
				const cred = oauthCredential(`fstorm${retryAfter ? 'ra' : 'none'}`, emu, proxy.url);
				credentials.push(cred);
				const path = `faults-storm-${retryAfter ? 'ra' : 'none'}`;
				workflows.push(webhookWorkflow(cred.id, path, writeNode('upsert', cred, true)));
				stormRuns.push({ id: `storm-${retryAfter ? 'retry-after' : 'no-retry-after'}`, retryAfter, path });
			}
		}
		if (has('bad')) {
			const cred = oauthCredential('fbadinput', emu, proxy.url);
			credentials.push(cred);
			workflows.push(webhookWorkflow('fbadinput', 'faults-bad', badNode(cred)));
		}
		const echoCreds = [];
		if (has('echo')) {
			const pat = patCredential('fechopat', proxy.url);
			const oauth = oauthCredential('fechooauth', emu, proxy.url);
			echoCreds.push(pat, oauth);
			credentials.push(pat, oauth);
			for (const cred of echoCreds) {
				workflows.push(webhookWorkflow(cred.id, `faults-echo-${cred.id}`, { ...writeNode('create', cred, true), name: 'Keap CRM' }));
			}
		}
		let pollCred;
		if (has('poll')) {
			pollCred = patCredential('fpollpat', proxy.url);
			credentials.push(pollCred);
		}

		log(`n8n 2.41.1: creating an instance with the packed package; emulator ${emu.url}, proxy ${proxy.url}`);
		const n8n = await createN8nInstance({ version: '2.41.1', packageTarball: tarball });
		cleanups.unshift(() => n8n.cleanup());
		await n8n.importCredentials(credentials);
		for (const wf of workflows) {
			await n8n.importWorkflow(wf);
			await n8n.publish(wf.id);
		}
		const step = async (name, fn) => {
			try {
				return await fn();
			} catch (error) {
				log(`${name}: ERROR ${error.stack ?? error.message}`);
				results.errors.push({ run: name, message: String(error.message).slice(0, 2000) });
				return undefined;
			}
		};

		if (workflows.length) {
			log('starting n8n');
			const server = await n8n.start({ timeoutMs: 240_000 });
			const post = (path, items) => postJson(`${server.url}/webhook/${path}`, { items }, { timeoutMs: 30 * 60_000 });

			for (const run of writeRuns) {
				const r = await step(run.id, async () => {
					const domain = `${run.id}.faults.example.com`;
					let items = Array.from({ length: opts.items }, (_, i) => ({ email: `c${i}@${domain}`, first: 'Fault', last: `Item ${i}` }));
					if (run.kind === 'tagApply') {
						const { contacts } = emu.seed({ contacts: items.map((it) => ({ given_name: it.first, family_name: it.last, email_addresses: [{ email: it.email, field: 'EMAIL1' }] })) });
						items = items.map((it, i) => ({ ...it, id: contacts[i] }));
					}
					const tagsBefore = tagCounts(emu);
					proxy.reset({ seed: opts.seed });
					proxy.setRules(WRITE_FAULTS);
					log(`${run.id}: ${items.length} items under 10% 503, 5% drops before, 5% drops after forwarding`);
					const first = await post(run.path, items);
					const stats = proxy.stats();
					proxy.clearRules();
					const out = first.status === 200 && Array.isArray(first.body) ? first.body : [];
					const { falseOk, failed } = judgeOutputs(run.kind, out, emu, items);
					const errors = out.filter(isError).length;
					// Re-run: with Continue On Fail the failed items; without it, when the execution failed,
					// the whole batch (what n8n's "retry from the failed node" sends again).
					const again = run.cof ? failed : first.status === 200 ? failed : items;
					const before = proxy.stats().requests;
					const second = again.length ? await post(run.path, again) : undefined;
					const rerunCalls = proxy.stats().requests - before;
					const end = endState(run.kind, emu, items);
					const result = {
						id: run.id,
						label: run.label,
						in: items.length,
						execution: first.status === 200 ? 'completed' : `failed (HTTP ${first.status})`,
						out: out.length,
						errors,
						lost: run.cof ? items.length - out.length : undefined,
						falseOk,
						rerun: again.length,
						rerunExecution: second ? (second.status === 200 ? 'completed' : `failed (HTTP ${second.status})`) : '—',
						missing: end.missing,
						dupContacts: end.dupContacts,
						dupTags: duplicateTags(tagsBefore, tagCounts(emu)),
						calls: stats.requests,
						rerunCalls,
						faults: stats.byFault,
						errorSample: out.find(isError)?.error ?? (first.status === 200 ? undefined : first.text.slice(0, 200)),
					};
					log(`${run.id}: ${JSON.stringify({ ...result, faults: undefined })} faults ${JSON.stringify(stats.byFault)}`);
					return result;
				});
				if (r) results.runs.push(r);
			}

			for (const run of stormRuns) {
				const r = await step(run.id, async () => {
					const domain = `${run.id}.faults.example.com`;
					const items = Array.from({ length: opts.items }, (_, i) => ({ email: `s${i}@${domain}`, first: 'Storm', last: `Item ${i}` }));
					const tagsBefore = tagCounts(emu);
					proxy.reset({ seed: opts.seed });
					proxy.setRules({ name: '429', path: '/crm/**', fault: 'throttle', retryAfter: run.retryAfter });
					const calm = sleep(opts.stormSeconds * 1000).then(() => proxy.clearRules());
					log(`${run.id}: ${items.length} items; every call answered 429 (${run.retryAfter ? `Retry-After: ${run.retryAfter}` : 'no Retry-After'}) for ${opts.stormSeconds} s`);
					const first = await post(run.path, items);
					await calm;
					const stats = proxy.stats();
					const out = first.status === 200 && Array.isArray(first.body) ? first.body : [];
					const { falseOk, failed } = judgeOutputs('upsert', out, emu, items);
					const gaveUp = out.filter((j) => isError(j) && /429|throttl|quota/i.test(JSON.stringify(j))).length;
					const before = proxy.stats().requests;
					const second = failed.length ? await post(run.path, failed) : undefined;
					const end = endState('upsert', emu, items);
					const result = {
						id: run.id,
						label: `Create or Update, ${opts.stormSeconds} s of 429 (${run.retryAfter ? 'Retry-After 1' : 'no Retry-After'}), Continue On Fail`,
						in: items.length,
						execution: first.status === 200 ? 'completed' : `failed (HTTP ${first.status})`,
						out: out.length,
						errors: out.filter(isError).length,
						gaveUpOn429: gaveUp,
						lost: items.length - out.length,
						falseOk,
						rerun: failed.length,
						rerunExecution: second ? (second.status === 200 ? 'completed' : `failed (HTTP ${second.status})`) : '—',
						missing: end.missing,
						dupContacts: end.dupContacts,
						dupTags: duplicateTags(tagsBefore, tagCounts(emu)),
						calls: stats.requests,
						rerunCalls: proxy.stats().requests - before,
						faults: stats.byFault,
						wallMs: first.ms,
						errorSample: out.find(isError)?.error,
					};
					log(`${run.id}: ${JSON.stringify({ ...result, faults: undefined })}`);
					return result;
				});
				if (r) results.runs.push(r);
			}

			if (has('bad')) {
				results.bad = await step('bad', async () => {
					const domain = 'bad.faults.example.com';
					const items = Array.from({ length: opts.bad }, (_, i) => badItem(i, domain));
					proxy.reset({ seed: opts.seed });
					const contactsBefore = emu.store.contacts.size;
					const tagsBefore = emu.store.tags.size;
					const mark = emu.log().length;
					const out = [];
					let failedPosts = 0;
					log(`bad: ${items.length} items of bad input (${BAD_KINDS.length} kinds), in batches of 250`);
					for (let start = 0; start < items.length; start += 250) {
						const res = await post('faults-bad', items.slice(start, start + 250));
						// i: the item among all; k: its index in its execution (what the node's messages name).
						if (res.status === 200 && Array.isArray(res.body)) out.push(...res.body.map((json, k) => ({ json, i: start + k, k })));
						else failedPosts++;
					}
					let clear = 0;
					const unclearByKind = {};
					let accepted = 0;
					for (const { json, i, k } of out) {
						const [kind, field] = BAD_KINDS[i % BAD_KINDS.length];
						if (!isError(json)) {
							accepted++;
							continue;
						}
						const text = `${json.error}\n${json.description ?? ''}`;
						const ok =
							new RegExp(`\\bitem ${k}\\b`, 'i').test(text) &&
							BAD_FIELD[field].test(text) &&
							text.length <= 1000 &&
							!/Cannot read propert|is not a function|\[object Object\]/.test(text) &&
							!['A', 'x', 'T'].some((c) => text.includes(c.repeat(81)));
						if (ok) clear++;
						else unclearByKind[kind] = (unclearByKind[kind] ?? 0) + 1;
					}
					const writes = emu.log().slice(mark).filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method));
					const result = {
						in: items.length,
						out: out.length,
						errors: out.filter((o) => isError(o.json)).length,
						clearErrors: clear,
						unclearErrors: Object.values(unclearByKind).reduce((a, b) => a + b, 0),
						unclearByKind,
						accepted,
						invalidWritesSent: writes.filter(invalidWrite).length,
						contactsCreated: emu.store.contacts.size - contactsBefore,
						tagsCreated: emu.store.tags.size - tagsBefore,
						failedPosts,
						calls: proxy.stats().requests,
						longestMessage: Math.max(0, ...out.map((o) => String(o.json?.error ?? '').length + String(o.json?.description ?? '').length)),
					};
					log(`bad: ${JSON.stringify(result)}`);
					return result;
				});
			}

			if (has('echo')) {
				results.echo = await step('echo', async () => {
					proxy.reset({ seed: opts.seed });
					proxy.setRules({ path: '/crm/**', fault: 'echo', status: 400 });
					const logBefore = server.rawLog().length;
					const outputs = [];
					for (const cred of echoCreds) {
						const res = await post(`faults-echo-${cred.id}`, Array.from({ length: 5 }, (_, i) => ({ email: `e${i}@echo-${cred.id}.faults.example.com`, first: 'Echo', last: `${i}` })));
						outputs.push(res.text);
					}
					proxy.clearRules();
					await sleep(1000);
					const secrets = [PAT, CLIENT_SECRET, ...echoCreds.filter((c) => c.data.oauthTokenData).flatMap((c) => [c.data.oauthTokenData.access_token, c.data.oauthTokenData.refresh_token])];
					const count = (text) => secrets.reduce((n, s) => n + (text.split(s).length - 1), 0);
					const nLog = server.rawLog().slice(logBefore);
					const result = { items: 10, secretsInOutputs: outputs.reduce((n, t) => n + count(t), 0), secretsInLog: count(nLog), echoed: proxy.stats().byFault.echo };
					log(`echo: ${JSON.stringify(result)}`);
					return result;
				});
			}
			await server.stop();
		}

		if (has('poll')) {
			results.poll = await step('poll', async () => {
				const wf = chainWorkflow({
					id: 'faultspolling01',
					nodes: [
						{
							name: 'Keap CRM Polling Trigger',
							type: TRIGGER,
							typeVersion: 1,
							parameters: { authentication: 'apiKey', event: 'contactUpdated', output: 'full', pollTimes: { item: [{ mode: 'everyMinute' }] } },
							credentials: credRef(pollCred),
						},
						reportNode(collector.url),
					],
				});
				await n8n.importWorkflow(wf);
				await n8n.publish(wf.id);
				proxy.reset({ seed: opts.seed });
				const listCalls = () => proxy.log().filter((e) => e.method === 'GET' && e.path === '/crm/rest/v2/contacts').length;
				const lastSeq = () => proxy.log().at(-1)?.seq ?? 0;
				/** Waits for the next poll to start and to go quiet (no request for 3 s). */
				const nextPoll = async (seen) => {
					const deadline = Date.now() + 150_000;
					while (listCalls() <= seen && Date.now() < deadline) await sleep(250);
					let quiet = lastSeq();
					for (;;) {
						await sleep(3000);
						if (lastSeq() === quiet) break;
						quiet = lastSeq();
					}
				};
				log('poll: starting n8n with the polling workflow (one poll a minute)');
				const server = await n8n.start({ timeoutMs: 240_000, ready: async () => listCalls() >= 1 });
				await nextPoll(0); // the activation poll: sets the cursor
				const created = [];
				let failedPolls = 0;
				for (let round = 0; round < opts.polls; round++) {
					for (let k = 0; k < 3; k++) {
						const r = await fetch(`${emu.url}/crm/rest/v2/contacts`, {
							method: 'POST',
							headers: { 'x-keap-api-key': SAK, 'content-type': 'application/json' },
							body: JSON.stringify({ given_name: `Poll${round}`, family_name: `n${k}`, email_addresses: [{ email: `p${round}-${k}@poll.faults.example.com`, field: 'EMAIL1' }], custom_fields: [{ id: FAVORITE_COLOR, content: 'Teal' }] }),
						});
						created.push(String((await r.json()).id));
					}
					const failing = round % 2 === 0;
					if (failing) proxy.setRules({ name: 'model 500', method: 'GET', path: '/crm/rest/v2/contacts/model', fault: 'status', status: 500, body: { message: 'boom' } });
					else proxy.clearRules();
					const firedBefore = proxy.stats().rules[0]?.fired ?? 0;
					await nextPoll(listCalls());
					if (failing && (proxy.stats().rules[0]?.fired ?? 0) > firedBefore) failedPolls++;
					log(`poll: round ${round + 1}/${opts.polls}${failing ? ' (custom-field look-up failing)' : ''}: ${created.length} created, ${collector.bodies.length} emitted so far`);
				}
				proxy.clearRules();
				await nextPoll(listCalls()); // one clean poll to collect what is owed
				await sleep(3000);
				await server.stop();
				const emitted = collector.bodies.map((b) => String(b?.id));
				const missed = created.filter((id) => !emitted.includes(id));
				const twice = emitted.filter((id, i) => emitted.indexOf(id) !== i);
				const result = { polls: opts.polls + 1, failingPolls: failedPolls, created: created.length, emitted: emitted.length, missed: missed.length, emittedTwice: twice.length, calls: proxy.stats().requests };
				log(`poll: ${JSON.stringify(result)}`);
				return result;
			});
		}
	} catch (error) {
		log(`set-up failed: ${error.stack ?? error.message}`);
		results.errors.push({ run: 'setup', message: String(error.message).slice(0, 2000) });
		process.exitCode = 1;
	} finally {
		for (const c of cleanups) await c().catch(() => {});
	}
	report(results);
	return results;
}

// ---------------------------------------------------------------------------------------------
// Report

const show = (v) => (v === undefined || v === null ? '—' : String(v));

function report(results) {
	const sections = [];
	if (results.runs.length) {
		const rows = [['run', 'in', 'execution', 'out', 'errors', 'lost', 'false ok', 're-run', 'missing after', 'dup contacts', 'dup tags', 'calls (+re-run)', 'faults (503/drop before/drop after/429)']];
		for (const r of results.runs) {
			const f = r.faults ?? {};
			rows.push([
				r.label ?? r.id,
				r.in,
				r.execution,
				r.out,
				r.gaveUpOn429 !== undefined ? `${r.errors} (${r.gaveUpOn429} on 429)` : r.errors,
				show(r.lost),
				r.falseOk,
				`${r.rerun} (${r.rerunExecution})`,
				r.missing,
				r.dupContacts,
				r.dupTags,
				`${r.calls} (+${r.rerunCalls})`,
				`${f.status ?? 0}/${f.dropBefore ?? 0}/${f.dropAfter ?? 0}/${f.throttle ?? 0}`,
			]);
		}
		sections.push({ title: 'Writes under faults (then every failed item re-run without faults)', rows });
	}
	if (results.bad) {
		const b = results.bad;
		sections.push({
			title: 'Bad input through Create or Update (Continue On Fail)',
			rows: [
				['in', 'out', 'errors', 'clear errors', 'unclear errors', 'accepted (success)', 'invalid writes sent', 'contacts created', 'tags created', 'longest message', 'calls'],
				[b.in, b.out, b.errors, b.clearErrors, b.unclearErrors, b.accepted, b.invalidWritesSent, b.contactsCreated, b.tagsCreated, b.longestMessage, b.calls],
			],
			note: Object.keys(b.unclearByKind).length ? `unclear errors by kind: ${JSON.stringify(b.unclearByKind)}` : undefined,
		});
	}
	if (results.echo) {
		const e = results.echo;
		sections.push({ title: 'Answers echoing the request (PAT and OAuth2, 5 items each)', rows: [['items', 'echo answers', 'secrets in outputs', "secrets in n8n's log"], [e.items, e.echoed, e.secretsInOutputs, e.secretsInLog]] });
	}
	if (results.poll) {
		const p = results.poll;
		sections.push({ title: 'Polling trigger, every other poll failing (custom-field look-up 500)', rows: [['polls', 'failing polls', 'records created', 'items emitted', 'missed', 'emitted twice', 'calls'], [p.polls, p.failingPolls, p.created, p.emitted, p.missed, p.emittedTwice, p.calls]] });
	}
	let text = '';
	let md = `# Fault report (issue 16)\n\n${results.startedAt}, n8n 2.41.1, options ${JSON.stringify(results.options)}\n`;
	for (const s of sections) {
		text += `\n${s.title}\n${textTable(s.rows.map((r) => r.map(String)))}\n${s.note ? `${s.note}\n` : ''}`;
		md += `\n## ${s.title}\n\n${mdTable(s.rows)}\n${s.note ? `\n${s.note}\n` : ''}`;
	}
	for (const e of results.errors) text += `\nERROR in ${e.run}: ${e.message.split('\n')[0]}`;
	process.stdout.write(`${text}\n`);
	const dir = join(HERE, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'faults-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
	writeFileSync(join(dir, 'faults-latest.md'), md);
	log(`written: test/bench/results/faults-latest.json, faults-latest.md (${fmtMs(Date.now() - Date.parse(results.startedAt))})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runFaultsBench(process.argv.slice(2));
