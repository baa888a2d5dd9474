// Records of every object type Keap's hook events name, seeded in the emulator, and the event
// that names each set: shared by the engine tests (trigger-objects.test.mjs), the real-n8n test
// (test/e2e/trigger-webhook.e2e.mjs) and the benchmark (test/bench/hydrate.mjs).

/** One event per object type: its key, what to seed for n records, and the ids the event names. */
export const OBJECT_EVENTS = [
	{ type: 'contact', eventKey: 'contact.edit' },
	{ type: 'company', eventKey: 'company.add' },
	{ type: 'opportunity', eventKey: 'opportunity.edit' },
	{ type: 'order', eventKey: 'order.add' },
	{ type: 'invoice', eventKey: 'invoice.edit' },
	{ type: 'invoice.payment', eventKey: 'invoice.payment.add' },
	{ type: 'product', eventKey: 'product.edit' },
	{ type: 'subscription', eventKey: 'subscription.add' },
	{ type: 'task', eventKey: 'task.edit' },
	{ type: 'note', eventKey: 'note.edit' },
	{ type: 'appointment', eventKey: 'appointment.add' },
	{ type: 'leadsource', eventKey: 'leadsource.add' },
	{ type: 'user', eventKey: 'user.edit' },
	{ type: 'contactGroup', eventKey: 'contactGroup.edit' },
];

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/**
 * Seeds `n` records of every type (silently) and returns, per type, the event entries naming
 * them: `{ [type]: { eventKey, objectType, entries: [{ id, apiPath }] } }`. `tag` prefixes names.
 */
export function seedHookObjects(emu, n, tag = 'h') {
	const at = new Date(Date.now() + 86_400_000).toISOString();
	const base = emu.seed({
		contacts: range(n, (i) => ({ given_name: `${tag}C${i}`, email_addresses: [{ email: `${tag}c${i}@example.com`, field: 'EMAIL1' }] })),
		products: [
			{ name: `${tag} Plan Product`, price: 1000, short_description: 'plans', plans: [{ cycle_type: 'MONTHLY', plan_price: 10, frequency: 1 }] },
			...range(n, (i) => ({ name: `${tag} Product ${i}`, sku: `${tag}-SKU-${i}`, price: 500 + i, short_description: `Product ${i}` })),
		],
		stages: [{ name: `${tag} Stage`, order: 1, probability: 10, target_number_days: 1 }],
		users: range(n, (i) => ({ given_name: `${tag}User${i}`, family_name: 'Seeded', email: `${tag}user${i}@example.com` })),
		leadSources: range(n, (i) => ({ name: `${tag} Source ${i}` })),
		tags: range(n, (i) => ({ name: `${tag} Tag ${i}` })),
	});
	const contact = base.contacts[0];
	const [planProduct, ...products] = base.products;
	const more = emu.seed({
		companies: range(n, (i) => ({ company_name: `${tag} Company ${i}` })),
		opportunities: range(n, (i) => ({ contact, stage: base.stages[0], opportunity_title: `${tag} Deal ${i}`, user_id: '1' })),
		orders: range(n, (i) => ({
			contact, order_title: `${tag} Order ${i}`, items: [{ product: products[i % products.length], quantity: 1 }],
			payments: [{ payment_amount: 1, payment_method_type: 'Cash' }],
		})),
		subscriptions: range(n, (i) => ({ contact: base.contacts[i], product: planProduct, auto_charge: false })),
		tasks: range(n, (i) => ({ title: `${tag} Task ${i}`, assigned_to_user_id: '1', contact })),
		notes: range(n, (i) => ({ contact, user_id: '1', title: `${tag} Note ${i}` })),
		appointments: range(n, (i) => ({ title: `${tag} Appointment ${i}`, start_date: at, end_date: at, contact_id: contact })),
	});
	const orders = more.orders.map((id) => emu.store.orders.get(id));
	const payments = [...emu.store.payments.values()].filter((p) => more.orders.includes(p.order_id ?? p.orderId));
	const entries = (ids, apiPath) => ids.map((id, i) => ({ id, apiPath: apiPath(id, i) }));
	const v1 = (what) => (id) => `/crm/rest/v1/${what}/${id}`;
	const out = {
		contact: entries(base.contacts, v1('contacts')),
		company: entries(more.companies, v1('companies')),
		opportunity: entries(more.opportunities, v1('opportunities')),
		order: entries(more.orders, v1('orders')),
		invoice: entries(orders.map((o) => o.invoice_id), (_, i) => `/crm/rest/v1/orders/${orders[i].id}`),
		'invoice.payment': entries(payments.map((p) => p.id), (_, i) => `/crm/rest/v1/orders/${payments[i].order_id}/payments`),
		product: entries(products, v1('products')),
		subscription: entries(more.subscriptions, (id) => `/crm/rest/v2/subscriptions/${id}`),
		task: entries(more.tasks, v1('tasks')),
		note: entries(more.notes, v1('notes')),
		appointment: entries(more.appointments, v1('appointments')),
		leadsource: entries(base.leadSources, (id) => `/crm/rest/v2/leadSources/${id}`),
		user: entries(base.users, (id) => `/crm/rest/v2/users/${id}`),
		contactGroup: entries(base.tags, v1('tags')),
	};
	return Object.fromEntries(OBJECT_EVENTS.map((e) => [e.type, { ...e, objectType: e.type, entries: out[e.type] }]));
}

/** A delivery as Keap sends it for these entries, apiUrls on `origin`. */
export function deliveryOf(set, origin, entries = set.entries) {
	return {
		event_key: set.eventKey,
		object_type: set.objectType,
		object_keys: entries.map((e) => ({ id: e.id, apiUrl: `${origin}${e.apiPath}`, timestamp: new Date().toISOString() })),
	};
}
