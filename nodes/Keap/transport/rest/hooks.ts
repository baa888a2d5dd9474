/**
 * Keap REST hooks, the webhook trigger's subscriptions (REST v1 only: v2 has no hook endpoints).
 * Hook answers are not v2 records (the listing is a bare array), so these calls read the
 * response as it is.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RestClient } from './client';
import { UnreadableAnswerError, V1 } from './client';

export interface RestHook {
	key: string;
	eventKey: string;
	hookUrl: string;
	status: 'Verified' | 'Unverified' | 'Inactive' | string;
}

function hookFrom(raw: IDataObject): RestHook {
	return {
		key: String(raw.key),
		eventKey: String(raw.eventKey),
		hookUrl: String(raw.hookUrl),
		status: String(raw.status ?? ''),
	};
}

export class RestHooks {
	constructor(private readonly rest: RestClient) {}

	async list(): Promise<RestHook[]> {
		const res = await this.rest.json('GET', `${V1}/hooks`);
		if (!Array.isArray(res.body)) throw new UnreadableAnswerError(res.call, res.status, 'it is not a list of hooks');
		return (res.body as IDataObject[]).map(hookFrom);
	}

	/** The event keys Keap offers (GET /v1/hooks/event_keys: a list of strings). */
	async eventKeys(): Promise<string[]> {
		const res = await this.rest.json('GET', `${V1}/hooks/event_keys`);
		const keys = res.body as unknown;
		if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && /^[A-Za-z0-9_.]{1,100}$/.test(k))) {
			throw new UnreadableAnswerError(res.call, res.status, 'it is not a list of event keys');
		}
		return keys as string[];
	}

	/** Creates a subscription; Keap runs the X-Hook-Secret handshake against hookUrl before answering. */
	async create(eventKey: string, hookUrl: string): Promise<RestHook> {
		const res = await this.rest.http.request({ method: 'POST', path: `${V1}/hooks`, body: { eventKey, hookUrl } });
		return hookFrom(res.body as IDataObject);
	}

	/** Asks Keap to run the handshake again (also reactivates an Inactive subscription). */
	async verify(key: string): Promise<RestHook> {
		const res = await this.rest.http.request({
			method: 'POST',
			path: `${V1}/hooks/${encodeURIComponent(key)}/verify`,
			idempotent: true,
		});
		return hookFrom(res.body as IDataObject);
	}

	/** false when Keap no longer had it. */
	async delete(key: string): Promise<boolean> {
		const res = await this.rest.http.request({ method: 'DELETE', path: `${V1}/hooks/${encodeURIComponent(key)}`, acceptStatus: [404] });
		return res.status !== 404;
	}
}

// ---- deliveries: what an apiUrl of Keap's looks like -------------------------------------------
/** Keap's API hosts; an apiUrl must be on one of them or on the credential's own base URL. */
const KEAP_API_HOSTS = ['api.infusionsoft.com', 'api.keap.com'];

/** The REST resource (path segment, lower case) of an object type's own records. */
function resourceOf(objectType: string): string {
	const special: Record<string, string> = { company: 'companies', contactGroup: 'tags', opportunity: 'opportunities', leadsource: 'leadsources' };
	return (special[objectType] ?? `${objectType}s`).toLowerCase();
}

/**
 * Whether `apiUrl` is one Keap would send for object `id`: on Keap's API (or the credential's
 * base URL, e.g. a proxy), under `/crm/rest/`, and, when it is a URL of the object's own
 * resource ("/contacts/12" for a contact), naming `id`. An empty or missing apiUrl is allowed (Keap may send none for deletes).
 */
export function apiUrlProblem(apiUrl: string | undefined, id: string, objectType: string, baseUrl: string | undefined): string | undefined {
	if (apiUrl === undefined || apiUrl === '') return undefined;
	let url: URL;
	try {
		url = new URL(apiUrl);
	} catch {
		return 'an apiUrl is not a URL';
	}
	let base: URL | undefined;
	try {
		base = baseUrl ? new URL(baseUrl) : undefined;
	} catch {
		base = undefined;
	}
	const ours = base !== undefined && url.host === base.host && url.protocol === base.protocol;
	if (!ours && !(url.protocol === 'https:' && KEAP_API_HOSTS.includes(url.hostname))) return "an apiUrl is not on Keap's API host";
	if (!url.pathname.startsWith('/crm/rest/')) return "an apiUrl is not a Keap REST URL";
	// A URL of the object's own resource ("/contacts/12" for a contact) must name its id; Keap's
	// URLs of another resource (an invoice's order) name that resource's record.
	const segments = url.pathname.replace(/\/+$/, '').split('/');
	const last = segments.pop() ?? '';
	const resource = (segments.pop() ?? '').toLowerCase();
	if (/^\d+$/.test(last) && resource === resourceOf(objectType) && last !== id) return 'an apiUrl names another object than its id';
	return undefined;
}
