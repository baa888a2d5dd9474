/** Keap subscriptions (a contact on a product's subscription plan) in the shape the node outputs and takes. */
import type { RecordCustomFieldValue } from './order';

export interface Subscription {
	id: string;
	active: boolean | null;
	contact_id: string | null;
	product_id: string | null;
	subscription_plan_id: string | null;
	quantity: number | null;
	/** In the account's currency, as Keap reports it. */
	billing_amount: number | null;
	/** YEAR, MONTH, WEEK or DAY. */
	billing_cycle: string | null;
	billing_frequency: number | null;
	auto_charge: boolean | null;
	payment_method_id: string | null;
	merchant_account_id: string | null;
	start_date: string | null;
	last_bill_date: string | null;
	next_bill_date: string | null;
	end_date: string | null;
	allow_tax: boolean | null;
	max_charge_attempts: number | null;
	days_between_retries: number | null;
	lead_affiliate_id: string | null;
	sale_affiliate_id: string | null;
	promo_code: string | null;
	shipping_option_id: string | null;
	reason_stopped: string | null;
	modification_time: string | null;
	custom_fields: RecordCustomFieldValue[];
}

export const BILLING_CYCLES = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;

/** What a create or an update writes (absent properties are left alone). */
export interface SubscriptionFields {
	contact_id?: string;
	subscription_plan_id?: string;
	quantity?: number;
	billing_amount?: number;
	auto_charge?: boolean;
	payment_method_id?: string;
	max_charge_attempts?: number;
	days_between_retries?: number;
	allow_tax?: boolean;
	promo_code?: string;
	lead_affiliate_id?: string;
	sale_affiliate_id?: string;
	/** Update only. */
	active?: boolean;
	billing_cycle?: (typeof BILLING_CYCLES)[number];
	billing_frequency?: number;
	/** YYYY-MM-DD; update only. */
	next_bill_date?: string;
	end_date?: string;
	custom_fields?: RecordCustomFieldValue[];
}

export interface SubscriptionInput extends SubscriptionFields {
	contact_id: string;
	subscription_plan_id: string;
	/** YYYY-MM-DD, today or later; create only. */
	start_date?: string;
	/** Create only: allow a second identical active subscription. */
	allow_duplicate?: boolean;
}

export interface SubscriptionQuery {
	contact_id?: string;
	subscription_plan_id?: string;
	status?: 'Active' | 'Inactive';
	ids?: string[];
	order_by?: 'id' | 'contact_id' | 'subscription_plan_id' | 'modification_time';
	order_direction?: 'asc' | 'desc';
}

export function simplifySubscription(s: Subscription) {
	return {
		id: s.id,
		active: s.active,
		contact_id: s.contact_id,
		product_id: s.product_id,
		subscription_plan_id: s.subscription_plan_id,
		billing_amount: s.billing_amount,
		billing_cycle: s.billing_cycle,
		next_bill_date: s.next_bill_date,
	};
}
