/**
 * Keap's XML-RPC API (`POST /crm/xmlrpc/v1`, deprecated by Keap; sunset announced for the end
 * of 2026) as calls: one method call in, its value or its fault out, and DataService.query a
 * page at a time. Call Method and Query Table use it as it is; the contact, tag and look-up
 * modules beside it (contacts.ts, tags.ts, lookups.ts) build the KeapClient on it
 * (index.ts). These modules are the only code that knows XML-RPC method, table and column
 * names; the codec (codec.ts) is the only code that writes XML.
 *
 * Authentication is the credential's, exactly as for REST (transport/auth adds Bearer or
 * X-Keap-API-Key to every request). The `privateKey` first parameter Keap's methods still take
 * is ignored with header auth, so a placeholder goes there.
 *
 * Faults (HTTP 200 with <fault>) become NodeApiErrors whose message names the fault and its
 * code, e.g. `Keap XML-RPC fault [RecordNotFound] (code 5): ...`.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { KEAP_XMLRPC_PATH } from '../../../../credentials/common/keap';
import type { KeapHttp } from '../http';
import {
	encodeMethodCall,
	parseKeapDate,
	parseMethodResponse,
	XmlRpcBase64,
	XmlRpcDateTime,
	XmlRpcDouble,
	type XmlRpcFault,
	type XmlRpcValue,
} from './codec';
import { retiredFault, retiredStatus, retiredXmlRpcError } from './retired';
import { isThrottleRejection, waitAfterRejection, xmlRpcSlotsFor, type Slots } from './threads';

/** Sent as `privateKey`; Keap ignores it when the request carries header or Bearer auth. */
const PRIVATE_KEY_PLACEHOLDER = 'n8n-nodes-keap';
/** Methods that take no privateKey. */
const NO_KEY_METHODS = new Set(['DataService.getUserInfo']);

/** Parallel calls when one operation needs a call per contact or per tag. */
export const FAN_OUT = 4;

export type Struct = Record<string, XmlRpcValue>;

/** A fault Keap answered, as the NodeApiError the node reports; `fault` keeps its name and code. */
export class XmlRpcFaultError extends NodeApiError {
	constructor(
		node: INode,
		readonly method: string,
		readonly fault: XmlRpcFault,
		itemIndex?: number,
	) {
		super(node, { faultCode: fault.code, faultString: fault.string } as JsonObject, {
			message: `Keap XML-RPC fault ${fault.name ? `[${fault.name}] ` : ''}(code ${fault.code}): ${fault.message}`,
			description: `${method} -> fault ${fault.code}${fault.name ? ` ${fault.name}` : ''}`,
			itemIndex,
		});
	}
}

export interface CallOptions {
	/** Safe to send again after a dropped connection or a 5xx (reads, updates, dup-checked adds). */
	idempotent?: boolean;
	itemIndex?: number;
}

/** An XML-RPC value as plain JSON: dates as Keap's text (`raw`) or as ISO instants (`iso`). */
export function xmlRpcToJson(value: XmlRpcValue, dates: 'raw' | 'iso' = 'raw'): unknown {
	if (value instanceof XmlRpcDateTime) {
		if (dates === 'raw') return value.text;
		try {
			return parseKeapDate(value.text);
		} catch {
			return value.text;
		}
	}
	if (value instanceof XmlRpcBase64) return value.base64;
	if (value instanceof XmlRpcDouble) return value.value;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map((v) => xmlRpcToJson(v, dates));
	if (value && typeof value === 'object') {
		const out: IDataObject = {};
		for (const [k, v] of Object.entries(value)) out[k] = xmlRpcToJson(v, dates) as IDataObject[string];
		return out;
	}
	return value;
}

/** A neutral `*` suffix wildcard as XML-RPC's `%`. (Keap has no escape for a literal `%`.) */
export function wildcard(value: string): string {
	return value.endsWith('*') ? `${value.slice(0, -1)}%` : value;
}

/** Page cursors are `<page>:<size>`: the size a listing started with stays fixed across pages. */
export function decodeCursor(cursor: string | undefined, pageSize: number): { page: number; size: number } {
	if (!cursor) return { page: 0, size: Math.max(1, Math.min(1000, Math.floor(pageSize))) };
	const m = /^(\d+):(\d+)$/.exec(cursor);
	if (!m) throw new Error(`Invalid XML-RPC page cursor "${cursor}"`);
	return { page: Number(m[1]), size: Number(m[2]) };
}

export async function mapLimit<T, R>(list: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(list.length);
	let next = 0;
	const worker = async () => {
		while (next < list.length) {
			const i = next++;
			out[i] = await fn(list[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
	return out;
}

export function structs(value: XmlRpcValue): Struct[] {
	return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object' && !Array.isArray(v)) as Struct[]) : [];
}

/** A fault saying the table or method is not there for this account/credential. */
export function unavailable(fault: XmlRpcFault): boolean {
	return fault.name === 'NoTableFound' || fault.name === 'NoTableAccess' || /^No such handler/.test(fault.message);
}

export function idOf(value: XmlRpcValue): string {
	return String(value);
}

export class XmlRpcClient {
	constructor(
		private readonly http: KeapHttp,
		/** The node errors are reported for. */
		readonly getNode: () => INode,
	) {
		this.slots = xmlRpcSlotsFor(http.pacer);
	}

	/** At most 3 calls at once for this credential in this process (threads.ts: the legacy throttle). */
	private readonly slots: Slots;

	/**
	 * One XML-RPC call; returns the value or the fault. Transport errors throw NodeApiErrors. A
	 * throttle rejection (threads.ts) is sent again after a pause; after the last pause it is
	 * returned as the fault it is.
	 */
	async invoke(method: string, params: XmlRpcValue[], opts: CallOptions = {}): Promise<{ value: XmlRpcValue } | { fault: XmlRpcFault }> {
		const full = NO_KEY_METHODS.has(method) ? params : [PRIVATE_KEY_PLACEHOLDER, ...params];
		const body = encodeMethodCall(method, full);
		for (let attempt = 0; ; attempt++) {
			let res: Awaited<ReturnType<KeapHttp['request']>>;
			try {
				res = await this.slots.run(
					async () =>
						await this.http.request(
							{
								method: 'POST',
								path: KEAP_XMLRPC_PATH,
								body,
								headers: { 'Content-Type': 'text/xml' },
								text: true,
								idempotent: opts.idempotent ?? false,
							},
							opts.itemIndex,
						),
				);
			} catch (error) {
				throw this.retiredOr(error, method, opts.itemIndex);
			}
			const text = typeof res.body === 'string' ? res.body : String(res.body ?? '');
			let parsed: ReturnType<typeof parseMethodResponse>;
			try {
				parsed = parseMethodResponse(text);
			} catch (error) {
				// Not XML-RPC at all (a web page, nothing): also what a retired endpoint may send.
				throw retiredXmlRpcError(this.getNode(), method, `an answer that is not XML-RPC (${(error as Error).message})`, opts.itemIndex);
			}
			if (parsed.ok) return { value: parsed.value };
			if (retiredFault(parsed.fault)) {
				const f = parsed.fault;
				throw retiredXmlRpcError(this.getNode(), method, `fault ${f.code}${f.name ? ` [${f.name}]` : ''}: ${f.message}`, opts.itemIndex);
			}
			// The throttle turned the call away before it ran: sending it again is safe.
			if (isThrottleRejection(parsed.fault) && (await waitAfterRejection(attempt))) continue;
			return { fault: parsed.fault };
		}
	}

	/** A 404, 410 or 5xx from the XML-RPC endpoint is what a retired one answers (retired.ts); other errors stay as they are. */
	private retiredOr(error: unknown, method: string, itemIndex?: number): unknown {
		if (error instanceof NodeApiError && retiredStatus(error.httpCode ?? undefined)) {
			return retiredXmlRpcError(this.getNode(), method, `HTTP ${error.httpCode} (${error.message})`, itemIndex);
		}
		return error;
	}

	/** One XML-RPC call; a fault throws a NodeApiError naming the fault and its code. */
	async call(method: string, params: XmlRpcValue[], opts: CallOptions = {}): Promise<XmlRpcValue> {
		const r = await this.invoke(method, params, opts);
		if ('fault' in r) throw this.faultError(method, r.fault, opts.itemIndex);
		return r.value;
	}

	faultError(method: string, fault: XmlRpcFault, itemIndex?: number): XmlRpcFaultError {
		return new XmlRpcFaultError(this.getNode(), method, fault, itemIndex);
	}

	/** DataService.query, one page. */
	async query(
		table: string,
		limit: number,
		page: number,
		query: Struct,
		fields: string[],
		orderBy?: string,
		ascending = true,
		itemIndex?: number,
	): Promise<Struct[]> {
		const params: XmlRpcValue[] = [table, limit, page, Object.keys(query).length ? query : { Id: '%' }, fields];
		if (orderBy) params.push(orderBy, ascending);
		return structs(await this.call('DataService.query', params, { idempotent: true, itemIndex }));
	}

	/**
	 * Every row of a table, or undefined when the service does not expose the table to this
	 * credential ([NoTableFound] / [NoTableAccess]): for look-up lists that are optional.
	 */
	async queryAllOptional(table: string, query: Struct, fields: string[]): Promise<Struct[] | undefined> {
		const out: Struct[] = [];
		for (let page = 0; ; page++) {
			const r = await this.invoke('DataService.query', [table, 1000, page, query, fields, 'Id', true], { idempotent: true });
			if ('fault' in r) {
				if (unavailable(r.fault)) return undefined;
				throw this.faultError('DataService.query', r.fault);
			}
			const rows = structs(r.value);
			out.push(...rows);
			if (rows.length < 1000) return out;
		}
	}
}
