/**
 * Keap's REST API as the object modules beside this file use it: v2 for everything it offers
 * (Keap labels it "Active"), v1 only where v2 has no equivalent; JSON bodies, v2's `filter`
 * syntax and page tokens. Each Keap object has one module here (contacts.ts, tags.ts,
 * hooks.ts, ...) whose class takes a RestClient; these modules are the only code that knows
 * REST paths and queries. An operation of a REST-only object builds its module from the
 * session: `new RestHooks(session.rest)`.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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

/**
 * An answer Keap (or something between us and Keap) gave that is not what the call documents:
 * not JSON (cut off, an HTML page), or JSON of another shape. The call may still have done its
 * work at Keap (a write answered with a cut-off 201): `status` says what the answer claimed.
 */
export class UnreadableAnswerError extends Error {
	constructor(
		/** "POST /crm/rest/v2/contacts" */
		readonly call: string,
		readonly status: number,
		reason: string,
	) {
		super(`Keap's answer to ${call} (HTTP ${status}) could not be read: ${reason}`);
		this.name = 'UnreadableAnswerError';
	}
}

/** One answer of a REST call: its status and its JSON body (an object or an array). */
export interface RestAnswer {
	status: number;
	body: IDataObject;
	/** "METHOD path" of the call, for messages. */
	call: string;
}

/** What a body that is not a JSON object or array looks like, for the message. */
function describeBody(body: unknown): string {
	if (typeof body === 'string') {
		const t = body.trimStart();
		if (/^<(!doctype|html|\?xml|head|body)/i.test(t)) return 'an HTML page instead of JSON';
		if (/^[[{]/.test(t)) return 'incomplete JSON (the answer was cut off or malformed)';
		return 'text instead of JSON';
	}
	return `a JSON ${body === null ? 'null' : typeof body} instead of an object`;
}

/**
 * The list under `key` of a v2 answer. Keap leaves an empty list out of its JSON (so
 * `{"next_page_token": ""}` is an empty page), but a body with other properties than the
 * documented `siblings` and no list is not a Keap listing: an error, never "0 items".
 */
export function listOf(res: RestAnswer, key: string, siblings: string[] = ['next_page_token']): IDataObject[] {
	const list = res.body[key];
	if (Array.isArray(list)) {
		if (list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return list as IDataObject[];
		throw new UnreadableAnswerError(res.call, res.status, `its "${key}" list holds something other than records`);
	}
	const others = Array.isArray(res.body) ? ['(a bare list)'] : Object.keys(res.body).filter((k) => !siblings.includes(k));
	if (list === undefined && others.length === 0) return [];
	throw new UnreadableAnswerError(res.call, res.status, `it holds no "${key}" list (found ${others.slice(0, 5).join(', ') || 'nothing'})`);
}

const isKeapId = (id: unknown) => (typeof id === 'string' && /^\d+$/.test(id)) || (typeof id === 'number' && Number.isInteger(id));

/** The record a call answered with, which must carry an id (a contact, a tag). */
export function recordOf(res: RestAnswer, what: string): IDataObject {
	if (!Array.isArray(res.body) && isKeapId(res.body.id)) return res.body;
	throw new UnreadableAnswerError(res.call, res.status, `it is not a ${what} (no id)`);
}

/** The records of a v2 listing (listOf), each of which must carry an id. */
export function recordsOf(res: RestAnswer, key: string, what: string): IDataObject[] {
	const list = listOf(res, key);
	if (list.every((r) => isKeapId(r.id))) return list;
	throw new UnreadableAnswerError(res.call, res.status, `its "${key}" list holds a ${what} without an id`);
}

export class RestClient {
	constructor(readonly http: KeapHttp) {}

	/**
	 * One call; the JSON body of any 2xx (or accepted) answer, `{}` when there is none (204).
	 * A body that is not JSON, or JSON that is not an object or a list, is an
	 * UnreadableAnswerError: never read as an empty answer.
	 */
	async json(method: IHttpRequestMethods, path: string, opts: RestCallOptions = {}): Promise<RestAnswer> {
		const res = await this.http.request(
			{ method, path, qs: opts.qs, body: opts.body, acceptStatus: opts.acceptStatus, idempotent: opts.idempotent },
			opts.itemIndex,
		);
		const call = `${method} ${path}`;
		let body = res.body;
		if (body === undefined || body === '') return { status: res.status, body: {}, call };
		if (typeof body === 'string') {
			// JSON sent with another content type is still JSON.
			const text = body;
			body = undefined;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: reported below
			}
			if (body === undefined) throw new UnreadableAnswerError(call, res.status, describeBody(text));
		}
		if (body === null || typeof body !== 'object') throw new UnreadableAnswerError(call, res.status, describeBody(body));
		return { status: res.status, body: body as IDataObject, call };
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
			out.push(...listOf(res, key));
			cursor = nextPageToken(res.body);
		} while (cursor);
		return out;
	}
}

/**
 * Whether a write that failed may still have been done by Keap: no answer at all (a dropped
 * connection, a timeout), a 5xx, or an answer that could not be read. A 4xx is Keap refusing
 * it (429 included: throttled before anything happened).
 */
export function outcomeUnknown(error: unknown): boolean {
	if (error instanceof UnreadableAnswerError) return true;
	if (error instanceof NodeApiError) {
		const status = Number(error.httpCode);
		return !error.httpCode || !Number.isInteger(status) || status >= 500;
	}
	return false;
}
