import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyPayment } from '../../model/sale';
import type { KeapSession } from '../../transport';
import { RestSales } from '../../transport/rest/sales';
import { collect, limitOf } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatRecord, outputProperties } from '../common/output';
import { saleDirection, saleFilterOptions, saleQueryFrom } from './filters';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: saleFilterOptions('payments'),
	},
	saleDirection,
	...outputProperties({
		allFields: 'Every field; amounts in the account currency',
		simplified: 'ID, type, amount, status, contact, orders and time',
		fieldExamples: 'id, amount, status, payment_time, order_ids',
	}),
];

const displayOptions = { show: { resource: ['payment'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const sales = new RestSales(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const query = await saleQueryFrom(this, session, i, this.getNodeParameter('filters', i, {}) as IDataObject);
		const found = await collect(limitOf(this, i), sales.maxPageSize, async (size, cursor) => await sales.listPayments(query, size, cursor, i));
		return await Promise.all(
			found.map(
				async (p) =>
					await formatRecord(this, i, p, {
						normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
						simplified: ({ value }) => simplifyPayment(value) as IDataObject,
					}),
			),
		);
	});
}
