/**
 * Parameters and steps the commerce resources (product, order, subscription, payment,
 * transaction) share: record pickers (resource locators), the contact filter of a Get Many,
 * reading Return All / Limit over v2 pages, sort parameters, and the custom fields of a record
 * type with a model (orders, subscriptions): the resource mapper on write, labels on output.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Page } from '../../model/common';
import { checkCustomFieldValue, type CustomFieldDefinition } from '../../model/customField';
import type { RecordCustomFieldValue } from '../../model/order';
import { checkEmail, checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';

export interface LocatorOptions {
	name: string;
	displayName: string;
	/** The listSearch method of From List. */
	searchListMethod: string;
	/** What the record is, for messages: "product". */
	what: string;
	description: string;
	required?: boolean;
	searchable?: boolean;
	placeholder?: string;
}

/** A record picker: From List (searchable) or By ID (digits). */
export function recordLocator(o: LocatorOptions): INodeProperties {
	return {
		displayName: o.displayName,
		name: o.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: o.required ?? true,
		description: o.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: o.searchListMethod, searchable: o.searchable ?? true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: o.placeholder ?? '123',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*\\d+\\s*$', errorMessage: `A Keap ${o.what} ID is a whole number` },
					},
				],
			},
		],
	};
}

/** The value of a resource locator (or of a plain string given instead), trimmed. */
export function locatorValue(value: unknown): { mode: string; value: string } {
	if (value && typeof value === 'object' && 'value' in value) {
		const v = value as { mode?: unknown; value?: unknown };
		return { mode: String(v.mode ?? 'id'), value: String(v.value ?? '').trim() };
	}
	return { mode: 'id', value: String(value ?? '').trim() };
}

/** The record id a locator parameter of item i holds, checked (digits). */
export function locatorId(ctx: IExecuteFunctions, i: number, name: string, field: string): string {
	const { value } = locatorValue(ctx.getNodeParameter(name, i));
	if (!value) throw new InputError(field, 'choose a record from the list or give its ID');
	return checkId(field, value);
}

/** An optional contact picker inside a Filters collection: From List, By ID or By Email. */
export const contactFilter: INodeProperties = {
	displayName: 'Contact',
	name: 'contact',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: 'Only records of this contact',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchContacts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '12345',
			validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap contact ID is a whole number' } }],
		},
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			validation: [{ type: 'regex', properties: { regex: '^\\S+@\\S+\\.\\S+$', errorMessage: 'Not a valid email address' } }],
		},
	],
};

/** The contact id a contact filter names (undefined when empty); by email, the oldest contact with that address. */
export async function contactFilterId(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	value: unknown,
	field: string,
): Promise<string | undefined> {
	const { mode, value: v } = locatorValue(value);
	if (!v) return undefined;
	if (mode !== 'email') return checkId(field, v);
	const email = checkEmail(field, v);
	const matches = await session.client.contacts.findByEmail(email, i);
	if (!matches.length) throw new NodeOperationError(ctx.getNode(), `No Keap contact has the email ${email}`, { itemIndex: i });
	return matches.map((m) => m.value.id).sort((a, b) => Number(a) - Number(b))[0];
}

/** Return All, or the Limit, of item i. */
export function limitOf(ctx: IExecuteFunctions, i: number): number {
	return (ctx.getNodeParameter('returnAll', i) as boolean) ? Infinity : (ctx.getNodeParameter('limit', i) as number);
}

/** Up to `limit` records, reading pages of at most `maxPageSize` until Keap has no more. */
export async function collect<T>(
	limit: number,
	maxPageSize: number,
	fetch: (pageSize: number, cursor?: string) => Promise<Page<T>>,
): Promise<T[]> {
	const out: T[] = [];
	let cursor: string | undefined;
	do {
		const size = Number.isFinite(limit) ? Math.min(maxPageSize, limit - out.length) : maxPageSize;
		const page = await fetch(size, cursor);
		for (const item of page.items) {
			if (out.length >= limit) break;
			out.push(item);
		}
		cursor = page.next;
	} while (cursor && out.length < limit);
	return out;
}

/** A Sort Direction option for a Get Many. */
export function directionOption(defaultValue: 'asc' | 'desc'): INodeProperties {
	return {
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'asc' },
			{ name: 'Descending', value: 'desc' },
		],
		default: defaultValue,
		description: 'The order of the results',
	};
}

/** The Custom Fields parameter of a record type with a model: a resource mapper loaded from Keap. */
export function customFieldsParameter(resourceMapperMethod: string, what: string): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: `Values for the ${what} custom fields of your Keap account, by name`,
		typeOptions: {
			loadOptionsDependsOn: ['authentication'],
			resourceMapper: {
				resourceMapperMethod,
				mode: 'add',
				fieldWords: { singular: 'custom field', plural: 'custom fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
	};
}

/**
 * The custom field values item i gives (undefined when none), each matched to a field of the
 * model by id or label (case-insensitive) and checked for its type. The model is read only when
 * a value is given.
 */
export async function customFieldInput(
	ctx: IExecuteFunctions,
	i: number,
	model: () => Promise<CustomFieldDefinition[]>,
	what: string,
): Promise<RecordCustomFieldValue[] | undefined> {
	const mapper = ctx.getNodeParameter('customFields', i, null) as ResourceMapperValue | null;
	const entries = Object.entries(mapper?.value ?? {}).filter(([, v]) => v !== undefined);
	if (!entries.length) return undefined;
	const defs = await model();
	return entries.map(([key, value]) => {
		const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.label.toLowerCase() === key.toLowerCase());
		if (!def) throw new InputError(`Custom Fields > ${key}`, `Keap has no ${what} custom field "${key}"`);
		return { id: def.id, content: checkCustomFieldValue(def, value) };
	});
}

/** Custom field values keyed by their label (by id when the model does not know the field). */
export function customFieldsByLabel(values: RecordCustomFieldValue[], defs: CustomFieldDefinition[]): IDataObject {
	const out: IDataObject = {};
	for (const v of values) out[defs.find((d) => d.id === v.id)?.label ?? v.id] = v.content;
	return out;
}

/** A value computed once, when first asked for (a model read at most once per execution). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
	let pending: Promise<T> | undefined;
	return async () => await (pending ??= fn());
}

/** The error for a record Keap does not have. */
export function notFound(ctx: IExecuteFunctions, what: string, id: string, i: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Keap has no ${what} with ID ${id}`, { itemIndex: i });
}

/** Text from a parameter, trimmed; undefined when empty. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value).trim();
	return s === '' ? undefined : s;
}
