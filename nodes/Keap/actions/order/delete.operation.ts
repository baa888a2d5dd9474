import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestOrders } from '../../transport/rest/orders';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { orderLocator } from './shared';

const properties: INodeProperties[] = [
	orderLocator,
	{
		displayName: 'Keap deletes only orders without payments',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
];

const displayOptions = { show: { resource: ['order'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const orders = new RestOrders(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'order', 'Order');
			if (!(await orders.delete(id, i))) throw notFound(this, 'order', id, i);
			return { deleted: true };
		},
		4,
	);
}
