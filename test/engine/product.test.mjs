// Keap CRM node, Product resource, through n8n-core's engine against the emulator (REST v2
// /products with Keap's document as the request schema): every operation, the checks made
// before anything is sent, Continue On Fail, the product list search.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

let fx;
/** 400s the tests provoke on purpose (a Keap rule, not a schema): each is checked where it is made. */
let provoked = 0;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, provoked, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});
const rejects = () => fx.emu.counters().validationRejects ?? 0;

const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const product = (parameters, items, options) => fx.keap({ resource: 'product', ...parameters }, items, options);
const lastCall = (method, fragment) =>
	fx.emu
		.log()
		.filter((e) => e.method === method && e.path.endsWith(fragment))
		.at(-1);

describe('product', () => {
	test('create: price in the currency goes to Keap in cents; All Fields, Simplified and Raw', async () => {
		const sku = `W-${Date.now()}`;
		const [created] = jsonOf(
			await product({
				operation: 'create',
				name: 'Widget',
				price: 49.5,
				shortDescription: 'A widget',
				additionalFields: { sku, taxable: true, inventory_count: 7, weight: 1.25, description: 'Long text' },
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.price, 49.5);
		assert.equal(created.currency_code, 'USD');
		assert.equal(created.sku, sku);
		assert.equal(created.inventory_count, 7);
		assert.equal(created.active, true, 'Keap makes new products active');
		assert.deepEqual(lastCall('POST', '/v2/products').body.price, 4950, 'sent in cents');
		assert.deepEqual(lastCall('POST', '/v2/products').body.inventory, { inventory_count: 7 });

		const [simple] = jsonOf(await product({ operation: 'get', product: byId(created.id), output: 'simplified' }));
		assert.deepEqual(simple, { id: created.id, name: 'Widget', sku, price: 49.5, currency_code: 'USD', active: true, inventory_count: 7 });
		const [raw] = jsonOf(await product({ operation: 'get', product: byId(created.id), output: 'raw' }));
		assert.equal(raw.price.amount, 4950);
		const [picked] = jsonOf(await product({ operation: 'get', product: byId(created.id), output: 'selected', selectedFields: 'id, price' }));
		assert.deepEqual(picked, { id: created.id, price: 49.5 });
	});

	test('update sends only the fields given, with update_mask', async () => {
		const [created] = jsonOf(await product({ operation: 'create', name: 'Gadget', price: 10, shortDescription: 'Gadget' }));
		const [updated] = jsonOf(
			await product({ operation: 'update', product: byId(created.id), updateFields: { price: 12.99, storefront_hidden: true } }),
		);
		assert.equal(updated.price, 12.99);
		assert.equal(updated.storefront_hidden, true);
		assert.equal(updated.name, 'Gadget');
		const call = lastCall('PATCH', `/v2/products/${created.id}`);
		assert.deepEqual(call.body, { price: 1299, storefront_hidden: true });
		assert.deepEqual(String(call.query.update_mask).split(',').sort(), ['price', 'storefront_hidden']);

		// An empty text is left out of a create, and clears the field on an update.
		const [plain] = jsonOf(
			await product({ operation: 'create', name: 'Plain', price: 1, shortDescription: 'P', additionalFields: { sku: '', description: 'D' } }),
		);
		assert.equal('sku' in lastCall('POST', '/v2/products').body, false);
		const [cleared] = jsonOf(await product({ operation: 'update', product: byId(plain.id), updateFields: { description: '' } }));
		assert.equal(cleared.description, null);
		assert.deepEqual(lastCall('PATCH', `/v2/products/${plain.id}`).body, { description: '' });
	});

	test('get many: filters, sort, limit and return all', async () => {
		const all = jsonOf(await product({ operation: 'getAll', returnAll: true }));
		assert.ok(all.length >= 3);
		const starters = jsonOf(await product({ operation: 'getAll', returnAll: true, filters: { name: 'Start*' } }));
		assert.deepEqual(starters.map((p) => p.name), ['Starter Kit']);
		assert.equal(starters[0].inventory_count, null, 'Keap leaves the count out of lists');
		const two = jsonOf(await product({ operation: 'getAll', returnAll: false, limit: 2, sort: { by: 'name', direction: 'desc' } }));
		assert.equal(two.length, 2);
		const names = all.map((p) => p.name).sort((a, b) => b.localeCompare(a));
		assert.deepEqual(two.map((p) => p.name), names.slice(0, 2));
		assert.match(lastCall('GET', '/v2/products').query.order_by, /^name desc$/);
	});

	test('adjust inventory up and down; Keap refuses to go below 0', async () => {
		const [created] = jsonOf(
			await product({ operation: 'create', name: 'Stocked', price: 1, shortDescription: 'S', additionalFields: { inventory_count: 5 } }),
		);
		const [up] = jsonOf(await product({ operation: 'adjustInventory', product: byId(created.id), direction: 'INCREASE', quantity: 3 }));
		assert.equal(up.inventory_count, 8);
		const [down] = jsonOf(await product({ operation: 'adjustInventory', product: byId(created.id), direction: 'DECREASE', quantity: 2 }));
		assert.equal(down.inventory_count, 6);
		const rejected = rejects();
		const res = await product(
			{ operation: 'adjustInventory', product: byId(created.id), direction: 'DECREASE', quantity: 10 },
			[{}],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 1);
		assert.match(res.items[0].json.error, /^Keap rejected the request as invalid: Cannot decrease inventory below 0/);
		assert.equal(rejects() - rejected, 1, "Keap's rule, not a schema violation");
		provoked++;
		const before = fx.calls();
		const bad = await product({ operation: 'adjustInventory', product: byId(created.id), direction: 'INCREASE', quantity: 0 }, [{}], {
			continueOnFail: true,
		});
		assert.match(bad.items[0].json.error, /Item 0, Quantity: 0 is less than 1/);
		assert.equal(fx.calls(), before, 'nothing sent');
	});

	test('delete answers { deleted: true }; a deleted product is named in the error', async () => {
		const [created] = jsonOf(await product({ operation: 'create', name: 'Doomed', price: 0, shortDescription: 'D' }));
		assert.deepEqual(jsonOf(await product({ operation: 'delete', product: byId(created.id) })), [{ deleted: true }]);
		const res = await product({ operation: 'get', product: byId(created.id) }, [{}], { continueOnFail: true });
		assert.equal(res.items[0].json.error, `Keap has no product with ID ${created.id}`);
	});

	test('money is checked before sending; Continue On Fail gives one error item per bad item', async () => {
		const before = fx.calls();
		const res = await product(
			{ operation: 'create', name: '={{ $json.name }}', price: '={{ $json.price }}', shortDescription: 'x' },
			[
				{ name: 'Cents', price: 12.345 },
				{ name: 'Negative', price: -1 },
				{ name: 'Words', price: 'twelve' },
			],
			{ continueOnFail: true },
		);
		assert.equal(fx.calls(), before, 'no bad price reached Keap');
		assert.deepEqual(
			res.items.map((i) => [i.pairedItem.item, i.json.error]),
			[
				[0, 'Item 0, Price: 12.345 has more than 2 decimal places (Keap keeps amounts in cents)'],
				[1, 'Item 1, Price: -1 is negative: Keap takes amounts of 0 or more'],
				[2, 'Item 2, Price: "twelve" is not an amount of money (a number such as 12.50)'],
			],
		);
		const mixed = await product(
			{ operation: 'create', name: '={{ $json.name }}', price: '={{ $json.price }}', shortDescription: 'x' },
			[
				{ name: 'Good A', price: 5 },
				{ name: '', price: 5 },
				{ name: 'Good B', price: '7.10' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			mixed.items.map((i) => i.json.error ?? i.json.price),
			[5, 'Item 1, Name: a product needs a name', 7.1],
		);
		const missing = await product({ operation: 'get', product: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, [{ id: '' }], {
			continueOnFail: true,
		});
		assert.match(missing.items[0].json.error, /Item 0, Product: choose a record/);
	});

	test('list search: products by name prefix', async () => {
		const store = fx.newStore();
		const found = await runNodeMethod({ kind: 'listSearch', method: 'searchProducts', store, args: ['coach'] });
		assert.deepEqual(found.results, [{ name: 'Coaching Session (COACH-60) 150.00 USD', value: '202' }]);
		const all = await runNodeMethod({ kind: 'listSearch', method: 'searchProducts', store, args: [] });
		assert.ok(all.results.length >= 3);
	});
});
