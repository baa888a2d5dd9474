// REST hooks: subscriptions, the X-Hook-Secret handshake, batched event delivery with retries.
// Keap's delays (30-60 s first delivery, retries after 30-60 s, 5 min, 30 min) are compressed
// by config: hookDelayMs (batching window) and hookRetryDelaysMs (one delay per retry).
import http from 'node:http';
import https from 'node:https';
import { iso, randomToken } from './util.mjs';

export const EVENT_KEYS = [
	'appointment.add', 'appointment.delete', 'appointment.edit',
	'company.add', 'company.delete', 'company.edit',
	'contact.add', 'contact.delete', 'contact.edit', 'contact.redact',
	'contactGroup.add', 'contactGroup.applied', 'contactGroup.delete', 'contactGroup.edit', 'contactGroup.removed',
	'invoice.add', 'invoice.delete', 'invoice.edit', 'invoice.payment.add', 'invoice.payment.delete', 'invoice.payment.edit',
	'leadsource.add', 'leadsource.delete', 'leadsource.edit',
	'note.add', 'note.delete', 'note.edit',
	'opportunity.add', 'opportunity.delete', 'opportunity.edit', 'opportunity.stage_move',
	'order.add', 'order.delete', 'order.edit',
	'product.add', 'product.delete', 'product.edit',
	'subscription.add', 'subscription.delete', 'subscription.edit',
	'task.add', 'task.delete', 'task.edit',
	'user.activate', 'user.add', 'user.edit',
];

const MAX_ATTEMPTS = 4;

/** The apiUrl path an event of each object type names when it is raised by hand (emitHook). */
const API_PATHS = {
	appointment: (id) => `/crm/rest/v1/appointments/${id}`,
	company: (id) => `/crm/rest/v1/companies/${id}`,
	contact: (id) => `/crm/rest/v1/contacts/${id}`,
	contactGroup: (id) => `/crm/rest/v1/tags/${id}`,
	note: (id) => `/crm/rest/v1/notes/${id}`,
	opportunity: (id) => `/crm/rest/v1/opportunities/${id}`,
	order: (id) => `/crm/rest/v1/orders/${id}`,
	product: (id) => `/crm/rest/v1/products/${id}`,
	subscription: (id) => `/crm/rest/v2/subscriptions/${id}`,
	task: (id) => `/crm/rest/v1/tasks/${id}`,
	user: (id) => `/crm/rest/v2/users/${id}`,
	leadsource: (id) => `/crm/rest/v2/leadSources/${id}`,
};

/** The object type of an event key: what comes before its last dot (`invoice.payment` of `invoice.payment.add`). */
export function objectTypeOf(eventKey) {
	return eventKey.slice(0, eventKey.lastIndexOf('.'));
}

function isLoopback(hostname) {
	const h = hostname.replace(/^\[|\]$/g, '');
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** POSTs and resolves { status, headers } or { error }; never rejects. */
function post(urlString, headers, body, timeoutMs, allowNonLoopback) {
	return new Promise((resolve) => {
		let url;
		try {
			url = new URL(urlString);
		} catch {
			resolve({ error: 'invalid URL' });
			return;
		}
		if (!allowNonLoopback && !isLoopback(url.hostname)) {
			resolve({ error: 'not contacted: the emulator only calls loopback hook URLs (config hookAllowNonLoopback)' });
			return;
		}
		const mod = url.protocol === 'https:' ? https : http;
		const payload = body === null ? Buffer.alloc(0) : Buffer.from(body);
		const req = mod.request(
			url,
			{
				method: 'POST',
				agent: false,
				headers: { 'content-type': 'application/json', 'content-length': payload.length, connection: 'close', ...headers },
				timeout: timeoutMs,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
				res.on('error', (e) => resolve({ error: e.message }));
			},
		);
		req.on('timeout', () => {
			req.destroy(new Error(`timeout after ${timeoutMs} ms`));
		});
		req.on('error', (e) => resolve({ error: e.message }));
		req.end(payload);
	});
}

export class Hooks {
	constructor(emu) {
		this.emu = emu;
		this.pending = new Map();
		this.batchTimer = null;
		this.retries = new Set();
		this.inflight = new Set();
		this.deliveries = [];
		this.closed = false;
	}

	get store() {
		return this.emu.store;
	}

	reset() {
		clearTimeout(this.batchTimer);
		this.batchTimer = null;
		for (const r of this.retries) clearTimeout(r.timer);
		this.retries.clear();
		this.pending.clear();
		this.deliveries = [];
	}

	close() {
		this.closed = true;
		this.reset();
	}

	create(eventKey, hookUrl) {
		const hook = { key: randomToken('', 9).replace(/[-_]/g, 'x'), eventKey, hookUrl, status: 'Unverified', secret: null, failures: 0 };
		this.store.hooks.set(hook.key, hook);
		return hook;
	}

	/** The handshake: POST with X-Hook-Secret; Verified only on 200 echoing the header. */
	async verify(hook) {
		const secret = randomToken('', 24);
		hook.secret = secret;
		this.emu.stats.hookVerifications++;
		const cfg = this.emu.config;
		const r = await post(hook.hookUrl, { 'x-hook-secret': secret }, null, cfg.hookTimeoutMs, cfg.hookAllowNonLoopback);
		const ok = r.status === 200 && r.headers?.['x-hook-secret'] === secret;
		hook.status = ok ? 'Verified' : 'Unverified';
		if (ok) hook.failures = 0;
		this.deliveries.push({ t: this.emu.now(), kind: 'verify', key: hook.key, hookUrl: hook.hookUrl, status: r.status ?? null, ok, error: r.error });
		return hook;
	}

	delayedVerify(hook, secret) {
		if (hook.secret && secret === hook.secret) {
			hook.status = 'Verified';
			hook.failures = 0;
		}
		return hook;
	}

	// ---- events --------------------------------------------------------------------------------
	/**
	 * An event of any key in Keap's list, as if the change had been made in Keap's own UI (users,
	 * lead sources, redactions...: changes the API cannot make). `apiPath` defaults to the object's
	 * URL ('' for deletes); `contactId` adds a contact to a tag event.
	 */
	emitByHand({ eventKey, id, objectType, apiPath, contactId }) {
		if (!EVENT_KEYS.includes(eventKey)) throw new Error(`"${eventKey}" is not one of Keap's event keys`);
		if (!/^\d+$/.test(String(id ?? ''))) throw new Error('an event needs a numeric id');
		const type = objectType ?? objectTypeOf(eventKey);
		const path = apiPath ?? (eventKey.endsWith('.delete') ? '' : (API_PATHS[type]?.(id) ?? ''));
		this.emit(eventKey, type, Number(id), { apiPath: path, contactId });
	}

	emit(eventKey, objectType, id, extra = {}) {
		if (this.closed) return;
		const origin = this.emu.url;
		let apiUrl = '';
		// An event names the resource its apiUrl points at (`extra.apiPath`, '' for none: see
		// objects/common.mjs emit()); the store's contact and tag events point at the v1 records.
		// Deletes carry "" unless switch hookDeleteApiUrl says 'url'.
		const apiPath = extra.apiPath ?? `/crm/rest/v1/${objectType === 'contact' ? 'contacts' : 'tags'}/${id}`;
		if (apiPath && (!eventKey.endsWith('.delete') || this.emu.config.hookDeleteApiUrl === 'url')) apiUrl = `${origin}${apiPath}`;
		let list = this.pending.get(eventKey);
		if (!list) this.pending.set(eventKey, (list = []));
		list.push({ objectType, id, apiUrl, timestamp: iso(this.emu.now()), contactId: extra.contactId });
		if (!this.batchTimer) {
			this.batchTimer = setTimeout(() => {
				this.batchTimer = null;
				this.deliverPending();
			}, this.emu.config.hookDelayMs);
			this.batchTimer.unref?.();
		}
	}

	/** Builds the payload entries of one event key: one entry per object (latest wins). */
	entriesOf(eventKey, list) {
		const byId = new Map();
		if (this.emu.config.hookTagPayload === 'contact-keys' && list.some((e) => e.contactId !== undefined)) {
			// Switch hookTagPayload 'contact-keys': one entry per contact, the contact's id and URL.
			for (const e of list) {
				byId.set(e.contactId, { id: e.contactId, apiUrl: `${this.emu.url}/crm/rest/v1/contacts/${e.contactId}`, timestamp: e.timestamp });
			}
			return [...byId.values()];
		}
		for (const e of list) {
			const prev = byId.get(e.id);
			const entry = { id: e.id, apiUrl: e.apiUrl, timestamp: e.timestamp };
			if (e.contactId !== undefined) {
				// contactGroup.applied / .removed: the contacts concerned (payload detail unverified)
				entry.contactDetails = [...(prev?.contactDetails ?? []), { id: e.contactId }];
			}
			byId.set(e.id, entry);
		}
		return [...byId.values()];
	}

	deliverPending() {
		const started = [];
		const batch = [...this.pending];
		this.pending.clear();
		const max = this.emu.config.hookBatchMax;
		for (const [eventKey, list] of batch) {
			const entries = this.entriesOf(eventKey, list);
			const objectType = list[0].objectType;
			for (const hook of this.store.hooks.values()) {
				if (hook.eventKey !== eventKey || hook.status !== 'Verified') continue;
				for (let i = 0; i < entries.length; i += max) {
					const payload = { event_key: eventKey, object_type: objectType, object_keys: entries.slice(i, i + max) };
					started.push(this.attempt({ hookKey: hook.key, payload, attempt: 1 }));
				}
			}
		}
		return started;
	}

	attempt(job) {
		const p = (async () => {
			const hook = this.store.hooks.get(job.hookKey);
			if (!hook || hook.status !== 'Verified') return null;
			const cfg = this.emu.config;
			const r = await post(hook.hookUrl, {}, JSON.stringify(job.payload), cfg.hookTimeoutMs, cfg.hookAllowNonLoopback);
			const ok = r.status !== undefined && r.status >= 200 && r.status < 400;
			const record = {
				t: this.emu.now(), kind: 'event', key: hook.key, eventKey: job.payload.event_key, hookUrl: hook.hookUrl,
				attempt: job.attempt, status: r.status ?? null, ok, error: r.error, objects: job.payload.object_keys.length,
				payload: job.payload,
			};
			this.deliveries.push(record);
			const c = this.emu.stats;
			c.hookDeliveries++;
			if (!ok) c.hookDeliveriesFailed++;
			if (ok) {
				hook.failures = 0;
			} else if (r.status === 410) {
				hook.status = 'Inactive';
				record.becameInactive = true;
			} else if (job.attempt >= MAX_ATTEMPTS) {
				hook.status = 'Inactive';
				record.becameInactive = true;
			} else if (!this.closed) {
				const delays = cfg.hookRetryDelaysMs;
				const delay = delays[Math.min(job.attempt - 1, delays.length - 1)];
				const retry = { job: { ...job, attempt: job.attempt + 1 }, timer: null };
				retry.timer = setTimeout(() => {
					this.retries.delete(retry);
					this.attempt(retry.job);
				}, delay);
				retry.timer.unref?.();
				this.retries.add(retry);
			}
			return record;
		})();
		this.inflight.add(p);
		p.finally(() => this.inflight.delete(p));
		return p;
	}

	/** Delivers pending batches and due-later retries now; resolves with the attempts made. */
	async flush() {
		clearTimeout(this.batchTimer);
		this.batchTimer = null;
		const running = [...this.inflight];
		const started = this.deliverPending();
		for (const r of [...this.retries]) {
			clearTimeout(r.timer);
			this.retries.delete(r);
			started.push(this.attempt(r.job));
		}
		await Promise.all(running);
		return (await Promise.all(started)).filter(Boolean);
	}
}
