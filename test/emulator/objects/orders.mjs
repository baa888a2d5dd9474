// Orders (REST v2 /orders): order items, promo codes, manual and charged payments, attached
// files and order custom fields. Money is kept in cents; request bodies give dollars
// (`price_per_unit`, `payment_amount`), responses CurrencyValue objects.
// Each order has an invoice (its own id); hook events: order.add|edit|delete,
// invoice.add|edit|delete and invoice.payment.add.
import { randomUUID } from 'node:crypto';
import {
	RequestError, intParam, listQuery, byId, bodyRecord, contactRef, optionalRef, money, toCents, dollars, nonBlank, atLeast,
	clean, iso, isoOrNull, dateTimeIn, basicContact, listOf, patchFields, emit, seedContact, customValuesIn, customValuesOut,
	customFieldFilter, prefixText, exactText, idEquals, idCompare, idList, boolEquals, oneOf, timeBound, ALL_OPS, EQ,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { planOut, seedProduct } from './products.mjs';
import { MANUAL_PAYMENT_TYPES, paymentMethodOf, promoCode, recordPayment, amountFilter } from './sales.mjs';

export const config = {
	/** A promo code that is not set up: 'reject' (400, strict) or 'ignore' (the order is created without it). Undocumented. */
	unknownPromoCode: 'reject',
};

const RECORD = 'ORDER';
const PRODUCT_TYPES = ['PRODUCT', 'SUBSCRIPTION'];
const DISCOUNT_TYPES = ['DISCOUNT', 'DISCOUNT_FREE_TRIAL', 'DISCOUNT_ORDER_TOTAL', 'DISCOUNT_PRODUCT', 'DISCOUNT_PRODUCT_CATEGORY', 'DISCOUNT_SHIPPING'];
const SCALARS = ['notes', 'terms', 'title', 'order_title', 'order_type', 'sent_time', 'due_time', 'external_create_user', 'external_create_time', 'external_update_time'];
const TIMES = ['order_time', 'sent_time', 'due_time', 'external_create_time', 'external_update_time'];
const ORDER_PATCHABLE = ['contact_id', 'order_title', 'order_time', 'order_type', 'promo_codes', 'lead_affiliate_id', 'sales_affiliate_id', 'shipping_address', 'notes', 'terms', 'custom_fields', 'sent_time', 'title', 'due_time', 'invoice_number', 'external_create_user', 'external_create_time', 'external_update_time'];
const ITEM_PATCHABLE = ['name', 'description', 'notes', 'quantity', 'price_per_unit', 'cost_per_unit', 'product_id', 'subscription_plan_id', 'subscription_plan_description'];

// ---- events --------------------------------------------------------------------------------------
function orderEvents(store, order, kind) {
	emit(store, `order.${kind}`, 'order', order.id, `/crm/rest/v1/orders/${order.id}`);
	emit(store, `invoice.${kind}`, 'invoice', order.invoice_id, `/crm/rest/v1/orders/${order.id}`);
}

// ---- items ---------------------------------------------------------------------------------------
function optionalText(value, name) {
	if (value === undefined || value === null) return null;
	return nonBlank(value, name);
}

/** A stored order item from a CreateOrderItemRequest (or a patched one); 400 on anything Keap documents as invalid. */
function itemFrom(store, orderId, b) {
	const type = b.item_type ?? 'PRODUCT';
	if (b.quantity === undefined || b.quantity === null) throw new RequestError('order item quantity is required', 400);
	atLeast(b.quantity, 1, 'quantity');
	const item = {
		id: 0, order_id: orderId, item_type: type, quantity: b.quantity, name: optionalText(b.name, 'name'), description: optionalText(b.description, 'description'),
		notes: optionalText(b.notes, 'notes'), product_id: null, product: null, subscription_plan_id: null, subscription_plan_description: null, price: 0, cost: 0,
	};
	if (PRODUCT_TYPES.includes(type)) {
		if (b.product_id === undefined || b.product_id === null) throw new RequestError(`product_id is required for item_type ${type}`, 400);
		const product = bodyRecord(store.products, b.product_id, 'product_id', 'product');
		item.product_id = product.id;
		item.product = { id: String(product.id), name: product.name, sku: product.sku, description: product.description, shippable: product.shippable, taxable: product.taxable };
		item.name ??= product.name;
		item.price = b.price_per_unit === undefined || b.price_per_unit === null ? product.price : toCents(b.price_per_unit, 'price_per_unit');
		item.cost = b.cost_per_unit === undefined || b.cost_per_unit === null ? 0 : toCents(b.cost_per_unit, 'cost_per_unit');
	} else {
		for (const k of ['product_id', 'cost_per_unit']) if (b[k] !== undefined && b[k] !== null) throw new RequestError(`${k} is used only for item_type PRODUCT or SUBSCRIPTION`, 400);
		if (!item.name) throw new RequestError(`name is required for item_type ${type}`, 400);
		if (b.price_per_unit === undefined || b.price_per_unit === null) throw new RequestError(`price_per_unit is required for item_type ${type}`, 400);
		item.price = toCents(b.price_per_unit, 'price_per_unit');
	}
	if (type === 'SUBSCRIPTION') {
		if (b.subscription_plan_id === undefined || b.subscription_plan_id === null) throw new RequestError('subscription_plan_id is required for item_type SUBSCRIPTION', 400);
		const plan = bodyRecord(store.subscriptionPlans, b.subscription_plan_id, 'subscription_plan_id', 'subscription plan');
		if (plan.product_id !== item.product_id) throw new RequestError(`subscription_plan_id ${plan.id} is not a plan of product ${item.product_id}`, 400);
		item.subscription_plan_id = plan.id;
		item.subscription_plan_description = optionalText(b.subscription_plan_description, 'subscription_plan_description');
	} else {
		for (const k of ['subscription_plan_id', 'subscription_plan_description']) if (b[k] !== undefined && b[k] !== null) throw new RequestError(`${k} is used only for item_type SUBSCRIPTION`, 400);
	}
	if (!DISCOUNT_TYPES.includes(type)) atLeast(item.price, 0, 'price_per_unit');
	atLeast(item.cost, 0, 'cost_per_unit');
	return item;
}

function addItem(store, order, item) {
	item.id = store.nextId.orderItem++;
	store.orderItems.set(item.id, item);
	order.item_ids.push(item.id);
	return item;
}

/** Stored items (plus `extra`, not yet stored) and one discount item per promo code, computed from the subtotal. */
function itemsOf(store, order, extra = []) {
	const items = [...order.item_ids.map((id) => store.orderItems.get(id)), ...extra];
	const subtotal = items.reduce((s, i) => s + i.quantity * i.price, 0);
	let left = Math.max(subtotal, 0);
	for (const code of order.promo_codes) {
		const promo = promoCode(store, code);
		if (!promo) continue;
		const off = Math.min(left, promo.percent !== null ? Math.round((subtotal * promo.percent) / 100) : promo.amount);
		left -= off;
		items.push({
			id: order.promo_items[code], order_id: order.id, item_type: 'DISCOUNT_ORDER_TOTAL', quantity: 1, name: `Promo code ${code}`, description: null, notes: null,
			product_id: null, product: null, subscription_plan_id: null, price: -off, cost: 0, promo: promo,
		});
	}
	return items;
}

export function totals(store, order, extra = []) {
	const total = itemsOf(store, order, extra).reduce((s, i) => s + i.quantity * i.price, 0);
	const paid = [...store.payments.values()].filter((p) => p.order_id === order.id).reduce((s, p) => s + p.amount, 0);
	return { total, paid, balance: total - paid };
}

function statusOf(store, order) {
	const { total, paid } = totals(store, order);
	if (total > 0 && paid >= total) return 'PAID';
	return order.sent_time ? 'SENT' : 'DRAFT';
}

function itemOut(store, i) {
	const discount = DISCOUNT_TYPES.includes(i.item_type);
	const plan = i.subscription_plan_id ? store.subscriptionPlans.get(i.subscription_plan_id) : null;
	return clean({
		id: String(i.id), name: i.name, description: i.description, notes: i.notes, quantity: i.quantity,
		discount: discount ? money(-i.price) : null,
		special: i.promo ? { amount: i.promo.percent ?? dollars(i.promo.amount), special_item_id: String(i.id), discount_method: i.promo.percent !== null ? 'PERCENT' : 'AMOUNT' } : null,
		product: i.product ? clean({ ...i.product }) : null, item_type: i.item_type, cost_per_unit: money(i.cost), price_per_unit: money(i.price),
		subscription_plan: plan ? planOut(store, plan) : null,
	});
}

// ---- orders --------------------------------------------------------------------------------------
function shippingOut(order) {
	const s = order.shipping;
	if (!s) return null;
	return clean({
		id: String(order.id),
		address: clean({ line1: s.line1, line2: s.line2, locality: s.locality, region: s.region, field: 'SHIPPING', country_code: s.country_code, postal_code: s.zip_code, zip_code: s.zip_code, zip_four: s.zip_four }),
		company: s.company, given_name: s.first_name, family_name: s.last_name, phone_number: s.phone, invoice_to_company: s.is_invoice_to_company,
	});
}

function orderOut(store, order) {
	const { total, paid } = totals(store, order);
	return clean({
		id: String(order.id), title: order.order_title, status: statusOf(store, order), total: money(total), contact: basicContact(store, order.contact_id),
		notes: order.notes, terms: order.terms, order_type: order.order_type, source_type: order.source_type, creation_time: iso(order.creation_time),
		modification_time: iso(order.modification_time), order_time: iso(order.order_time),
		lead_affiliate_id: order.lead_affiliate_id ? String(order.lead_affiliate_id) : null, sales_affiliate_id: order.sales_affiliate_id ? String(order.sales_affiliate_id) : null,
		total_paid: money(paid), total_due: money(total), shipping_information: shippingOut(order), refund_total: money(0), allow_payment: true, allow_paypal: false,
		order_items: itemsOf(store, order).map((i) => itemOut(store, i)), files: order.file_ids.map((id) => ({ file_id: String(id) })),
		promo_code: order.promo_codes.length ? order.promo_codes.join(',') : null, refund_status: 'NONE', synced: false, invoice_id: String(order.invoice_id),
		custom_fields: customValuesOut(fieldsOf(store, RECORD), order.custom), sent_time: isoOrNull(order.sent_time), due_time: isoOrNull(order.due_time),
		external_create_user: order.external_create_user, external_create_time: isoOrNull(order.external_create_time), external_update_time: isoOrNull(order.external_update_time),
	});
}

function checkPromoCodes(ctx, codes) {
	if (new Set(codes).size !== codes.length) throw new RequestError('promo_codes contains a code more than once', 400);
	const known = codes.filter((c) => promoCode(ctx.store, c));
	if (known.length !== codes.length && ctx.emu.config.unknownPromoCode === 'reject') {
		throw new RequestError(`promo_codes: unknown promo code ${codes.find((c) => !known.includes(c))} (switch unknownPromoCode)`, 400);
	}
	return known;
}

function setPromoCodes(store, order, codes) {
	order.promo_codes = codes;
	order.promo_items = Object.fromEntries(codes.map((c) => [c, order.promo_items?.[c] ?? store.nextId.orderItem++]));
}

/** Applies the scalar/reference fields of a create or update body to an order record. */
function applyOrderFields(ctx, order, b) {
	for (const [k, v] of Object.entries(b)) {
		if (k === 'contact_id') {
			if (v === null) throw new RequestError('contact_id cannot be cleared', 400);
			order.contact_id = contactRef(ctx.store, v).id;
		} else if (k === 'lead_affiliate_id' || k === 'sales_affiliate_id') order[k] = optionalRef(ctx.store.affiliates, v, k, 'affiliate');
		else if (k === 'custom_fields') order.custom = customValuesIn(fieldsOf(ctx.store, RECORD), v);
		else if (k === 'shipping_address') order.shipping = v ? structuredClone(v) : null;
		else if (k === 'promo_codes') setPromoCodes(ctx.store, order, checkPromoCodes(ctx, v ?? []));
		else if (k === 'invoice_number') continue; // "Feature not yet supported" (OrderV2.invoice_number)
		else if (k === 'order_time') {
			if (v === null) throw new RequestError('order_time cannot be cleared', 400);
			order.order_time = Date.parse(v);
		} else if (TIMES.includes(k)) order[k] = dateTimeIn(v, k) ?? null;
		else if (SCALARS.includes(k)) order[k] = v;
	}
	if (order.order_title !== undefined) nonBlank(order.order_title, 'order_title');
	if (!order.order_type) throw new RequestError('order_type is required', 400);
}

function orderOr404(ctx) {
	return byId(ctx.store.orders, ctx.params, 'order_id', 'Order');
}

function touch(store, order) {
	order.modification_time = store.stamp();
}

function newOrder(store) {
	return {
		id: 0, invoice_id: 0, invoice_xid: randomUUID(), contact_id: null, title: null, order_title: null, notes: null, terms: null, order_type: null,
		order_time: null, source_type: 'API', lead_affiliate_id: null, sales_affiliate_id: null, shipping: null, custom: {}, sent_time: null, due_time: null,
		external_create_user: null, external_create_time: null, external_update_time: null, promo_codes: [], promo_items: {}, item_ids: [], file_ids: [],
	};
}

function saveNew(store, order) {
	order.id = store.nextId.order++;
	order.invoice_id = store.nextId.invoice++;
	order.creation_time = order.modification_time = store.stamp();
	store.orders.set(order.id, order);
	return order;
}

function createOrder(ctx, b) {
	const order = newOrder(ctx.store);
	applyOrderFields(ctx, order, Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'order_items')));
	const items = (b.order_items ?? []).map((i) => itemFrom(ctx.store, 0, i));
	saveNew(ctx.store, order);
	for (const i of items) addItem(ctx.store, order, { ...i, order_id: order.id });
	return order;
}

/** The order's item with this path id (a promo code discount item is read-only). */
function itemOr404(ctx, order, { write = false } = {}) {
	const id = intParam(ctx.params.order_item_id, 'order_item_id');
	if (Object.values(order.promo_items).includes(id)) {
		if (write) throw new RequestError(`Order item ${id} is a promo code discount; change the order's promo_codes instead`, 400);
		return itemsOf(ctx.store, order).find((i) => i.id === id);
	}
	if (!order.item_ids.includes(id)) throw new RequestError(`Order item ${id} not found on order ${order.id}`, 404);
	return ctx.store.orderItems.get(id);
}

/** 400 when the order's total (with `extra` items) would fall below what was paid. */
function checkBalance(store, order, extra = []) {
	const { total, paid } = totals(store, order, extra);
	if (paid > total) throw new RequestError(`The order's total (${money(total).formatted_amount}) cannot be less than what was paid (${money(paid).formatted_amount})`, 400);
}

function invoicePaymentOut(p) {
	return clean({
		id: String(p.invoice_payment_id), amount: dollars(p.amount), note: p.note, invoice_id: String(p.invoice_id), payment_id: String(p.id),
		pay_time: iso(p.payment_time), pay_status: p.pay_status, last_updated_time: iso(p.update_time), skip_commission: !p.commissioned,
	});
}

function pay(ctx, order, b) {
	const { balance } = totals(ctx.store, order);
	const cents = toCents(b.payment_amount, 'payment_amount');
	if (cents <= 0) throw new RequestError('payment_amount must be greater than 0', 400);
	if (cents > balance) throw new RequestError(`payment_amount ${b.payment_amount} exceeds the order's balance of ${money(balance).formatted_amount}`, 400);
	let method = null;
	if (b.payment_method_id !== undefined && b.payment_method_id !== null) method = paymentMethodOf(ctx.store, order.contact_id, b.payment_method_id);
	else if (b.payment_method_type === undefined || b.payment_method_type === null) throw new RequestError('At least one of payment_method_id or payment_method_type is required', 400);
	else if (!MANUAL_PAYMENT_TYPES.includes(b.payment_method_type)) {
		throw new RequestError(`payment_method_type must exactly match a configured manual payment type (${MANUAL_PAYMENT_TYPES.join(', ')}): ${b.payment_method_type}`, 400);
	}
	const payment = recordPayment(ctx.store, {
		order, cents, method, type: b.payment_method_type, note: b.notes, time: dateTimeIn(b.payment_time, 'payment_time') ?? null, commissioned: b.apply_to_commissions,
		external: b.external_source_value,
	});
	touch(ctx.store, order);
	emit(ctx.store, 'invoice.payment.add', 'invoice.payment', payment.id, `/crm/rest/v1/orders/${order.id}/payments`);
	orderEvents(ctx.store, order, 'edit');
	return payment;
}

const orderFilter = (ctx) => (f) => ({
	id: idCompare((o) => o.id, ALL_OPS), ids: idList((o) => o.id),
	product_id: idEquals((o) => o.item_ids.map((i) => ctx.store.orderItems.get(i).product_id)),
	contact_id: idEquals((o) => o.contact_id), invoice_id: idEquals((o) => o.invoice_id), invoice_xid: exactText((o) => o.invoice_xid, { caseSensitive: true }),
	paid: boolEquals((o) => statusOf(ctx.store, o) === 'PAID'),
	created_since_time: timeBound((o) => o.creation_time, 'since'), created_until_time: timeBound((o) => o.creation_time, 'until'),
	modified_since_time: timeBound((o) => o.modification_time, 'since'), modified_until_time: timeBound((o) => o.modification_time, 'until'),
	title: prefixText((o) => o.order_title), order_type: oneOf((o) => o.order_type, ['ONLINE', 'OFFLINE']),
	shipping_locality: prefixText((o) => o.shipping?.locality), shipping_region_code: prefixText((o) => o.shipping?.region),
	shipping_postal_code: prefixText((o) => o.shipping?.zip_code), shipping_country_code: prefixText((o) => o.shipping?.country_code),
})[f] ?? customFieldFilter(fieldsOf(ctx.store, RECORD), f, (o) => o.custom);

export const v2Routes = [
	{
		method: 'GET', path: '/orders',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.orders.values()], 'orders', {
				filter: orderFilter(ctx),
				sorts: { id: (o) => o.id, order_time: (o) => o.order_time, modification_time: (o) => o.modification_time },
				out: (o) => orderOut(ctx.store, o),
			}),
		}),
	},
	{
		method: 'POST', path: '/orders',
		handler: (ctx) => {
			const order = createOrder(ctx, ctx.body ?? {});
			orderEvents(ctx.store, order, 'add');
			return { status: 201, body: orderOut(ctx.store, order) };
		},
	},
	...modelRoutes({ base: '/orders', record: RECORD, records: (s) => s.orders.values() }),
	{ method: 'GET', path: '/orders/{order_id}', handler: (ctx) => ({ status: 200, body: orderOut(ctx.store, orderOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/orders/{order_id}',
		handler: (ctx) => {
			const current = orderOr404(ctx);
			const b = ctx.body ?? {};
			const mask = listQuery(ctx.query, 'update_mask');
			if (mask.includes('order_items')) throw new RequestError('order_items cannot be updated here; use /orders/{order_id}/items', 400);
			if ('payment_plan' in b || mask.includes('payment_plan')) throw new RequestError('payment_plan is not modelled by the emulator', 501);
			const next = structuredClone(current);
			applyOrderFields(ctx, next, patchFields(ctx, b, ORDER_PATCHABLE));
			checkBalance(ctx.store, next);
			touch(ctx.store, next);
			ctx.store.orders.set(next.id, next);
			orderEvents(ctx.store, next, 'edit');
			return { status: 200, body: orderOut(ctx.store, next) };
		},
	},
	{
		method: 'DELETE', path: '/orders/{order_id}',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			if ([...ctx.store.payments.values()].some((p) => p.order_id === order.id)) {
				throw new RequestError(`Order ${order.id} has payments recorded; an order must not have any transactions to be deleted`, 400);
			}
			for (const id of order.item_ids) ctx.store.orderItems.delete(id);
			ctx.store.orders.delete(order.id);
			orderEvents(ctx.store, order, 'delete');
			return { status: 204 };
		},
	},
	{
		method: 'POST', path: '/orders/{order_id}:attachFile',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const file = bodyRecord(ctx.store.files, ctx.body?.file_id, 'file_id', 'file');
			if (order.file_ids.includes(file.id)) throw new RequestError(`File ${file.id} is already attached to order ${order.id}`, 400);
			order.file_ids.push(file.id);
			touch(ctx.store, order);
			orderEvents(ctx.store, order, 'edit');
			return { status: 200, body: orderOut(ctx.store, order) };
		},
	},
	{
		method: 'POST', path: '/orders/{order_id}:detachFile',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const id = intParam(ctx.body?.file_id, 'file_id');
			if (!order.file_ids.includes(id)) throw new RequestError(`File ${id} is not attached to order ${order.id}`, 400);
			order.file_ids = order.file_ids.filter((x) => x !== id);
			touch(ctx.store, order);
			orderEvents(ctx.store, order, 'edit');
			return { status: 200, body: orderOut(ctx.store, order) };
		},
	},
	{
		method: 'POST', path: '/orders/{order_id}/items',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const item = itemFrom(ctx.store, order.id, ctx.body ?? {});
			checkBalance(ctx.store, order, [item]);
			addItem(ctx.store, order, item);
			touch(ctx.store, order);
			orderEvents(ctx.store, order, 'edit');
			return { status: 201, body: itemOut(ctx.store, item) };
		},
	},
	{
		method: 'GET', path: '/orders/{order_id}/items/{order_item_id}',
		handler: (ctx) => ({ status: 200, body: itemOut(ctx.store, itemOr404(ctx, orderOr404(ctx))) }),
	},
	{
		method: 'PATCH', path: '/orders/{order_id}/items/{order_item_id}',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const current = itemOr404(ctx, order, { write: true });
			const changed = patchFields(ctx, ctx.body ?? {}, ITEM_PATCHABLE);
			const merged = {
				item_type: current.item_type, quantity: current.quantity, name: current.name, description: current.description, notes: current.notes,
				product_id: current.product_id === null ? null : String(current.product_id), price_per_unit: dollars(current.price),
				cost_per_unit: PRODUCT_TYPES.includes(current.item_type) ? dollars(current.cost) : null,
				subscription_plan_id: current.subscription_plan_id === null ? null : String(current.subscription_plan_id),
				subscription_plan_description: current.subscription_plan_description, ...changed,
			};
			const next = { ...itemFrom(ctx.store, order.id, merged), id: current.id };
			ctx.store.orderItems.set(next.id, next);
			try {
				checkBalance(ctx.store, order);
			} catch (e) {
				ctx.store.orderItems.set(current.id, current);
				throw e;
			}
			touch(ctx.store, order);
			orderEvents(ctx.store, order, 'edit');
			return { status: 200, body: itemOut(ctx.store, next) };
		},
	},
	{
		method: 'DELETE', path: '/orders/{order_id}/items/{order_item_id}',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const item = itemOr404(ctx, order, { write: true });
			const next = { ...order, item_ids: order.item_ids.filter((x) => x !== item.id) };
			checkBalance(ctx.store, next);
			order.item_ids = next.item_ids;
			ctx.store.orderItems.delete(item.id);
			touch(ctx.store, order);
			orderEvents(ctx.store, order, 'edit');
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/orders/{order_id}/payments',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const mine = [...ctx.store.payments.values()].filter((p) => p.order_id === order.id);
			return {
				status: 200,
				body: listOf(ctx, mine, 'invoice_order_payments', {
					filter: (f) => ({
						invoice_id: idEquals((p) => p.invoice_id), payment_id: idEquals((p) => p.id), amount: amountFilter((p) => p.amount, EQ),
						pay_status: oneOf((p) => p.pay_status, ['MANUAL_PAID', 'REFUNDED', 'VOIDED', 'PAYPAL_PAID', 'APPROVED', 'FAILED', 'ERROR', 'PENDING']),
						skip_commission: boolEquals((p) => !p.commissioned),
					})[f] ?? null,
					sorts: {
						invoice_id: (p) => p.invoice_id, payment_id: (p) => p.id, amount: (p) => p.amount, pay_time: (p) => p.payment_time,
						pay_status: (p) => p.pay_status, skip_commission: (p) => !p.commissioned, last_updated_time: (p) => p.update_time,
					},
					out: invoicePaymentOut,
				}),
			};
		},
	},
	{
		method: 'POST', path: '/orders/{order_id}/payments',
		handler: (ctx) => {
			const order = orderOr404(ctx);
			const p = pay(ctx, order, ctx.body ?? {});
			return {
				status: 201,
				body: { id: String(p.id), invoice_id: String(p.invoice_id), payment_amount: dollars(p.amount), payment_status_message: p.status, transaction_id: String(p.transaction_id) },
			};
		},
	},
];

export const store = {
	reset(s) {
		s.orders = new Map();
		s.orderItems = new Map();
		Object.assign(s.nextId, { order: 4001, orderItem: 4501, invoice: 5001 });
	},
	snapshot(s) {
		return { orders: [...s.orders.values()].map((o) => ({ ...orderOut(s, o), contact_id: o.contact_id })) };
	},
};

/**
 * Seed: orders: [{ contact: id | email, order_title, order_time?, order_type?, promo_codes?,
 * items: [{ product: name | id, quantity, price_per_unit? } | { item_type, name, quantity, price_per_unit }],
 * payments: [{ payment_amount (dollars), payment_method_type? ('Cash' …), payment_time? }] }].
 */
export function seed(ctx, src) {
	if (!src.orders?.length) return {};
	const store = ctx.store;
	const ids = [];
	for (const raw of src.orders) {
		const items = (raw.items ?? []).map(({ product, ...i }) => (product === undefined ? i : { ...i, product_id: String(seedProduct(store, product).id) }));
		const order = createOrder(ctx, {
			contact_id: String(seedContact(store, raw.contact).id), order_title: raw.order_title, order_time: raw.order_time ?? iso(store.clock.now()),
			order_type: raw.order_type ?? 'OFFLINE', order_items: items, ...(raw.promo_codes ? { promo_codes: raw.promo_codes } : {}),
		});
		for (const p of raw.payments ?? []) {
			const cents = Math.round(p.payment_amount * 100);
			if (cents > totals(store, order).balance) throw new Error(`seed: payment ${p.payment_amount} exceeds the balance of order ${order.id}`);
			recordPayment(store, { order, cents, method: null, type: p.payment_method_type ?? 'Cash', note: p.notes ?? null, time: dateTimeIn(p.payment_time, 'payment_time') ?? null, commissioned: false });
		}
		ids.push(order.id);
	}
	return { orders: ids };
}

export function demo() {
	return {
		orders: [
			{
				contact: 'olivia.garcia@example.com', order_title: 'Starter bundle', order_time: '2025-01-15T15:00:00.000Z',
				items: [{ product: 'Starter Kit', quantity: 2 }, { product: 'Coaching Session', quantity: 1 }], payments: [{ payment_amount: 248, payment_method_type: 'Cash', payment_time: '2025-01-15T15:05:00.000Z' }],
			},
			{
				contact: 'liam.smith@example.com', order_title: 'Kit with shipping', order_time: '2025-02-03T10:30:00.000Z',
				items: [{ product: 'Starter Kit', quantity: 1 }, { item_type: 'SHIPPING', name: 'Ground shipping', quantity: 1, price_per_unit: 7.5 }],
				payments: [{ payment_amount: 20, payment_method_type: 'Check', payment_time: '2025-02-04T12:00:00.000Z' }],
			},
			{ contact: 'emma.johnson@example.com', order_title: 'Coaching (unpaid)', order_time: '2025-03-10T09:00:00.000Z', items: [{ product: 'Coaching Session', quantity: 2 }], promo_codes: ['SAVE10'] },
		],
	};
}
