// Keap CRM node, Payment and Transaction resources (Keap's sales ledger, REST v2
// /sales/payments and /sales/transactions), through n8n-core's engine against the emulator:
// Get Many by contact, order and date range, order, limit, output modes, the checks made
// before anything is sent and Continue On Fail.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	// The demo seed's ledger: order 4001 paid 248.00 in cash on 2025-01-15 (Olivia, 1001),
	// order 4002 paid 20.00 by check on 2025-02-04 (Liam, 1002).
	fx = await keapFixture({ seed: 'demo', limits: false });
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const payments = (parameters, items, options) => fx.keap({ resource: 'payment', operation: 'getAll', ...parameters }, items, options);
const transactions = (parameters, items, options) =>
	fx.keap({ resource: 'transaction', operation: 'getAll', ...parameters }, items, options);
const lastQuery = (fragment) =>
	fx.emu
		.log()
		.filter((e) => e.method === 'GET' && e.path.endsWith(fragment))
		.at(-1).query;

describe('payments', () => {
	test('get many: newest first, by contact, by order, by date range, limit', async () => {
		const all = jsonOf(await payments({ returnAll: true }));
		assert.deepEqual(all.map((p) => [p.amount, p.type, p.order_ids]), [
			[20, 'Check', ['4002']],
			[248, 'Cash', ['4001']],
		]);
		assert.equal(lastQuery('/v2/sales/payments').order_by, 'payment_time desc');
		const oldest = jsonOf(await payments({ returnAll: false, limit: 1, direction: 'asc' }));
		assert.deepEqual(oldest.map((p) => p.amount), [248]);
		const olivia = jsonOf(await payments({ returnAll: true, filters: { contact: { __rl: true, mode: 'email', value: 'olivia.garcia@example.com' } } }));
		assert.deepEqual(olivia.map((p) => [p.contact_id, p.amount]), [['1001', 248]]);
		const february = jsonOf(
			await payments({ returnAll: true, filters: { since: '2025-02-01T00:00:00Z', until: '2025-02-28T23:59:59Z' } }),
		);
		assert.deepEqual(february.map((p) => p.order_ids), [['4002']]);
		assert.equal(lastQuery('/v2/sales/payments').filter, 'since_time==2025-02-01T00:00:00.000Z;until_time==2025-02-28T23:59:59.000Z');
		const byOrder = jsonOf(await payments({ returnAll: true, filters: { orderId: '4001' }, output: 'simplified' }));
		assert.deepEqual(Object.keys(byOrder[0]).sort(), ['amount', 'contact_id', 'id', 'order_ids', 'payment_time', 'status', 'type']);
		const [raw] = jsonOf(await payments({ returnAll: true, filters: { orderId: '4001' }, output: 'raw' }));
		assert.equal(raw.amount, 248);
	});

	test('a payment recorded on an order shows in the ledger', async () => {
		jsonOf(
			await fx.keap({
				resource: 'order',
				operation: 'addPayment',
				order: { __rl: true, mode: 'id', value: '4003' },
				amount: 70,
				paymentMethodType: 'Money Order',
				additionalFields: { payment_time: '2025-03-11T09:00:00Z' },
			}),
		);
		const emma = jsonOf(await payments({ returnAll: true, filters: { contact: { __rl: true, mode: 'id', value: '1003' } } }));
		assert.deepEqual(emma.map((p) => [p.amount, p.type, p.payment_time]), [[70, 'Money Order', '2025-03-11T09:00:00.000Z']]);
		const tx = jsonOf(await transactions({ returnAll: true, filters: { orderId: '4003' } }));
		assert.deepEqual(tx.map((t) => [t.amount, t.transaction_method, t.is_successful, t.payment_id]), [[70, 'MANUAL', true, emma[0].id]]);
	});
});

describe('transactions', () => {
	test('get many: by contact, date range, method, status and success', async () => {
		const all = jsonOf(await transactions({ returnAll: true, direction: 'asc' }));
		assert.ok(all.length >= 2);
		assert.deepEqual(all.slice(0, 2).map((t) => [t.amount, t.contact_id]), [
			[248, '1001'],
			[20, '1002'],
		]);
		assert.equal(lastQuery('/v2/sales/transactions').order_by, 'transaction_time asc');
		const january = jsonOf(await transactions({ returnAll: true, filters: { until: '2025-01-31T23:59:59Z' } }));
		assert.deepEqual(january.map((t) => t.amount), [248]);
		const liam = jsonOf(
			await transactions({
				returnAll: true,
				filters: { contact: { __rl: true, mode: 'id', value: '1002' }, method: 'MANUAL', status: 'APPROVED', successful: true },
				output: 'simplified',
			}),
		);
		assert.deepEqual(liam.map((t) => [t.amount, t.status, t.transaction_method]), [[20, 'APPROVED', 'MANUAL']]);
		assert.equal(
			lastQuery('/v2/sales/transactions').filter,
			'contact_id==1002;status==APPROVED;transaction_method==MANUAL;is_successful==true',
		);
		assert.deepEqual(jsonOf(await transactions({ returnAll: true, filters: { method: 'REFUND' } })), []);
	});

	test('dates are checked before sending; one error item per bad item', async () => {
		const before = fx.calls();
		const res = await transactions(
			{ returnAll: true, filters: { since: '={{ $json.since }}', until: '={{ $json.until }}' } },
			[
				{ since: '2025-03-01T00:00:00Z', until: '2025-02-01T00:00:00Z' },
				{ since: 'next tuesday', until: '2025-02-01T00:00:00Z' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => [i.pairedItem.item, i.json.error]),
			[
				[0, 'Item 0, Filters > From: 2025-03-01T00:00:00.000Z is after To (2025-02-01T00:00:00.000Z)'],
				[1, 'Item 1, Filters > From: "next tuesday" is not a valid date and time'],
			],
		);
		assert.equal(fx.calls(), before, 'nothing sent');
		const unknown = await payments(
			{ returnAll: true, filters: { contact: { __rl: true, mode: 'email', value: 'nobody@example.com' } } },
			[{}],
			{ continueOnFail: true },
		);
		assert.equal(unknown.items[0].json.error, 'No Keap contact has the email nobody@example.com');
	});
});
