/** Parameters and steps the order operations share: the picker, the order fields, the output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { simplifyOrder, type Order, type OrderFields, type OrderItem, type OrderShippingInput } from '../../model/order';
import { checkCountryCode, checkDateTime, checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestOrders } from '../../transport/rest/orders';
import { customFieldInput, customFieldsByLabel, customFieldsParameter, once, optionalText, recordLocator } from '../common/commerce';
import { formatRecord, outputProperties, type RecordShapes } from '../common/output';

export const orderLocator = recordLocator({
	name: 'order',
	displayName: 'Order',
	searchListMethod: 'searchOrders',
	what: 'order',
	description: 'The Keap order: choose it from the list (search by title or ID) or give its ID (digits)',
	placeholder: '4001',
});

export const orderOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field; amounts in the account currency (248 for $248.00), custom fields by name',
	simplified: 'ID, title, status, contact, order time and totals',
	fieldExamples: 'id, title, status, total, total_due, order_items',
});

export const orderItemOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field of the item; amounts in the account currency',
	fieldExamples: 'id, name, quantity, price_per_unit',
});

export const orderCustomFields = customFieldsParameter('getOrderCustomFieldColumns', 'order');

/** The orders client of a run, and the order custom field model, read at most once per execution. */
export function orderContext(session: KeapSession) {
	const orders = new RestOrders(session.rest);
	return { orders, model: once(async () => await orders.customFields()) };
}

/** All Fields and Simplified of an order, `model` its custom field model (also the polling trigger's output). */
export function orderShapes(model: () => Promise<CustomFieldDefinition[]>): RecordShapes<Order> {
	return {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: value.custom_fields.length ? customFieldsByLabel(value.custom_fields, await model()) : {},
		}),
		simplified: ({ value }) => simplifyOrder(value) as IDataObject,
	};
}

export async function formatOrder(
	ctx: IExecuteFunctions,
	i: number,
	order: WithRaw<Order>,
	model: () => Promise<CustomFieldDefinition[]>,
): Promise<IDataObject> {
	return await formatRecord(ctx, i, order, orderShapes(model));
}

export async function formatOrderItem(ctx: IExecuteFunctions, i: number, item: WithRaw<OrderItem>, orderId: string) {
	return await formatRecord(ctx, i, item, { normalized: ({ value }) => ({ ...value }) as unknown as IDataObject }, { order_id: orderId });
}

/** Promo codes from a comma-separated text or an array: each once, as given (Keap matches them exactly). */
export function promoCodesFrom(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

/** The order fields an Additional Fields / Update Fields collection can set, sorted by name. */
export function orderFieldOptions(mode: 'create' | 'update'): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Due Time',
			name: 'due_time',
			type: 'dateTime',
			default: '',
			description: 'When the invoice is due, ISO 8601 (e.g. 2025-03-31T17:00:00Z)',
		},
		{
			displayName: 'Lead Affiliate ID',
			name: 'lead_affiliate_id',
			type: 'string',
			default: '',
			description: 'The ID (digits) of the affiliate who brought the lead',
		},
		{ displayName: 'Notes', name: 'notes', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Internal notes' },
		{
			displayName: 'Sales Affiliate ID',
			name: 'sales_affiliate_id',
			type: 'string',
			default: '',
			description: 'The ID (digits) of the affiliate who made the sale',
		},
		{
			displayName: 'Sent Time',
			name: 'sent_time',
			type: 'dateTime',
			default: '',
			description: 'When the invoice was sent, ISO 8601; marks the order as sent',
		},
		{ displayName: 'Terms', name: 'terms', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'The terms of the order' },
	];
	if (mode === 'create') {
		fields.push({
			displayName: 'Order Time',
			name: 'order_time',
			type: 'dateTime',
			default: '',
			description: 'When the order was placed, ISO 8601 (e.g. 2025-01-15T15:00:00Z); now when empty',
		});
	} else {
		fields.push(
			{
				displayName: 'Order Time',
				name: 'order_time',
				type: 'dateTime',
				default: '',
				description: 'When the order was placed, ISO 8601 (e.g. 2025-01-15T15:00:00Z)',
			},
			{ displayName: 'Order Title', name: 'order_title', type: 'string', default: '', description: 'The title of the order' },
			{
				displayName: 'Order Type',
				name: 'order_type',
				type: 'options',
				options: [
					{ name: 'Offline', value: 'OFFLINE' },
					{ name: 'Online', value: 'ONLINE' },
				],
				default: 'OFFLINE',
				description: 'Whether the order was placed online (e.g. a checkout) or offline (by hand)',
			},
			{
				displayName: 'Promo Codes',
				name: 'promo_codes',
				type: 'string',
				default: '',
				placeholder: 'SAVE10, FIVEOFF',
				description: 'Comma-separated promo codes set up in Keap; they replace the codes the order has',
			},
		);
	}
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export const shippingAddressProperty: INodeProperties = {
	displayName: 'Shipping Address',
	name: 'shippingAddress',
	type: 'fixedCollection',
	placeholder: 'Add Shipping Address',
	default: {},
	options: [
		{
			displayName: 'Address',
			name: 'address',
			values: [
				{ displayName: 'First Name', name: 'first_name', type: 'string', default: '' },
				{ displayName: 'Last Name', name: 'last_name', type: 'string', default: '' },
				{ displayName: 'Company', name: 'company', type: 'string', default: '' },
				{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
				{ displayName: 'Line 1', name: 'line1', type: 'string', default: '' },
				{ displayName: 'Line 2', name: 'line2', type: 'string', default: '' },
				{ displayName: 'City', name: 'locality', type: 'string', default: '' },
				{ displayName: 'Region', name: 'region', type: 'string', default: '', description: 'State or province, e.g. AZ' },
				{ displayName: 'Postal Code', name: 'zip_code', type: 'string', default: '' },
				{ displayName: 'ZIP+4', name: 'zip_four', type: 'string', default: '', description: 'The 4-digit ZIP code extension (US)' },
				{
					displayName: 'Country Code',
					name: 'country_code',
					type: 'string',
					default: '',
					placeholder: 'USA',
					description: 'ISO 3166-1 alpha-3 country code, e.g. USA, GBR, DEU',
				},
				{
					displayName: 'Invoice to Company',
					name: 'is_invoice_to_company',
					type: 'boolean',
					default: false,
					description: 'Whether the invoice is addressed to the company',
				},
			],
		},
	],
};

function shippingFrom(values: IDataObject | undefined): OrderShippingInput | undefined {
	if (!values) return undefined;
	const out: OrderShippingInput = {};
	const texts = ['first_name', 'last_name', 'company', 'phone', 'line1', 'line2', 'locality', 'region', 'zip_code', 'zip_four'] as const;
	for (const k of texts) {
		const v = optionalText(values[k]);
		if (v !== undefined) out[k] = v;
	}
	const country = optionalText(values.country_code);
	if (country) out.country_code = checkCountryCode('Shipping Address > Country Code', country);
	if (values.is_invoice_to_company === true) out.is_invoice_to_company = true;
	return Object.keys(out).length ? out : undefined;
}

/**
 * The order fields of item i: the collection named `collection` (Additional Fields or Update
 * Fields), the shipping address and the custom fields, checked.
 */
export async function orderFieldsFrom(
	ctx: IExecuteFunctions,
	i: number,
	collection: 'additionalFields' | 'updateFields',
	model: () => Promise<CustomFieldDefinition[]>,
): Promise<OrderFields> {
	const label = collection === 'updateFields' ? 'Update Fields' : 'Additional Fields';
	const values = ctx.getNodeParameter(collection, i, {}) as IDataObject;
	const fields: OrderFields = {};
	for (const k of ['notes', 'terms', 'order_title'] as const) {
		const v = optionalText(values[k]);
		if (v !== undefined) fields[k] = v;
	}
	for (const [k, name] of [
		['order_time', 'Order Time'],
		['sent_time', 'Sent Time'],
		['due_time', 'Due Time'],
	] as const) {
		const v = optionalText(values[k]);
		if (v !== undefined) fields[k] = checkDateTime(`${label} > ${name}`, v);
	}
	if (values.order_type !== undefined) fields.order_type = values.order_type as 'ONLINE' | 'OFFLINE';
	for (const [k, name] of [
		['lead_affiliate_id', 'Lead Affiliate ID'],
		['sales_affiliate_id', 'Sales Affiliate ID'],
	] as const) {
		const v = optionalText(values[k]);
		if (v !== undefined) fields[k] = checkId(`${label} > ${name}`, v);
	}
	if (values.promo_codes !== undefined) fields.promo_codes = promoCodesFrom(values.promo_codes);
	const shipping = shippingFrom((ctx.getNodeParameter('shippingAddress', i, {}) as { address?: IDataObject }).address);
	if (shipping) fields.shipping_address = shipping;
	const custom = await customFieldInput(ctx, i, model, 'order');
	if (custom) fields.custom_fields = custom;
	return fields;
}
