// Helpers of the benchmark (test/bench/run.mjs): long webhook calls, a loopback receiver,
// the n8n process's memory from /proc, Keap's quota arithmetic, counters of the emulator
// between two points, and workflow JSON of our own shape.
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/** Keap's per-minute quotas (per key and per OAuth client id), which set the fastest possible run. */
export const QUOTA_PER_MINUTE = { pat: 240, oauth: 1500 };

/** The least time `calls` can take at `perMinute` (calls / allowed rate), in ms. */
export function quotaMinimumMs(calls, perMinute) {
	return (calls / perMinute) * 60_000;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for the start of the next UTC minute (plus `afterMs`). Keap's (and the emulator's)
 * per-minute windows are aligned to the UTC minute, so a run that starts there has the whole
 * minute's quota, and no run inherits the previous one's usage. Returns the ms waited.
 */
export async function waitForMinuteStart({ afterMs = 200 } = {}) {
	const now = Date.now();
	const wait = 60_000 - (now % 60_000) + afterMs;
	await sleep(wait);
	return wait;
}

/**
 * POSTs JSON to a URL with node:http and no header timeout (fetch's undici gives up after
 * 300 s without response headers; a PAT-paced run takes longer). Resolves
 * { status, body, text, ms }; rejects only after `timeoutMs` or on a network error.
 */
export function postJson(url, payload, { timeoutMs = 30 * 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const data = Buffer.from(JSON.stringify(payload));
		const started = performance.now();
		const req = http.request(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length } },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					clearTimeout(timer);
					const text = Buffer.concat(chunks).toString('utf8');
					let body;
					try {
						body = text ? JSON.parse(text) : undefined;
					} catch {
						body = undefined;
					}
					resolve({ status: res.statusCode, body, text, bytes: Buffer.byteLength(text), ms: performance.now() - started });
				});
				res.on('error', (e) => {
					clearTimeout(timer);
					reject(e);
				});
			},
		);
		const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
		req.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		req.end(data);
	});
}

/**
 * A loopback HTTP server that records JSON POSTs (the end of a trigger-started workflow
 * reports there). `next(timeoutMs)` resolves with the next body and its arrival time.
 */
export async function startReceiver() {
	const queue = [];
	const waiters = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				body = Buffer.concat(chunks).toString('utf8');
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
			const entry = { body, at: performance.now() };
			const w = waiters.shift();
			if (w) w(entry);
			else queue.push(entry);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}/done`,
		next(timeoutMs = 120_000) {
			if (queue.length) return Promise.resolve(queue.shift());
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					const i = waiters.indexOf(done);
					if (i >= 0) waiters.splice(i, 1);
					reject(new Error(`the receiver got nothing within ${timeoutMs} ms`));
				}, timeoutMs);
				const done = (entry) => {
					clearTimeout(timer);
					resolve(entry);
				};
				waiters.push(done);
			});
		},
		close: () => new Promise((r) => server.close(r)),
	};
}

// ---------------------------------------------------------------------------------------------
// The n8n process and its memory

/**
 * The pid of `n8n start` for a user folder: the process whose command line is
 * `<node> <n8nBin> start` and whose environment has N8N_USER_FOLDER=<userFolder>.
 */
export function findN8nPid(n8nBin, userFolder) {
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
			if (argv[1] !== n8nBin || argv[2] !== 'start') continue;
			const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
			if (env.includes(`N8N_USER_FOLDER=${userFolder}`)) return Number(name);
		} catch {
			/* the process ended, or is not ours to read */
		}
	}
	return undefined;
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes. */
export function readMemory(pid) {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key) => {
		const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
		return m ? Number(m[1]) * 1024 : undefined;
	};
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets a process's VmHWM to its current RSS (Linux: "5" into /proc/<pid>/clear_refs). */
export function resetPeak(pid) {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/**
 * Samples VmRSS every `intervalMs` until stop(); stop() returns
 * { baseline, peakSampled, peakHwm, peak, samples } (bytes). The kernel's VmHWM, reset at the
 * start, catches a peak between two samples.
 */
export function sampleMemory(pid, { intervalMs = 50 } = {}) {
	const peakReset = resetPeak(pid);
	const baseline = readMemory(pid).rss;
	let peakSampled = baseline;
	let samples = 0;
	const timer = setInterval(() => {
		try {
			const { rss } = readMemory(pid);
			samples++;
			if (rss > peakSampled) peakSampled = rss;
		} catch {
			/* the process ended */
		}
	}, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			let peakHwm;
			try {
				const m = readMemory(pid);
				if (m.rss > peakSampled) peakSampled = m.rss;
				peakHwm = peakReset ? m.hwm : undefined;
			} catch {
				/* ended */
			}
			return { baseline, peakSampled, peakHwm, peak: Math.max(peakSampled, peakHwm ?? 0), samples, peakReset };
		},
	};
}

export function processExists(pid) {
	return pid !== undefined && existsSync(`/proc/${pid}`);
}

// ---------------------------------------------------------------------------------------------
// The emulator between two points

/** What happened in an emulator between `before` (counters()) and now. */
export function countersSince(emu, before) {
	const after = emu.counters();
	const calls = {};
	for (const [k, v] of Object.entries(after.calls)) {
		const d = v - (before.calls[k] ?? 0);
		// A call refused before routing (a 429) is keyed by its raw path: fold ids into {id}.
		const key = k.includes('{') ? k : k.replace(/\/\d+(?=\/|$)/g, '/{id}');
		if (d) calls[key] = (calls[key] ?? 0) + d;
	}
	const xmlrpc = {};
	for (const [k, v] of Object.entries(after.xmlrpc)) {
		const d = v - (before.xmlrpc[k] ?? 0);
		if (d) xmlrpc[k] = d;
	}
	const tokenCalls = calls['POST /token'] ?? 0;
	const total = after.total - before.total;
	return {
		total,
		apiCalls: total - tokenCalls,
		tokenCalls,
		throttled429: after.throttled429 - before.throttled429,
		unauthorized401: after.unauthorized401 - before.unauthorized401,
		validationRejects: after.validationRejects - before.validationRejects,
		calls,
		xmlrpc,
	};
}

/** First and last emulator-log time of the API calls made since log index `mark`. */
export function apiSpanMs(emu, mark) {
	const entries = emu.log().slice(mark).filter((e) => e.path !== '/token');
	if (entries.length < 2) return 0;
	return entries.at(-1).t - entries[0].t;
}

/**
 * Contacts in the emulator whose primary email ends with `@domain`, and how many of them carry
 * every tag in `tagIds` (numbers).
 */
export function contactsInStore(emu, domain, tagIds) {
	const store = emu.store;
	let contacts = 0;
	let tagged = 0;
	for (const c of store.contacts.values()) {
		const email = store.primaryEmail(c);
		if (!email || !email.toLowerCase().endsWith(`@${domain}`)) continue;
		contacts++;
		const applied = store.applied.get(c.id);
		if (tagIds.every((t) => applied?.has(t))) tagged++;
	}
	return { contacts, tagged };
}

// ---------------------------------------------------------------------------------------------
// Workflow JSON

/** A workflow of `nodes` connected in a chain (the first node is the trigger). */
export function chainWorkflow({ id, name = id, nodes }) {
	const placed = nodes.map((n, i) => ({
		id: n.id ?? randomUUID(),
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

/** n8n's Webhook node: POST `path`, answers with every item of the last node as a JSON array. */
export function webhookNode(path) {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

/** n8n's Split Out node: one item per element of `field` (e.g. body.contacts of a webhook). */
export function splitOutNode(field) {
	return {
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
	};
}

/** n8n's Summarize node counting non-empty values of each field: { count_<field>: n }. */
export function countNode(fields) {
	return {
		name: 'Count',
		type: 'n8n-nodes-base.summarize',
		typeVersion: 1.1,
		parameters: { fieldsToSummarize: { values: fields.map((field) => ({ aggregation: 'count', field })) }, options: {} },
	};
}

/** n8n's HTTP Request node POSTing the item as JSON to `url`. */
export function reportNode(url) {
	return {
		name: 'Report',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const fmtMs = (ms) => (ms === undefined || ms === null ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
export const fmtMb = (bytes) => (bytes === undefined || bytes === null ? '—' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
export const fmtNum = (n, digits = 0) => (n === undefined || n === null || Number.isNaN(n) ? '—' : Number(n).toFixed(digits));

/** A plain-text table: rows of equal-length string arrays, the first row the header. */
export function textTable(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
	const line = (r) => r.map((v, c) => String(v).padEnd(widths[c])).join('  ').trimEnd();
	return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A Markdown table from the same rows. */
export function mdTable(rows) {
	const esc = (v) => String(v).replaceAll('|', '\\|');
	return [
		`| ${rows[0].map(esc).join(' | ')} |`,
		`|${rows[0].map(() => '---').join('|')}|`,
		...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
	].join('\n');
}
