/**
 * Keap REST hooks (REST v1 only: v2 has no hook endpoints) and the hydration of hook
 * deliveries into full records, shared by the webhook and polling triggers.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Contact } from '../model/types';
import type { KeapHttp } from './http';
import type { KeapClient, WithRaw } from './client';

const V1 = '/crm/rest/v1';

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

export async function listHooks(http: KeapHttp): Promise<RestHook[]> {
	const res = await http.request({ method: 'GET', path: `${V1}/hooks` });
	return ((res.body as IDataObject[] | undefined) ?? []).map(hookFrom);
}

export async function listEventKeys(http: KeapHttp): Promise<string[]> {
	const res = await http.request({ method: 'GET', path: `${V1}/hooks/event_keys` });
	return ((res.body as unknown[] | undefined) ?? []).map(String);
}

/** Creates a subscription; Keap runs the X-Hook-Secret handshake against hookUrl before answering. */
export async function createHook(http: KeapHttp, eventKey: string, hookUrl: string): Promise<RestHook> {
	const res = await http.request({ method: 'POST', path: `${V1}/hooks`, body: { eventKey, hookUrl } });
	return hookFrom(res.body as IDataObject);
}

/** Asks Keap to run the handshake again (also reactivates an Inactive subscription). */
export async function verifyHook(http: KeapHttp, key: string): Promise<RestHook> {
	const res = await http.request({ method: 'POST', path: `${V1}/hooks/${encodeURIComponent(key)}/verify`, idempotent: true });
	return hookFrom(res.body as IDataObject);
}

/** false when Keap no longer had it. */
export async function deleteHook(http: KeapHttp, key: string): Promise<boolean> {
	const res = await http.request({ method: 'DELETE', path: `${V1}/hooks/${encodeURIComponent(key)}`, acceptStatus: [404] });
	return res.status !== 404;
}

/**
 * Full contact records for a set of ids, with as few calls as the API allows: REST v2 filters
 * by `ids` and serves up to 1000 contacts a page, so 1000 ids take one call.
 */
export async function hydrateContacts(client: KeapClient, ids: string[]): Promise<Map<string, WithRaw<Contact>>> {
	const found = new Map<string, WithRaw<Contact>>();
	const unique = [...new Set(ids)];
	for (let start = 0; start < unique.length; start += client.maxPageSize) {
		const chunk = unique.slice(start, start + client.maxPageSize);
		let cursor: string | undefined;
		do {
			const page = await client.listContacts({ ids: chunk }, client.maxPageSize, cursor);
			for (const c of page.items) found.set(c.value.id, c);
			cursor = page.next;
		} while (cursor);
	}
	return found;
}
