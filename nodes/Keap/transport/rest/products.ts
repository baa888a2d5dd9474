/**
 * Products over REST v2 (`/products`): create, get, list, update (PATCH with update_mask),
 * delete and adjust inventory. Keap's product `price` is in cents ("the currency's smallest
 * unit"); the neutral shape and the input hold the amount itself (49.5), converted here.
 * A create nests the inventory settings under `inventory`; an update sends them flat (as the
 * v2 document has it), and cannot change the count (Adjust Inventory does).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import { PRODUCT_FLAGS, PRODUCT_TEXTS, type Product, type ProductInput, type ProductQuery } from '../../model/product';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, currencyCode, ids, list, listPage, money, num, obj, orderBy, str, toCents } from './commerce';

export function productFromV2(raw: IDataObject): Product {
	const inventory = obj(raw.inventory);
	return {
		id: String(raw.id),
		name: String(raw.name ?? ''),
		sku: str(raw.sku),
		active: bool(raw.active),
		price: money(raw.price),
		currency_code: currencyCode(raw.price),
		short_description: str(raw.short_description),
		description: str(raw.description),
		shippable: bool(raw.shippable),
		weight: num(raw.weight),
		taxable: bool(raw.taxable),
		country_taxable: bool(raw.country_taxable),
		state_taxable: bool(raw.state_taxable),
		city_taxable: bool(raw.city_taxable),
		subscription_only: bool(raw.subscription_only),
		storefront_hidden: bool(raw.storefront_hidden),
		inventory_count: num(inventory.inventory_count),
		inventory_limit: num(inventory.inventory_limit),
		out_of_stock_enabled: bool(inventory.out_of_stock_enabled),
		email_for_inventory_notifications: str(inventory.email_for_inventory_notifications),
		categories: ids(raw.categories),
		subscription_plans: list(raw.subscription_plans).map((p) => ({
			id: String(p.id),
			active: bool(p.active),
			billing_cycle: str(p.billing_cycle),
			billing_frequency: num(p.billing_frequency),
			number_of_cycles: num(p.number_of_cycles),
			price: money(p.plan_price),
		})),
		top_html: str(raw.top_html),
		bottom_html: str(raw.bottom_html),
		is_package: bool(raw.is_package),
		needs_digital_delivery: bool(raw.needs_digital_delivery),
		delivery_description: str(raw.delivery_description),
		create_time: str(raw.create_time),
		update_time: str(raw.update_time),
	};
}

const INVENTORY_SETTINGS = ['inventory_limit', 'out_of_stock_enabled', 'email_for_inventory_notifications'] as const;

/** The v2 body of a create (inventory nested) or an update (flat), with the update's mask. */
export function productToV2(input: ProductInput, mode: 'create' | 'update'): { body: IDataObject; updateMask: string[] } {
	const body: IDataObject = {};
	for (const k of [...PRODUCT_TEXTS, ...PRODUCT_FLAGS]) if (input[k] !== undefined) body[k] = input[k];
	if (input.price !== undefined) body.price = toCents(input.price);
	if (input.weight !== undefined) body.weight = input.weight;
	if (input.inventory_limit !== undefined) body.inventory_limit = input.inventory_limit;
	if (mode === 'create') {
		const inventory: IDataObject = {};
		for (const k of INVENTORY_SETTINGS) {
			if (body[k] !== undefined) {
				inventory[k] = body[k];
				delete body[k];
			}
		}
		if (input.inventory_count !== undefined) inventory.inventory_count = input.inventory_count;
		if (Object.keys(inventory).length) body.inventory = inventory;
	}
	return { body, updateMask: Object.keys(body) };
}

const withRaw = (raw: IDataObject): WithRaw<Product> => ({ value: productFromV2(raw), raw });

export class RestProducts {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/products/${encodeURIComponent(id)}`;
	}

	async create(input: ProductInput, itemIndex?: number) {
		const res = await this.rest.json('POST', `${V2}/products`, { body: productToV2(input, 'create').body, itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no product with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	async list(query: ProductQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Product>>> {
		const filter = v2Filter([
			['name', query.name],
			['sku', query.sku],
		]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/products`, 'products', productFromV2, qs, pageSize, cursor, itemIndex);
	}

	/** Products by id, up to a page at once (Keap's `product_ids` filter). */
	async listByIds(productIds: string[]): Promise<Array<WithRaw<Product>>> {
		if (!productIds.length) return [];
		const qs = { filter: v2Filter([['product_ids', productIds.join(',')]]) };
		const page = await listPage(this.rest, `${V2}/products`, 'products', productFromV2, qs, this.maxPageSize);
		return page.items;
	}

	/** PATCH of exactly the properties the input sets (update_mask); null when there is no such product. */
	async update(id: string, input: ProductInput, itemIndex?: number) {
		const { body, updateMask } = productToV2(input, 'update');
		const res = await this.rest.json('PATCH', this.path(id), {
			qs: { update_mask: updateMask },
			body,
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when there was no such product. */
	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	/** Raises or lowers the stock count by `quantity`; null when there is no such product. */
	async adjustInventory(id: string, direction: 'INCREASE' | 'DECREASE', quantity: number, itemIndex?: number) {
		const res = await this.rest.json('POST', `${this.path(id)}:adjustInventory`, {
			body: { type: direction, quantity },
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}
}
