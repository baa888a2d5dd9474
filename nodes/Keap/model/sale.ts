/**
 * Keap's sales ledger: payments (money received, manual or charged) and transactions (what
 * the payment processor did), in the shape the node outputs. Amounts are in the account's
 * currency, as Keap reports them.
 */

export interface SalePaymentMethod {
	payment_method_id: string | null;
	payment_method_type: string | null;
	card_brand: string | null;
	card_last_four: string | null;
	merchant_account_type: string | null;
}

export interface Payment {
	id: string;
	/** e.g. Cash, Check, Credit Card. */
	type: string | null;
	amount: number | null;
	/** PENDING, APPROVED, COMPLETED, NONE. */
	status: string | null;
	note: string | null;
	contact_id: string | null;
	order_ids: string[];
	payment_time: string | null;
	update_time: string | null;
	commissioned: boolean | null;
	synced: boolean | null;
	refund_payment_id: string | null;
	external_transaction_id: string | null;
	merchant_account_id: string | null;
	merchant_account_type: string | null;
	payment_method: SalePaymentMethod | null;
}

export interface Transaction {
	/** Keap's transactions have no id of their own: the payment they belong to names them. */
	payment_id: string | null;
	amount: number | null;
	/** APPROVED, PENDING, ERROR, FAILED, NONE. */
	status: string | null;
	/** CAPTURE, REFUND, VOID, MANUAL. */
	transaction_method: string | null;
	is_successful: boolean | null;
	description: string | null;
	contact_id: string | null;
	contact: { id: string; email: string | null; given_name: string | null; family_name: string | null } | null;
	order_ids: string[];
	transaction_time: string | null;
	external_reference_id: string | null;
	external_response_code: string | null;
	error_details: string | null;
	merchant_account_id: string | null;
	merchant_account_type: string | null;
	payment_method: SalePaymentMethod | null;
}

/** The filters payments and transactions share. */
export interface SaleQuery {
	contact_id?: string;
	order_id?: string;
	/** ISO 8601, inclusive. */
	since?: string;
	until?: string;
	order_direction?: 'asc' | 'desc';
}

export interface TransactionQuery extends SaleQuery {
	status?: 'APPROVED' | 'PENDING' | 'ERROR' | 'FAILED' | 'NONE';
	transaction_method?: 'CAPTURE' | 'REFUND' | 'VOID' | 'MANUAL';
	is_successful?: boolean;
}

export function simplifyPayment(p: Payment) {
	return {
		id: p.id,
		type: p.type,
		amount: p.amount,
		status: p.status,
		contact_id: p.contact_id,
		order_ids: p.order_ids,
		payment_time: p.payment_time,
	};
}

export function simplifyTransaction(t: Transaction) {
	return {
		payment_id: t.payment_id,
		amount: t.amount,
		status: t.status,
		transaction_method: t.transaction_method,
		is_successful: t.is_successful,
		contact_id: t.contact_id,
		order_ids: t.order_ids,
		transaction_time: t.transaction_time,
	};
}
