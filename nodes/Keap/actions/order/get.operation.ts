import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatOrder, orderContext, orderLocator, orderOutputProperties } from './shared';

const properties: INodeProperties[] = [orderLocator, ...orderOutputProperties];

const displayOptions = { show: { resource: ['order'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { orders, model } = orderContext(session);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'order', 'Order');
			const order = await orders.get(id, i);
			if (!order) throw notFound(this, 'order', id, i);
			return await formatOrder(this, i, order, model);
		},
		4,
	);
}
