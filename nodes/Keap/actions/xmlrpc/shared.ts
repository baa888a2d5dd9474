/** JSON parameters of the XML-RPC operations -> XML-RPC values, and results -> item JSON. */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import { xmlRpcToJson } from '../../transport/xmlrpc/client';
import { formatKeapDate, XmlRpcBase64, XmlRpcDateTime, XmlRpcDouble, type XmlRpcValue } from '../../transport/xmlrpc/codec';

/** A json parameter, given as text or (from an expression) as a value. */
export function jsonParameter(field: string, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (!value.trim()) return undefined;
	let parsed: unknown;
	let problem: string | undefined;
	try {
		parsed = JSON.parse(value);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== undefined) throw new InputError(field, `is not valid JSON: ${problem}`);
	return parsed;
}

/**
 * JSON -> XML-RPC: strings, booleans, arrays and objects as such; whole numbers as <i4>, other
 * numbers as <double>; `{"$dateTime": "<ISO>"}` as a date in Keap's US Eastern time,
 * `{"$double": n}` as <double>, `{"$base64": "..."}` as binary. null is not allowed (Keap
 * rejects <nil/>): leave the member out instead.
 */
export function toXmlRpc(field: string, value: unknown): XmlRpcValue {
	if (value === null || value === undefined) throw new InputError(field, 'null is not allowed: leave the value out instead');
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InputError(field, `${value} is not a number XML-RPC can send`);
		return value;
	}
	if (Array.isArray(value)) return value.map((v) => toXmlRpc(field, v));
	if (typeof value === 'object') {
		const obj = value as IDataObject;
		const keys = Object.keys(obj);
		if (keys.length === 1 && keys[0] === '$dateTime') {
			const text = String(obj.$dateTime);
			if (!Number.isFinite(Date.parse(text)) && !/^\d{8}T\d{2}:\d{2}:\d{2}$/.test(text)) {
				throw new InputError(field, `"${text}" is not an ISO 8601 date`);
			}
			return new XmlRpcDateTime(formatKeapDate(text));
		}
		if (keys.length === 1 && keys[0] === '$double') return new XmlRpcDouble(Number(obj.$double));
		if (keys.length === 1 && keys[0] === '$base64') return new XmlRpcBase64(String(obj.$base64).replace(/\s+/g, ''));
		const out: Record<string, XmlRpcValue> = {};
		for (const [k, v] of Object.entries(obj)) out[k] = toXmlRpc(field, v);
		return out;
	}
	throw new InputError(field, `cannot send a value of type ${typeof value}`);
}

/** A decoded result as item JSON: dates become ISO 8601 with their offset. */
export function resultJson(value: XmlRpcValue): unknown {
	return xmlRpcToJson(value, 'iso');
}
