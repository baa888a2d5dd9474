/**
 * Keap's sales ledger over REST v2: payments (`/sales/payments`) and transactions
 * (`/sales/transactions`), both read-only listings filtered by contact, order and a time
 * range (`since_time` / `until_time`, inclusive), newest or oldest first.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { Payment, SalePaymentMethod, SaleQuery, Transaction, TransactionQuery } from '../../model/sale';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, ids, listPage, num, obj, str } from './commerce';

function paymentMethodFromV2(v: unknown): SalePaymentMethod | null {
	if (!v) return null;
	const pm = obj(v);
	const card = obj(pm.card_info);
	return {
		payment_method_id: str(pm.payment_method_id),
		payment_method_type: str(pm.payment_method_type),
		card_brand: str(card.brand),
		card_last_four: str(card.last_four),
		merchant_account_type: str(pm.merchant_account_type),
	};
}

export function paymentFromV2(raw: IDataObject): Payment {
	return {
		id: String(raw.id),
		type: str(raw.type),
		amount: num(raw.amount),
		status: str(raw.status),
		note: str(raw.note),
		contact_id: str(raw.contact_id),
		order_ids: ids(raw.order_ids),
		payment_time: str(raw.payment_time),
		update_time: str(raw.update_time),
		commissioned: bool(raw.commissioned),
		synced: bool(raw.synced),
		refund_payment_id: str(raw.refund_payment_id),
		external_transaction_id: str(raw.external_transaction_id),
		merchant_account_id: str(raw.merchant_account_id),
		merchant_account_type: str(raw.merchant_account_type),
		payment_method: paymentMethodFromV2(raw.payment_method),
	};
}

export function transactionFromV2(raw: IDataObject): Transaction {
	const contact = obj(raw.contact);
	return {
		payment_id: str(raw.payment_id),
		amount: num(raw.amount),
		status: str(raw.status),
		transaction_method: str(raw.transaction_method),
		is_successful: bool(raw.is_successful),
		description: str(raw.description),
		contact_id: str(raw.contact_id ?? contact.id),
		contact: contact.id
			? {
					id: String(contact.id),
					email: str(contact.email),
					given_name: str(contact.given_name),
					family_name: str(contact.family_name),
				}
			: null,
		order_ids: ids(raw.order_ids),
		transaction_time: str(raw.transaction_time),
		external_reference_id: str(raw.external_reference_id),
		external_response_code: str(raw.external_response_code),
		error_details: str(raw.error_details),
		merchant_account_id: str(raw.merchant_account_id),
		merchant_account_type: str(raw.merchant_account_type),
		payment_method: paymentMethodFromV2(raw.payment_method),
	};
}

function saleClauses(query: SaleQuery): Array<[string, string | undefined]> {
	return [
		['contact_id', query.contact_id],
		['order_id', query.order_id],
		['since_time', query.since],
		['until_time', query.until],
	];
}

export class RestSales {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async listPayments(query: SaleQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Payment>>> {
		const filter = v2Filter(saleClauses(query));
		const qs: IDataObject = { ...(filter ? { filter } : {}), order_by: `payment_time ${query.order_direction ?? 'desc'}` };
		return await listPage(this.rest, `${V2}/sales/payments`, 'payments', paymentFromV2, qs, pageSize, cursor, itemIndex);
	}

	async listTransactions(
		query: TransactionQuery,
		pageSize: number,
		cursor?: string,
		itemIndex?: number,
	): Promise<Page<WithRaw<Transaction>>> {
		const filter = v2Filter([
			...saleClauses(query),
			['status', query.status],
			['transaction_method', query.transaction_method],
			['is_successful', query.is_successful === undefined ? undefined : String(query.is_successful)],
		]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), order_by: `transaction_time ${query.order_direction ?? 'desc'}` };
		return await listPage(this.rest, `${V2}/sales/transactions`, 'transactions', transactionFromV2, qs, pageSize, cursor, itemIndex);
	}
}
