/**
 * Keap REST hooks, the webhook trigger's subscriptions (REST v1 only: v2 has no hook endpoints).
 * Hook answers are not v2 records (the listing is a bare array), so these calls read the
 * response as it is.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RestClient } from './client';
import { V1 } from './client';

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
		const res = await this.rest.http.request({ method: 'GET', path: `${V1}/hooks` });
		return ((res.body as IDataObject[] | undefined) ?? []).map(hookFrom);
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
