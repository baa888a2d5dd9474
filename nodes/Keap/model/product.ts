/**
 * Keap products in the shape the node outputs and takes. Money is a plain number in the
 * account's currency (49.5 for $49.50) with the currency code beside it: the transport turns
 * Keap's cents and currency objects into that, so a price reads the same in every object.
 */

/** A subscription plan of a product (what a subscription is created on). */
export interface SubscriptionPlanSummary {
	id: string;
	active: boolean | null;
	/** DAILY, WEEKLY, MONTHLY or YEARLY. */
	billing_cycle: string | null;
	/** Every how many cycles the plan bills. */
	billing_frequency: number | null;
	/** How many cycles it bills (0 or null: until stopped). */
	number_of_cycles: number | null;
	price: number | null;
}

export interface Product {
	id: string;
	name: string;
	sku: string | null;
	active: boolean | null;
	price: number | null;
	currency_code: string | null;
	short_description: string | null;
	description: string | null;
	shippable: boolean | null;
	weight: number | null;
	taxable: boolean | null;
	country_taxable: boolean | null;
	state_taxable: boolean | null;
	city_taxable: boolean | null;
	subscription_only: boolean | null;
	storefront_hidden: boolean | null;
	/** Not in Keap's listings (Get Many): null there. */
	inventory_count: number | null;
	inventory_limit: number | null;
	out_of_stock_enabled: boolean | null;
	email_for_inventory_notifications: string | null;
	categories: string[];
	subscription_plans: SubscriptionPlanSummary[];
	top_html: string | null;
	bottom_html: string | null;
	is_package: boolean | null;
	needs_digital_delivery: boolean | null;
	delivery_description: string | null;
	create_time: string | null;
	update_time: string | null;
}

/** The product flags a write may set, each a yes/no. */
export const PRODUCT_FLAGS = [
	'active',
	'shippable',
	'taxable',
	'country_taxable',
	'state_taxable',
	'city_taxable',
	'subscription_only',
	'storefront_hidden',
	'out_of_stock_enabled',
	'is_package',
	'needs_digital_delivery',
] as const;

/** The product texts a write may set. */
export const PRODUCT_TEXTS = [
	'name',
	'sku',
	'short_description',
	'description',
	'email_for_inventory_notifications',
	'top_html',
	'bottom_html',
	'delivery_description',
] as const;

export type ProductFlag = (typeof PRODUCT_FLAGS)[number];
export type ProductText = (typeof PRODUCT_TEXTS)[number];

/** What a create or an update writes; absent properties are left alone. */
export type ProductInput = Partial<Record<ProductFlag, boolean>> &
	Partial<Record<ProductText, string>> & {
		/** In the account's currency, at most 2 decimals. */
		price?: number;
		weight?: number;
		inventory_limit?: number;
		/** Create only: an update changes the count with Adjust Inventory. */
		inventory_count?: number;
	};

export interface ProductQuery {
	/** A trailing * matches a prefix (Keap's wildcard). */
	name?: string;
	sku?: string;
	order_by?: 'name' | 'sku' | 'last_updated_time';
	order_direction?: 'asc' | 'desc';
}

export function simplifyProduct(p: Product) {
	return {
		id: p.id,
		name: p.name,
		sku: p.sku,
		price: p.price,
		currency_code: p.currency_code,
		active: p.active,
		inventory_count: p.inventory_count,
	};
}
