// The sales ledger: payments and transactions (REST v2 /sales/payments, /sales/transactions),
// stored payment methods (/paymentMethods, /contacts/{contact_id}/paymentMethods) and promo
// codes. Orders record their payments here (recordPayment); there is no other way to create a
// payment over the API. Payment methods and promo codes come from seeding only (Keap tokenizes
// cards in its own forms, and promo codes are set up in the app).
import {
	RequestError, intParam, byId, clean, iso, dollars, listOf, seedContact, basicContact, idEquals, idCompare, idList,
	exactText, oneOf, boolEquals, timeBound, numberCompare, isoOrNull, ALL_OPS,
} from './common.mjs';

/** Manual payment types Keap's document names ("configured ... under Ecommerce Settings > Orders"). */
export const MANUAL_PAYMENT_TYPES = ['Credit Card (Manual)', 'Check', 'Cash', 'Money Order', 'Adjustment'];
const MERCHANT = { id: '1', type: 'KEAP_PAY' };

export function paymentMethodOf(store, contactId, paymentMethodId) {
	const pm = store.paymentMethods.get(intParam(paymentMethodId, 'payment_method_id'));
	if (!pm || pm.contact_id !== contactId) throw new RequestError(`payment_method_id: payment method ${paymentMethodId} not found for contact ${contactId}`, 400);
	return pm;
}

/** The contact's most recently added payment method, or null. */
export function latestPaymentMethod(store, contactId) {
	const mine = [...store.paymentMethods.values()].filter((p) => p.contact_id === contactId);
	return mine.sort((a, b) => b.created_time - a.created_time || b.id - a.id)[0] ?? null;
}

/** Promo code record by code (case-sensitive), or null. */
export function promoCode(store, code) {
	return store.promoCodes.get(code) ?? null;
}

/**
 * Records a payment against an order: a Payment, its Transaction and the order's invoice
 * payment. `method`: a stored payment method (charged, APPROVED) or null (manual, `type`).
 */
export function recordPayment(store, { order, cents, method, type, note, time, commissioned, external }) {
	const now = store.stamp();
	const payment = {
		id: store.nextId.payment++, invoice_payment_id: store.nextId.invoicePayment++, order_id: order.id, invoice_id: order.invoice_id,
		contact_id: order.contact_id, amount: cents, note: note ?? null, type: method ? 'Credit Card' : type, status: method ? 'APPROVED' : 'COMPLETED',
		pay_status: method ? 'APPROVED' : 'MANUAL_PAID', commissioned, payment_time: time ?? now, update_time: now,
		payment_method_id: method?.id ?? null, merchant_account_id: method ? MERCHANT.id : null, merchant_account_type: method ? MERCHANT.type : null,
		external_transaction_id: external ?? null, transaction_id: 0,
	};
	const tx = {
		id: store.nextId.transaction++, amount: cents, status: 'APPROVED', description: method ? `Charge for order ${order.id}` : `${type} payment for order ${order.id}`,
		contact_id: order.contact_id, order_ids: [order.id], transaction_method: method ? 'CAPTURE' : 'MANUAL', transaction_time: payment.payment_time,
		payment_id: payment.id, is_successful: true, merchant_account_id: payment.merchant_account_id, merchant_account_type: payment.merchant_account_type,
		payment_method_id: payment.payment_method_id,
	};
	payment.transaction_id = tx.id;
	store.payments.set(payment.id, payment);
	store.transactions.set(tx.id, tx);
	return payment;
}

export function paymentMethodOut(pm) {
	return clean({
		contact_id: String(pm.contact_id), payment_method_id: String(pm.id), credit_card_id: String(pm.credit_card_id),
		merchant_account_type: MERCHANT.type, merchant_account_id: MERCHANT.id, payment_method_type: 'CARD', created_time: iso(pm.created_time),
		card_info: { brand: pm.brand, fingerprint: `fp-${pm.id}`, card_type: pm.card_type, last_four: pm.last_four, expiration_year: pm.expiration_year, expiration_month: pm.expiration_month },
		status: pm.expired ? 'EXPIRED' : null,
	});
}

function paymentOut(store, p) {
	const pm = p.payment_method_id ? store.paymentMethods.get(p.payment_method_id) : null;
	return clean({
		id: String(p.id), type: p.type, amount: dollars(p.amount), note: p.note, status: p.status, commissioned: p.commissioned, synced: false,
		payment_time: iso(p.payment_time), contact_id: String(p.contact_id), order_ids: [String(p.order_id)], update_time: iso(p.update_time),
		external_transaction_id: p.external_transaction_id, merchant_account_id: p.merchant_account_id, merchant_account_type: p.merchant_account_type,
		payment_method: pm ? paymentMethodOut(pm) : null,
	});
}

function transactionOut(store, t) {
	const pm = t.payment_method_id ? store.paymentMethods.get(t.payment_method_id) : null;
	return clean({
		amount: dollars(t.amount), status: t.status, description: t.description,
		contact: basicContact(store, t.contact_id),
		order_ids: t.order_ids.map(String), contact_id: String(t.contact_id), transaction_method: t.transaction_method, transaction_time: iso(t.transaction_time),
		payment_id: String(t.payment_id), is_successful: t.is_successful, merchant_account_id: t.merchant_account_id, merchant_account_type: t.merchant_account_type,
		payment_method: pm ? paymentMethodOut(pm) : null,
	});
}

/** An amount filter: the value is in dollars (as payments show amounts), stored amounts in cents. */
export const amountFilter = (getCents, ops = ALL_OPS) => numberCompare((x) => dollars(getCents(x)), ops);
const merchantFilter = (get) => exactText(get, { caseSensitive: true });

const paymentMethodFilter = (f) => ({
	payment_method_id: idEquals((p) => p.id), credit_card_id: idEquals((p) => p.credit_card_id), contact_id: idEquals((p) => p.contact_id),
	merchant_account_id: merchantFilter(() => MERCHANT.id), since_time: timeBound((p) => p.created_time, 'since'), until_time: timeBound((p) => p.created_time, 'until'),
})[f] ?? null;

export const v2Routes = [
	{
		method: 'GET', path: '/sales/transactions',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.transactions.values()], 'transactions', {
				filter: (f) => ({
					amount: amountFilter((t) => t.amount), order_id: idEquals((t) => t.order_ids),
					contact_id: idEquals((t) => t.contact_id), since_time: timeBound((t) => t.transaction_time, 'since'), until_time: timeBound((t) => t.transaction_time, 'until'),
					merchant_account_id: merchantFilter((t) => t.merchant_account_id), merchant_account_type: merchantFilter((t) => t.merchant_account_type),
					status: oneOf((t) => t.status, ['APPROVED', 'PENDING', 'ERROR', 'FAILED', 'NONE']),
					transaction_method: oneOf((t) => t.transaction_method, ['CAPTURE', 'REFUND', 'VOID', 'MANUAL']),
					is_successful: boolEquals((t) => t.is_successful),
				})[f] ?? null,
				sorts: { amount: (t) => t.amount, transaction_time: (t) => t.transaction_time, contact_id: (t) => t.contact_id },
				out: (t) => transactionOut(ctx.store, t),
			}),
		}),
	},
	{
		method: 'GET', path: '/sales/payments',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.payments.values()], 'payments', {
				filter: (f) => ({
					id: idCompare((p) => p.id), ids: idList((p) => p.id), amount: amountFilter((p) => p.amount),
					order_id: idEquals((p) => p.order_id), order_ids: idList((p) => p.order_id), contact_id: idEquals((p) => p.contact_id),
					since_time: timeBound((p) => p.payment_time, 'since'), until_time: timeBound((p) => p.payment_time, 'until'),
					merchant_account_id: merchantFilter((p) => p.merchant_account_id), merchant_account_type: merchantFilter((p) => p.merchant_account_type),
				})[f] ?? null,
				sorts: { id: (p) => p.id, amount: (p) => p.amount, payment_time: (p) => p.payment_time, contact_id: (p) => p.contact_id },
				out: (p) => paymentOut(ctx.store, p),
			}),
		}),
	},
	{
		method: 'GET', path: '/paymentMethods',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.paymentMethods.values()], 'payment_methods', {
				filter: paymentMethodFilter,
				sorts: { payment_method_id: (p) => p.id, created_time: (p) => p.created_time, contact_id: (p) => p.contact_id, merchant_account_id: () => MERCHANT.id },
				out: paymentMethodOut,
			}),
		}),
	},
	{
		method: 'GET', path: '/contacts/{contact_id}/paymentMethods',
		handler: (ctx) => {
			const c = byId(ctx.store.contacts, ctx.params, 'contact_id', 'Contact');
			const mine = [...ctx.store.paymentMethods.values()].filter((p) => p.contact_id === c.id);
			return {
				status: 200,
				body: listOf(ctx, mine, 'records', {
					filter: (f) => (f === 'merchant_account_id' ? paymentMethodFilter(f) : null),
					sorts: { created_time: (p) => p.created_time },
					out: paymentMethodOut,
				}),
			};
		},
	},
];

export const store = {
	reset(s) {
		s.payments = new Map();
		s.transactions = new Map();
		s.paymentMethods = new Map();
		s.promoCodes = new Map();
		Object.assign(s.nextId, { payment: 6001, invoicePayment: 6501, transaction: 7001, paymentMethod: 91 });
	},
	snapshot(s) {
		const times = (o, keys) => ({ ...structuredClone(o), ...Object.fromEntries(keys.map((k) => [k, isoOrNull(o[k])])) });
		return {
			payments: [...s.payments.values()].map((p) => times(p, ['payment_time', 'update_time'])),
			transactions: [...s.transactions.values()].map((t) => times(t, ['transaction_time'])),
			paymentMethods: [...s.paymentMethods.values()].map((p) => times(p, ['created_time'])),
			promoCodes: [...s.promoCodes.values()],
		};
	},
};

/**
 * Seed: paymentMethods: [{ contact: id | email, brand?, last_four?, card_type?, expiration_month?, expiration_year? }],
 * promoCodes: [{ code, percent } | { code, amount (cents) }].
 */
export function seed(ctx, src) {
	const store = ctx.store;
	const out = {};
	for (const raw of src.paymentMethods ?? []) {
		const id = store.nextId.paymentMethod++;
		store.paymentMethods.set(id, {
			id, contact_id: seedContact(store, raw.contact).id, credit_card_id: 100 + id, brand: raw.brand ?? 'Visa', last_four: raw.last_four ?? '4242',
			card_type: raw.card_type ?? 'CREDIT', expiration_month: raw.expiration_month ?? '12', expiration_year: raw.expiration_year ?? '2031',
			expired: false, created_time: store.stamp(),
		});
		(out.paymentMethods ??= []).push(id);
	}
	for (const p of src.promoCodes ?? []) {
		if (!p.code || (p.percent === undefined) === (p.amount === undefined)) throw new Error('seed: a promo code needs a code and exactly one of percent or amount');
		store.promoCodes.set(p.code, { code: p.code, percent: p.percent ?? null, amount: p.amount ?? null });
		(out.promoCodes ??= []).push(p.code);
	}
	return out;
}

export function demo() {
	return {
		paymentMethods: [{ contact: 'olivia.garcia@example.com', brand: 'Visa', last_four: '4242' }],
		promoCodes: [{ code: 'SAVE10', percent: 10 }, { code: 'FIVEOFF', amount: 500 }],
	};
}
