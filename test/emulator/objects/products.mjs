// Products and their subscription plans (REST v2 /products). Prices are kept in cents, as
// Keap's v2 product API takes and returns them (`price` "in the currency's smallest unit").
import {
	RequestError, intParam, byId, money, toCents, dollars, nonBlank, atLeast, clean, iso, listOf, patchFields, emit,
	prefixText, idCompare, idList, boolEquals, oneOf, seedRecord,
} from './common.mjs';

const BOOLEANS = ['active', 'shippable', 'taxable', 'subscription_only', 'storefront_hidden', 'country_taxable', 'state_taxable', 'city_taxable', 'is_package', 'needs_digital_delivery'];
const TEXTS = ['sku', 'description', 'top_html', 'bottom_html', 'delivery_description'];
const PATCHABLE = [
	'active', 'name', 'description', 'price', 'sku', 'shippable', 'short_description', 'subscription_only', 'storefront_hidden', 'weight',
	'taxable', 'country_taxable', 'city_taxable', 'state_taxable', 'inventory_limit', 'out_of_stock_enabled',
	'email_for_inventory_notifications', 'top_html', 'bottom_html', 'is_package', 'needs_digital_delivery', 'delivery_description',
];
const INVENTORY_KEYS = ['inventory_limit', 'out_of_stock_enabled', 'email_for_inventory_notifications'];
const CYCLE_TO_SUBSCRIPTION = { DAILY: 'DAY', WEEKLY: 'WEEK', MONTHLY: 'MONTH', YEARLY: 'YEAR' };

export const config = {
	/** Two products may not share a SKU (Keap's rule is undocumented; strict). */
	productSkuUnique: true,
};

function productEvent(store, key, id) {
	emit(store, key, 'product', id, `/crm/rest/v1/products/${id}`);
}

function checkProduct(ctx, p) {
	nonBlank(p.name, 'name');
	nonBlank(p.short_description, 'short_description');
	if (p.price === null || p.price === undefined) throw new RequestError('price is required', 400);
	atLeast(p.price, 0, 'price');
	atLeast(p.weight, 0, 'weight');
	atLeast(p.inventory.inventory_limit, 0, 'inventory.inventory_limit');
	atLeast(p.inventory.inventory_count, 0, 'inventory.inventory_count');
	if (ctx.emu.config.productSkuUnique && p.sku) {
		const other = [...ctx.store.products.values()].find((x) => x.id !== p.id && x.sku && x.sku.toLowerCase() === p.sku.toLowerCase());
		if (other) throw new RequestError(`sku ${p.sku} is already used by product ${other.id} (switch productSkuUnique)`, 400);
	}
}

export function productRecord(store, b) {
	const inv = b.inventory ?? {};
	const p = {
		id: 0, name: b.name, price: b.price, short_description: b.short_description, weight: b.weight ?? null,
		inventory: {
			inventory_limit: inv.inventory_limit ?? null, inventory_count: inv.inventory_count ?? 0,
			out_of_stock_enabled: inv.out_of_stock_enabled ?? false, email_for_inventory_notifications: inv.email_for_inventory_notifications ?? null,
		},
		categories: [], plan_ids: [],
	};
	for (const k of BOOLEANS) p[k] = b[k] ?? (k === 'active');
	for (const k of TEXTS) p[k] = b[k] ?? null;
	return p;
}

function saveNew(store, p) {
	p.id = store.nextId.product++;
	p.create_time = p.update_time = store.stamp();
	store.products.set(p.id, p);
	return p;
}

function planDetail(plan) {
	return {
		id: String(plan.id), active: plan.active, prorate: plan.allow_prorating, billing_cycle: plan.cycle_type,
		billing_frequency: plan.frequency, number_of_cycles: plan.total_cycles, plan_price: money(plan.plan_price), order_index: plan.display_order_index,
	};
}

export function planOut(store, plan) {
	const product = store.products.get(plan.product_id);
	return {
		id: String(plan.id), frequency: plan.frequency, active: plan.active,
		subscription_plan_name: `${product?.name ?? 'Product'} (${plan.frequency > 1 ? `every ${plan.frequency} ` : ''}${plan.cycle_type.toLowerCase()})`,
		cycle_type: plan.cycle_type, total_cycles: plan.total_cycles, plan_price: money(plan.plan_price), display_order_index: plan.display_order_index,
	};
}

/** The subscription's billing cycle for a plan cycle (DAILY → DAY ...). */
export function subscriptionCycle(plan) {
	return CYCLE_TO_SUBSCRIPTION[plan.cycle_type];
}

function productOut(store, p, { list = false } = {}) {
	const inventory = clean({ ...p.inventory, inventory_count: list ? null : p.inventory.inventory_count });
	return clean({
		id: String(p.id), name: p.name, price: money(p.price), active: p.active, description: p.description, sku: p.sku,
		shippable: p.shippable, weight: p.weight, taxable: p.taxable, categories: p.categories, options: [], inventory,
		short_description: p.short_description, subscription_only: p.subscription_only, storefront_hidden: p.storefront_hidden,
		country_taxable: p.country_taxable, state_taxable: p.state_taxable, city_taxable: p.city_taxable,
		subscription_plans: p.plan_ids.map((id) => planDetail(store.subscriptionPlans.get(id))),
		top_html: p.top_html, bottom_html: p.bottom_html, is_package: p.is_package, needs_digital_delivery: p.needs_digital_delivery,
		has_legacy_image: false, delivery_description: p.delivery_description, create_time: iso(p.create_time), update_time: iso(p.update_time),
	});
}

function productOr404(ctx) {
	return byId(ctx.store.products, ctx.params, 'product_id', 'Product');
}

function planRecord(store, productId, b) {
	atLeast(b.frequency, 1, 'frequency');
	atLeast(b.total_cycles, 0, 'total_cycles');
	const price = toCents(b.plan_price, 'plan_price');
	atLeast(price, 0, 'plan_price');
	return {
		id: store.nextId.subscriptionPlan++, product_id: productId, active: b.active ?? true, frequency: b.frequency ?? 1,
		allow_prorating: b.allow_prorating ?? false, cycle_type: b.cycle_type, display_order_index: b.display_order_index ?? 0,
		plan_price: price, total_cycles: b.total_cycles ?? 0,
	};
}

function addPlan(store, product, plan) {
	store.subscriptionPlans.set(plan.id, plan);
	product.plan_ids.push(plan.id);
	return plan;
}

export const v2Routes = [
	{
		method: 'GET', path: '/products',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.products.values()], 'products', {
				filter: (f) => ({
					name: prefixText((p) => p.name), sku: prefixText((p) => p.sku), description: prefixText((p) => p.description),
					short_description: prefixText((p) => p.short_description), product_id: idCompare((p) => p.id),
					product_ids: idList((p) => p.id),
				})[f] ?? null,
				sorts: { name: (p) => p.name, sku: (p) => p.sku, last_updated_time: (p) => p.update_time },
				out: (p) => productOut(ctx.store, p, { list: true }),
			}),
		}),
	},
	{
		method: 'POST', path: '/products',
		handler: (ctx) => {
			const p = productRecord(ctx.store, ctx.body ?? {});
			checkProduct(ctx, p);
			saveNew(ctx.store, p);
			productEvent(ctx.store, 'product.add', p.id);
			return { status: 201, body: productOut(ctx.store, p) };
		},
	},
	{
		method: 'POST', path: '/products/{product_id}:adjustInventory',
		handler: (ctx) => {
			const p = productOr404(ctx);
			const { type, quantity } = ctx.body ?? {};
			if (!type || quantity === undefined) throw new RequestError('type and quantity are required', 400);
			atLeast(quantity, 1, 'quantity');
			const count = p.inventory.inventory_count + (type === 'INCREASE' ? quantity : -quantity);
			if (count < 0) throw new RequestError(`Cannot decrease inventory below 0 (current ${p.inventory.inventory_count}, decrease ${quantity})`, 400);
			p.inventory.inventory_count = count;
			p.update_time = ctx.store.stamp();
			productEvent(ctx.store, 'product.edit', p.id);
			return { status: 200, body: productOut(ctx.store, p) };
		},
	},
	{ method: 'GET', path: '/products/{product_id}', handler: (ctx) => ({ status: 200, body: productOut(ctx.store, productOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/products/{product_id}',
		handler: (ctx) => {
			const current = productOr404(ctx);
			const changed = patchFields(ctx, ctx.body ?? {}, PATCHABLE);
			const next = structuredClone(current);
			for (const [k, v] of Object.entries(changed)) {
				if (INVENTORY_KEYS.includes(k)) next.inventory[k] = v;
				else if (BOOLEANS.includes(k)) next[k] = v ?? false;
				else next[k] = v;
			}
			checkProduct(ctx, next);
			next.update_time = ctx.store.stamp();
			ctx.store.products.set(next.id, next);
			productEvent(ctx.store, 'product.edit', next.id);
			return { status: 200, body: productOut(ctx.store, next) };
		},
	},
	{
		method: 'DELETE', path: '/products/{product_id}',
		handler: (ctx) => {
			const p = productOr404(ctx);
			ctx.store.products.delete(p.id);
			for (const id of p.plan_ids) ctx.store.subscriptionPlans.delete(id);
			productEvent(ctx.store, 'product.delete', p.id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/products/{product_id}/subscriptions',
		handler: (ctx) => {
			const p = productOr404(ctx);
			const plans = p.plan_ids.map((id) => ctx.store.subscriptionPlans.get(id));
			return {
				status: 200,
				body: listOf(ctx, plans, 'subscriptions', {
					filter: (f) => ({
						active: boolEquals((x) => x.active),
						cycle_type: oneOf((x) => x.cycle_type, ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']),
					})[f] ?? null,
					sorts: { id: (x) => x.id, product_id: (x) => x.product_id },
					out: (x) => planOut(ctx.store, x),
				}),
			};
		},
	},
	{
		method: 'POST', path: '/products/{product_id}/subscriptions',
		handler: (ctx) => {
			const p = productOr404(ctx);
			const plan = addPlan(ctx.store, p, planRecord(ctx.store, p.id, ctx.body ?? {}));
			p.update_time = ctx.store.stamp();
			productEvent(ctx.store, 'product.edit', p.id);
			return { status: 201, body: planOut(ctx.store, plan) };
		},
	},
	{
		method: 'GET', path: '/products/{product_id}/subscriptions/{subscription_plan_id}',
		handler: (ctx) => {
			const p = productOr404(ctx);
			const id = intParam(ctx.params.subscription_plan_id, 'subscription_plan_id');
			if (!p.plan_ids.includes(id)) throw new RequestError(`Subscription plan ${id} not found on product ${p.id}`, 404);
			return { status: 200, body: planOut(ctx.store, ctx.store.subscriptionPlans.get(id)) };
		},
	},
];

export const store = {
	reset(s) {
		s.products = new Map();
		s.subscriptionPlans = new Map();
		s.nextId.product = 201;
		s.nextId.subscriptionPlan = 251;
	},
	snapshot(s) {
		return {
			products: [...s.products.values()].map((p) => ({ ...structuredClone(p), create_time: iso(p.create_time), update_time: iso(p.update_time) })),
			subscriptionPlans: [...s.subscriptionPlans.values()].map((x) => ({ ...x, plan_price_dollars: dollars(x.plan_price) })),
		};
	},
};

/** Seed: products: [{ name, price (cents), short_description?, sku?, inventory_count?, plans: [{ cycle_type, plan_price (dollars), frequency? }] }]. */
export function seed(ctx, src) {
	if (!src.products?.length) return {};
	const ids = [];
	for (const raw of src.products) {
		const { plans = [], inventory_count, ...body } = raw;
		const p = productRecord(ctx.store, { short_description: body.name, ...body, inventory: { inventory_count: inventory_count ?? 0, ...(body.inventory ?? {}) } });
		checkProduct(ctx, p);
		saveNew(ctx.store, p);
		for (const plan of plans) addPlan(ctx.store, p, planRecord(ctx.store, p.id, plan));
		ids.push(p.id);
	}
	return { products: ids };
}

/** A seed's product reference: an id or a product name. */
export function seedProduct(store, ref) {
	return seedRecord(store.products, ref, 'name', 'product');
}

export function demo() {
	return {
		products: [
			{ name: 'Starter Kit', sku: 'KIT-001', price: 4900, short_description: 'Everything to get going', shippable: true, taxable: true, inventory_count: 25 },
			{ name: 'Coaching Session', sku: 'COACH-60', price: 15000, short_description: 'One hour, one to one' },
			{ name: 'Monthly Membership', sku: 'MEMBER-M', price: 2900, short_description: 'Members area, billed monthly', subscription_only: true, plans: [{ cycle_type: 'MONTHLY', plan_price: 29, frequency: 1 }] },
		],
	};
}
