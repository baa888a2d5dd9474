/**
 * Keap switches XML-RPC off on 2026-12-31 (issue 15, defect 11). What the endpoint answers
 * from then on is not documented: an HTTP error from the gateway (404, 410, a 5xx), a web page
 * instead of XML, or a fault refusing access. Whichever comes, the node says plainly that Keap
 * has retired XML-RPC and that API = REST runs the same Contact and Tag operations. Before that
 * day the same answers are told apart as "answered as a retired endpoint does".
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { KEAP_XMLRPC_PATH } from '../../../../credentials/common/keap';
import type { XmlRpcFault } from './codec';

export const XMLRPC_RETIREMENT_DAY = '2026-12-31';
const RETIRED_AT_MS = Date.parse(`${XMLRPC_RETIREMENT_DAY}T00:00:00Z`);

/** HTTP statuses a retired endpoint answers with (the gateway has no XML-RPC behind it). */
export function retiredStatus(httpCode: string | undefined): boolean {
	const status = Number(httpCode);
	return status === 404 || status === 410 || (status >= 500 && status <= 599);
}

/** The fault a retired XML-RPC service answers authenticated calls with: 14 [NoAccess]. */
export function retiredFault(fault: XmlRpcFault): boolean {
	return fault.name === 'NoAccess' || fault.code === 14;
}

/** The error for an XML-RPC call that got `what` (e.g. "HTTP 404: Not Found") from a retired-looking endpoint. */
export function retiredXmlRpcError(node: INode, method: string, what: string, itemIndex?: number, nowMs = Date.now()): NodeApiError {
	const retired = nowMs >= RETIRED_AT_MS;
	const message = retired
		? `Keap has retired XML-RPC (switched off on ${XMLRPC_RETIREMENT_DAY}): ${method} got ${what}`
		: `Keap's XML-RPC API answers as a retired one does (Keap retires XML-RPC on ${XMLRPC_RETIREMENT_DAY}): ${method} got ${what}`;
	const description = [
		"Set API to REST in this node: its Contact and Tag operations, pickers and look-ups work the same over Keap's REST API with the same credential (Call Method and Query Table exist on XML-RPC only)",
		retired ? '' : 'If XML-RPC still answers other calls, this one failed for another reason',
		`POST ${KEAP_XMLRPC_PATH} (${method})`,
	]
		.filter(Boolean)
		.join('. ');
	return new NodeApiError(node, { message: what } as JsonObject, { message, description, itemIndex });
}
