import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestOrders } from '../../transport/rest/orders';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { orderItemFields, orderItemFrom } from './items';
import { formatOrderItem, orderItemOutputProperties, orderLocator } from './shared';

const FIELDS = orderItemFields();

const properties: INodeProperties[] = [orderLocator, ...FIELDS, ...orderItemOutputProperties];

const displayOptions = { show: { resource: ['order'], operation: ['addItem'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const orders = new RestOrders(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const orderId = locatorId(this, i, 'order', 'Order');
		const values: IDataObject = {};
		for (const f of FIELDS) values[f.name] = this.getNodeParameter(f.name, i, f.default) as IDataObject[string];
		const item = orderItemFrom(values, 'Item');
		const added = await orders.addItem(orderId, item, i);
		if (!added) throw notFound(this, 'order', orderId, i);
		return await formatOrderItem(this, i, added, orderId);
	});
}
