// Orders, products, subscriptions, sales, emails, files, campaigns/automations and affiliates
// (objects/*.mjs) over real HTTP, with the demo seed: happy paths, Keap's documented rules, the
// named switches in each setting, and OpenAPI validation rejections.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startEmulator, call, hookReceiver } from './helpers.mjs';
import { objectRoutes, OBJECT_CONFIG_DEFAULTS } from './objects/index.mjs';
import { Validator, specPathFor } from './validate.mjs';
import { CONFIG_DEFAULTS } from './index.mjs';

// Demo ids (contacts from 1001 in seed order; see objects/*.mjs demo()).
const OLIVIA = '1001'; // opted in, has a card, on the Monthly Membership plan
const LIAM = '1002'; // not opted in, no card
const EMMA = '1003'; // opted in
const KIT = '201';
const COACHING = '202';
const MEMBERSHIP_PLAN = '251';
const WELCOME = '21'; // published campaign: sequences 31 "Welcome Emails", 32 "Nurture"; API goal emulator/signup → 31
const DRAFT = '22'; // draft campaign, sequence 33

test('every object route is an operation of Keap\'s OpenAPI documents', () => {
	const validator = new Validator(() => ({ strictUnknownProperties: true }));
	for (const version of ['v1', 'v2']) {
		for (const r of objectRoutes[version]) {
			assert.doesNotThrow(() => validator.operation(version, r.method, specPathFor(version, r.path)), `${version} ${r.method} ${r.path}`);
		}
	}
	assert.ok(objectRoutes.v2.length >= 60);
});

test('the commerce and marketing switches are part of CONFIG_DEFAULTS with their strict defaults', () => {
	const strict = {
		productSkuUnique: true, affiliateCodeUnique: true, unknownPromoCode: 'reject', subscriptionAutoChargeNeedsPaymentMethod: true,
		emailSendContactsMax: 100, emailBatchRemoveMax: 1000, emailSendRequiresMarketable: true, fileMaxBytes: 8_000_000,
		sequenceContactIdsMax: 100, sequenceRemoveNotInSequence: 'FAILED', goalNoMatch: 'empty',
	};
	for (const [k, v] of Object.entries(strict)) {
		assert.equal(OBJECT_CONFIG_DEFAULTS[k], v, `${k} is an object module switch`);
		assert.equal(CONFIG_DEFAULTS[k], v, k);
	}
});

describe('commerce and marketing objects', () => {
	let emu;
	let v2;
	const get = (p) => call(`${v2}${p}`);
	const post = (p, json) => call(`${v2}${p}`, { method: 'POST', json });
	const patch = (p, json) => call(`${v2}${p}`, { method: 'PATCH', json });
	const del = (p) => call(`${v2}${p}`, { method: 'DELETE' });
	const rejects = async (res, status, pattern) => {
		const r = await res;
		assert.equal(r.status, status, JSON.stringify(r.body));
		assert.deepEqual(Object.keys(r.body), ['code', 'message', 'status', 'details']);
		if (pattern) assert.match(r.body.message, pattern);
		return r;
	};

	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false, seed: 'demo' });
		v2 = `${emu.url}/crm/rest/v2`;
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	test('every object route validates its request: an unknown query parameter is a 400 before any handler runs', async () => {
		for (const r of objectRoutes.v2) {
			const path = r.path.replace(/\{\w+\}/g, '1');
			const res = await call(`${v2}${path}?bogus_param=1`, { method: r.method, json: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
			assert.equal(res.status, 400, `${r.method} ${r.path}: ${JSON.stringify(res.body)}`);
			assert.match(res.body.message, /bogus_param/, `${r.method} ${r.path}`);
		}
	});

	test('demo seed: products, orders with payments, a subscription, a campaign with a sequence and an API goal, files, an affiliate', async () => {
		const s = emu.store.snapshot();
		assert.deepEqual(s.products.map((p) => p.name), ['Starter Kit', 'Coaching Session', 'Monthly Membership']);
		assert.equal(s.orders.length, 3);
		assert.equal(s.payments.length, 2);
		assert.deepEqual(s.orders.map((o) => o.status), ['PAID', 'DRAFT', 'DRAFT']);
		assert.equal(s.subscriptions.length, 1);
		const welcome = s.automations.find((a) => a.name === 'Welcome Series');
		assert.ok(welcome.sequences.length >= 1);
		assert.ok(welcome.goals.some((g) => g.type === 'API' && g.integration === 'emulator' && g.call_name === 'signup'));
		assert.equal(s.files.length, 2);
		assert.equal(s.affiliates[0].code, 'NOAH10');
		assert.equal(emu.hookDeliveries().length, 0, 'seeding is silent');
	});

	// ---- products ------------------------------------------------------------------------------
	describe('products', () => {
		const body = { name: 'Widget', price: 1250, short_description: 'A widget', sku: 'W-1', inventory: { inventory_count: 5 } };

		test('create (201, price in cents), get with inventory_count, list without it, update, delete', async () => {
			const c = await post('/products', body);
			assert.equal(c.status, 201);
			assert.deepEqual(c.body.price, { amount: 1250, currency_code: 'USD', formatted_amount: '$12.50' });
			assert.equal(c.body.inventory.inventory_count, 5);
			const list = await get('/products?filter=name%3D%3DWid*');
			assert.deepEqual(list.body.products.map((p) => p.id), [c.body.id]);
			assert.equal(list.body.products[0].inventory.inventory_count, undefined, 'omitted in List responses');
			const u = await patch(`/products/${c.body.id}?update_mask=price,name`, { name: 'Widget 2', price: 1300, sku: 'ignored' });
			assert.equal(u.status, 200);
			assert.equal(u.body.name, 'Widget 2');
			assert.equal(u.body.price.amount, 1300);
			assert.equal(u.body.sku, 'W-1', 'not in update_mask');
			assert.equal((await del(`/products/${c.body.id}`)).status, 204);
			await rejects(get(`/products/${c.body.id}`), 404);
		});

		test('list filters, order_by and paging', async () => {
			assert.deepEqual((await get('/products?filter=product_id%3E201')).body.products.map((p) => p.id), ['202', '203']);
			assert.deepEqual((await get('/products?filter=product_ids%3D%3D201,203')).body.products.map((p) => p.id), ['201', '203']);
			assert.deepEqual((await get('/products?order_by=name%20desc')).body.products.map((p) => p.name), ['Starter Kit', 'Monthly Membership', 'Coaching Session']);
			const p1 = await get('/products?page_size=2');
			assert.equal(p1.body.products.length, 2);
			const p2 = await get(`/products?page_size=2&page_token=${p1.body.next_page_token}`);
			assert.deepEqual(p2.body.products.map((p) => p.id), ['203']);
			assert.equal(p2.body.next_page_token, '');
			await rejects(get('/products?filter=colour%3D%3Dred'), 400, /filter field/);
			await rejects(get('/products?order_by=price'), 400, /order_by/);
			await rejects(get('/products?page_size=1001'), 400, /page_size/);
		});

		test('inventory: increase, decrease, never below zero', async () => {
			const up = await post(`/products/${KIT}:adjustInventory`, { type: 'INCREASE', quantity: 5 });
			assert.equal(up.body.inventory.inventory_count, 30);
			const down = await post(`/products/${KIT}:adjustInventory`, { type: 'DECREASE', quantity: 30 });
			assert.equal(down.body.inventory.inventory_count, 0);
			await rejects(post(`/products/${KIT}:adjustInventory`, { type: 'DECREASE', quantity: 1 }), 400, /below 0/);
			await rejects(post(`/products/${KIT}:adjustInventory`, { type: 'SET', quantity: 1 }), 400, /type/);
			await rejects(post(`/products/${KIT}:adjustInventory`, { type: 'INCREASE' }), 400, /quantity/);
		});

		test('validation: required and unknown fields, documented ranges, unique SKU (switch productSkuUnique)', async () => {
			await rejects(post('/products', { name: 'X', price: 100 }), 400, /short_description/);
			await rejects(post('/products', { ...body, colour: 'red' }), 400, /colour/);
			await rejects(post('/products', { ...body, price: 12.5 }), 400, /price/);
			await rejects(post('/products', { ...body, price: -1 }), 400, /price/);
			await rejects(patch(`/products/${KIT}?update_mask=colour`, {}), 400, /update_mask/);
			await rejects(post('/products', { ...body, sku: 'kit-001' }), 400, /productSkuUnique/);
			emu.setConfig({ productSkuUnique: false });
			assert.equal((await post('/products', { ...body, sku: 'KIT-001' })).status, 201);
			assert.equal(emu.store.products.size, 4, 'only the last create was stored');
		});

		test('subscription plans: create, list, get', async () => {
			const c = await post(`/products/${COACHING}/subscriptions`, { cycle_type: 'WEEKLY', plan_price: 35.5, frequency: 2 });
			assert.equal(c.status, 201);
			assert.equal(c.body.plan_price.amount, 3550);
			assert.equal(c.body.cycle_type, 'WEEKLY');
			assert.deepEqual((await get(`/products/${COACHING}/subscriptions?filter=cycle_type%3D%3DWEEKLY`)).body.subscriptions.map((p) => p.id), [c.body.id]);
			assert.equal((await get(`/products/${COACHING}/subscriptions/${c.body.id}`)).body.frequency, 2);
			await rejects(get(`/products/${KIT}/subscriptions/${c.body.id}`), 404);
			await rejects(post(`/products/${COACHING}/subscriptions`, { cycle_type: 'HOURLY', plan_price: 1 }), 400, /cycle_type/);
			assert.equal((await get(`/products/${COACHING}`)).body.subscription_plans[0].billing_cycle, 'WEEKLY');
		});
	});

	// ---- orders --------------------------------------------------------------------------------
	describe('orders', () => {
		const order = (extra = {}) => ({ contact_id: LIAM, order_title: 'Test order', order_time: '2025-06-01T12:00:00Z', order_type: 'ONLINE', ...extra });

		test('create with product, priced and shipping items; totals in cents; get', async () => {
			const c = await post('/orders', order({
				order_items: [
					{ product_id: KIT, quantity: 2 },
					{ product_id: COACHING, quantity: 1, price_per_unit: 99.99 },
					{ item_type: 'SHIPPING', name: 'Ground', quantity: 1, price_per_unit: 5 },
				],
				shipping_address: { line1: '1 Main St', locality: 'Phoenix', region: 'AZ', zip_code: '85001', country_code: 'USA', first_name: 'Liam' },
			}));
			assert.equal(c.status, 201);
			assert.equal(c.body.total.amount, 2 * 4900 + 9999 + 500);
			assert.equal(c.body.total.formatted_amount, '$202.99');
			assert.equal(c.body.status, 'DRAFT');
			assert.equal(c.body.contact.id, LIAM);
			assert.deepEqual(c.body.order_items.map((i) => [i.name, i.item_type, i.price_per_unit.amount]), [['Starter Kit', 'PRODUCT', 4900], ['Coaching Session', 'PRODUCT', 9999], ['Ground', 'SHIPPING', 500]]);
			assert.equal(c.body.shipping_information.address.locality, 'Phoenix');
			const g = await get(`/orders/${c.body.id}`);
			assert.deepEqual(g.body, c.body);
		});

		test('promo codes: a known code discounts the order; an unknown one is rejected (switch unknownPromoCode)', async () => {
			const c = await post('/orders', order({ order_items: [{ product_id: COACHING, quantity: 1 }], promo_codes: ['SAVE10', 'FIVEOFF'] }));
			assert.equal(c.status, 201);
			assert.equal(c.body.total.amount, 15000 - 1500 - 500);
			assert.deepEqual(c.body.order_items.filter((i) => i.item_type === 'DISCOUNT_ORDER_TOTAL').map((i) => i.discount.amount), [1500, 500]);
			await rejects(post('/orders', order({ promo_codes: ['NOPE'] })), 400, /unknownPromoCode/);
			await rejects(post('/orders', order({ promo_codes: ['SAVE10', 'SAVE10'] })), 400, /more than once/);
			emu.setConfig({ unknownPromoCode: 'ignore' });
			const ignored = await post('/orders', order({ order_items: [{ product_id: KIT, quantity: 1 }], promo_codes: ['NOPE'] }));
			assert.equal(ignored.status, 201);
			assert.equal(ignored.body.total.amount, 4900);
		});

		test('item rules: quantity ≥ 1, product_id for PRODUCT, name and price for other types, real products and plans', async () => {
			await rejects(post('/orders', order({ order_items: [{ product_id: KIT, quantity: 0 }] })), 400, /quantity/);
			await rejects(post('/orders', order({ order_items: [{ quantity: 1 }] })), 400, /product_id is required/);
			await rejects(post('/orders', order({ order_items: [{ product_id: '999', quantity: 1 }] })), 400, /product 999 not found/);
			await rejects(post('/orders', order({ order_items: [{ item_type: 'FEE', quantity: 1, price_per_unit: 2 }] })), 400, /name is required/);
			await rejects(post('/orders', order({ order_items: [{ item_type: 'FEE', name: 'Fee', quantity: 1 }] })), 400, /price_per_unit is required/);
			await rejects(post('/orders', order({ order_items: [{ product_id: KIT, quantity: 1, name: '   ' }] })), 400, /name must not be blank/);
			await rejects(post('/orders', order({ order_items: [{ product_id: KIT, quantity: 1, price_per_unit: 1.234 }] })), 400, /2 decimal places/);
			await rejects(post('/orders', order({ order_items: [{ item_type: 'SUBSCRIPTION', product_id: KIT, quantity: 1 }] })), 400, /subscription_plan_id is required/);
			await rejects(post('/orders', order({ order_items: [{ item_type: 'SUBSCRIPTION', product_id: KIT, subscription_plan_id: MEMBERSHIP_PLAN, quantity: 1 }] })), 400, /not a plan of product/);
			const sub = await post('/orders', order({ order_items: [{ item_type: 'SUBSCRIPTION', product_id: '203', subscription_plan_id: MEMBERSHIP_PLAN, quantity: 1 }] }));
			assert.equal(sub.status, 201);
			assert.equal(sub.body.order_items[0].subscription_plan.id, MEMBERSHIP_PLAN);
			assert.equal(emu.store.orders.size, 4, 'rejected creates left nothing behind');
		});

		test('validation: required fields, enums, types, unknown fields, contact must exist', async () => {
			await rejects(post('/orders', { contact_id: LIAM, order_title: 'x', order_type: 'ONLINE' }), 400, /order_time/);
			await rejects(post('/orders', order({ order_type: 'PHONE' })), 400, /order_type/);
			await rejects(post('/orders', order({ order_time: 'yesterday' })), 400, /order_time/);
			await rejects(post('/orders', order({ order_items: [{ product_id: KIT, quantity: '2' }] })), 400, /quantity/);
			await rejects(post('/orders', order({ discount: 5 })), 400, /discount/);
			await rejects(post('/orders', order({ contact_id: '999999' })), 400, /contact 999999 not found/);
			await rejects(post('/orders', order({ lead_affiliate_id: '5' })), 400, /affiliate 5 not found/);
			await rejects(get('/orders?page_size=-1'), 400, /page_size/);
		});

		test('list: contact, date range, paid/unpaid, product, title, order_by, custom field filter', async () => {
			const ids = (r) => r.body.orders.map((o) => o.id);
			assert.deepEqual(ids(await get(`/orders?filter=contact_id%3D%3D${OLIVIA}`)), ['4001']);
			assert.deepEqual(ids(await get('/orders?filter=paid%3D%3Dtrue')), ['4001']);
			assert.deepEqual(ids(await get('/orders?filter=paid%3D%3Dfalse')), ['4002', '4003']);
			await rejects(get('/orders?filter=paid%3D%3Dyes'), 400, /true or false/);
			assert.deepEqual(ids(await get(`/orders?filter=product_id%3D%3D${COACHING}`)), ['4001', '4003']);
			assert.deepEqual(ids(await get('/orders?filter=title%3D%3Dkit*')), ['4002']);
			assert.deepEqual(ids(await get('/orders?order_by=order_time%20desc')), ['4003', '4002', '4001']);
			emu.advanceClock(60_000);
			const since = new Date(emu.now()).toISOString();
			const before = new Date(emu.now() - 1).toISOString();
			const fresh = await post('/orders', order());
			assert.deepEqual(ids(await get(`/orders?filter=created_since_time%3D%3D${since}`)), [fresh.body.id]);
			assert.deepEqual(ids(await get(`/orders?filter=created_until_time%3D%3D${before}`)), ['4001', '4002', '4003']);
			await rejects(get('/orders?filter=created_since_time%3D%3Dsoon'), 400, /date-time/);
			const cf = await post('/orders/model/customFields', { label: 'Channel', field_type: 'DROPDOWN', options: [{ label: 'Web' }, { label: 'Phone' }] });
			assert.equal(cf.status, 201);
			assert.equal(cf.body.record_type, 'ORDER');
			const withCf = await post('/orders', order({ custom_fields: [{ id: cf.body.id, content: 'Web' }] }));
			assert.deepEqual(withCf.body.custom_fields, [{ id: cf.body.id, content: 'Web' }]);
			assert.deepEqual(ids(await get(`/orders?filter=${cf.body.field_name}%3D%3Dweb`)), [withCf.body.id]);
			await rejects(post('/orders', order({ custom_fields: [{ id: cf.body.id, content: 'Fax' }] })), 400, /Channel/);
			await rejects(post('/orders', order({ custom_fields: [{ id: '6', content: 'Red' }] })), 400, /Custom field 6 does not exist/);
			assert.deepEqual((await get('/orders/model')).body.custom_fields.map((f) => f.label), ['Channel']);
		});

		test('add item, manual payment, charged payment, payments list; status PAID; the balance is a ceiling', async () => {
			const c = await post('/orders', order({ contact_id: OLIVIA, order_items: [{ product_id: KIT, quantity: 1 }] }));
			const item = await post(`/orders/${c.body.id}/items`, { item_type: 'OTHER', name: 'Gift wrap', quantity: 2, price_per_unit: 3 });
			assert.equal(item.status, 201);
			assert.equal(item.body.price_per_unit.amount, 300);
			assert.equal((await get(`/orders/${c.body.id}`)).body.total.amount, 5500);
			const cash = await post(`/orders/${c.body.id}/payments`, { payment_amount: 20, apply_to_commissions: false, payment_method_type: 'Cash', notes: 'At the counter' });
			assert.equal(cash.status, 201);
			assert.deepEqual(Object.keys(cash.body).sort(), ['id', 'invoice_id', 'payment_amount', 'payment_status_message', 'transaction_id']);
			assert.equal(cash.body.payment_amount, 20);
			await rejects(post(`/orders/${c.body.id}/payments`, { payment_amount: 35.01, apply_to_commissions: false, payment_method_type: 'Cash' }), 400, /exceeds the order's balance of \$35\.00/);
			await rejects(post(`/orders/${c.body.id}/payments`, { payment_amount: 1, apply_to_commissions: false, payment_method_type: 'Bitcoin' }), 400, /manual payment type/);
			await rejects(post(`/orders/${c.body.id}/payments`, { payment_amount: 1, apply_to_commissions: false }), 400, /payment_method_id or payment_method_type/);
			await rejects(post(`/orders/${c.body.id}/payments`, { payment_amount: 0, apply_to_commissions: false, payment_method_type: 'Cash' }), 400, /greater than 0/);
			await rejects(post(`/orders/${c.body.id}/payments`, { payment_amount: 1, payment_method_type: 'Cash' }), 400, /apply_to_commissions/);
			await rejects(post('/orders/4002/payments', { payment_amount: 1, apply_to_commissions: false, payment_method_id: '91' }), 400, /not found for contact 1002/);
			const card = await post(`/orders/${c.body.id}/payments`, { payment_amount: 35, apply_to_commissions: true, payment_method_id: '91' });
			assert.equal(card.body.payment_status_message, 'APPROVED');
			const done = await get(`/orders/${c.body.id}`);
			assert.equal(done.body.status, 'PAID');
			assert.equal(done.body.total_paid.amount, 5500);
			const pays = await get(`/orders/${c.body.id}/payments?order_by=amount%20desc`);
			assert.deepEqual(pays.body.invoice_order_payments.map((p) => [p.amount, p.pay_status, p.skip_commission]), [[35, 'APPROVED', false], [20, 'MANUAL_PAID', true]]);
			assert.deepEqual((await get(`/orders/${c.body.id}/payments?filter=pay_status%3D%3DMANUAL_PAID`)).body.invoice_order_payments.map((p) => p.note), ['At the counter']);
			await rejects(post(`/orders/${c.body.id}/items`, { item_type: 'DISCOUNT', name: 'Oops', quantity: 1, price_per_unit: -100 }), 400, /cannot be less than what was paid/);
		});

		test('delete: only without payments; items get/patch/delete; update with update_mask; payment_plan is 501', async () => {
			await rejects(del('/orders/4001'), 400, /payments recorded/);
			const c = await post('/orders', order({ order_items: [{ product_id: KIT, quantity: 1 }, { product_id: COACHING, quantity: 1 }] }));
			const [a, b] = c.body.order_items.map((i) => i.id);
			assert.equal((await get(`/orders/${c.body.id}/items/${a}`)).body.name, 'Starter Kit');
			const pi = await patch(`/orders/${c.body.id}/items/${a}?update_mask=quantity`, { quantity: 3, name: 'ignored' });
			assert.equal(pi.body.quantity, 3);
			assert.equal(pi.body.name, 'Starter Kit');
			assert.equal((await del(`/orders/${c.body.id}/items/${b}`)).status, 204);
			await rejects(get(`/orders/${c.body.id}/items/${b}`), 404);
			const u = await patch(`/orders/${c.body.id}?update_mask=order_title,notes`, { order_title: 'Renamed', terms: 'ignored' });
			assert.equal(u.body.title, 'Renamed');
			assert.equal(u.body.terms, undefined);
			assert.equal(u.body.total.amount, 3 * 4900);
			await rejects(patch(`/orders/${c.body.id}?update_mask=order_title`, {}), 400, /order_title/);
			await rejects(patch(`/orders/${c.body.id}`, { payment_plan: { plan_start_date: '2025-01-01', number_of_payments: 2, days_between_payments: 30 } }), 501);
			await rejects(patch(`/orders/${c.body.id}?update_mask=order_items`, {}), 400, /items/);
			assert.equal((await del(`/orders/${c.body.id}`)).status, 204);
			await rejects(get(`/orders/${c.body.id}`), 404);
			await rejects(get('/orders/abc'), 400, /order_id/);
		});

		test('attach and detach a file', async () => {
			const a = await post('/orders/4003:attachFile', { file_id: '9001' });
			assert.deepEqual(a.body.files, [{ file_id: '9001' }]);
			await rejects(post('/orders/4003:attachFile', { file_id: '9001' }), 400, /already attached/);
			await rejects(post('/orders/4003:attachFile', { file_id: '1' }), 400, /file 1 not found/);
			assert.deepEqual((await post('/orders/4003:detachFile', { file_id: '9001' })).body.files, []);
			await rejects(post('/orders/4003:detachFile', { file_id: '9001' }), 400, /not attached/);
		});
	});

	// ---- subscriptions ---------------------------------------------------------------------------
	describe('subscriptions', () => {
		test('create: plan price and cycle by default; the contact\'s card when auto-charged; duplicates need allow_duplicate', async () => {
			await rejects(post('/subscriptions', { contact_id: OLIVIA, subscription_plan_id: MEMBERSHIP_PLAN }), 400, /already has subscription 301/);
			const s = await post('/subscriptions', { contact_id: OLIVIA, subscription_plan_id: MEMBERSHIP_PLAN, allow_duplicate: true });
			assert.equal(s.status, 201);
			assert.equal(s.body.billing_amount, 29);
			assert.equal(s.body.billing_cycle, 'MONTH');
			assert.equal(s.body.payment_method_id, '91');
			assert.equal(s.body.product_id, '203');
			assert.equal(s.body.start_date, new Date(emu.now()).toISOString().slice(0, 10));
		});

		test('auto_charge without a card is rejected (switch subscriptionAutoChargeNeedsPaymentMethod); auto_charge false is fine', async () => {
			await rejects(post('/subscriptions', { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN }), 400, /subscriptionAutoChargeNeedsPaymentMethod/);
			const manual = await post('/subscriptions', { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false, billing_amount: 25 });
			assert.equal(manual.status, 201);
			assert.equal(manual.body.billing_amount, 25);
			assert.equal(manual.body.payment_method_id, '0');
			emu.setConfig({ subscriptionAutoChargeNeedsPaymentMethod: false });
			const lax = await post('/subscriptions', { contact_id: EMMA, subscription_plan_id: MEMBERSHIP_PLAN });
			assert.equal(lax.status, 201);
			assert.equal(lax.body.auto_charge, true);
			assert.equal(lax.body.payment_method_id, '0');
		});

		test('documented ranges and references', async () => {
			const base = { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false };
			await rejects(post('/subscriptions', { ...base, quantity: 0 }), 400, /quantity/);
			await rejects(post('/subscriptions', { ...base, billing_amount: -1 }), 400, /billing_amount/);
			await rejects(post('/subscriptions', { ...base, max_charge_attempts: 0 }), 400, /max_charge_attempts/);
			await rejects(post('/subscriptions', { ...base, start_date: '2000-01-01' }), 400, /past/);
			await rejects(post('/subscriptions', { ...base, start_date: '01/02/2030' }), 400, /start_date/);
			await rejects(post('/subscriptions', { ...base, subscription_plan_id: '999' }), 400, /subscription plan 999 not found/);
			await rejects(post('/subscriptions', { ...base, payment_method_id: '91' }), 400, /not found for contact 1002/);
			await rejects(post('/subscriptions', { ...base, promo_code: 'NOPE' }), 400, /unknownPromoCode/);
			await rejects(post('/subscriptions', { contact_id: LIAM }), 400, /subscription_plan_id/);
			await rejects(post('/subscriptions', { ...base, frequency: 2 }), 400, /frequency/);
		});

		test('get, list filters, update, deactivate once', async () => {
			const mine = await post('/subscriptions', { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false });
			assert.deepEqual((await get(`/subscriptions?filter=contact_id%3D%3D${LIAM}`)).body.subscriptions.map((s) => s.id), [mine.body.id]);
			const u = await patch(`/subscriptions/${mine.body.id}?update_mask=billing_amount,reason_stopped`, { billing_amount: 19.5, quantity: 9 });
			assert.equal(u.body.billing_amount, 19.5);
			assert.equal(u.body.quantity, 1);
			assert.deepEqual((await get('/subscriptions?filter=billing_amount%3C20')).body.subscriptions.map((s) => s.id), [mine.body.id]);
			const d = await post(`/subscriptions/${mine.body.id}:deactivate`, { reason: 'Moved away' });
			assert.equal(d.status, 200);
			assert.equal(d.text, '');
			const g = await get(`/subscriptions/${mine.body.id}`);
			assert.equal(g.body.active, false);
			assert.equal(g.body.reason_stopped, 'Moved away');
			assert.deepEqual((await get('/subscriptions?filter=status%3D%3DInactive')).body.subscriptions.map((s) => s.id), [mine.body.id]);
			await rejects(get('/subscriptions?filter=status%3D%3Dactive'), 400, /Active, Inactive/);
			await rejects(post(`/subscriptions/${mine.body.id}:deactivate`, {}), 400, /already inactive/);
			await rejects(post(`/subscriptions/${mine.body.id}:deactivate`), 400, /request body/i);
			await rejects(patch(`/subscriptions/${mine.body.id}?update_mask=billing_cycle`, { billing_cycle: 'FORTNIGHT' }), 400, /billing_cycle/);
		});

		test('subscription custom fields', async () => {
			const cf = await post('/subscriptions/model/customFields', { label: 'Size', field_type: 'WHOLE_NUMBER' });
			assert.equal(cf.body.record_type, 'SUBSCRIPTION');
			const s = await post('/subscriptions', { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false, custom_fields: [{ id: cf.body.id, content: 3 }] });
			assert.deepEqual(s.body.custom_fields, [{ id: cf.body.id, content: 3 }]);
			assert.deepEqual((await get(`/subscriptions?filter=${cf.body.field_name}%3E2`)).body.subscriptions.map((x) => x.id), [s.body.id]);
			await rejects(post('/subscriptions', { contact_id: EMMA, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false, custom_fields: [{ id: cf.body.id, content: 'three' }] }), 400, /whole number/);
			assert.equal((await del(`/subscriptions/model/customFields/${cf.body.id}`)).status, 204);
			assert.deepEqual((await get('/subscriptions/model')).body.custom_fields, []);
		});
	});

	// ---- sales -------------------------------------------------------------------------------------
	describe('transactions, payments, payment methods', () => {
		test('payments and transactions: contact, date range, amount, order_by', async () => {
			const pays = await get('/sales/payments');
			assert.deepEqual(pays.body.payments.map((p) => [p.id, p.amount, p.type, p.contact_id, p.order_ids]), [['6001', 248, 'Cash', OLIVIA, ['4001']], ['6002', 20, 'Check', LIAM, ['4002']]]);
			assert.deepEqual((await get(`/sales/payments?filter=contact_id%3D%3D${LIAM}`)).body.payments.map((p) => p.id), ['6002']);
			assert.deepEqual((await get('/sales/payments?filter=since_time%3D%3D2025-02-01T00:00:00Z%3Buntil_time%3D%3D2025-02-28T00:00:00Z')).body.payments.map((p) => p.id), ['6002']);
			assert.deepEqual((await get('/sales/payments?filter=amount%3E100')).body.payments.map((p) => p.id), ['6001']);
			assert.deepEqual((await get('/sales/payments?filter=order_ids%3D%3D4002,4003')).body.payments.map((p) => p.id), ['6002']);
			const txs = await get('/sales/transactions?order_by=amount%20asc');
			assert.deepEqual(txs.body.transactions.map((t) => [t.amount, t.transaction_method, t.status, t.payment_id]), [[20, 'MANUAL', 'APPROVED', '6002'], [248, 'MANUAL', 'APPROVED', '6001']]);
			assert.deepEqual((await get(`/sales/transactions?filter=contact_id%3D%3D${OLIVIA}`)).body.transactions.map((t) => t.order_ids), [['4001']]);
			assert.deepEqual((await get('/sales/transactions?filter=until_time%3D%3D2025-01-31T00:00:00Z')).body.transactions.map((t) => t.payment_id), ['6001']);
			await rejects(get('/sales/transactions?filter=transaction_method%3D%3DCASH'), 400, /CAPTURE/);
			await rejects(get('/sales/transactions?filter=amount%3E%3Dlots'), 400, /amount/);
			await rejects(get('/sales/payments?order_by=transaction_time'), 400, /order_by/);
		});

		test('payment methods of the account and of a contact', async () => {
			assert.deepEqual((await get('/paymentMethods')).body.payment_methods.map((p) => [p.payment_method_id, p.contact_id, p.card_info.last_four]), [['91', OLIVIA, '4242']]);
			assert.equal((await get(`/contacts/${OLIVIA}/paymentMethods`)).body.records.length, 1);
			assert.deepEqual((await get(`/contacts/${LIAM}/paymentMethods`)).body.records, []);
			await rejects(get('/contacts/999999/paymentMethods'), 404);
		});
	});

	// ---- emails ------------------------------------------------------------------------------------
	describe('emails', () => {
		const b64 = (s) => Buffer.from(s).toString('base64');
		const send = (extra = {}) => post('/emails:send', { contacts: [OLIVIA, LIAM], subject: 'Hello', user_id: '1', html_content: b64('<p>Hi</p>'), plain_content: b64('Hi'), ...extra });

		test('send from a user: one record per marketable recipient; the others are not sent (switch emailSendRequiresMarketable)', async () => {
			const since = new Date(emu.store.lastStamp + 1).toISOString(); // after every seeded write
			const r = await send();
			assert.equal(r.status, 202);
			assert.equal(r.text, '');
			const sent = (await get(`/emails?filter=start_created_time%3D%3D${since}`)).body.emails;
			assert.deepEqual(sent.map((e) => [e.contact_id, e.sent_to_address, e.sent_from_address, e.subject]), [[OLIVIA, 'olivia.garcia@example.com', 'avery.admin@emulator.example', 'Hello']]);
			assert.equal(sent[0].html_content, undefined, 'list leaves contents out');
			assert.equal((await get(`/emails/${sent[0].id}`)).body.html_content, b64('<p>Hi</p>'));
			assert.deepEqual(emu.store.emailsNotSent.map((x) => [String(x.contact_id), x.reason]), [[LIAM, 'NOT_MARKETABLE (NonMarketable)']]);
			emu.setConfig({ emailSendRequiresMarketable: false });
			await send({ contacts: [LIAM] });
			assert.equal((await get(`/emails?filter=contact_id%3D%3D${LIAM}`)).body.emails.length, 1);
		});

		test('send rules: exactly one sender, Base64 contents, real contacts, address_field, attachments, the contacts cap (switch emailSendContactsMax)', async () => {
			await rejects(send({ from_address: 'avery.admin@emulator.example' }), 400, /Exactly one of user_id or from_address/);
			await rejects(send({ user_id: undefined }), 400, /Exactly one/);
			assert.equal((await send({ user_id: undefined, from_address: 'sam.seller@emulator.example' })).status, 202);
			await rejects(send({ user_id: undefined, from_address: 'someone@else.example' }), 400, /authenticated sender/);
			await rejects(send({ user_id: '5' }), 400, /not active/);
			await rejects(send({ html_content: '<p>raw html</p>' }), 400, /Base64/);
			await rejects(send({ html_content: undefined, plain_content: undefined }), 400, /html_content or plain_content/);
			await rejects(send({ contacts: [OLIVIA, '999999'] }), 400, /contact 999999 not found/);
			await rejects(send({ contacts: [OLIVIA, OLIVIA] }), 400, /unique/);
			await rejects(send({ contacts: [] }), 400, /at least one/);
			await rejects(send({ address_field: 'email' }), 400, /case-sensitive/);
			assert.equal((await send({ address_field: 'EmailAddress2', contacts: [OLIVIA] })).status, 202);
			assert.equal(emu.store.emailsNotSent.at(-1).reason, 'NO_ADDRESS');
			await rejects(send({ attachments: [{ file_name: 'run.exe', file_data: b64('MZ') }] }), 400, /^attachment type is invalid$/);
			await rejects(send({ attachments: [{ file_name: 'a.pdf', file_data: 'not base64!' }] }), 400, /Base64/);
			await rejects(send({ attachments: [{ file_name: 'big.pdf', file_data: Buffer.alloc(1_000_001).toString('base64') }] }), 400, /at most 1MB/);
			assert.equal((await send({ attachments: [{ file_name: 'ok.PDF', file_data: Buffer.alloc(1_000_000).toString('base64') }] })).status, 202);
			await rejects(send({ attachments: Array.from({ length: 11 }, (_, i) => ({ file_name: `f${i}.txt`, file_data: b64(String(i)) })) }), 400, /at most 10/);
			await rejects(send({ attachments: [{ file_name: 'a.txt' }] }), 400, /file_data/);
			await rejects(send({ cc: ['x'] }), 400, /cc/);
			emu.setConfig({ emailSendContactsMax: 2 });
			await rejects(send({ contacts: [OLIVIA, LIAM, EMMA] }), 400, /emailSendContactsMax/);
			assert.equal(CONFIG_DEFAULTS.emailSendContactsMax, 100);
		});

		test('templates: list, get, send', async () => {
			const list = await get('/emails/templates');
			assert.deepEqual(list.body.email_templates.map((t) => [t.id, t.piece_title]), [[61, 'Welcome'], [62, 'Invoice reminder']]);
			assert.equal(list.body.email_templates[0].html_body, undefined);
			assert.equal((await get('/emails/templates/61')).body.html_body, '<p>Hello ~Contact.FirstName~, welcome!</p>');
			await rejects(get('/emails/templates?filter=piece_title%3D%3DWelcome'), 400, /no filter fields/);
			const s = await post('/emails/templates:send', { template_id: '61', contact_ids: [EMMA], user_id: '3' });
			assert.equal(s.status, 202);
			const rec = (await get(`/emails?filter=contact_id%3D%3D${EMMA}`)).body.emails;
			assert.deepEqual(rec.map((e) => [e.subject, e.sent_from_address]), [['Welcome aboard', 'sam.seller@emulator.example']]);
			await rejects(post('/emails/templates:send', { template_id: '99', contact_ids: [EMMA], user_id: '3' }), 400, /template 99 not found/);
			await rejects(post('/emails/templates:send', { template_id: '61', contact_ids: [EMMA] }), 400, /user_id/);
		});

		test('records: create, get, list filters, delete; provider ids are unique', async () => {
			const c = await post('/emails', { contact_id: LIAM, sent_to_address: 'liam.smith@example.com', subject: 'Logged', plain_content: b64('From Gmail'), original_provider: 'GOOGLE', original_provider_id: 'g-1', sent_time: '2025-05-05T05:05:05Z' });
			assert.equal(c.status, 201);
			assert.equal(c.body.plain_content, b64('From Gmail'));
			assert.equal(c.body.sent_time, '2025-05-05T05:05:05.000Z');
			assert.deepEqual((await get('/emails?filter=email%3D%3DLIAM.smith@example.com')).body.emails.map((e) => e.id), [c.body.id]);
			await rejects(post('/emails', { sent_to_address: 'liam.smith@example.com', original_provider: 'GOOGLE', original_provider_id: 'g-1' }), 400, /already used/);
			await rejects(post('/emails', { subject: 'no address' }), 400, /sent_to_address/);
			await rejects(post('/emails', { sent_to_address: 'a@b.example', original_provider: 'YAHOO' }), 400, /original_provider/);
			await rejects(post('/emails', { sent_to_address: 'a@b.example', html_content: '<b>' }), 400, /Base64/);
			const auto = await post('/emails', { sent_to_address: 'a@b.example' });
			assert.match(auto.body.original_provider_id, /^[0-9a-f]{32}$/);
			assert.equal(auto.body.original_provider, 'UNKNOWN');
			assert.equal((await del(`/emails/${c.body.id}`)).status, 204);
			await rejects(get(`/emails/${c.body.id}`), 404);
			await rejects(get('/emails?order_by=subject'), 400, /order_by/);
		});

		test('batchAdd (per-record errors, 1000 max) and batchRemove (results map, switch emailBatchRemoveMax)', async () => {
			const add = await post('/emails:batchAdd', {
				emails: [
					{ sent_to_address: 'one@example.com', original_provider: 'GOOGLE', original_provider_id: 'dup' },
					{ sent_to_address: 'two@example.com', original_provider: 'GOOGLE', original_provider_id: 'dup' },
					{ sent_to_address: 'not-an-address' },
				],
			});
			assert.equal(add.status, 201);
			assert.equal(add.body.emails.length, 1);
			assert.deepEqual(add.body.errors.map((e) => e.email.sent_to_address), ['two@example.com', 'not-an-address']);
			await rejects(post('/emails:batchAdd', { emails: Array.from({ length: 1001 }, (_, i) => ({ sent_to_address: `x${i}@example.com` })) }), 400, /at most 1000/);
			await rejects(post('/emails:batchAdd', { emails: [{ subject: 'x' }] }), 400, /sent_to_address/);
			const id = add.body.emails[0].id;
			const rm = await post('/emails:batchRemove', { email_ids: [id, '123456', 'abc'] });
			assert.deepEqual(rm.body.results, { [id]: 'SUCCESS', 123456: 'EMAIL_ID_NOT_FOUND', abc: 'EMAIL_ID_NOT_FOUND' });
			emu.setConfig({ emailBatchRemoveMax: 2 });
			await rejects(post('/emails:batchRemove', { email_ids: ['1', '2', '3'] }), 400, /emailBatchRemoveMax/);
			await rejects(post('/emails:batchRemove', { ids: ['1'] }), 400, /email_ids/);
		});
	});

	// ---- files -------------------------------------------------------------------------------------
	describe('files', () => {
		const upload = (fields, bytes, { filename = 'data.bin', path = '/files', query = '' } = {}) => {
			const form = new FormData();
			if (bytes !== undefined) form.append('file', new Blob([bytes]), filename);
			for (const [k, v] of Object.entries(fields)) form.append(k, v);
			return call(`${v2}${path}${query}`, { method: 'POST', body: form });
		};
		const download = async (id) => {
			const r = await get(`/files/${id}:data`);
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), /^application\/json/);
			assert.equal(typeof r.body, 'string');
			return Buffer.from(r.body, 'base64');
		};

		test('upload for a contact and download again: byte-identical (every byte value, CR LF and boundary-like runs)', async () => {
			const bytes = Buffer.concat([
				Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--\r\n------WebKitFormBoundary\r\n\r\n'), randomBytes(200_000), Buffer.from([0, 13, 10]),
			]);
			const up = await upload({ file_name: 'report.bin', file_association: 'CONTACT', contact_id: OLIVIA, is_public: 'false' }, bytes);
			assert.equal(up.status, 201, JSON.stringify(up.body));
			assert.equal(up.body.file_size, bytes.length);
			assert.equal(up.body.contact_id, OLIVIA);
			assert.equal(up.body.file_box_type, 'CONTACT');
			assert.equal(up.body.is_public, false);
			assert.ok((await download(up.body.id)).equals(bytes), 'the round trip is byte-identical');
			assert.deepEqual((await get(`/files/${up.body.id}`)).body, up.body);
			assert.deepEqual((await get(`/files?filter=contact_id%3D%3D${OLIVIA}%3Bfile_name%3D%3Dreport.bin`)).body.files.map((f) => f.id), [up.body.id]);
			// Keap documents no wildcard for file_name: a trailing * is literal (switch undocumentedWildcard).
			assert.deepEqual((await get(`/files?filter=contact_id%3D%3D${OLIVIA}%3Bfile_name%3D%3Dreport*`)).body.files, []);
		});

		test('a hand-built multipart body (CRLF, quoted boundary) keeps the bytes exact; account files (COMPANY, USER)', async () => {
			const bytes = randomBytes(4096);
			const boundary = 'xYz--boundary';
			const part = (name, value, filename) => Buffer.concat([
				Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/octet-stream` : ''}\r\n\r\n`),
				Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n'),
			]);
			const body = Buffer.concat([part('file_name', 'raw.bin'), part('file_association', 'COMPANY'), part('file', bytes, 'raw.bin'), Buffer.from(`--${boundary}--\r\n`)]);
			const up = await call(`${v2}/files`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` } });
			assert.equal(up.status, 201, JSON.stringify(up.body));
			assert.equal(up.body.contact_id, undefined);
			assert.ok((await download(up.body.id)).equals(bytes));
			const user = await upload({ file_name: 'u.txt', file_association: 'USER' }, 'hello');
			assert.equal(user.body.file_box_type, 'APPLICATION');
			assert.equal(user.body.created_by_id, '1');
			const bad = Buffer.concat([part('file_name', 'x'), part('file', bytes, 'x')]); // no closing boundary
			await rejects(call(`${v2}/files`, { method: 'POST', body: bad, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }), 400, /multipart/);
		});

		test('size limit (switch fileMaxBytes, default 8,000,000 bytes): 413 above it', async () => {
			assert.equal(emu.config.fileMaxBytes, 8_000_000);
			emu.setConfig({ fileMaxBytes: 1000 });
			const fields = { file_name: 'f.bin', file_association: 'USER' };
			assert.equal((await upload(fields, randomBytes(1000))).status, 201);
			await rejects(upload(fields, randomBytes(1001)), 413, /fileMaxBytes/);
			emu.setConfig({ fileMaxBytes: 8_000_000 });
			await rejects(upload(fields, Buffer.alloc(8_000_001)), 413, /8000000 bytes/);
			const big = Buffer.alloc(8_000_000, 7);
			const ok = await upload(fields, big);
			assert.equal(ok.status, 201);
			assert.ok((await download(ok.body.id)).equals(big));
		});

		test('upload rules: required parts, associations, contact only for CONTACT, is_public true|false, no unknown parts, multipart only', async () => {
			const base = { file_name: 'a.txt', file_association: 'CONTACT', contact_id: OLIVIA };
			const fieldsWithout = (k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k));
			await rejects(upload(base, undefined), 400, /file/);
			await rejects(upload(fieldsWithout('file_association'), 'x'), 400, /file_association/);
			await rejects(upload(fieldsWithout('file_name'), 'x'), 400, /file_name/);
			await rejects(upload({ ...base, file_association: 'ACCOUNT' }, 'x'), 400, /CONTACT, USER, COMPANY/);
			await rejects(upload(fieldsWithout('contact_id'), 'x'), 400, /contact_id is required/);
			await rejects(upload({ ...base, file_association: 'USER' }, 'x'), 400, /only when file_association is CONTACT/);
			await rejects(upload({ ...base, contact_id: '999999' }, 'x'), 400, /contact 999999 not found/);
			await rejects(upload({ ...base, is_public: 'yes' }, 'x'), 400, /is_public/);
			await rejects(upload({ ...base, folder: 'x' }, 'x'), 400, /folder/);
			await rejects(upload(base, new Uint8Array(0)), 400, /empty/);
			await rejects(upload({ ...base, file: 'text, not a file' }, undefined), 400, /file part/);
			await rejects(post('/files', { ...base, file: Buffer.from('x').toString('base64') }), 400, /Content-Type application\/json is not accepted here/);
			await rejects(upload({ name: 'x', price: '1', short_description: 'x' }, undefined, { path: '/products' }), 400, /multipart\/form-data is not accepted here/);
			assert.equal(emu.store.files.size, 2, 'nothing stored');
		});

		test('update (POST with update_mask), list filters, delete', async () => {
			const up = await upload({ file_name: 'v1.txt', file_association: 'USER' }, 'one');
			const ren = await upload({ file_name: 'v2.txt', is_public: 'true' }, undefined, { path: `/files/${up.body.id}`, query: '?update_mask=file_name' });
			assert.equal(ren.status, 200, JSON.stringify(ren.body));
			assert.equal(ren.body.file_name, 'v2.txt');
			assert.equal(ren.body.is_public, false, 'is_public was not in update_mask');
			const repl = await upload({ is_public: 'true' }, 'two!', { path: `/files/${up.body.id}` });
			assert.equal(repl.body.is_public, true);
			assert.equal(repl.body.file_size, 4);
			assert.equal((await download(up.body.id)).toString(), 'two!');
			await rejects(upload({ is_public: 'maybe' }, undefined, { path: `/files/${up.body.id}` }), 400, /is_public/);
			await rejects(upload({ file_name: 'x' }, undefined, { path: `/files/${up.body.id}`, query: '?update_mask=owner' }), 400, /update_mask/);
			assert.deepEqual((await get('/files?filter=is_public%3D%3Dtrue')).body.files.map((f) => f.file_name), ['logo.png', 'v2.txt']);
			assert.deepEqual((await get('/files?filter=file_box_type%3D%3DCONTACT')).body.files.map((f) => f.id), ['9001']);
			await rejects(get('/files?filter=category%3D%3DPICTURES'), 400, /ATTACHMENTS/);
			assert.deepEqual((await get('/files?order_by=file_name%20asc')).body.files.map((f) => f.file_name), ['logo.png', 'v2.txt', 'welcome-letter.txt']);
			assert.equal((await del(`/files/${up.body.id}`)).status, 204);
			await rejects(get(`/files/${up.body.id}:data`), 404);
		});
	});

	// ---- campaigns / automations -------------------------------------------------------------------
	describe('campaigns and automations', () => {
		const add = (ids, path = `/campaigns/${WELCOME}/sequences/31:addContacts`) => post(path, { contact_ids: ids });

		test('list and get campaigns with their sequences and goals', async () => {
			const list = await get('/campaigns?filter=name%3D%3Dseries');
			assert.deepEqual(list.body.campaigns.map((c) => [c.id, c.name, c.published_status]), [[WELCOME, 'Welcome Series', true]]);
			assert.equal((await get(`/campaigns/${DRAFT}`)).body.published_status, false);
			const seqs = await get(`/campaigns/${WELCOME}/sequences`);
			assert.deepEqual(seqs.body.sequences.map((s) => [s.id, s.name]), [['31', 'Welcome Emails'], ['32', 'Nurture']]);
			assert.equal(seqs.body.campaign_id, WELCOME);
			const goals = await get(`/campaigns/${WELCOME}/goals`);
			assert.deepEqual(goals.body.goals.map((g) => [g.name, g.type, g.next_sequence_ids]), [['Signed up (API)', 'API', ['31']], ['Tag applied', 'Tag', ['32']]]);
			await rejects(get('/campaigns/999'), 404);
			await rejects(get(`/campaigns/${WELCOME}/sequences?page_size=1`), 400, /page_size/);
		});

		test('add contacts to a sequence (per-contact results), remove them (switch sequenceRemoveNotInSequence)', async () => {
			const r = await add([OLIVIA, LIAM, '999999', 'abc']);
			assert.deepEqual(r.body, { add_to_sequence_results: { [OLIVIA]: 'SUCCESS', [LIAM]: 'SUCCESS', 999999: 'CONTACT_DOES_NOT_EXIST', abc: 'CONTACT_DOES_NOT_EXIST' } });
			assert.equal((await add([OLIVIA])).body.add_to_sequence_results[OLIVIA], 'ALREADY_IN_SEQUENCE');
			assert.equal((await get(`/campaigns/${WELCOME}`)).body.active_contact_count, 2);
			assert.equal((await add([OLIVIA], `/campaigns/${DRAFT}/sequences/33:addContacts`)).body.add_to_sequence_results[OLIVIA], 'FAILED', 'a draft takes no contacts');
			await rejects(add([OLIVIA], `/campaigns/${WELCOME}/sequences/33:addContacts`), 404, /Sequence 33/);
			const rm = await post(`/campaigns/${WELCOME}/sequences/31:removeContacts`, { contact_ids: [OLIVIA, EMMA, '999999'] });
			assert.deepEqual(rm.body, { remove_from_sequence_results: { [OLIVIA]: 'SUCCESS', [EMMA]: 'FAILED', 999999: 'CONTACT_DOES_NOT_EXIST' } });
			emu.setConfig({ sequenceRemoveNotInSequence: 'SUCCESS' });
			assert.equal((await post(`/campaigns/${WELCOME}/sequences/31:removeContacts`, { contact_ids: [EMMA] })).body.remove_from_sequence_results[EMMA], 'SUCCESS');
			assert.deepEqual(emu.store.snapshot().automations[0].sequences[0].contact_ids, [Number(LIAM)]);
		});

		test('batch rules: non-empty, unique, at most sequenceContactIdsMax (default 100), strings', async () => {
			await rejects(add([]), 400, /at least one/);
			await rejects(add([OLIVIA, OLIVIA]), 400, /unique/);
			await rejects(add(Array.from({ length: 101 }, (_, i) => String(2000 + i))), 400, /at most 100 .*sequenceContactIdsMax/);
			assert.equal((await add(Array.from({ length: 100 }, (_, i) => String(2000 + i)))).status, 200);
			await rejects(add([1001]), 400, /contact_ids\[0\].*string/);
			await rejects(post(`/campaigns/${WELCOME}/sequences/31:addContacts`, { ids: [OLIVIA] }), 400, /contact_ids/);
			emu.setConfig({ sequenceContactIdsMax: 1 });
			await rejects(add([OLIVIA, LIAM]), 400, /at most 1 /);
		});

		test('automations: list (page_size at most 25, automation_count), filters, get, add contacts to a sequence', async () => {
			const list = await get('/automations?page_size=1');
			assert.deepEqual(list.body.automations.map((a) => [a.id, a.title, a.status]), [[WELCOME, 'Welcome Series', 'PUBLISHED']]);
			assert.equal(list.body.automation_count, 2);
			assert.notEqual(list.body.next_page_token, '');
			await rejects(get('/automations?page_size=26'), 400, /page_size/);
			assert.deepEqual((await get('/automations?filter=status%3D%3Ddraft')).body.automations.map((a) => a.id), [DRAFT]);
			assert.deepEqual((await get('/automations?filter=name%3D%3DSpring*')).body.automations.map((a) => a.id), [DRAFT]);
			assert.deepEqual((await get('/automations?filter=name%3D%3DSeries')).body.automations.map((a) => a.id), [WELCOME]);
			assert.deepEqual((await get('/automations?filter=categories%3D%3D2,3')).body.automations.map((a) => a.id), [DRAFT]);
			assert.equal((await get(`/automations/${WELCOME}`)).body.title, 'Welcome Series');
			const r = await add([EMMA], `/automations/${WELCOME}/sequences/32:addContacts`);
			assert.deepEqual(r.body, { add_to_automation_sequence_results: { [EMMA]: 'SUCCESS' } });
			assert.equal((await get(`/automations/${WELCOME}`)).body.active_contacts, 1);
		});

		test('achieve an API goal: integration + call name starts the next sequence; no match (switch goalNoMatch)', async () => {
			const r = await post('/automations/goals/achieve', { integration: 'emulator', call_name: 'signup', contact_id: Number(EMMA) });
			assert.equal(r.status, 200);
			assert.deepEqual(r.body.results.map((x) => [x.success, x.automation_id, x.goal_id, x.flow_start_results.map((f) => f.flow_id)]), [[true, 21, 41, [31]]]);
			assert.deepEqual(emu.store.snapshot().automations[0].sequences[0].contact_ids, [Number(EMMA)]);
			assert.deepEqual((await post('/automations/goals/achieve', { integration: 'emulator', call_name: 'promo', contact_id: Number(EMMA) })).body, { results: [] }, 'draft automations do not fire');
			assert.deepEqual((await post('/automations/goals/achieve', { integration: 'emulator', call_name: 'Signup', contact_id: Number(EMMA) })).body, { results: [] }, 'call names are exact');
			emu.setConfig({ goalNoMatch: 'reject' });
			await rejects(post('/automations/goals/achieve', { integration: 'nope', call_name: 'x', contact_id: Number(EMMA) }), 404, /goalNoMatch/);
			const byId = await post('/automations/goals/achieve', { automation_id: 21, goal_id: 42, contact_id: Number(LIAM) });
			assert.deepEqual(byId.body.results.map((x) => x.flow_start_results.map((f) => f.flow_id)), [[32]]);
			await rejects(post('/automations/goals/achieve', { automation_id: 21, goal_id: 43, contact_id: Number(LIAM) }), 404, /Goal 43/);
		});

		test('achieve goal rules: one of the two ways, the pairs go together, a real contact, int64 ids', async () => {
			const c = Number(OLIVIA);
			await rejects(post('/automations/goals/achieve', { contact_id: c }), 400, /either/);
			await rejects(post('/automations/goals/achieve', { integration: 'emulator', call_name: 'signup', goal_id: 41, automation_id: 21, contact_id: c }), 400, /mutually exclusive/);
			await rejects(post('/automations/goals/achieve', { integration: 'emulator', contact_id: c }), 400, /go together/);
			await rejects(post('/automations/goals/achieve', { goal_id: 41, contact_id: c }), 400, /go together/);
			await rejects(post('/automations/goals/achieve', { integration: 'emulator', call_name: 'signup', contact_id: 999999 }), 400, /contact 999999 not found/);
			await rejects(post('/automations/goals/achieve', { integration: 'emulator', call_name: 'signup', contact_id: OLIVIA }), 400, /contact_id.*integer/);
			await rejects(post('/automations/goals/achieve', { integration: 'emulator', call_name: 'signup' }), 400, /contact_id/);
		});
	});

	// ---- affiliates --------------------------------------------------------------------------------
	describe('affiliates', () => {
		test('create (INACTIVE by default), get, list filters, update, delete; unique codes (switch affiliateCodeUnique)', async () => {
			const c = await post('/affiliates', { code: 'EMMA5', contact_id: EMMA, name: 'Emma J' });
			assert.equal(c.status, 201);
			assert.equal(c.body.status, 'INACTIVE');
			assert.equal(c.body.contact_id, EMMA);
			assert.deepEqual((await get(`/affiliates/${c.body.id}`)).body, c.body);
			assert.deepEqual((await get('/affiliates?filter=status%3D%3DACTIVE')).body.affiliates.map((a) => a.code), ['NOAH10']);
			assert.deepEqual((await get('/affiliates?filter=name%3D%3Demma*')).body.affiliates.map((a) => a.id), [c.body.id]);
			assert.deepEqual((await get('/affiliates?order_by=code%20asc')).body.affiliates.map((a) => a.code), ['EMMA5', 'NOAH10']);
			const u = await patch(`/affiliates/${c.body.id}?update_mask=status`, { status: 'ACTIVE', code: 'ignored' });
			assert.equal(u.body.status, 'ACTIVE');
			assert.equal(u.body.code, 'EMMA5');
			await rejects(post('/affiliates', { code: 'noah10', contact_id: LIAM }), 400, /affiliateCodeUnique/);
			await rejects(post('/affiliates', { contact_id: LIAM }), 400, /code/);
			await rejects(post('/affiliates', { code: 'X', contact_id: '999999' }), 400, /contact 999999 not found/);
			await rejects(post('/affiliates', { code: 'X', contact_id: LIAM, status: 'PAUSED' }), 400, /status/);
			await rejects(post('/affiliates', { code: 'X', contact_id: LIAM, parent_affiliate_id: '999' }), 400, /affiliate 999 not found/);
			emu.setConfig({ affiliateCodeUnique: false });
			assert.equal((await post('/affiliates', { code: 'NOAH10', contact_id: LIAM })).status, 201);
			assert.equal((await del(`/affiliates/${c.body.id}`)).status, 204);
			await rejects(get(`/affiliates/${c.body.id}`), 404);
		});
	});

	// ---- shared list and model rules (objects/common.mjs, objects/custom-fields.mjs) ---------------
	test('a bad filter value is a 400 even when no record would be tested', async () => {
		emu.store.affiliates.clear();
		emu.store.payments.clear();
		await rejects(get('/affiliates?filter=status%3D%3DPAUSED'), 400, /ACTIVE, INACTIVE/);
		await rejects(get('/affiliates?filter=contact_id%3D%3Dabc'), 400, /contact_id/);
		await rejects(get('/sales/payments?filter=amount%3Elots'), 400, /amount/);
		await rejects(get('/sales/payments?filter=since_time%3D%3Dsoon'), 400, /date-time/);
		await rejects(get('/products?filter=name%3D%3DW*dget'), 400, /wildcard/);
	});

	test('order, subscription and affiliate custom fields follow the one model of every record type', async () => {
		const cf = await post('/orders/model/customFields', { label: 'Channel', field_type: 'DROPDOWN', options: [{ label: 'Web' }] });
		assert.equal(cf.status, 201);
		assert.deepEqual([cf.body.field_name, cf.body.group_id, cf.body.group_name], ['Channel', '5', 'Custom Fields']);
		await rejects(post('/orders/model/customFields', { label: 'channel', field_type: 'TEXT' }), 409, /already exists/);
		await rejects(post('/subscriptions/model/customFields', { label: 'Tier', field_type: 'DROPDOWN' }), 400, /at least one option/);
		await rejects(patch(`/orders/model/customFields/${cf.body.id}`, { label: 'Sales channel' }), 400, /group_id/);
		const renamed = await patch(`/orders/model/customFields/${cf.body.id}`, { group_id: '5', label: 'Sales channel' });
		assert.equal(renamed.body.label, 'Sales channel');
		assert.equal((await post('/affiliates/model/customFields', { label: 'Region', field_type: 'TEXT' })).body.record_type, 'REFERRAL_PARTNER');
		assert.deepEqual(Object.keys(emu.store.objectFields).filter((k) => emu.store.objectFields[k].length && ['ORDER', 'REFERRAL_PARTNER'].includes(k)).sort(), ['ORDER', 'REFERRAL_PARTNER']);
	});

	// ---- hook events -------------------------------------------------------------------------------
	test('hook events: product.add|edit, order.add, invoice.add, invoice.payment.add, subscription.add with apiUrls', async () => {
		const rx = await hookReceiver('echo');
		try {
			const keys = ['product.add', 'product.edit', 'order.add', 'invoice.add', 'invoice.payment.add', 'subscription.add', 'order.delete'];
			emu.seed({ hooks: keys.map((eventKey) => ({ eventKey, hookUrl: rx.url, status: 'Verified' })) });
			const p = await post('/products', { name: 'Hooked', price: 100, short_description: 'h' });
			await post(`/products/${p.body.id}:adjustInventory`, { type: 'INCREASE', quantity: 1 });
			const o = await post('/orders', { contact_id: LIAM, order_title: 'Hooked', order_time: '2025-01-01T00:00:00Z', order_type: 'ONLINE', order_items: [{ product_id: p.body.id, quantity: 1 }] });
			const pay = await post(`/orders/${o.body.id}/payments`, { payment_amount: 1, apply_to_commissions: false, payment_method_type: 'Cash' });
			const s = await post('/subscriptions', { contact_id: LIAM, subscription_plan_id: MEMBERSHIP_PLAN, auto_charge: false });
			const spare = await post('/orders', { contact_id: LIAM, order_title: 'Spare', order_time: '2025-01-01T00:00:00Z', order_type: 'ONLINE' });
			await del(`/orders/${spare.body.id}`);
			await emu.flushHooks();
			const got = Object.fromEntries(rx.events().map((e) => [e.body.event_key, e.body]));
			const key = (k) => got[k].object_keys.map((x) => [String(x.id), x.apiUrl]);
			assert.deepEqual(key('product.add'), [[p.body.id, `${emu.url}/crm/rest/v1/products/${p.body.id}`]]);
			assert.deepEqual(key('product.edit'), [[p.body.id, `${emu.url}/crm/rest/v1/products/${p.body.id}`]]);
			assert.deepEqual(key('order.add').map(([id]) => id), [o.body.id, spare.body.id]);
			assert.equal(got['order.add'].object_type, 'order');
			assert.deepEqual(key('invoice.add').map(([id]) => id), [o.body.invoice_id, spare.body.invoice_id]);
			assert.deepEqual(key('invoice.payment.add'), [[pay.body.id, `${emu.url}/crm/rest/v1/orders/${o.body.id}/payments`]]);
			assert.deepEqual(key('subscription.add'), [[s.body.id, `${emu.url}/crm/rest/v2/subscriptions/${s.body.id}`]]);
			assert.deepEqual(key('order.delete'), [[spare.body.id, '']]);
		} finally {
			await rx.close();
		}
	});
});
