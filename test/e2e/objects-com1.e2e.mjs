// The commerce resources of the Keap CRM node inside a real n8n (the packed package installed
// as a community package), against the emulator with its OpenAPI request validation on: every
// operation of Product, Order, Subscription, Payment and Transaction, as chains of Keap CRM
// nodes in three workflows run by `n8n execute`, each node reading the ids the one before
// produced. What the nodes did is checked in their output and in the emulator's data; the
// emulator must reject nothing.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, manualWorkflow, packPackage } from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
const VERIFY_KEY = 'KeapAK-emulator-sak';
const byId = (value) => ({ __rl: true, mode: 'id', value });
const idOf = (node) => `={{ $('${node}').first().json.id }}`;

function keapNodes(cred, steps) {
	return steps.map(([name, parameters]) => ({
		name,
		type: 'n8n-nodes-keap.keapCrm',
		typeVersion: 1,
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { keapCrmApiKeyApi: cred },
	}));
}

const productSteps = (stamp) => [
	[
		'Create Product',
		{
			resource: 'product',
			operation: 'create',
			name: `E2E Widget ${stamp}`,
			price: 19.99,
			shortDescription: 'A widget from n8n',
			additionalFields: { sku: `E2E-${stamp}`, inventory_count: 4 },
		},
	],
	['Get Product', { resource: 'product', operation: 'get', product: byId(idOf('Create Product')) }],
	['Update Product', { resource: 'product', operation: 'update', product: byId(idOf('Create Product')), updateFields: { price: 24.5 } }],
	[
		'Adjust Inventory',
		{ resource: 'product', operation: 'adjustInventory', product: byId(idOf('Create Product')), direction: 'INCREASE', quantity: 6 },
	],
	['Find Product', { resource: 'product', operation: 'getAll', returnAll: true, filters: { sku: `E2E-${stamp}` } }],
	['Delete Product', { resource: 'product', operation: 'delete', product: byId(idOf('Create Product')) }],
];

const orderSteps = (stamp, channelId) => [
	[
		'Create Order',
		{
			resource: 'order',
			operation: 'create',
			contact: byId('1003'),
			orderTitle: `E2E order ${stamp}`,
			orderItems: {
				item: [
					{ itemType: 'PRODUCT', product: byId('201'), quantity: 2 },
					{ itemType: 'SHIPPING', name: 'Courier', quantity: 1, price: '6.50' },
				],
			},
			promoCodes: 'FIVEOFF',
			additionalFields: { order_time: '2025-05-01T09:30:00Z' },
			customFields: { mappingMode: 'defineBelow', value: { [channelId]: 'Phone' }, matchingColumns: [], schema: [] },
		},
	],
	['Get Order', { resource: 'order', operation: 'get', order: byId(idOf('Create Order')), output: 'simplified' }],
	['Update Order', { resource: 'order', operation: 'update', order: byId(idOf('Create Order')), updateFields: { notes: 'From n8n' } }],
	[
		'Add Item',
		{ resource: 'order', operation: 'addItem', order: byId(idOf('Create Order')), product: byId('202'), quantity: 1, price: '99.00' },
	],
	[
		'Add Payment',
		{ resource: 'order', operation: 'addPayment', order: byId(idOf('Create Order')), amount: 50, paymentMethodType: 'Cash' },
	],
	['Get Payments', { resource: 'order', operation: 'getPayments', order: byId(idOf('Create Order')), returnAll: true }],
	[
		'Find Orders',
		{ resource: 'order', operation: 'getAll', returnAll: true, filters: { contact: byId('1003'), title: `E2E order ${stamp}`, paid: 'unpaid' } },
	],
	[
		'Ledger Payments',
		{ resource: 'payment', operation: 'getAll', returnAll: true, filters: { orderId: idOf('Create Order') } },
	],
	[
		'Ledger Transactions',
		{ resource: 'transaction', operation: 'getAll', returnAll: true, filters: { orderId: idOf('Create Order'), method: 'MANUAL' } },
	],
	[
		'Create Spare Order',
		{
			resource: 'order',
			operation: 'create',
			contact: byId('1004'),
			orderTitle: `E2E spare ${stamp}`,
			orderItems: { item: [{ product: byId('202'), quantity: 1 }] },
		},
	],
	['Delete Order', { resource: 'order', operation: 'delete', order: byId(idOf('Create Spare Order')) }],
];

const subscriptionSteps = () => [
	[
		'Create Subscription',
		{
			resource: 'subscription',
			operation: 'create',
			contact: byId('1002'),
			subscriptionPlan: byId('251'),
			additionalFields: { auto_charge: false, quantity: 1 },
		},
	],
	['Get Subscription', { resource: 'subscription', operation: 'get', subscription: byId(idOf('Create Subscription')) }],
	[
		'Update Subscription',
		{ resource: 'subscription', operation: 'update', subscription: byId(idOf('Create Subscription')), updateFields: { billing_amount: 27 } },
	],
	['Find Subscriptions', { resource: 'subscription', operation: 'getAll', returnAll: true, filters: { contact: byId('1002'), status: 'Active' } }],
	[
		'Deactivate Subscription',
		{ resource: 'subscription', operation: 'deactivate', subscription: byId(idOf('Create Subscription')), reason: 'E2E done' },
	],
];

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the commerce resources of the Keap CRM node`, () => {
		let emu;
		let n8n;
		let channel;
		const cred = { id: 'e2eCom1ApiKey00001', name: 'Keap PAT (commerce e2e)' };
		const stamp = `${version.replaceAll('.', '')}${Date.now().toString(36)}`;
		const ids = {};

		const verify = async (path) => {
			const res = await fetch(`${emu.url}/crm/rest/v2${path}`, { headers: { 'X-Keap-API-Key': VERIFY_KEY } });
			return { status: res.status, body: res.status === 204 ? null : await res.json() };
		};

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, seed: 'demo' });
			const cf = await fetch(`${emu.url}/crm/rest/v2/orders/model/customFields`, {
				method: 'POST',
				headers: { 'X-Keap-API-Key': VERIFY_KEY, 'content-type': 'application/json' },
				body: JSON.stringify({ label: 'Channel', field_type: 'DROPDOWN', options: [{ label: 'Web' }, { label: 'Phone' }] }),
			});
			channel = await cf.json();
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			const v = version.replaceAll('.', '');
			ids.products = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom1Prod${v}`, nodes: keapNodes(cred, productSteps(stamp)) }));
			ids.orders = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom1Ord${v}`, nodes: keapNodes(cred, orderSteps(stamp, channel.id)) }));
			ids.subscriptions = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom1Sub${v}`, nodes: keapNodes(cred, subscriptionSteps()) }));
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		const run = async (id) => {
			const res = await n8n.execute(id);
			assert.ok(res.ok, `execution failed: ${JSON.stringify(res.error)}\n${res.log()}`);
			return res;
		};

		test('product: create, get, update, adjust inventory, get many, delete', async () => {
			const res = await run(ids.products);
			const [created] = res.outputOf('Create Product');
			assert.equal(created.price, 19.99);
			assert.equal(created.inventory_count, 4);
			assert.equal(res.outputOf('Get Product')[0].sku, `E2E-${stamp}`);
			assert.equal(res.outputOf('Update Product')[0].price, 24.5);
			assert.equal(res.outputOf('Adjust Inventory')[0].inventory_count, 10);
			assert.deepEqual(res.outputOf('Find Product').map((p) => p.id), [created.id]);
			assert.deepEqual(res.outputOf('Delete Product'), [{ deleted: true }]);
			assert.equal((await verify(`/products/${created.id}`)).status, 404);
		}, 10 * 60_000);

		test('order: create with items, promo code and a custom field; get, update, add item, pay, payments, get many, delete; the ledger', async () => {
			const res = await run(ids.orders);
			const [created] = res.outputOf('Create Order');
			assert.equal(created.total, 2 * 49 + 6.5 - 5);
			assert.deepEqual(created.custom_fields, { Channel: 'Phone' });
			assert.equal(res.outputOf('Get Order')[0].total_due, 99.5);
			assert.equal(res.outputOf('Update Order')[0].notes, 'From n8n');
			assert.equal(res.outputOf('Add Item')[0].price_per_unit, 99);
			assert.equal(res.outputOf('Add Payment')[0].amount, 50);
			assert.deepEqual(res.outputOf('Get Payments').map((p) => [p.amount, p.pay_status]), [[50, 'MANUAL_PAID']]);
			assert.deepEqual(res.outputOf('Find Orders').map((o) => o.id), [created.id]);
			assert.deepEqual(res.outputOf('Ledger Payments').map((p) => [p.amount, p.type]), [[50, 'Cash']]);
			assert.deepEqual(res.outputOf('Ledger Transactions').map((t) => t.transaction_method), ['MANUAL']);
			assert.deepEqual(res.outputOf('Delete Order'), [{ deleted: true }]);
			const stored = await verify(`/orders/${created.id}`);
			assert.equal(stored.body.total.amount, (2 * 49 + 6.5 - 5 + 99) * 100);
			assert.equal(stored.body.total_paid.amount, 5000);
			const spare = res.outputOf('Create Spare Order')[0];
			assert.equal((await verify(`/orders/${spare.id}`)).status, 404);
		}, 10 * 60_000);

		test('subscription: create, get, update, get many, deactivate', async () => {
			const res = await run(ids.subscriptions);
			const [created] = res.outputOf('Create Subscription');
			assert.equal(created.subscription_plan_id, '251');
			assert.equal(res.outputOf('Get Subscription')[0].id, created.id);
			assert.equal(res.outputOf('Update Subscription')[0].billing_amount, 27);
			assert.ok(res.outputOf('Find Subscriptions').some((s) => s.id === created.id));
			const [stopped] = res.outputOf('Deactivate Subscription');
			assert.equal(stopped.active, false);
			assert.equal((await verify(`/subscriptions/${created.id}`)).body.reason_stopped, 'E2E done');
		}, 10 * 60_000);

		test('nothing was rejected by Keap’s schemas', () => {
			assert.equal(emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request');
			for (const entry of emu.log()) assert.notEqual(entry.status, 400, `${entry.method} ${entry.path} -> 400`);
		}, 10 * 60_000);
	});
}
