// Test helpers for the emulator's own tests (real HTTP with fetch).
import serializer from 'xmlrpc/lib/serializer.js';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import { PassThrough } from 'node:stream';
import http from 'node:http';
import { startEmulator as start, PAT, SAK, CLIENT_ID, CLIENT_SECRET } from './index.mjs';

export { PAT, SAK, CLIENT_ID, CLIENT_SECRET };

/** The emulator's own tests check its defaults: KEAP_EMULATOR_SWITCHES does not apply to them. */
export const startEmulator = (opts = {}) => start({ envSwitches: false, ...opts });

export const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

/** fetch with a 10 s bound; returns { status, headers, body (parsed JSON or text), text }. */
export async function call(url, { method = 'GET', headers = {}, json, body, auth = PAT } = {}) {
	const h = { ...headers };
	if (auth && !('authorization' in h) && !('x-keap-api-key' in h)) h.authorization = `Bearer ${auth}`;
	let payload = body;
	if (json !== undefined) {
		payload = JSON.stringify(json);
		h['content-type'] = 'application/json';
	}
	const res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
	const text = await res.text();
	let parsed = text;
	if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
	return { status: res.status, headers: res.headers, body: parsed, text };
}

export function form(obj) {
	return new URLSearchParams(obj).toString();
}

/** XML-RPC call built with the `xmlrpc` library's serializer; resolves { value } or { fault }, plus the raw XML. */
export async function xmlrpc(emu, method, params, { headers = { 'x-keap-api-key': PAT }, path = '/crm/xmlrpc/v1' } = {}) {
	const xml = serializer.serializeMethodCall(method, params);
	const res = await fetch(emu.url + path, { method: 'POST', headers: { 'content-type': 'text/xml', ...headers }, body: xml, signal: AbortSignal.timeout(10_000) });
	const text = await res.text();
	const out = await new Promise((resolve) => {
		const s = new PassThrough();
		new Deserializer().deserializeMethodResponse(s, (err, value) => {
			if (err && err.faultCode !== undefined) resolve({ fault: { code: err.faultCode, string: err.faultString } });
			else if (err) resolve({ error: err });
			else resolve({ value });
		});
		s.end(text);
	});
	return { ...out, status: res.status, text, headers: res.headers };
}

/**
 * A local hook receiver. mode: 'echo' (200 + X-Hook-Secret), 'noecho' (200 without), or a
 * status code to answer every request with. Records every request.
 */
export async function hookReceiver(mode = 'echo') {
	const requests = [];
	const waiters = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const entry = { headers: req.headers, body: body ? JSON.parse(body) : null };
			requests.push(entry);
			const secret = req.headers['x-hook-secret'];
			const m = typeof receiver.mode === 'number' ? receiver.mode : 200;
			const headers = receiver.mode === 'echo' && secret ? { 'x-hook-secret': secret } : {};
			res.writeHead(m, headers);
			res.end();
			for (const w of waiters.splice(0)) w();
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const receiver = {
		mode,
		url: `http://127.0.0.1:${server.address().port}/hook`,
		requests,
		events: () => requests.filter((r) => r.body),
		/** Resolves when `n` event deliveries (with a body) arrived, or rejects after timeoutMs. */
		waitForEvents(n, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const t = setTimeout(() => reject(new Error(`timed out waiting for ${n} hook events (got ${receiver.events().length})`)), timeoutMs);
				const check = () => {
					if (receiver.events().length >= n) {
						clearTimeout(t);
						resolve(receiver.events());
					} else waiters.push(check);
				};
				check();
			});
		},
		close: () => new Promise((r) => server.close(r)),
	};
	return receiver;
}
