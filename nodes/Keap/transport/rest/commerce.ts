/**
 * What the REST modules of Keap's commerce objects (products.ts, orders.ts, subscriptions.ts,
 * sales.ts) share: reading v2 values (ids, texts, numbers, Keap's currency objects, which hold
 * cents), a page of a v2 listing, and the custom field model of a record type.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { RecordCustomFieldValue } from '../../model/order';
import { nextPageToken, RestClient } from './client';

export const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const obj = (v: unknown): IDataObject =>
	v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as IDataObject) : {};
export const list = (v: unknown): IDataObject[] => (Array.isArray(v) ? (v as IDataObject[]) : []);
export const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * A Keap currency object (`{amount, currency_code, formatted_amount}`, amount in cents) as an
 * amount in the currency itself (4900 cents -> 49).
 */
export function money(v: unknown): number | null {
	const amount = obj(v).amount;
	return typeof amount === 'number' ? amount / 100 : null;
}

export function currencyCode(...values: unknown[]): string | null {
	for (const v of values) {
		const code = str(obj(v).currency_code);
		if (code) return code;
	}
	return null;
}

/** An amount in the currency (checked to 2 decimals before) in cents, as Keap's product price takes it. */
export function toCents(amount: number): number {
	return Math.round(amount * 100);
}

export function customFieldValues(v: unknown): RecordCustomFieldValue[] {
	return list(v).map((c) => ({
		id: String(c.id),
		content: (c.content ?? null) as RecordCustomFieldValue['content'],
	}));
}

/** The custom field definitions of a record type's model (`GET <path>/model`). */
export async function customFieldModel(rest: RestClient, path: string): Promise<CustomFieldDefinition[]> {
	const res = await rest.json('GET', `${path}/model`);
	return list(res.body.custom_fields).map((f) => ({
		id: String(f.id),
		label: String(f.label ?? f.field_name ?? f.id),
		field_type: String(f.field_type ?? 'TEXT'),
		field_name: f.field_name !== undefined ? String(f.field_name) : undefined,
		options: list(f.options).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
	}));
}

/** One page of a v2 listing: the records under `key`, read by `read`. */
export async function listPage<T>(
	rest: RestClient,
	path: string,
	key: string,
	read: (raw: IDataObject) => T,
	qs: IDataObject,
	pageSize: number,
	cursor?: string,
	itemIndex?: number,
): Promise<Page<WithRaw<T>>> {
	const res = await rest.json('GET', path, {
		qs: { ...qs, page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
		itemIndex,
	});
	const items = list(res.body[key]).map((raw) => ({ value: read(raw), raw }));
	return { items, next: nextPageToken(res.body) };
}

/** `field dir` for v2's order_by, or nothing. */
export function orderBy(field: string | undefined, direction: string | undefined): IDataObject {
	return field ? { order_by: `${field} ${direction ?? 'asc'}` } : {};
}
