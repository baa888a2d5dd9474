import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OrderQuery } from '../../model/order';
import { checkDateTime, checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import {
	collect,
	contactFilter,
	contactFilterId,
	directionOption,
	limitOf,
	locatorValue,
	optionalText,
	recordLocator,
} from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatOrder, orderContext, orderOutputProperties } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ ...contactFilter, description: 'Only orders of this contact' },
			{
				displayName: 'Created After',
				name: 'createdSince',
				type: 'dateTime',
				default: '',
				description: 'Only orders created at or after this time, ISO 8601 (e.g. 2025-01-01T00:00:00Z)',
			},
			{
				displayName: 'Created Before',
				name: 'createdUntil',
				type: 'dateTime',
				default: '',
				description: 'Only orders created at or before this time, ISO 8601',
			},
			{
				displayName: 'Order Type',
				name: 'orderType',
				type: 'options',
				options: [
					{ name: 'Offline', value: 'OFFLINE' },
					{ name: 'Online', value: 'ONLINE' },
				],
				default: 'OFFLINE',
				description: 'Only online or only offline orders',
			},
			{
				displayName: 'Paid',
				name: 'paid',
				type: 'options',
				options: [
					{ name: 'Paid in Full', value: 'paid' },
					{ name: 'Not Paid in Full', value: 'unpaid' },
				],
				default: 'paid',
				description: 'Only orders paid in full, or only orders with something still due',
			},
			{
				...recordLocator({
					name: 'product',
					displayName: 'Product',
					searchListMethod: 'searchProducts',
					what: 'product',
					description: 'Only orders with this product among their items',
					required: false,
				}),
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'The order title, exactly; end with * to match titles that start with the text',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'by',
				type: 'options',
				options: [
					{ name: 'ID', value: 'id' },
					{ name: 'Last Modified', value: 'modification_time' },
					{ name: 'Order Time', value: 'order_time' },
				],
				default: 'order_time',
				description: 'The field to sort by',
			},
			directionOption('desc'),
		],
	},
	...orderOutputProperties,
];

const displayOptions = { show: { resource: ['order'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { orders, model } = orderContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const f = this.getNodeParameter('filters', i, {}) as IDataObject;
		const sort = this.getNodeParameter('sort', i, {}) as { by?: OrderQuery['order_by']; direction?: 'asc' | 'desc' };
		const since = optionalText(f.createdSince);
		const until = optionalText(f.createdUntil);
		const product = locatorValue(f.product).value;
		const query: OrderQuery = {
			contact_id: await contactFilterId(this, session, i, f.contact, 'Filters > Contact'),
			product_id: product ? checkId('Filters > Product', product) : undefined,
			paid: f.paid === undefined ? undefined : f.paid === 'paid',
			created_since: since ? checkDateTime('Filters > Created After', since) : undefined,
			created_until: until ? checkDateTime('Filters > Created Before', until) : undefined,
			title: optionalText(f.title),
			order_type: f.orderType as OrderQuery['order_type'],
			order_by: sort.by ?? (sort.direction ? 'order_time' : undefined),
			order_direction: sort.direction,
		};
		const found = await collect(limitOf(this, i), orders.maxPageSize, async (size, cursor) => await orders.list(query, size, cursor, i));
		return await Promise.all(found.map(async (o) => await formatOrder(this, i, o, model)));
	});
}
