/**
 * Shapes every Keap object shares, whatever API produced them: a value with the record Keap
 * sent (for "Raw" output), a page of a listing, a named option; and the two value helpers the
 * mappings of every object use.
 */
import type { IDataObject } from 'n8n-workflow';

/** A neutral value and the record exactly as Keap sent it. */
export interface WithRaw<T> {
	value: T;
	raw: IDataObject;
}

export interface Page<T> {
	items: T[];
	/** Opaque cursor for the next page; undefined when this was the last page. */
	next?: string;
}

export interface NamedOption {
	id: string;
	name: string;
}

/** A property's text, or null when Keap sent nothing (absent, null or ''). */
export function text(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	return String(value);
}

/** The object without its absent, null and '' properties. */
export function compact<T extends object>(obj: T): T {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') out[k] = v as IDataObject[string];
	return out as T;
}
