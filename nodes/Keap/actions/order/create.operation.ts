import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OrderInput } from '../../model/order';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { optionalText } from '../common/commerce';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';
import { orderItemFields, orderItemFrom } from './items';
import {
	formatOrder,
	orderContext,
	orderCustomFields,
	orderFieldOptions,
	orderFieldsFrom,
	orderOutputProperties,
	promoCodesFrom,
	shippingAddressProperty,
} from './shared';

const properties: INodeProperties[] = [
	{ ...contactLocator(undefined), description: 'The contact who places the order' },
	{
		displayName: 'Order Title',
		name: 'orderTitle',
		type: 'string',
		required: true,
		default: '',
		description: 'The title of the order, e.g. "Starter bundle"',
	},
	{
		displayName: 'Order Type',
		name: 'orderType',
		type: 'options',
		options: [
			{ name: 'Offline', value: 'OFFLINE', description: 'Entered by hand or by another system' },
			{ name: 'Online', value: 'ONLINE', description: 'Placed online, e.g. through a checkout' },
		],
		default: 'OFFLINE',
		description: 'Whether the order was placed online or offline',
	},
	{
		displayName: 'Order Items',
		name: 'orderItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		description: 'The items of the order: products with quantity and price, or lines such as shipping or a fee',
		options: [{ displayName: 'Item', name: 'item', values: orderItemFields() }],
	},
	{
		displayName: 'Promo Codes',
		name: 'promoCodes',
		type: 'string',
		default: '',
		placeholder: 'SAVE10, FIVEOFF',
		description: 'Comma-separated promo codes set up in your Keap account; Keap adds their discounts to the order',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: orderFieldOptions('create'),
	},
	shippingAddressProperty,
	orderCustomFields,
	...orderOutputProperties,
];

const displayOptions = { show: { resource: ['order'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { orders, model } = orderContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const title = optionalText(this.getNodeParameter('orderTitle', i));
		if (!title) throw new InputError('Order Title', 'an order needs a title');
		const rows = (this.getNodeParameter('orderItems', i, {}) as { item?: IDataObject[] }).item ?? [];
		const orderItems = rows.map((row, n) => orderItemFrom(row, `Order Items > Item ${n + 1}`));
		const fields = await orderFieldsFrom(this, i, 'additionalFields', model);
		const promoCodes = promoCodesFrom(this.getNodeParameter('promoCodes', i, ''));
		const { id: contactId } = await resolveContactId(this, session, i);
		const input: OrderInput = {
			...fields,
			contact_id: contactId,
			order_title: title,
			order_type: this.getNodeParameter('orderType', i, 'OFFLINE') as 'ONLINE' | 'OFFLINE',
			order_time: fields.order_time ?? new Date().toISOString(),
			order_items: orderItems,
			...(promoCodes.length ? { promo_codes: promoCodes } : {}),
		};
		return await formatOrder(this, i, await orders.create(input, i), model);
	});
}
