// Subscriptions (REST v2 /subscriptions): a contact on a product's subscription plan, with
// deactivation and subscription custom fields. Hook events: subscription.add|edit.
import {
	RequestError, byId, bodyRecord, contactRef, optionalRef, toCents, dollars, atLeast, clean, iso, today, dateIn, listOf,
	patchFields, emit, seedContact, customValuesIn, customValuesOut, customFieldFilter, idEquals, idCompare, idList, oneOf,
	ALL_OPS,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { subscriptionCycle, seedProduct } from './products.mjs';
import { latestPaymentMethod, paymentMethodOf, promoCode, amountFilter } from './sales.mjs';

export const config = {
	/**
	 * auto_charge (default true) without a payment_method_id and without a card on file for the
	 * contact: true → 400 (strict), false → created with payment_method_id "0". Keap documents
	 * only "Default is the contact's most recently used card, if auto charge is true".
	 */
	subscriptionAutoChargeNeedsPaymentMethod: true,
};

const RECORD = 'SUBSCRIPTION';
const PATCHABLE = [
	'contact_id', 'subscription_plan_id', 'quantity', 'billing_amount', 'auto_charge', 'max_charge_attempts', 'days_between_retries', 'active',
	'billing_frequency', 'billing_cycle', 'next_bill_date', 'end_date', 'payment_method_id', 'allow_tax', 'lead_affiliate_id', 'sale_affiliate_id',
	'promo_code', 'shipping_option_id', 'reason_stopped', 'shipping_address', 'custom_fields',
];
const DEFAULT_MAX_CHARGE_ATTEMPTS = 3;
const DEFAULT_DAYS_BETWEEN_RETRIES = 1;

function event(store, key, id) {
	emit(store, key, 'subscription', id, `/crm/rest/v2/subscriptions/${id}`);
}

/** Checks and applies body fields (create or patch) to a subscription record. */
function apply(ctx, s, b) {
	const store = ctx.store;
	for (const [k, v] of Object.entries(b)) {
		switch (k) {
			case 'contact_id':
				if (v === null) throw new RequestError('contact_id cannot be cleared', 400);
				s.contact_id = contactRef(store, v).id;
				break;
			case 'subscription_plan_id': {
				if (v === null) throw new RequestError('subscription_plan_id cannot be cleared', 400);
				const plan = bodyRecord(store.subscriptionPlans, v, k, 'subscription plan');
				s.plan_id = plan.id;
				s.product_id = plan.product_id;
				break;
			}
			case 'quantity': s.quantity = atLeast(v ?? 1, 1, k); break;
			case 'billing_amount': s.billing_amount = v === null ? null : atLeast(toCents(v, k), 0, k); break;
			case 'max_charge_attempts': s.max_charge_attempts = atLeast(v ?? DEFAULT_MAX_CHARGE_ATTEMPTS, 1, k); break;
			case 'days_between_retries': s.days_between_retries = atLeast(v ?? DEFAULT_DAYS_BETWEEN_RETRIES, 1, k); break;
			case 'billing_frequency': s.billing_frequency = atLeast(v ?? 1, 1, k); break;
			case 'auto_charge': case 'allow_tax': case 'active': s[k] = v ?? (k !== 'allow_tax'); break;
			case 'start_date': case 'next_bill_date': case 'end_date': s[k] = dateIn(v, k); break;
			case 'payment_method_id': s.payment_method_id = v === null || v === '0' ? null : paymentMethodOf(store, s.contact_id, v).id; break;
			case 'lead_affiliate_id': case 'sale_affiliate_id': s[k] = optionalRef(store.affiliates, v, k, 'affiliate'); break;
			case 'promo_code':
				if (v && !promoCode(store, v) && ctx.emu.config.unknownPromoCode === 'reject') throw new RequestError(`promo_code: unknown promo code ${v} (switch unknownPromoCode)`, 400);
				s.promo_code = v && promoCode(store, v) ? v : null;
				break;
			case 'custom_fields': s.custom = customValuesIn(fieldsOf(store, RECORD), v); break;
			case 'shipping_address': s.shipping_address = v ? structuredClone(v) : null; break;
			case 'allow_duplicate': break;
			default: s[k] = v; // billing_cycle, shipping_option_id, reason_stopped
		}
	}
}

function out(store, s) {
	return clean({
		id: String(s.id), quantity: s.quantity, active: s.active, contact_id: String(s.contact_id), product_id: String(s.product_id),
		subscription_plan_id: String(s.plan_id), billing_amount: dollars(s.billing_amount), auto_charge: s.auto_charge, billing_frequency: s.billing_frequency,
		billing_cycle: s.billing_cycle, start_date: s.start_date, last_bill_date: s.last_bill_date, next_bill_date: s.next_bill_date, end_date: s.end_date,
		merchant_account_id: s.payment_method_id ? '1' : null, payment_method_id: s.payment_method_id ? String(s.payment_method_id) : '0', allow_tax: s.allow_tax,
		max_charge_attempts: s.max_charge_attempts, days_between_retries: s.days_between_retries,
		lead_affiliate_id: s.lead_affiliate_id ? String(s.lead_affiliate_id) : null, sale_affiliate_id: s.sale_affiliate_id ? String(s.sale_affiliate_id) : null,
		shipping_address: s.shipping_address, promo_code: s.promo_code, shipping_option_id: s.shipping_option_id, reason_stopped: s.reason_stopped,
		modification_time: iso(s.modification_time), custom_fields: customValuesOut(fieldsOf(store, RECORD), s.custom),
	});
}

function empty() {
	return {
		id: 0, contact_id: null, plan_id: null, product_id: null, quantity: 1, active: true, billing_amount: null, auto_charge: true,
		billing_frequency: 1, billing_cycle: null, start_date: null, last_bill_date: null, next_bill_date: null, end_date: null, payment_method_id: null,
		allow_tax: false, max_charge_attempts: DEFAULT_MAX_CHARGE_ATTEMPTS, days_between_retries: DEFAULT_DAYS_BETWEEN_RETRIES, lead_affiliate_id: null,
		sale_affiliate_id: null, shipping_address: null, promo_code: null, shipping_option_id: null, reason_stopped: null, custom: {},
	};
}

function create(ctx, b, { seeding = false } = {}) {
	const store = ctx.store;
	const s = empty();
	// contact and plan first: payment methods and plans are checked against them
	apply(ctx, s, { contact_id: b.contact_id, subscription_plan_id: b.subscription_plan_id });
	const { contact_id, subscription_plan_id, ...rest } = b;
	apply(ctx, s, rest);
	const plan = store.subscriptionPlans.get(s.plan_id);
	s.billing_amount ??= plan.plan_price;
	s.billing_cycle = subscriptionCycle(plan);
	s.billing_frequency = plan.frequency;
	const now = today(store);
	if (s.start_date && s.start_date < now && !seeding) throw new RequestError(`start_date must not be in the past: ${s.start_date}`, 400);
	s.start_date ??= now;
	s.next_bill_date = s.start_date;
	if (s.allow_tax && !store.products.get(s.product_id)?.taxable) s.allow_tax = false; // "Only works if the product ... is taxable"
	if (s.auto_charge && !s.payment_method_id) {
		const card = latestPaymentMethod(store, s.contact_id);
		if (card) s.payment_method_id = card.id;
		else if (ctx.emu.config.subscriptionAutoChargeNeedsPaymentMethod) {
			throw new RequestError(`Contact ${s.contact_id} has no payment method on file for an auto-charged subscription; send payment_method_id or auto_charge false (switch subscriptionAutoChargeNeedsPaymentMethod)`, 400);
		}
	}
	if (!b.allow_duplicate) {
		const dup = [...store.subscriptions.values()].find((x) => x.active && x.contact_id === s.contact_id && x.plan_id === s.plan_id);
		if (dup) throw new RequestError(`Contact ${s.contact_id} already has subscription ${dup.id} on plan ${s.plan_id} (send allow_duplicate true to add another)`, 400);
	}
	s.id = store.nextId.subscription++;
	s.modification_time = store.stamp();
	store.subscriptions.set(s.id, s);
	return s;
}

const subscriptionOr404 = (ctx) => byId(ctx.store.subscriptions, ctx.params, 'subscription_id', 'Subscription');

export const v2Routes = [
	{
		method: 'GET', path: '/subscriptions',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.subscriptions.values()], 'subscriptions', {
				filter: (f) => ({
					contact_id: idEquals((s) => s.contact_id), subscription_plan_id: idEquals((s) => s.plan_id),
					status: oneOf((s) => (s.active ? 'Active' : 'Inactive'), ['Active', 'Inactive']),
					id: idCompare((s) => s.id, ALL_OPS), billing_amount: amountFilter((s) => s.billing_amount),
					ids: idList((s) => s.id), subscription_plan_ids: idList((s) => s.plan_id),
				})[f] ?? customFieldFilter(fieldsOf(ctx.store, RECORD), f, (s) => s.custom),
				sorts: { id: (s) => s.id, contact_id: (s) => s.contact_id, subscription_plan_id: (s) => s.plan_id, modification_time: (s) => s.modification_time },
				out: (s) => out(ctx.store, s),
			}),
		}),
	},
	{
		method: 'POST', path: '/subscriptions',
		handler: (ctx) => {
			const s = create(ctx, ctx.body ?? {});
			event(ctx.store, 'subscription.add', s.id);
			return { status: 201, body: out(ctx.store, s) };
		},
	},
	...modelRoutes({ base: '/subscriptions', record: RECORD, records: (s) => s.subscriptions.values() }),
	{
		method: 'POST', path: '/subscriptions/{subscription_id}:deactivate',
		handler: (ctx) => {
			const s = subscriptionOr404(ctx);
			if (!s.active) throw new RequestError(`Subscription ${s.id} is already inactive`, 400);
			s.active = false;
			s.reason_stopped = ctx.body?.reason ?? null;
			s.end_date = today(ctx.store);
			s.next_bill_date = null;
			s.modification_time = ctx.store.stamp();
			event(ctx.store, 'subscription.edit', s.id);
			return { status: 200 };
		},
	},
	{ method: 'GET', path: '/subscriptions/{subscription_id}', handler: (ctx) => ({ status: 200, body: out(ctx.store, subscriptionOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/subscriptions/{subscription_id}',
		handler: (ctx) => {
			const current = subscriptionOr404(ctx);
			const changed = patchFields(ctx, ctx.body ?? {}, PATCHABLE);
			const next = structuredClone(current);
			if ('contact_id' in changed) apply(ctx, next, { contact_id: changed.contact_id });
			apply(ctx, next, Object.fromEntries(Object.entries(changed).filter(([k]) => k !== 'contact_id')));
			if (next.billing_amount === null) next.billing_amount = ctx.store.subscriptionPlans.get(next.plan_id).plan_price;
			if (next.payment_method_id && ctx.store.paymentMethods.get(next.payment_method_id)?.contact_id !== next.contact_id) {
				throw new RequestError(`payment_method_id ${next.payment_method_id} does not belong to contact ${next.contact_id}`, 400);
			}
			next.modification_time = ctx.store.stamp();
			ctx.store.subscriptions.set(next.id, next);
			event(ctx.store, 'subscription.edit', next.id);
			return { status: 200, body: out(ctx.store, next) };
		},
	},
];

export const store = {
	reset(s) {
		s.subscriptions = new Map();
		s.nextId.subscription = 301;
	},
	snapshot(s) {
		return { subscriptions: [...s.subscriptions.values()].map((x) => out(s, x)) };
	},
};

/** Seed: subscriptions: [{ contact: id | email, product: name | id (its first plan), auto_charge?, start_date? }]. */
export function seed(ctx, src) {
	if (!src.subscriptions?.length) return {};
	const store = ctx.store;
	const ids = [];
	for (const raw of src.subscriptions) {
		const product = seedProduct(store, raw.product);
		if (!product.plan_ids.length) throw new Error(`seed: product ${raw.product} has no subscription plan`);
		const s = create(ctx, {
			contact_id: String(seedContact(store, raw.contact).id), subscription_plan_id: String(product.plan_ids[0]),
			...(raw.auto_charge !== undefined ? { auto_charge: raw.auto_charge } : {}), ...(raw.start_date ? { start_date: raw.start_date } : {}),
		}, { seeding: true });
		ids.push(s.id);
	}
	return { subscriptions: ids };
}

export function demo() {
	return { subscriptions: [{ contact: 'olivia.garcia@example.com', product: 'Monthly Membership', start_date: '2025-01-01' }] };
}
