import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestOrders } from '../../transport/rest/orders';
import { collect, limitOf, locatorId } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatRecord, outputProperties } from '../common/output';
import { orderLocator } from './shared';

const properties: INodeProperties[] = [
	orderLocator,
	...returnAllOrLimit,
	...outputProperties({
		allFields: "The order's payments, oldest first (amounts in the account currency)",
		fieldExamples: 'id, amount, pay_status, pay_time',
	}),
];

const displayOptions = { show: { resource: ['order'], operation: ['getPayments'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const orders = new RestOrders(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const orderId = locatorId(this, i, 'order', 'Order');
		const found = await collect(
			limitOf(this, i),
			orders.maxPageSize,
			async (size, cursor) => await orders.listPayments(orderId, size, cursor, i),
		);
		return await Promise.all(
			found.map(async (p) => await formatRecord(this, i, p, { normalized: ({ value }) => ({ ...value }) as unknown as IDataObject })),
		);
	});
}
