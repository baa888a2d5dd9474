/**
 * Keap orders (invoices), their items and payments, in the shape the node outputs and takes.
 * Money is a plain number in the account's currency (248 for $248.00), as in model/product.ts.
 */
import type { ContactCustomFieldValue } from './contact';

/** A custom field value of a record with a model (order, subscription): by id, checked for its type. */
export type RecordCustomFieldValue = ContactCustomFieldValue;

/** The item types an order item may be created with (Keap's discount types are left to promo codes). */
export const ORDER_ITEM_TYPES = ['PRODUCT', 'SHIPPING', 'TAX', 'FEE', 'FINANCE_CHARGE', 'OTHER'] as const;
export type OrderItemType = (typeof ORDER_ITEM_TYPES)[number];

/** Manual payment types Keap sets up by default (an account may configure others). */
export const MANUAL_PAYMENT_TYPES = ['Cash', 'Check', 'Credit Card (Manual)', 'Money Order', 'Adjustment'] as const;

export interface OrderItem {
	id: string;
	item_type: string | null;
	name: string | null;
	description: string | null;
	notes: string | null;
	quantity: number | null;
	price_per_unit: number | null;
	cost_per_unit: number | null;
	/** For discount items: the amount taken off. */
	discount: number | null;
	product_id: string | null;
	product_name: string | null;
	product_sku: string | null;
	subscription_plan_id: string | null;
	subscription_id: string | null;
}

export interface OrderShipping {
	given_name: string | null;
	family_name: string | null;
	company: string | null;
	phone_number: string | null;
	line1: string | null;
	line2: string | null;
	locality: string | null;
	region: string | null;
	postal_code: string | null;
	zip_four: string | null;
	country_code: string | null;
	invoice_to_company: boolean | null;
}

export interface Order {
	id: string;
	title: string | null;
	/** DRAFT, SENT, VIEWED or PAID. */
	status: string | null;
	contact_id: string | null;
	contact: { id: string; email: string | null; given_name: string | null; family_name: string | null } | null;
	order_type: string | null;
	source_type: string | null;
	order_time: string | null;
	creation_time: string | null;
	modification_time: string | null;
	currency_code: string | null;
	total: number | null;
	total_paid: number | null;
	total_due: number | null;
	refund_total: number | null;
	order_items: OrderItem[];
	promo_codes: string[];
	notes: string | null;
	terms: string | null;
	invoice_id: string | null;
	lead_affiliate_id: string | null;
	sales_affiliate_id: string | null;
	shipping: OrderShipping | null;
	sent_time: string | null;
	due_time: string | null;
	file_ids: string[];
	custom_fields: RecordCustomFieldValue[];
}

/** One item to add to an order. PRODUCT items need a product (price defaults to the product's); others a name and a price. */
export interface OrderItemInput {
	item_type: OrderItemType;
	product_id?: string;
	name?: string;
	description?: string;
	notes?: string;
	quantity: number;
	price_per_unit?: number;
}

export interface OrderShippingInput {
	first_name?: string;
	last_name?: string;
	company?: string;
	phone?: string;
	line1?: string;
	line2?: string;
	locality?: string;
	region?: string;
	zip_code?: string;
	zip_four?: string;
	country_code?: string;
	is_invoice_to_company?: boolean;
}

/** The order properties a create or an update writes (absent ones are left alone). */
export interface OrderFields {
	contact_id?: string;
	order_title?: string;
	order_type?: 'ONLINE' | 'OFFLINE';
	/** ISO 8601. */
	order_time?: string;
	promo_codes?: string[];
	notes?: string;
	terms?: string;
	lead_affiliate_id?: string;
	sales_affiliate_id?: string;
	sent_time?: string;
	due_time?: string;
	shipping_address?: OrderShippingInput;
	custom_fields?: RecordCustomFieldValue[];
}

export interface OrderInput extends OrderFields {
	contact_id: string;
	order_title: string;
	order_type: 'ONLINE' | 'OFFLINE';
	order_time: string;
	order_items: OrderItemInput[];
}

export interface OrderQuery {
	contact_id?: string;
	product_id?: string;
	/** true: paid in full; false: not (yet) paid in full. */
	paid?: boolean;
	/** ISO 8601, inclusive bounds on the order's creation. */
	created_since?: string;
	created_until?: string;
	/** ISO 8601, inclusive lower bound on the order's last change (`modification_time`). */
	modified_since?: string;
	/** Only orders whose id is greater than this (reading a listing by id, not by page token). */
	id_after?: string;
	/** A trailing * matches a prefix. */
	title?: string;
	order_type?: 'ONLINE' | 'OFFLINE';
	ids?: string[];
	id?: string;
	order_by?: 'id' | 'order_time' | 'modification_time';
	order_direction?: 'asc' | 'desc';
}

/** A payment recorded by hand (cash, check, ...): nothing is charged. */
export interface ManualPaymentInput {
	amount: number;
	/** Must match a manual payment type configured in the Keap account. */
	payment_method_type: string;
	apply_to_commissions: boolean;
	/** ISO 8601; Keap uses now without it. */
	payment_time?: string;
	notes?: string;
}

/** What Keap answers to a payment on an order. */
export interface PaymentResult {
	id: string;
	order_id: string;
	invoice_id: string | null;
	amount: number | null;
	status: string | null;
	transaction_id: string | null;
}

/** A payment of an order as the order lists it. */
export interface OrderPayment {
	id: string;
	order_id: string;
	payment_id: string | null;
	invoice_id: string | null;
	amount: number | null;
	/** MANUAL_PAID, APPROVED, REFUNDED, ... */
	pay_status: string | null;
	pay_time: string | null;
	note: string | null;
	skip_commission: boolean | null;
	refund_invoice_payment_id: string | null;
	last_updated_time: string | null;
}

export function simplifyOrder(o: Order) {
	return {
		id: o.id,
		title: o.title,
		status: o.status,
		contact_id: o.contact_id,
		contact_email: o.contact?.email ?? null,
		order_time: o.order_time,
		currency_code: o.currency_code,
		total: o.total,
		total_paid: o.total_paid,
		total_due: o.total_due,
		items: o.order_items.length,
	};
}
