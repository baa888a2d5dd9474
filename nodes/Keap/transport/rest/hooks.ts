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
