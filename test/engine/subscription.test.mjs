// Keap CRM node, Subscription resource, through n8n-core's engine against the emulator (REST
// v2 /subscriptions with Keap's document as the request schema): every operation, custom
// fields by name, the checks made before anything is sent, Continue On Fail, the subscription
// and plan list searches and the custom-field mapper.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

const SAK = 'KeapAK-emulator-sak';
const PLAN = '251'; // Monthly Membership's plan in the demo seed
let fx;
let provoked = 0;
let size;

beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
	const res = await fetch(`${fx.emu.url}/crm/rest/v2/subscriptions/model/customFields`, {
		method: 'POST',
		headers: { 'X-Keap-API-Key': SAK, 'content-type': 'application/json' },
		body: JSON.stringify({ label: 'Seats', field_type: 'WHOLE_NUMBER' }),
	});
	assert.equal(res.status, 201);
	size = await res.json();
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
const subscription = (parameters, items, options) => fx.keap({ resource: 'subscription', ...parameters }, items, options);
const lastCall = (method, fragment) =>
	fx.emu
		.log()
		.filter((e) => e.method === method && e.path.endsWith(fragment))
		.at(-1);
const mapper = (value) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] });
const inDays = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function provoke(fn) {
	const before = rejects();
	const result = await fn();
	assert.equal(rejects() - before, 1, "one request refused by Keap's rule");
	provoked++;
	return result;
}

describe('subscription', () => {
	let created;

	test('create: contact and plan pickers, custom fields by name; Keap refuses auto-charge without a card', async () => {
		const refused = await provoke(
			async () =>
				await subscription({ operation: 'create', contact: byId('1002'), subscriptionPlan: byId(PLAN) }, [{}], { continueOnFail: true }),
		);
		assert.match(refused.items[0].json.error, /no payment method on file/);

		[created] = jsonOf(
			await subscription({
				operation: 'create',
				contact: { __rl: true, mode: 'email', value: 'liam.smith@example.com' },
				subscriptionPlan: { __rl: true, mode: 'list', value: PLAN },
				additionalFields: { auto_charge: false, quantity: 2, billing_amount: 25.5, start_date: inDays(3) },
				customFields: mapper({ Seats: '4' }),
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.contact_id, '1002');
		assert.equal(created.subscription_plan_id, PLAN);
		assert.equal(created.product_id, '203');
		assert.equal(created.active, true);
		assert.equal(created.quantity, 2);
		assert.equal(created.billing_amount, 25.5);
		assert.equal(created.start_date, inDays(3));
		assert.deepEqual(created.custom_fields, { Seats: 4 });
		assert.deepEqual(lastCall('POST', '/v2/subscriptions').body, {
			contact_id: '1002',
			subscription_plan_id: PLAN,
			quantity: 2,
			billing_amount: 25.5,
			auto_charge: false,
			start_date: inDays(3),
			custom_fields: [{ id: size.id, content: 4 }],
		});
	});

	test('get, get many (contact, status, plan; sort; limit)', async () => {
		const [got] = jsonOf(await subscription({ operation: 'get', subscription: byId(created.id), output: 'simplified' }));
		assert.deepEqual(got, {
			id: created.id,
			active: true,
			contact_id: '1002',
			product_id: '203',
			subscription_plan_id: PLAN,
			billing_amount: 25.5,
			billing_cycle: 'MONTH',
			next_bill_date: inDays(3),
		});
		const liam = jsonOf(await subscription({ operation: 'getAll', returnAll: true, filters: { contact: byId('1002') } }));
		assert.deepEqual(liam.map((s) => s.id), [created.id]);
		const onPlan = jsonOf(
			await subscription({ operation: 'getAll', returnAll: true, filters: { planId: PLAN, status: 'Active' }, sort: { by: 'id', direction: 'desc' } }),
		);
		assert.deepEqual(onPlan.map((s) => s.id), [created.id, '301']);
		const one = jsonOf(await subscription({ operation: 'getAll', returnAll: false, limit: 1 }));
		assert.equal(one.length, 1);
	});

	test('update sends only the fields given (update_mask)', async () => {
		const [updated] = jsonOf(
			await subscription({
				operation: 'update',
				subscription: byId(created.id),
				updateFields: { billing_amount: 19.99, next_bill_date: inDays(10) },
				customFields: mapper({ [size.id]: 6 }),
			}),
		);
		assert.equal(updated.billing_amount, 19.99);
		assert.equal(updated.next_bill_date, inDays(10));
		assert.equal(updated.quantity, 2, 'unchanged');
		assert.deepEqual(updated.custom_fields, { Seats: 6 });
		const call = lastCall('PATCH', `/v2/subscriptions/${created.id}`);
		assert.deepEqual(String(call.query.update_mask).split(',').sort(), ['billing_amount', 'custom_fields', 'next_bill_date']);
	});

	test('deactivate with a reason outputs the stopped subscription; a second time Keap refuses', async () => {
		const [stopped] = jsonOf(await subscription({ operation: 'deactivate', subscription: byId(created.id), reason: 'Moved away' }));
		assert.equal(stopped.active, false);
		assert.equal(stopped.reason_stopped, 'Moved away');
		assert.deepEqual(lastCall('POST', `/v2/subscriptions/${created.id}:deactivate`).body, { reason: 'Moved away' });
		const inactive = jsonOf(await subscription({ operation: 'getAll', returnAll: true, filters: { status: 'Inactive' } }));
		assert.deepEqual(inactive.map((s) => s.id), [created.id]);
		const again = await provoke(
			async () => await subscription({ operation: 'deactivate', subscription: byId(created.id) }, [{}], { continueOnFail: true }),
		);
		assert.match(again.items[0].json.error, /already inactive/);
		// Without a reason: Keap still needs a body, and n8n's HTTP helper drops an empty object.
		const [other] = jsonOf(
			await subscription({
				operation: 'create',
				contact: byId('1002'),
				subscriptionPlan: byId(PLAN),
				additionalFields: { auto_charge: false },
			}),
		);
		const [quiet] = jsonOf(await subscription({ operation: 'deactivate', subscription: byId(other.id) }));
		assert.equal(quiet.active, false);
		assert.equal(quiet.reason_stopped, null);
		const missing = await subscription({ operation: 'get', subscription: byId('999999') }, [{}], { continueOnFail: true });
		assert.equal(missing.items[0].json.error, 'Keap has no subscription with ID 999999');
	});

	test('bad values are refused before sending, one error item per bad item', async () => {
		const before = fx.calls();
		const res = await subscription(
			{
				operation: 'create',
				contact: byId('1004'),
				subscriptionPlan: { __rl: true, mode: 'id', value: '={{ $json.plan }}' },
				additionalFields: {
					auto_charge: false,
					start_date: '={{ $json.start }}',
					billing_amount: '={{ $json.amount }}',
					quantity: '={{ $json.qty }}',
				},
			},
			[
				{ plan: PLAN, start: '2030-02-30', amount: 5, qty: 1 },
				{ plan: PLAN, start: inDays(1), amount: 1.234, qty: 1 },
				{ plan: PLAN, start: inDays(1), amount: 5, qty: 0 },
				{ plan: 'abc', start: inDays(1), amount: 5, qty: 1 },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => i.json.error),
			[
				'Item 0, Additional Fields > Start Date: "2030-02-30" is not a valid date (expected YYYY-MM-DD)',
				'Item 1, Additional Fields > Billing Amount: 1.234 has more than 2 decimal places (Keap keeps amounts in cents)',
				'Item 2, Additional Fields > Quantity: 0 is less than 1',
				'Item 3, Subscription Plan: "abc" is not a Keap ID (a whole number)',
			],
		);
		assert.equal(fx.calls(), before, 'nothing sent');
	});

	test('list searches and custom-field mapper', async () => {
		const store = fx.newStore();
		const olivia = await runNodeMethod({ kind: 'listSearch', method: 'searchSubscriptions', store, args: ['1001'] });
		assert.deepEqual(olivia.results, [{ name: '#301 Monthly Membership · Olivia Garcia · active', value: '301' }]);
		const byText = await runNodeMethod({ kind: 'listSearch', method: 'searchSubscriptions', store, args: ['liam'] });
		assert.ok(byText.results.length >= 1 && byText.results.every((r) => r.name.includes('Liam Smith')));
		assert.ok(byText.results.some((r) => r.value === created.id));
		const plans = await runNodeMethod({ kind: 'listSearch', method: 'searchSubscriptionPlans', store, args: ['monthly'] });
		assert.deepEqual(plans.results, [{ name: 'Monthly Membership · 29.00 USD every month', value: PLAN }]);
		const none = await runNodeMethod({ kind: 'listSearch', method: 'searchSubscriptionPlans', store, args: ['Starter'] });
		assert.deepEqual(none.results, [], 'Starter Kit has no plans');
		const columns = await runNodeMethod({ kind: 'resourceMapping', method: 'getSubscriptionCustomFieldColumns', store });
		assert.deepEqual(columns.fields.map((f) => [f.id, f.displayName, f.type]), [[size.id, 'Seats', 'number']]);
	});
});
