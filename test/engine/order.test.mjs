// Keap CRM node, Order resource, through n8n-core's engine against the emulator (REST v2
// /orders with Keap's document as the request schema): every operation, order items, promo
// codes, manual payments, order custom fields by name, the checks made before anything is
// sent, Continue On Fail, the order list search and the custom-field mapper.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

const SAK = 'KeapAK-emulator-sak';
let fx;
let provoked = 0;
let channel;
let giftNote;

/** The emulator's own API, for setting up order custom fields (a Keap admin would, in the app). */
async function keapCall(method, path, body) {
	const res = await fetch(`${fx.emu.url}/crm/rest/v2${path}`, {
		method,
		headers: { 'X-Keap-API-Key': SAK, 'content-type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
	return res.status === 204 ? null : await res.json();
}

beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
	channel = await keapCall('POST', '/orders/model/customFields', {
		label: 'Channel',
		field_type: 'DROPDOWN',
		options: [{ label: 'Web' }, { label: 'Phone' }],
	});
	giftNote = await keapCall('POST', '/orders/model/customFields', { label: 'Gift Note', field_type: 'TEXT' });
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, provoked, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const rejects = () => fx.emu.counters().validationRejects ?? 0;
const byId = (id) => ({ __rl: true, mode: 'id', value: String(id) });
const order = (parameters, items, options) => fx.keap({ resource: 'order', ...parameters }, items, options);
const lastCall = (method, fragment) =>
	fx.emu
		.log()
		.filter((e) => e.method === method && e.path.endsWith(fragment))
		.at(-1);
const mapper = (value) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] });

/** A Keap rule (not a schema) refused exactly one request in `fn`. */
async function provoke(fn) {
	const before = rejects();
	const result = await fn();
	assert.equal(rejects() - before, 1, "one request refused by Keap's rule");
	provoked++;
	return result;
}

const newOrder = async (title, extra = {}) =>
	jsonOf(
		await order({
			operation: 'create',
			contact: byId('1003'),
			orderTitle: title,
			orderItems: { item: [{ itemType: 'PRODUCT', product: byId('202'), quantity: 1 }] },
			...extra,
		}),
	)[0];

describe('order', () => {
	test('create: contact by email, product and other items, promo code, custom fields by name', async () => {
		const [created] = jsonOf(
			await order({
				operation: 'create',
				contact: { __rl: true, mode: 'email', value: 'emma.johnson@example.com' },
				orderTitle: 'Birthday bundle',
				orderType: 'ONLINE',
				orderItems: {
					item: [
						{ itemType: 'PRODUCT', product: { __rl: true, mode: 'list', value: '201' }, quantity: 2 },
						{ itemType: 'PRODUCT', product: byId('202'), quantity: 1, price: '120.50', description: 'Discounted session' },
						{ itemType: 'SHIPPING', name: 'Ground shipping', quantity: 1, price: '7.5' },
					],
				},
				promoCodes: 'FIVEOFF',
				additionalFields: { order_time: '2025-04-01T10:00:00Z', notes: 'Call first' },
				customFields: mapper({ [channel.id]: 'web', 'Gift Note': 'Happy birthday' }),
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.contact_id, '1003');
		assert.equal(created.order_type, 'ONLINE');
		assert.equal(created.order_time, '2025-04-01T10:00:00.000Z');
		assert.equal(created.total, 2 * 49 + 120.5 + 7.5 - 5);
		assert.equal(created.total_paid, 0);
		assert.equal(created.currency_code, 'USD');
		assert.deepEqual(created.promo_codes, ['FIVEOFF']);
		assert.deepEqual(created.custom_fields, { Channel: 'Web', 'Gift Note': 'Happy birthday' });
		assert.deepEqual(
			created.order_items.map((i) => [i.item_type, i.name, i.quantity, i.price_per_unit]),
			[
				['PRODUCT', 'Starter Kit', 2, 49],
				['PRODUCT', 'Coaching Session', 1, 120.5],
				['SHIPPING', 'Ground shipping', 1, 7.5],
				['DISCOUNT_ORDER_TOTAL', 'Promo code FIVEOFF', 1, -5],
			],
		);
		const sent = lastCall('POST', '/v2/orders').body;
		assert.deepEqual(sent.order_items, [
			{ item_type: 'PRODUCT', quantity: 2, product_id: '201' },
			{ item_type: 'PRODUCT', quantity: 1, product_id: '202', description: 'Discounted session', price_per_unit: 120.5 },
			{ item_type: 'SHIPPING', quantity: 1, name: 'Ground shipping', price_per_unit: 7.5 },
		]);
		assert.deepEqual(sent.custom_fields, [
			{ id: channel.id, content: 'Web' },
			{ id: giftNote.id, content: 'Happy birthday' },
		]);

		const [simple] = jsonOf(await order({ operation: 'get', order: byId(created.id), output: 'simplified' }));
		assert.deepEqual(simple, {
			id: created.id,
			title: 'Birthday bundle',
			status: 'DRAFT',
			contact_id: '1003',
			contact_email: 'emma.johnson@example.com',
			order_time: '2025-04-01T10:00:00.000Z',
			currency_code: 'USD',
			total: 221,
			total_paid: 0,
			total_due: 221,
			items: 4,
		});
		const [raw] = jsonOf(await order({ operation: 'get', order: byId(created.id), output: 'raw' }));
		assert.equal(raw.total.amount, 22100, 'Keap answers in cents');
	});

	test('an order time left empty is now; items may be left out', async () => {
		const before = Date.now();
		const [created] = jsonOf(await order({ operation: 'create', contact: byId('1004'), orderTitle: 'Empty' }));
		assert.ok(Date.parse(created.order_time) >= before - 1000);
		assert.deepEqual(created.order_items, []);
	});

	test('add item, record manual payments, get payments; paid/unpaid filters follow', async () => {
		const created = await newOrder('Pay me');
		const [fee] = jsonOf(
			await order({ operation: 'addItem', order: byId(created.id), itemType: 'FEE', name: 'Rush fee', quantity: 1, price: '25' }),
		);
		assert.deepEqual([fee.order_id, fee.item_type, fee.name, fee.price_per_unit], [created.id, 'FEE', 'Rush fee', 25]);
		const [kit] = jsonOf(await order({ operation: 'addItem', order: byId(created.id), product: byId('201'), quantity: 3 }));
		assert.deepEqual([kit.product_id, kit.quantity, kit.price_per_unit], ['201', 3, 49]);
		const total = 150 + 25 + 3 * 49;

		const [paid] = jsonOf(
			await order({
				operation: 'addPayment',
				order: byId(created.id),
				amount: 100,
				paymentMethodType: 'Check',
				additionalFields: { payment_time: '2025-04-02T12:00:00Z', notes: 'Check #1001' },
			}),
		);
		assert.equal(paid.order_id, created.id);
		assert.equal(paid.amount, 100);
		assert.match(paid.id, /^\d+$/);
		assert.deepEqual(lastCall('POST', `/orders/${created.id}/payments`).body, {
			payment_amount: 100,
			payment_method_type: 'Check',
			apply_to_commissions: false,
			payment_time: '2025-04-02T12:00:00.000Z',
			notes: 'Check #1001',
		});

		const tooMuch = await provoke(
			async () =>
				await order({ operation: 'addPayment', order: byId(created.id), amount: total, paymentMethodType: 'Cash' }, [{}], {
					continueOnFail: true,
				}),
		);
		assert.match(tooMuch.items[0].json.error, /^Keap rejected the request as invalid: payment_amount .* exceeds the order's balance/);

		const unpaid = jsonOf(await order({ operation: 'getAll', returnAll: true, filters: { paid: 'unpaid', contact: byId('1003') } }));
		assert.ok(unpaid.some((o) => o.id === created.id));
		jsonOf(await order({ operation: 'addPayment', order: byId(created.id), amount: total - 100, paymentMethodType: 'Cash' }));
		const fully = jsonOf(await order({ operation: 'getAll', returnAll: true, filters: { paid: 'paid' } }));
		assert.ok(fully.some((o) => o.id === created.id && o.status === 'PAID'));

		const payments = jsonOf(await order({ operation: 'getPayments', order: byId(created.id), returnAll: true }));
		assert.deepEqual(
			payments.map((p) => [p.order_id, p.amount, p.pay_status, p.note]),
			[
				[created.id, 100, 'MANUAL_PAID', 'Check #1001'],
				[created.id, total - 100, 'MANUAL_PAID', null],
			],
		);
		const first = jsonOf(await order({ operation: 'getPayments', order: byId(created.id), returnAll: false, limit: 1 }));
		assert.equal(first.length, 1);

		const kept = await provoke(
			async () => await order({ operation: 'delete', order: byId(created.id) }, [{}], { continueOnFail: true }),
		);
		assert.match(kept.items[0].json.error, /has payments recorded/);
	});

	test('get many: contact, created range, title, product, sort and limit', async () => {
		const a = await newOrder('Range A');
		const b = await newOrder('Range B', { orderItems: { item: [{ product: byId('201'), quantity: 1 }] } });
		const since = (await order({ operation: 'get', order: byId(a.id) })).items[0].json.creation_time;
		const ranged = jsonOf(
			await order({ operation: 'getAll', returnAll: true, filters: { createdSince: since, title: 'Range*' }, sort: { by: 'id', direction: 'asc' } }),
		);
		assert.deepEqual(ranged.map((o) => o.title), ['Range A', 'Range B']);
		const withKit = jsonOf(await order({ operation: 'getAll', returnAll: true, filters: { product: byId('201'), title: 'Range*' } }));
		assert.deepEqual(withKit.map((o) => o.id), [b.id]);
		const before = jsonOf(
			await order({ operation: 'getAll', returnAll: true, filters: { createdUntil: '2000-01-01T00:00:00Z' } }),
		);
		assert.deepEqual(before, []);
		const byEmail = jsonOf(
			await order({ operation: 'getAll', returnAll: true, filters: { contact: { __rl: true, mode: 'email', value: 'olivia.garcia@example.com' } } }),
		);
		assert.deepEqual(byEmail.map((o) => o.id), ['4001']);
		const two = jsonOf(await order({ operation: 'getAll', returnAll: false, limit: 2, sort: { by: 'id', direction: 'desc' } }));
		assert.equal(two.length, 2);
		assert.ok(Number(two[0].id) > Number(two[1].id));
		assert.equal(lastCall('GET', '/v2/orders').query.order_by, 'id desc');
	});

	test('update: only the fields given (update_mask), custom fields by name', async () => {
		const created = await newOrder('Before');
		const [updated] = jsonOf(
			await order({
				operation: 'update',
				order: byId(created.id),
				updateFields: { order_title: 'After', terms: 'Net 30' },
				customFields: mapper({ [giftNote.id]: 'Updated note' }),
			}),
		);
		assert.equal(updated.title, 'After');
		assert.equal(updated.terms, 'Net 30');
		assert.equal(updated.custom_fields['Gift Note'], 'Updated note');
		const call = lastCall('PATCH', `/v2/orders/${created.id}`);
		assert.deepEqual(String(call.query.update_mask).split(',').sort(), ['custom_fields', 'order_title', 'terms']);
	});

	test('delete an order without payments answers { deleted: true }', async () => {
		const created = await newOrder('Delete me');
		assert.deepEqual(jsonOf(await order({ operation: 'delete', order: byId(created.id) })), [{ deleted: true }]);
		const gone = await order({ operation: 'get', order: byId(created.id) }, [{}], { continueOnFail: true });
		assert.equal(gone.items[0].json.error, `Keap has no order with ID ${created.id}`);
	});

	test('items, amounts and custom fields are checked before sending; one error item per bad item', async () => {
		const before = fx.calls();
		const res = await order(
			{
				operation: 'create',
				contact: byId('1003'),
				orderTitle: '={{ $json.title }}',
				orderItems: {
					item: [
						{
							itemType: '={{ $json.type }}',
							product: byId('201'),
							name: '={{ $json.name }}',
							quantity: '={{ $json.qty }}',
							price: '={{ $json.price }}',
						},
					],
				},
				customFields: mapper({ [channel.id]: '={{ $json.channel }}' }),
			},
			[
				{ title: 'Zero', type: 'PRODUCT', qty: 0, price: '', channel: 'Web' },
				{ title: 'Cents', type: 'PRODUCT', qty: 1, price: '1.005', channel: 'Web' },
				{ title: 'No price', type: 'SHIPPING', name: 'Freight', qty: 1, price: '', channel: 'Web' },
				{ title: 'No name', type: 'FEE', name: '', qty: 1, price: '3', channel: 'Web' },
				{ title: 'Bad option', type: 'PRODUCT', qty: 1, price: '', channel: 'Fax' },
				{ title: '', type: 'PRODUCT', qty: 1, price: '', channel: 'Web' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => i.json.error),
			[
				'Item 0, Order Items > Item 1 > Quantity: 0 is less than 1',
				'Item 1, Order Items > Item 1 > Price per Unit: 1.005 has more than 2 decimal places (Keap keeps amounts in cents)',
				'Item 2, Order Items > Item 1 > Price per Unit: a shipping item needs a price',
				'Item 3, Order Items > Item 1 > Name: a fee item needs a name',
				'Item 4, Custom Fields > Channel: "Fax" is not one of the options: Web, Phone',
				'Item 5, Order Title: an order needs a title',
			],
		);
		// Only the custom field model was read (once, for the item that got that far).
		assert.equal(fx.calls() - before, 1);

		const payments = await order(
			{ operation: 'addPayment', order: byId('4003'), amount: '={{ $json.amount }}', paymentMethodType: 'Cash' },
			[{ amount: 0 }, { amount: 10.123 }, { amount: -5 }, { amount: 10 }],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			payments.items.map((i) => i.json.error ?? i.json.amount),
			[
				'Item 0, Amount: the amount must be greater than 0',
				'Item 1, Amount: 10.123 has more than 2 decimal places (Keap keeps amounts in cents)',
				'Item 2, Amount: -5 is negative: Keap takes amounts of 0 or more',
				10,
			],
		);
		assert.deepEqual(payments.items.map((i) => i.pairedItem.item), [0, 1, 2, 3]);
	});

	test('list search and custom-field mapper', async () => {
		const store = fx.newStore();
		const byNumber = await runNodeMethod({ kind: 'listSearch', method: 'searchOrders', store, args: ['4001'] });
		assert.deepEqual(byNumber.results, [{ name: '#4001 Starter bundle · Olivia Garcia · 248.00 USD · PAID', value: '4001' }]);
		const byTitle = await runNodeMethod({ kind: 'listSearch', method: 'searchOrders', store, args: ['coaching'] });
		assert.deepEqual(byTitle.results.map((r) => r.value), ['4003']);
		const columns = await runNodeMethod({ kind: 'resourceMapping', method: 'getOrderCustomFieldColumns', store });
		assert.deepEqual(
			columns.fields.map((f) => [f.id, f.displayName, f.type, f.options?.map((o) => o.value)]),
			[
				[channel.id, 'Channel', 'options', ['Web', 'Phone']],
				[giftNote.id, 'Gift Note', 'string', undefined],
			],
		);
	});
});
