import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyTransaction, type TransactionQuery } from '../../model/sale';
import type { KeapSession } from '../../transport';
import { RestSales } from '../../transport/rest/sales';
import { collect, limitOf } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatRecord, outputProperties } from '../common/output';
import { saleDirection, saleFilterOptions, saleQueryFrom } from '../payment/filters';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			...saleFilterOptions('transactions'),
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: [
					{ name: 'Capture (Card Charge)', value: 'CAPTURE' },
					{ name: 'Manual', value: 'MANUAL' },
					{ name: 'Refund', value: 'REFUND' },
					{ name: 'Void', value: 'VOID' },
				],
				default: 'CAPTURE',
				description: 'Only transactions of this kind',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Approved', value: 'APPROVED' },
					{ name: 'Error', value: 'ERROR' },
					{ name: 'Failed', value: 'FAILED' },
					{ name: 'None', value: 'NONE' },
					{ name: 'Pending', value: 'PENDING' },
				],
				default: 'APPROVED',
				description: 'Only transactions with this status',
			},
			{
				displayName: 'Successful',
				name: 'successful',
				type: 'boolean',
				default: true,
				description: 'Whether to return only successful transactions (on) or only unsuccessful ones (off)',
			},
		].sort((a, b) => a.displayName.localeCompare(b.displayName)) as INodeProperties[],
	},
	saleDirection,
	...outputProperties({
		allFields: 'Every field; amounts in the account currency',
		simplified: 'Payment ID, amount, status, method, contact, orders and time',
		fieldExamples: 'payment_id, amount, status, transaction_time',
	}),
];

const displayOptions = { show: { resource: ['transaction'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const sales = new RestSales(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const f = this.getNodeParameter('filters', i, {}) as IDataObject;
		const query: TransactionQuery = {
			...(await saleQueryFrom(this, session, i, f)),
			status: f.status as TransactionQuery['status'],
			transaction_method: f.method as TransactionQuery['transaction_method'],
			is_successful: f.successful === undefined ? undefined : f.successful === true,
		};
		const found = await collect(limitOf(this, i), sales.maxPageSize, async (size, cursor) => await sales.listTransactions(query, size, cursor, i));
		return await Promise.all(
			found.map(
				async (t) =>
					await formatRecord(this, i, t, {
						normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
						simplified: ({ value }) => simplifyTransaction(value) as IDataObject,
					}),
			),
		);
	});
}
