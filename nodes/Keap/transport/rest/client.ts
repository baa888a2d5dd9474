/**
 * Keap's REST API as the object modules beside this file use it: v2 for everything it offers
 * (Keap labels it "Active"), v1 only where v2 has no equivalent; JSON bodies, v2's `filter`
 * syntax and page tokens. Each Keap object has one module here (contacts.ts, tags.ts,
 * hooks.ts, ...) whose class takes a RestClient; these modules are the only code that knows
 * REST paths and queries. An operation of a REST-only object builds its module from the
 * session: `new RestHooks(session.rest)`.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { KEAP_REST_V1_PATH, KEAP_REST_V2_PATH } from '../../../../credentials/common/keap';
import type { KeapHttp } from '../http';

export const V1 = KEAP_REST_V1_PATH;
export const V2 = KEAP_REST_V2_PATH;

/** Largest page_size Keap's v2 listings take. */
export const V2_MAX_PAGE_SIZE = 1000;

/**
 * Keap's gateway (Apigee Edge) refuses a request line (method, request target with its query,
 * HTTP version) over 7,168 bytes with `414 protocol.http.TooBigLine` (KEAP-API.md section 7).
 */
export const REQUEST_LINE_MAX = 7168;
/** Room kept free on a request line for what is added later: a page_token, a base URL's path. */
const REQUEST_LINE_RESERVE = 512;

/** A query value as n8n's serializer writes it (RFC 3986: all but A-Z a-z 0-9 - . _ ~ escaped). */
export function queryEncoded(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The bytes of `METHOD path?query HTTP/1.1` (ASCII once encoded; `path` is one of ours). */
export function requestLineBytes(method: string, path: string, qs: Record<string, string | number>): number {
	const query = Object.entries(qs).map(([k, v]) => `${queryEncoded(k)}=${queryEncoded(String(v))}`).join('&');
	return `${method} ${encodeURI(path)}${query ? `?${query}` : ''} HTTP/1.1`.length;
}

/**
 * Splits `values` into runs for one `field==v1,v2,...` filter each: at most `max` values a run,
 * and each run's request line (GET `path` with `qs` and the filter) within REQUEST_LINE_MAX less
 * a reserve for a page token.
 */
export function filterListRuns(path: string, qs: Record<string, string | number>, field: string, values: string[], max: number): string[][] {
	const budget = REQUEST_LINE_MAX - REQUEST_LINE_RESERVE;
	const base = requestLineBytes('GET', path, { ...qs, filter: `${field}==` });
	const runs: string[][] = [];
	let run: string[] = [];
	let size = base;
	for (const v of values) {
		const add = queryEncoded(v).length + (run.length ? queryEncoded(',').length : 0);
		if (run.length && (run.length >= max || size + add > budget)) {
			runs.push(run);
			run = [];
			size = base;
		}
		size += run.length ? add : queryEncoded(v).length;
		if (size > budget) throw new Error(`The value "${v}" of the ${field} filter makes a request line longer than Keap's gateway takes`);
		run.push(v);
	}
	if (run.length) runs.push(run);
	return runs;
}

export interface RestCallOptions {
	qs?: IDataObject;
	body?: IDataObject;
	/** Statuses that are answers, not errors (e.g. 404 on a look-up). */
	acceptStatus?: number[];
	/** Safe to send again after a 5xx or a dropped connection (default: GET, PUT, DELETE). */
	idempotent?: boolean;
	itemIndex?: number;
}

/** A v2 `filter` value: `field==value` clauses joined by `;`. Keap has no escape for `;`. */
export function v2Filter(clauses: Array<[string, string | undefined]>, op = '=='): string | undefined {
	const parts: string[] = [];
	for (const [field, value] of clauses) {
		if (value === undefined || value === '') continue;
		if (value.includes(';')) throw new Error(`The ${field} filter cannot contain ";" (Keap uses it to separate filters)`);
		parts.push(`${field}${op}${value}`);
	}
	return parts.length ? parts.join(';') : undefined;
}

/** The cursor of a v2 listing's next page, if there is one. */
export function nextPageToken(body: IDataObject): string | undefined {
	const t = body.next_page_token;
	return typeof t === 'string' && t !== '' ? t : undefined;
}

export class RestClient {
	constructor(readonly http: KeapHttp) {}

	/** One call; the body of any 2xx (or accepted) answer, `{}` when there is none. */
	async json(method: IHttpRequestMethods, path: string, opts: RestCallOptions = {}) {
		const res = await this.http.request(
			{ method, path, qs: opts.qs, body: opts.body, acceptStatus: opts.acceptStatus, idempotent: opts.idempotent },
			opts.itemIndex,
		);
		return { status: res.status, body: (res.body ?? {}) as IDataObject };
	}

	/** Every record of a v2 listing (the array under `key`), a full page at a time. */
	async allPages(path: string, key: string, qs: IDataObject = {}, itemIndex?: number): Promise<IDataObject[]> {
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const res = await this.json('GET', path, {
				qs: { page_size: V2_MAX_PAGE_SIZE, ...qs, ...(cursor ? { page_token: cursor } : {}) },
				itemIndex,
			});
			out.push(...((res.body[key] as IDataObject[]) ?? []));
			cursor = nextPageToken(res.body);
		} while (cursor);
		return out;
	}
}
