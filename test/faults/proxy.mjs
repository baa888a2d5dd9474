// A fault-injecting HTTP proxy for the test suite: it sits between a client (n8n, or the engine
// harness) and the Keap emulator and, per route, answers in the ways Keap, its gateway or the
// network misbehave: 5xx, 429 with or without Retry-After, a connection dropped before the
// request is forwarded or after the emulator answered (the write happened), latency, truncated
// JSON, an HTML page with status 200, a JSON body of an unexpected shape, and an "echo" page
// that reflects the request's headers and body (the way some gateways and firewalls do), to
// catch secrets leaking into messages. Plain node:http, no dependencies. See README.md beside
// this file.
//
//   const proxy = await startFaultProxy({ target: emu.url, seed: 42 });
//   proxy.setRules([{ method: 'POST', path: '/crm/rest/v2/contacts', fault: 'dropAfter', probability: 0.05 }]);
//   ... point the credential's base URL at proxy.url ...
//   proxy.stats().rules[0].fired;
//
// Requests below /__proxy are the proxy's own admin API; everything else (the emulator's
// /__admin included, never faulted) is forwarded to `target`.
import http from 'node:http';

export const FAULTS = ['status', 'throttle', 'dropBefore', 'dropAfter', 'latency', 'truncate', 'html', 'shape', 'echo'];

const RULE_KEYS = new Set([
	'name', 'method', 'path', 'pathRegex', 'query', 'bodyIncludes', 'nth', 'skip', 'count', 'probability',
	'fault', 'status', 'retryAfter', 'body', 'headers', 'latencyMs', 'forward', 'truncateAt', 'format',
]);

/** mulberry32: a small seeded PRNG, so a probability rule makes the same choices every run. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A 32-bit FNV-1a hash: each rule's RNG is seeded from the proxy's seed and the rule's name. */
function hash(text) {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

/** `*` matches within one path segment, `**` across segments; anything else is literal. */
function globToRegExp(glob) {
	let out = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*') {
			if (glob[i + 1] === '*') {
				out += '.*';
				i++;
			} else out += '[^/]*';
		} else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${out}$`);
}

function compileRule(spec, index, seed) {
	if (!spec || typeof spec !== 'object') throw new Error('a proxy rule is an object');
	for (const key of Object.keys(spec)) if (!RULE_KEYS.has(key)) throw new Error(`unknown proxy rule key "${key}"`);
	if (!FAULTS.includes(spec.fault)) throw new Error(`proxy rule fault must be one of ${FAULTS.join(', ')} (got ${spec.fault})`);
	if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
		throw new Error('proxy rule probability must be between 0 and 1');
	}
	const name = spec.name ?? `rule-${index + 1}`;
	const methods = spec.method === undefined ? undefined : [].concat(spec.method).map((m) => String(m).toUpperCase());
	let path;
	if (spec.pathRegex !== undefined) path = spec.pathRegex instanceof RegExp ? spec.pathRegex : new RegExp(spec.pathRegex);
	else if (spec.path instanceof RegExp) path = spec.path;
	else if (spec.path !== undefined) path = globToRegExp(String(spec.path));
	const nth = spec.nth === undefined ? undefined : new Set([].concat(spec.nth).map(Number));
	return {
		spec: structuredClone({ ...spec, path: spec.path instanceof RegExp ? String(spec.path) : spec.path, pathRegex: spec.pathRegex instanceof RegExp ? String(spec.pathRegex) : spec.pathRegex }),
		name,
		methods,
		path,
		nth,
		random: prng(hash(`${seed}:${name}`)),
		matched: 0,
		fired: 0,
	};
}

function matches(rule, req) {
	if (rule.methods && !rule.methods.includes(req.method)) return false;
	if (rule.path && !rule.path.test(req.pathname)) return false;
	if (rule.spec.query) {
		for (const [key, want] of Object.entries(rule.spec.query)) {
			const values = req.searchParams.getAll(key);
			if (!values.some((v) => v.includes(String(want)))) return false;
		}
	}
	if (rule.spec.bodyIncludes !== undefined && !req.body.toString('utf8').includes(String(rule.spec.bodyIncludes))) return false;
	return true;
}

/** Whether a matching request is faulted: nth / skip / count / probability, in that order. */
function fires(rule) {
	rule.matched++;
	const { spec } = rule;
	if (rule.nth && !rule.nth.has(rule.matched)) return false;
	if (spec.skip !== undefined && rule.matched <= spec.skip) return false;
	if (spec.count !== undefined && rule.fired >= spec.count) return false;
	// Drawn for every candidate, so a rule's choices depend only on its own call sequence.
	if (spec.probability !== undefined && rule.random() >= spec.probability) return false;
	rule.fired++;
	return true;
}

const HTML_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Just a moment...</title></head>
<body><h1>Checking your browser before accessing the site.</h1>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<p>Ray ID: 7f1c2d3e4a5b6c7d</p></body></html>
`;

const DEFAULT_SHAPE = { result: { items: [] }, ok: true };

function gatewayBody(status) {
	const text = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'The Service is temporarily unavailable', 504: 'Gateway Timeout' };
	return {
		fault: {
			faultstring: text[status] ?? `HTTP ${status}`,
			detail: { errorcode: status === 503 ? 'messaging.adaptors.http.flow.ServiceUnavailable' : 'messaging.adaptors.http.flow.Error' },
		},
	};
}

/**
 * What an echoing gateway puts in its page: every header (first, so even a client that quotes
 * only the start of a page quotes them), the request line, and the body.
 */
function echoText(req) {
	const lines = [];
	for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
	lines.push(`${req.method} ${req.url}`);
	const body = req.body.toString('utf8');
	if (body) lines.push('', body.slice(0, 4000));
	return lines.join('\n');
}

function send(res, status, headers, payload) {
	const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload ?? '');
	res.writeHead(status, { ...headers, 'content-length': buf.length });
	res.end(buf);
}

function jsonPayload(value) {
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function readAll(stream) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		stream.on('data', (c) => chunks.push(c));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

export class FaultProxy {
	constructor({ target, seed = 1, rules = [], logMax = 20_000 }) {
		if (!target) throw new Error('startFaultProxy needs a target URL');
		this.target = new URL(target);
		this.seed = seed;
		this.logMax = logMax;
		this.url = '';
		this.sockets = new Set();
		this.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
		this.reset();
		this.setRules(rules);
	}

	// ---- rules and counters ------------------------------------------------------------------

	/** Replaces every rule (one object or an array); counters of the new rules start at 0. */
	setRules(rules) {
		const list = Array.isArray(rules) ? rules : [rules];
		this.rules = list.map((r, i) => compileRule(r, i, this.seed));
		return this.rules.map((r) => r.name);
	}

	/** Adds one rule after the others. */
	addRule(rule) {
		this.rules.push(compileRule(rule, this.rules.length, this.seed));
		return this.rules[this.rules.length - 1].name;
	}

	clearRules() {
		this.rules = [];
	}

	/** Rules, counters and the request log back to empty; `seed` may change the RNG seed. */
	reset({ seed } = {}) {
		if (seed !== undefined) this.seed = seed;
		this.rules = [];
		this.counts = { requests: 0, forwarded: 0, faulted: 0, byFault: Object.fromEntries(FAULTS.map((f) => [f, 0])), upstreamErrors: 0 };
		this.requestLog = [];
		this.seq = 0;
	}

	/**
	 * { requests, forwarded, faulted, byFault: {fault: n}, upstreamErrors,
	 *   rules: [{ name, fault, matched, fired }] }. `forwarded` counts requests the emulator got
	 * (dropAfter and truncate included).
	 */
	stats() {
		return {
			...structuredClone(this.counts),
			rules: this.rules.map((r) => ({ name: r.name, fault: r.spec.fault, matched: r.matched, fired: r.fired })),
		};
	}

	/** Every request seen: { seq, method, path, rule, fault, status, forwarded } (no headers, no bodies). */
	log() {
		return structuredClone(this.requestLog);
	}

	ruleSpecs() {
		return this.rules.map((r) => r.spec);
	}

	// ---- server ------------------------------------------------------------------------------

	async listen(port = 0, host = '127.0.0.1') {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error) => {
				if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ message: `fault proxy error: ${error.message}` }));
				else res.destroy();
			});
		});
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, resolve);
		});
		const addr = this.server.address();
		this.url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
		return this.url;
	}

	async close() {
		if (!this.server) return;
		const closed = new Promise((r) => this.server.close(r));
		for (const s of this.sockets) s.destroy();
		this.agent.destroy();
		await closed;
		this.server = null;
	}

	async handle(req, res) {
		const url = new URL(req.url, 'http://proxy.local');
		req.body = await readAll(req);
		if (url.pathname === '/__proxy' || url.pathname.startsWith('/__proxy/')) return this.admin(req, res, url);
		req.pathname = url.pathname;
		req.searchParams = url.searchParams;
		const admin = url.pathname.startsWith('/__admin');
		const entry = { seq: ++this.seq, method: req.method, path: url.pathname, rule: null, fault: null, status: 0, forwarded: false };
		if (!admin) {
			this.counts.requests++;
			this.requestLog.push(entry);
			if (this.requestLog.length > this.logMax) this.requestLog.splice(0, this.requestLog.length - this.logMax);
		}
		const rule = admin ? undefined : this.rules.find((r) => matches(r, req) && fires(r));
		if (!rule) {
			const upstream = await this.forward(req, entry);
			if (!upstream) return res.destroy();
			entry.status = upstream.status;
			return send(res, upstream.status, upstream.headers, upstream.body);
		}
		entry.rule = rule.name;
		entry.fault = rule.spec.fault;
		this.counts.faulted++;
		this.counts.byFault[rule.spec.fault]++;
		return await this.inject(rule.spec, req, res, entry);
	}

	async inject(spec, req, res, entry) {
		if (spec.latencyMs) await sleep(spec.latencyMs);
		const extra = spec.headers ?? {};
		const forwardFirst = async () => {
			const upstream = await this.forward(req, entry);
			return upstream;
		};
		switch (spec.fault) {
			case 'latency': {
				const upstream = await forwardFirst();
				if (!upstream) return res.destroy();
				entry.status = upstream.status;
				return send(res, upstream.status, { ...upstream.headers, ...extra }, upstream.body);
			}
			case 'dropBefore':
				entry.status = 'dropped';
				return req.socket.destroy();
			case 'dropAfter':
				await forwardFirst();
				entry.status = 'dropped';
				return req.socket.destroy();
			case 'truncate': {
				const upstream = await forwardFirst();
				if (!upstream) return res.destroy();
				const at = spec.truncateAt ?? 0.5;
				const cut = at > 0 && at < 1 ? Math.floor(upstream.body.length * at) : Math.min(upstream.body.length, Number(at));
				// A consistent content-length: the client gets a complete answer that is not whole JSON.
				entry.status = upstream.status;
				return send(res, upstream.status, { ...upstream.headers, ...extra }, upstream.body.subarray(0, Math.max(1, cut)));
			}
			default:
				break;
		}
		if (spec.forward) {
			const upstream = await forwardFirst();
			if (!upstream) return res.destroy();
		}
		let status;
		let headers;
		let payload;
		switch (spec.fault) {
			case 'status':
				status = spec.status ?? 503;
				headers = { 'content-type': 'application/json' };
				payload = jsonPayload(spec.body ?? gatewayBody(status));
				break;
			case 'throttle':
				status = spec.status ?? 429;
				headers = { 'content-type': 'application/json' };
				if (spec.retryAfter !== null) headers['retry-after'] = String(spec.retryAfter ?? 1);
				payload = jsonPayload(spec.body ?? { code: '429', message: 'Quota Exceeded', status: 'Request Throttled', details: null });
				break;
			case 'html':
				status = spec.status ?? 200;
				headers = { 'content-type': 'text/html; charset=utf-8' };
				payload = spec.body ?? HTML_PAGE;
				break;
			case 'shape':
				status = spec.status ?? 200;
				headers = { 'content-type': 'application/json;charset=UTF-8' };
				payload = jsonPayload(spec.body ?? DEFAULT_SHAPE);
				break;
			case 'echo': {
				status = spec.status ?? 400;
				const text = echoText(req);
				const format = spec.format ?? 'json';
				if (format === 'html') {
					headers = { 'content-type': 'text/html; charset=utf-8' };
					payload = `<html><body><h1>Request rejected</h1><pre>${text}</pre></body></html>`;
				} else if (format === 'text') {
					headers = { 'content-type': 'text/plain; charset=utf-8' };
					payload = `Request rejected:\n${text}`;
				} else {
					headers = { 'content-type': 'application/json' };
					// Where Keap's clients look first (message, error_description), the request itself.
					payload = JSON.stringify({ message: `Request rejected: ${text}`, error_description: `Request rejected: ${text}`, request: text });
				}
				break;
			}
			default:
				throw new Error(`fault ${spec.fault} not handled`);
		}
		entry.status = status;
		return send(res, status, { ...headers, ...extra }, payload);
	}

	/** Sends the buffered request to the target; resolves with the whole answer, or null. */
	forward(req, entry) {
		return new Promise((resolve) => {
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
			headers.host = this.target.host;
			headers['content-length'] = String(req.body.length);
			const upstream = http.request(
				{
					protocol: this.target.protocol,
					hostname: this.target.hostname,
					port: this.target.port,
					method: req.method,
					path: req.url,
					headers,
					agent: this.agent,
				},
				async (res) => {
					try {
						const body = await readAll(res);
						const out = {};
						for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k) && k !== 'content-length') out[k] = v;
						if (entry && !entry.path.startsWith('/__admin')) this.counts.forwarded++;
						if (entry) entry.forwarded = true;
						resolve({ status: res.statusCode, headers: out, body });
					} catch {
						this.counts.upstreamErrors++;
						resolve(null);
					}
				},
			);
			upstream.on('error', () => {
				this.counts.upstreamErrors++;
				resolve(null);
			});
			upstream.end(req.body);
		});
	}

	// ---- admin API -----------------------------------------------------------------------------

	admin(req, res, url) {
		const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
		const reply = (status, value) => send(res, status, { 'content-type': 'application/json' }, JSON.stringify(value));
		let body;
		try {
			body = req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined;
		} catch {
			return reply(400, { error: 'the proxy admin API takes JSON bodies' });
		}
		try {
			switch (route) {
				case 'GET /__proxy/rules':
					return reply(200, this.ruleSpecs());
				case 'POST /__proxy/rules':
				case 'PUT /__proxy/rules':
					return reply(200, { rules: this.setRules(body ?? []) });
				case 'POST /__proxy/rules/add':
					return reply(200, { rule: this.addRule(body) });
				case 'DELETE /__proxy/rules':
					this.clearRules();
					return reply(200, { ok: true });
				case 'GET /__proxy/stats':
					return reply(200, this.stats());
				case 'GET /__proxy/log':
					return reply(200, this.log());
				case 'POST /__proxy/reset':
					this.reset({ seed: body?.seed });
					return reply(200, { ok: true, seed: this.seed });
				default:
					return reply(404, { error: `unknown proxy admin endpoint ${route}` });
			}
		} catch (error) {
			return reply(400, { error: error.message });
		}
	}
}

/**
 * Starts a fault proxy in front of `target` (e.g. the emulator's url). Options: { target, port = 0,
 * host = '127.0.0.1', seed = 1, rules = [] }. Resolves with the FaultProxy (`url` set).
 */
export async function startFaultProxy({ port = 0, host = '127.0.0.1', ...options } = {}) {
	const proxy = new FaultProxy(options);
	await proxy.listen(port, host);
	return proxy;
}
