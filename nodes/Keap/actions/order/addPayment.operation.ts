import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { MANUAL_PAYMENT_TYPES, type ManualPaymentInput } from '../../model/order';
import { checkDateTime, checkMoney, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestOrders } from '../../transport/rest/orders';
import { locatorId, notFound, optionalText } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatRecord, outputProperties } from '../common/output';
import { orderLocator } from './shared';

const properties: INodeProperties[] = [
	orderLocator,
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 0,
		description: 'The amount received in the account currency, e.g. 20.00: more than 0, at most 2 decimals, and no more than what the order still owes',
	},
	{
		displayName: 'Payment Type',
		name: 'paymentMethodType',
		type: 'options',
		options: MANUAL_PAYMENT_TYPES.map((t) => ({ name: t, value: t })),
		default: 'Cash',
		description:
			'How the money was received. Keap takes only the manual payment types set up under E-Commerce Settings > Orders; use an expression for a type of your own.',
	},
	{
		displayName: 'Apply to Commissions',
		name: 'applyToCommissions',
		type: 'boolean',
		default: false,
		description: 'Whether the payment counts towards affiliate commissions',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Notes', name: 'notes', type: 'string', default: '', description: 'Notes about the payment' },
			{
				displayName: 'Payment Time',
				name: 'payment_time',
				type: 'dateTime',
				default: '',
				description: 'When the payment was received, ISO 8601 (e.g. 2025-02-04T12:00:00Z); now when empty',
			},
		],
	},
	{
		displayName: 'This records a payment received outside Keap (cash, check ...): nothing is charged',
		name: 'manualNotice',
		type: 'notice',
		default: '',
	},
	...outputProperties({ allFields: 'The payment Keap recorded', fieldExamples: 'id, amount, status, transaction_id' }),
];

const displayOptions = { show: { resource: ['order'], operation: ['addPayment'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const orders = new RestOrders(session.rest);
	// One at a time: a payment is never sent twice, and each one sees the balance the one before left.
	return await runPerItem(this, items.length, async (i) => {
		const orderId = locatorId(this, i, 'order', 'Order');
		const type = optionalText(this.getNodeParameter('paymentMethodType', i));
		if (!type) throw new InputError('Payment Type', 'a manual payment needs a payment type, e.g. Cash');
		const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const payment: ManualPaymentInput = {
			amount: checkMoney('Amount', this.getNodeParameter('amount', i), { positive: true }),
			payment_method_type: type,
			apply_to_commissions: this.getNodeParameter('applyToCommissions', i, false) === true,
		};
		const time = optionalText(extra.payment_time);
		if (time) payment.payment_time = checkDateTime('Additional Fields > Payment Time', time);
		const notes = optionalText(extra.notes);
		if (notes) payment.notes = notes;
		const result = await orders.addManualPayment(orderId, payment, i);
		if (!result) throw notFound(this, 'order', orderId, i);
		return await formatRecord(this, i, result, { normalized: ({ value }) => ({ ...value }) as unknown as IDataObject });
	});
}
