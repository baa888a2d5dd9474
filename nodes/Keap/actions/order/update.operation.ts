import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import {
	formatOrder,
	orderContext,
	orderCustomFields,
	orderFieldOptions,
	orderFieldsFrom,
	orderLocator,
	orderOutputProperties,
	shippingAddressProperty,
} from './shared';

const properties: INodeProperties[] = [
	orderLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change; the others keep their values. Items change with Add Item.',
		options: orderFieldOptions('update'),
	},
	shippingAddressProperty,
	orderCustomFields,
	...orderOutputProperties,
];

const displayOptions = { show: { resource: ['order'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { orders, model } = orderContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const id = locatorId(this, i, 'order', 'Order');
		const fields = await orderFieldsFrom(this, i, 'updateFields', model);
		if (!Object.keys(fields).length) throw new InputError('Update Fields', 'add at least one field to change');
		const order = await orders.update(id, fields, i);
		if (!order) throw notFound(this, 'order', id, i);
		return await formatOrder(this, i, order, model);
	});
}
