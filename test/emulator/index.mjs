// The Keap emulator: one local HTTP origin serving OAuth (/token, /app/oauth/authorize), REST v1
// (/crm/rest/v1), REST v2 (/crm/rest/v2), XML-RPC (/crm/xmlrpc/v1) and an admin API (/__admin).
// See README.md beside this file.
import http from 'node:http';
import https from 'node:https';
import { Store, CLIENT_ID } from './store.mjs';
import { OAuth, OAUTH_DEFAULTS } from './oauth.mjs';
import { Limiter, LIMIT_DEFAULTS } from './limits.mjs';
import { Hooks } from './hooks.mjs';
import { XmlRpc, parseCall, faultXml } from './xmlrpc.mjs';
import { Validator, ValidationError, specPathFor } from './validate.mjs';
import { v1Routes } from './rest-v1.mjs';
import { v2Routes } from './rest-v2.mjs';
import { matchRoute, RequestError } from './rest-common.mjs';
import { applySeed } from './seed.mjs';
import { objectRoutes, STORE_PARTS } from './objects/index.mjs';
import { isMultipart, parseMultipart, multipartForValidation, multipartForLog } from './multipart.mjs';
import { readBody, sleep, clone, isPlainObject } from './util.mjs';
import { switchDefaults, envSwitches } from './switches.mjs';
import { XmlRpcThrottle } from './xmlrpc-throttle.mjs';
import { specOperationFor } from './validate.mjs';

export { CLIENT_ID, CLIENT_SECRET, PAT, SAK } from './store.mjs';
export { SWITCHES } from './switches.mjs';

/** Apigee Edge's limit on the request line (method, request target, HTTP version), in bytes. */
export const REQUEST_LINE_MAX = 7168;

export const CONFIG_DEFAULTS = {
	validate: true,
	strictUnknownProperties: true,
	appHost: 'emulator.infusionsoft.com',
	// Every behaviour Keap's documents leave open (switches.mjs), at its default.
	...switchDefaults(),
	// OAuth
	...OAUTH_DEFAULTS,
	authorizeDeny: false,
	// limits
	limitsEnabled: true,
	limits: LIMIT_DEFAULTS,
	retryAfter: true,
	requestLineMax: REQUEST_LINE_MAX,
	// upsertLookup 'racy': time between the duplicate look-up and the write (Keap's own latency)
	upsertRaceMs: 150,
	// the legacy XML-RPC throttle (xmlrpcLegacyThrottle 'on'): ms per credit, bank size, start (an idle app: full)
	xmlrpcCreditMs: 500,
	xmlrpcCreditMax: 2000,
	xmlrpcStartCredits: 2000,
	// hooks
	hookDelayMs: 200,
	hookRetryDelaysMs: [200, 400, 800],
	hookTimeoutMs: 5000,
	hookBatchMax: 1000,
	hookAllowNonLoopback: false,
	// request log
	logMax: 5000,
	// (the object modules' switches, objects/*.mjs `config`, come in through switchDefaults())
};

/** Served REST routes: the object modules' first, then the contact/tag tables. */
export const V1_ROUTES = [...objectRoutes.v1, ...v1Routes];
export const V2_ROUTES = [...objectRoutes.v2, ...v2Routes];

const STATUS_TEXT = {
	400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
	409: 'Conflict', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

function freshStats() {
	return {
		calls: {}, total: 0, xmlrpc: {}, xmlrpcFaults: 0,
		token: { authorization_code: 0, refresh_token: 0, rejected: 0 },
		authorizations: 0, refreshes: 0, refreshAttempts: 0, rejectedRefreshes: 0,
		unauthorized401: 0, throttled429: 0, throttledBy: {}, validationRejects: 0,
		hookVerifications: 0, hookDeliveries: 0, hookDeliveriesFailed: 0, faultsInjected: 0,
		requestLineTooLong: 0, xmlrpcThrottled: 0, xmlrpcThrottleRejected: 0, xmlrpcRetired: 0,
	};
}

function mergeConfig(base, patch) {
	const out = { ...base };
	for (const [k, v] of Object.entries(patch ?? {})) {
		if (k === 'limits') {
			if (v === false) out.limitsEnabled = false;
			else if (isPlainObject(v)) {
				out.limitsEnabled = true;
				out.limits = { ...base.limits };
				for (const [lk, lv] of Object.entries(v)) out.limits[lk] = isPlainObject(lv) ? { ...(base.limits[lk] ?? {}), ...lv } : lv;
			}
		} else if (v !== undefined) out[k] = v;
	}
	return out;
}

class Emulator {
	constructor(opts) {
		this.opts = opts;
		// KEAP_EMULATOR_SWITCHES (switches.mjs) changes the defaults; a test's own config still wins.
		const fromEnv = opts.envSwitches === false ? {} : envSwitches();
		this.startConfig = mergeConfig(CONFIG_DEFAULTS, {
			...fromEnv,
			...(opts.config ?? {}),
			...(opts.validate !== undefined ? { validate: opts.validate } : {}),
			...(opts.limits !== undefined ? { limits: opts.limits } : {}),
			...(opts.refreshErrorVariant ? { refreshErrorVariant: opts.refreshErrorVariant } : {}),
		});
		this.config = clone(this.startConfig);
		this.clockOffset = 0;
		this.frozenAt = null;
		this.clock = { now: () => this.now() };
		this.store = new Store(this.clock, { parts: STORE_PARTS, config: () => this.config });
		this.oauth = new OAuth(this);
		this.limiter = new Limiter(this);
		this.hooks = new Hooks(this);
		this.xmlrpc = new XmlRpc(this);
		this.validator = new Validator(() => this.config);
		this.xmlrpcThrottle = new XmlRpcThrottle(() => this.config);
		this.store.onEvent = (...a) => this.hooks.emit(...a);
		this.stats = freshStats();
		this.faults = [];
		this.requestLog = [];
		this.url = '';
		this.sockets = new Set();
	}

	now() {
		return (this.frozenAt ?? Date.now()) + this.clockOffset;
	}

	/** Stops the emulator clock (at `atMs`, default now); advanceClock still moves it. */
	freezeClock(atMs) {
		this.frozenAt = (atMs ?? this.now()) - this.clockOffset;
		return this.now();
	}

	unfreezeClock() {
		const now = this.now();
		this.frozenAt = null;
		this.clockOffset = now - Date.now();
		return this.now();
	}

	async listen(port, host) {
		const onRequest = (req, res) => {
			this.handle(req, res).catch((e) => {
				if (!this.opts.quiet) console.error('[keap-emulator]', e);
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ message: `emulator error: ${e.message}` }));
				} else res.destroy();
			});
		};
		// `tls: { key, cert, ... }` (any https.createServer option) serves HTTPS instead of HTTP.
		const tls = this.opts.tls;
		// Node's own header limit (16 KB) must not answer before the gateway's 414 rule does.
		const serverOpts = { maxHeaderSize: 256 * 1024 };
		this.server = tls ? https.createServer({ ...serverOpts, ...tls }, onRequest) : http.createServer(serverOpts, onRequest);
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, resolve);
		});
		const addr = this.server.address();
		const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
		this.url = `${tls ? 'https' : 'http'}://${h}:${addr.port}`;
		if (this.opts.seed === 'demo') applySeed(this, { demo: true });
	}

	async close() {
		this.hooks.close();
		if (!this.server) return;
		const closed = new Promise((r) => this.server.close(r));
		for (const s of this.sockets) s.destroy();
		await closed;
		this.server = null;
	}

	reset() {
		this.store.reset();
		this.oauth.reset();
		this.limiter.reset();
		this.hooks.reset();
		this.config = clone(this.startConfig);
		this.clockOffset = 0;
		this.frozenAt = null;
		this.stats = freshStats();
		this.faults = [];
		this.requestLog = [];
		this.xmlrpcThrottle.reset();
		if (this.opts.seed === 'demo') applySeed(this, { demo: true });
	}

	// ---- request log -----------------------------------------------------------------------------
	record(entry) {
		this.requestLog.push(entry);
		if (this.requestLog.length > this.config.logMax) this.requestLog.splice(0, this.requestLog.length - this.config.logMax);
	}

	// ---- HTTP ------------------------------------------------------------------------------------
	async handle(req, res) {
		const url = new URL(req.url, 'http://emulator.local');
		const path = url.pathname;
		if (path.startsWith('/__admin/') || path === '/__admin') return this.admin(req, res, url);
		const raw = await readBody(req, Math.max(10 * 1024 * 1024, 2 * (this.config.fileMaxBytes ?? 0)));
		const query = new URLSearchParams(url.search);
		const entry = {
			t: this.now(), method: req.method, path, query: redactQuery(query), auth: 'none', credential: null, status: 0,
		};
		this.record(entry);
		const ctx = { req, res, url, path, query, raw, entry, headers: {}, slowBodyMs: 0, callKey: `${req.method} ${path}` };
		// The gateway (Apigee Edge) refuses long request lines before anything else happens.
		const requestLine = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
		const lineBytes = Buffer.byteLength(requestLine, 'latin1');
		entry.requestLineBytes = lineBytes;
		if (lineBytes > this.config.requestLineMax) {
			this.stats.requestLineTooLong++;
			return this.send(ctx, 414, {
				fault: { faultstring: `request line size exceeding ${this.config.requestLineMax.toLocaleString('en-US')}`, detail: { errorcode: 'protocol.http.TooBigLine' } },
			});
		}
		if ((await this.applyFaults(ctx)) === 'handled') return;
		if (path === '/token') {
			if (req.method !== 'POST') return this.send(ctx, 405, { error: 'invalid_request', error_description: 'POST required' });
			const r = this.oauth.token(req.headers, raw);
			entry.auth = r.auth ?? 'none'; // 'basic', 'body', 'basic+body' or 'none'
			entry.credential = r.credential ?? null;
			const form = new URLSearchParams(raw.toString('utf8'));
			entry.body = { grant_type: form.get('grant_type') };
			return this.send(ctx, r.status, r.body, { 'cache-control': 'no-store', pragma: 'no-cache' });
		}
		if (path === '/app/oauth/authorize' || path === '/oauth/authorize') {
			const r = this.oauth.authorize(query);
			entry.credential = query.get('client_id');
			return this.send(ctx, r.status, r.body, r.headers);
		}
		return this.api(ctx);
	}

	send(ctx, status, body, extraHeaders = {}) {
		const { res, entry } = ctx;
		let payload = '';
		let type = null;
		if (typeof body === 'string') {
			payload = body;
			type = 'text/xml;charset=UTF-8';
		} else if (body !== null && body !== undefined) {
			payload = JSON.stringify(body);
			type = 'application/json;charset=UTF-8';
		}
		const headers = { ...ctx.headers, ...extraHeaders };
		if (type && !headers['content-type']) headers['content-type'] = type;
		const buf = Buffer.from(payload);
		headers['content-length'] = buf.length;
		entry.status = status;
		this.stats.calls[ctx.callKey] = (this.stats.calls[ctx.callKey] ?? 0) + 1;
		this.stats.total++;
		res.writeHead(status, headers);
		if (ctx.slowBodyMs > 0 && buf.length > 1) {
			const half = Math.floor(buf.length / 2);
			res.write(buf.subarray(0, half));
			setTimeout(() => res.end(buf.subarray(half)), ctx.slowBodyMs);
		} else {
			res.end(buf);
		}
	}

	async applyFaults(ctx) {
		for (const rule of this.faults) {
			const m = rule.match ?? {};
			if (m.method && m.method.toUpperCase() !== ctx.req.method) continue;
			if (m.pathPrefix && !ctx.path.startsWith(m.pathPrefix)) continue;
			if (rule.expireTokensAfterCalls !== undefined) {
				rule.seen = (rule.seen ?? 0) + 1;
				if (!rule.fired && rule.seen > rule.expireTokensAfterCalls) {
					rule.fired = true;
					this.oauth.expireAccessTokens();
					this.stats.faultsInjected++;
				}
				continue;
			}
			if (rule.remaining <= 0) continue;
			rule.remaining--;
			this.stats.faultsInjected++;
			ctx.entry.fault = true;
			if (rule.latencyMs) await sleep(rule.latencyMs);
			if (rule.drop) {
				ctx.entry.status = 'dropped';
				ctx.req.socket.destroy();
				return 'handled';
			}
			if (rule.status) {
				this.send(ctx, rule.status, rule.body ?? faultBody(rule.status, ctx.path));
				return 'handled';
			}
			if (rule.slowBodyMs) ctx.slowBodyMs = rule.slowBodyMs;
		}
		return null;
	}

	async api(ctx) {
		const { req, path, query, entry } = ctx;
		const isXml = /^\/crm\/xmlrpc(\/v1)?\/?$/.test(path);
		if (isXml && this.config.xmlrpcRetired !== 'off' && this.config.xmlrpcRetired !== 'fault') return this.retiredXmlRpc(ctx);
		const a = this.oauth.authenticate(req.headers, query);
		entry.auth = a.ok ? a.cred.via : a.via;
		if (a.ok) entry.credential = a.cred.kind === 'oauth' ? a.cred.clientId : a.cred.kind;
		if (!a.ok) {
			if (isXml && a.via === 'none' && this.config.xmlrpcUnauthenticated === 'fault') {
				ctx.callKey = `POST ${path}`;
				return this.handleXml(ctx, null);
			}
			this.stats.unauthorized401++;
			return this.send(ctx, 401, {
				fault: { faultstring: 'Invalid Access Token', detail: { errorcode: a.errorcode } },
			}, { 'www-authenticate': 'Bearer realm="null",error="invalid_token",error_description="Invalid access token"' });
		}
		const lim = this.limiter.take(a.cred);
		ctx.headers = lim.headers;
		if (!lim.ok) {
			this.stats.throttled429++;
			for (const name of lim.refusedBy) this.stats.throttledBy[name] = (this.stats.throttledBy[name] ?? 0) + 1;
			const extra = this.config.retryAfter ? { 'retry-after': String(lim.retryAfter) } : {};
			return this.send(ctx, 429, { code: '429', message: 'Quota Exceeded', status: 'Request Throttled', details: null }, extra);
		}
		if (isXml) {
			ctx.callKey = `POST ${path}`;
			return this.handleXml(ctx, a.cred);
		}
		const m = /^\/crm\/rest\/(v1|v2)(\/.*)?$/.exec(path);
		if (!m) return this.send(ctx, 404, { message: `No resource at ${path}` });
		return this.rest(ctx, m[1], a.cred);
	}

	/** What the retired XML-RPC endpoint answers (switch xmlrpcRetired), before auth: the gateway's part. */
	retiredXmlRpc(ctx) {
		this.stats.xmlrpcRetired++;
		ctx.callKey = `${ctx.req.method} ${ctx.path}`;
		switch (this.config.xmlrpcRetired) {
			case 'http-404':
				return this.send(ctx, 404, {
					fault: {
						faultstring: `Unable to identify proxy for host: default and url: ${ctx.path}`,
						detail: { errorcode: 'messaging.adaptors.http.flow.ApplicationNotFound' },
					},
				});
			case 'http-410':
				return this.send(ctx, 410, { message: 'Gone' });
			case 'http-503':
				return this.send(ctx, 503, {
					fault: { faultstring: 'The Service is temporarily unavailable', detail: { errorcode: 'messaging.adaptors.http.flow.ServiceUnavailable' } },
				});
			case 'html-page':
				return this.send(
					ctx,
					200,
					'<!DOCTYPE html><html><head><title>Keap Developer</title></head><body><h1>The XML-RPC API has been retired</h1><p>Please use the Keap REST API.</p></body></html>',
					{ 'content-type': 'text/html; charset=utf-8' },
				);
		}
		throw new Error(`emulator bug: xmlrpcRetired ${this.config.xmlrpcRetired}`);
	}

	async handleXml(ctx, cred) {
		let call;
		try {
			call = await parseCall(ctx.raw);
		} catch (e) {
			this.stats.xmlrpcFaults++;
			return this.send(ctx, 200, faultXml(0, `Failed to parse XML-RPC request: ${e.message}`));
		}
		const params = call.params.map((p, i) => (i === 0 && call.method !== 'DataService.getUserInfo' && typeof p === 'string' ? '***' : p));
		ctx.entry.body = { method: call.method, params };
		ctx.entry.xmlrpcMethod = call.method;
		this.stats.xmlrpc[call.method] = (this.stats.xmlrpc[call.method] ?? 0) + 1;
		if (cred && this.config.xmlrpcRetired === 'fault') {
			this.stats.xmlrpcRetired++;
			this.stats.xmlrpcFaults++;
			ctx.entry.fault = true;
			return this.send(ctx, 200, faultXml(14, '[NoAccess]API access not permitted'));
		}
		if (cred && this.config.xmlrpcLegacyThrottle === 'on') {
			const t = await this.xmlrpcThrottle.take();
			if (t.waitedMs > 0) this.stats.xmlrpcThrottled++;
			if (!t.ok) {
				this.stats.xmlrpcThrottleRejected++;
				this.stats.xmlrpcFaults++;
				ctx.entry.fault = true;
				return this.send(ctx, 200, faultXml(3, '[Unexpected]Too many API threads are being throttled; try again later'));
			}
		}
		return this.send(ctx, 200, this.xmlrpc.handle(call.method, call.params, cred));
	}

	async rest(ctx, version, cred) {
		const base = `/crm/rest/${version}`;
		const sub = (ctx.path.slice(base.length).replace(/\/+$/, '') || '/');
		const routes = version === 'v1' ? V1_ROUTES : V2_ROUTES;
		const { route, params, pathMatched } = matchRoute(routes, ctx.req.method, sub);
		const error = (status, message, resource) => {
			if (version === 'v1') return { message };
			return { code: status, message, status: STATUS_TEXT[status] ?? 'Error', details: [{ domain: sub.split('/')[1] ?? '', resource: resource ?? `${ctx.req.method} /rest/v2${sub}` }] };
		};
		if (!route) {
			// A route of Keap's documents the emulator does not serve is a 501, never a kind answer;
			// one the documents lack is Keap's 404 (unknown path) or 405 (known path, other method).
			const documented = this.config.validate ? specOperationFor(version, ctx.req.method, sub) : { operation: false, path: pathMatched };
			if (documented.operation) {
				return this.send(ctx, 501, error(501, `The emulator does not implement ${ctx.req.method} ${ctx.path} (documented by Keap)`));
			}
			const status = pathMatched || documented.path ? 405 : 404;
			return this.send(ctx, status, error(status, status === 405 ? `Method ${ctx.req.method} is not supported here` : `No resource at ${ctx.path}`));
		}
		ctx.callKey = `${ctx.req.method} ${base}${route.path}`;
		const resource = `${ctx.req.method} /rest/v2${route.path}`;
		let body;
		let form;
		const hasBody = ctx.raw.length > 0 && ctx.raw.toString('utf8').trim() !== '';
		const multipart = isMultipart(ctx.req.headers['content-type']);
		if (hasBody && multipart) {
			try {
				form = parseMultipart(ctx.raw, ctx.req.headers['content-type']);
			} catch (e) {
				this.stats.validationRejects++;
				return this.send(ctx, 400, error(400, `Invalid multipart/form-data body: ${e.message}`, resource));
			}
			body = multipartForValidation(form);
			ctx.entry.body = multipartForLog(form);
		} else if (hasBody) {
			const ctype = String(ctx.req.headers['content-type'] ?? '');
			if (!/^application\/(.+\+)?json\b/i.test(ctype)) {
				this.stats.validationRejects++;
				return this.send(ctx, 415, error(415, `Content type '${ctype || 'none'}' not supported; send application/json`, resource));
			}
			try {
				body = JSON.parse(ctx.raw.toString('utf8'));
			} catch {
				this.stats.validationRejects++;
				const msg = version === 'v1' ? 'Input could not be converted to a valid request' : 'Invalid JSON payload received';
				return this.send(ctx, 400, error(400, msg, resource));
			}
			ctx.entry.body = body;
		}
		try {
			if (this.config.validate) {
				this.validator.check(version, ctx.req.method, specPathFor(version, route.path), {
					query: ctx.query, pathParams: params, headers: ctx.req.headers, body, hasBody,
					mediaType: multipart ? 'multipart/form-data' : 'application/json',
				});
			}
			const hctx = {
				emu: this, store: this.store, query: ctx.query, params, body: form ? undefined : body, form, headers: ctx.req.headers,
				origin: this.url, cred, route: sub,
			};
			const r = await route.handler(hctx);
			return this.send(ctx, r.status, r.status === 204 ? null : r.body, r.headers);
		} catch (e) {
			if (e instanceof ValidationError) {
				this.stats.validationRejects++;
				return this.send(ctx, 400, error(400, `Invalid request: ${e.message}`, resource));
			}
			if (e instanceof RequestError) {
				if (e.status === 400) this.stats.validationRejects++;
				return this.send(ctx, e.status, error(e.status, e.message, resource));
			}
			throw e;
		}
	}

	// ---- admin -----------------------------------------------------------------------------------
	async admin(req, res, url) {
		const raw = await readBody(req);
		let body = {};
		if (raw.length) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				return json(res, 400, { error: 'admin endpoints take JSON bodies' });
			}
		}
		const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
		try {
			switch (route) {
				case 'POST /__admin/reset':
					this.reset();
					return json(res, 200, { ok: true });
				case 'POST /__admin/seed':
					return json(res, 200, this.seed(body));
				case 'POST /__admin/clock':
					if (body.freeze === true) this.freezeClock(body.atMs);
					if (body.freeze === false) this.unfreezeClock();
					this.advanceClock(Number(body.advanceMs ?? 0));
					return json(res, 200, { now: this.now(), iso: new Date(this.now()).toISOString() });
				case 'GET /__admin/clock':
					return json(res, 200, { now: this.now(), iso: new Date(this.now()).toISOString() });
				case 'POST /__admin/tokens':
					return json(res, 200, this.issueTokens(body));
				case 'POST /__admin/expire-access-tokens':
					this.expireAccessTokens();
					return json(res, 200, { ok: true });
				case 'POST /__admin/faults':
					this.setFaults(body);
					return json(res, 200, { ok: true });
				case 'DELETE /__admin/faults':
					this.clearFaults();
					return json(res, 200, { ok: true });
				case 'POST /__admin/config':
					this.setConfig(body);
					return json(res, 200, this.config);
				case 'GET /__admin/config':
					return json(res, 200, this.config);
				case 'GET /__admin/log':
					return json(res, 200, this.log());
				case 'GET /__admin/counters':
					return json(res, 200, this.counters());
				case 'GET /__admin/store':
					return json(res, 200, this.store.snapshot());
				case 'POST /__admin/hooks/flush':
					return json(res, 200, await this.flushHooks());
				case 'POST /__admin/hooks/emit':
					for (const e of Array.isArray(body) ? body : [body]) this.emitHook(e);
					return json(res, 200, { ok: true });
				case 'GET /__admin/hooks/deliveries':
					return json(res, 200, this.hookDeliveries());
			}
			return json(res, 404, { error: `unknown admin endpoint ${route}` });
		} catch (e) {
			return json(res, 400, { error: e.message });
		}
	}

	// ---- in-process admin --------------------------------------------------------------------------
	seed(data) {
		return applySeed(this, data === 'demo' ? { demo: true } : data);
	}

	advanceClock(ms) {
		if (!Number.isFinite(ms)) throw new Error('advanceClock needs a number of milliseconds');
		this.clockOffset += ms;
		return this.now();
	}

	issueTokens({ clientId = CLIENT_ID, userId = 1 } = {}) {
		if (!this.oauth.clients.has(clientId)) throw new Error(`unknown OAuth client ${clientId}`);
		return this.oauth.issueTokens({ clientId, userId });
	}

	expireAccessTokens() {
		this.oauth.expireAccessTokens();
	}

	/** Sets the legacy XML-RPC credit bank (xmlrpcLegacyThrottle 'on') to `n` credits, counted from now. */
	setXmlRpcCredits(n) {
		this.xmlrpcThrottle.reset();
		this.xmlrpcThrottle.credits = n;
	}

	setFaults(faults) {
		const list = Array.isArray(faults) ? faults : [faults];
		this.faults = list.map((f) => ({ ...f, remaining: f.count ?? Infinity }));
	}

	clearFaults() {
		this.faults = [];
	}

	setConfig(patch) {
		this.config = mergeConfig(this.config, patch);
		return this.config;
	}

	log() {
		return clone(this.requestLog);
	}

	counters() {
		return clone(this.stats);
	}

	flushHooks() {
		return this.hooks.flush();
	}

	/** Raises hook events by hand: `{ eventKey, id, objectType?, apiPath?, contactId? }` or a list (hooks.mjs emitByHand). */
	emitHook(event) {
		for (const e of Array.isArray(event) ? event : [event]) this.hooks.emitByHand(e);
	}

	hookDeliveries() {
		return clone(this.hooks.deliveries);
	}
}

function redactQuery(query) {
	const out = {};
	for (const [k, v] of query) {
		const val = k === 'access_token' ? `${v.slice(0, 7)}…` : v;
		if (k in out) out[k] = [].concat(out[k], val);
		else out[k] = val;
	}
	return out;
}

function faultBody(status, path) {
	if (status === 502 || status === 503 || status === 504) {
		return {
			fault: {
				faultstring: status === 503 ? 'The Service is temporarily unavailable' : 'Unexpected EOF at target',
				detail: { errorcode: status === 503 ? 'messaging.adaptors.http.flow.ServiceUnavailable' : 'messaging.adaptors.http.flow.UnexpectedEOFAtTarget' },
			},
		};
	}
	if (path.startsWith('/crm/rest/v2')) return { code: status, message: 'Internal Server Error', status: STATUS_TEXT[status] ?? 'Error', details: [] };
	return { message: STATUS_TEXT[status] ?? 'Error' };
}

function json(res, status, body) {
	const buf = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length });
	res.end(buf);
}

/**
 * Starts an emulator. Options: { port = 0, host = '127.0.0.1', validate = true,
 * seed = 'none' | 'demo', limits (object to override quotas, or false), refreshErrorVariant,
 * config (any CONFIG_DEFAULTS key), quiet, tls ({ key, cert } PEM, or any https.createServer option:
 * serve HTTPS; emu.url then starts with https://) }.
 */
export async function startEmulator(opts = {}) {
	const host = opts.host ?? '127.0.0.1';
	const emu = new Emulator(opts);
	await emu.listen(opts.port ?? 0, host);
	return emu;
}
