// The Keap CRM Polling Trigger on companies, opportunities, orders and tasks (issue 20), run by
// n8n-core like trigger-polling.test.mjs, with the fault proxy (test/faults/proxy.mjs) between
// the trigger and the emulator: new and updated records each emitted once, none missed when a
// poll fails (a listing page, the custom field model, a malformed answer), also across a page
// boundary of records with the same time, a poll failing mid-pagination and a record deleted
// while a poll reads. Black-box: node parameters in, emitted items and the emulator's log out.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { poll, triggerWorkflow } from './trigger-harness.mjs';
import { faultFixture, PAT } from './fault-fixture.mjs';

let fx;
beforeAll(async () => {
	fx = await faultFixture({ emulator: { seed: 'demo' } });
});
afterAll(async () => {
	await fx?.close();
});
beforeEach(() => {
	fx.reset();
});

/** A REST call straight at the emulator (someone else changing Keap). */
async function keap(method, path, body) {
	const res = await fetch(`${fx.emu.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${PAT}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

const V2 = '/crm/rest/v2';
const OLIVIA = '1001'; // a demo contact
const STAGE = '21'; // the demo pipeline's first stage

/** Per object: how someone creates and renames one, its title in the output, its routes. */
const OBJECTS = {
	company: {
		create: async (name) => (await keap('POST', `${V2}/companies`, { company_name: name, custom_fields: [{ id: '18', content: 'Retail' }] })).id,
		rename: async (id, name) => await keap('PATCH', `${V2}/companies/${id}?update_mask=company_name`, { company_name: name }),
		title: (item) => item.company_name,
		list: `${V2}/companies`,
		model: `${V2}/companies/model`,
		custom: ['Industry', 'Retail'],
	},
	opportunity: {
		create: async (name) =>
			(await keap('POST', `${V2}/opportunities`, { contact_id: OLIVIA, stage_id: STAGE, opportunity_title: name, custom_fields: [{ id: '22', content: 'Web' }] })).id,
		rename: async (id, name) => await keap('PATCH', `${V2}/opportunities/${id}?update_mask=opportunity_title`, { opportunity_title: name }),
		title: (item) => item.opportunity_title,
		list: `${V2}/opportunities`,
		model: `${V2}/opportunities/model`,
		custom: ['Deal Source', 'Web'],
	},
	order: {
		create: async (name) =>
			(
				await keap('POST', `${V2}/orders`, {
					contact_id: OLIVIA,
					order_title: name,
					order_time: '2025-06-01T12:00:00Z',
					order_type: 'ONLINE',
					order_items: [{ item_type: 'SHIPPING', name: 'Ground', quantity: 1, price_per_unit: 5 }],
				})
			).id,
		rename: async (id, name) => await keap('PATCH', `${V2}/orders/${id}?update_mask=order_title`, { order_title: name }),
		title: (item) => item.title,
		list: `${V2}/orders`,
		model: null, // orders have no custom fields in the emulator's account: no model read
	},
	task: {
		create: async (name) => (await keap('POST', `${V2}/tasks`, { assigned_to_user_id: '1', title: name, custom_fields: [{ id: '26', content: 'Reached' }] })).id,
		rename: async (id, name) => await keap('PATCH', `${V2}/tasks/${id}?update_mask=title`, { title: name }),
		title: (item) => item.title,
		list: `${V2}/tasks`,
		model: `${V2}/tasks/model`,
		custom: ['Call Outcome', 'Reached'],
	},
};

const workflow = (object, event, output = 'full') =>
	triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { object, event: `${object}${event}`, output }, store: fx.store() });

/** One poll: its emitted items, null when none, or { error } when it threw. */
async function tryPoll(wf) {
	try {
		return await poll(wf);
	} catch (error) {
		return { error };
	}
}

for (const [object, o] of Object.entries(OBJECTS)) {
	const titles = (items) => (items ?? []).map(o.title);

	describe(`${object}`, () => {
		test(`${object} Created: new ${object} records once, not updates; Created or Updated: every change once, oldest first`, async () => {
			const old = await o.create('Old');
			const created = workflow(object, 'Created');
			const updated = workflow(object, 'Updated');
			assert.equal(await poll(created), null, 'activation: what is there is the past');
			assert.equal(await poll(updated), null);

			const a = await o.create('A');
			await o.create('B');
			await o.rename(old, 'Old2');
			const out = await poll(created);
			assert.deepEqual(titles(out), ['A', 'B']);
			assert.equal(String(out[0].id), String(a));
			if (o.custom) assert.equal(out[0].custom_fields?.[o.custom[0]], o.custom[1], 'custom fields by name');
			assert.deepEqual(titles(await poll(updated)), ['A', 'B', 'Old2']);

			await o.rename(a, 'A2');
			assert.equal(await poll(created), null, 'an update is not a creation');
			assert.deepEqual(titles(await poll(updated)), ['A2']);
			assert.equal(await poll(created), null);
			assert.equal(await poll(updated), null);
			assert.deepEqual(created.executions.map(titles), [['A', 'B']]);
		});

		test(`${object}: Simplified output and Fetch Test Event (the newest record, no cursor)`, async () => {
			const id = await o.create('Newest');
			const wf = workflow(object, 'Created', 'simplified');
			const out = await poll(wf, { mode: 'manual' });
			assert.deepEqual(out.map((x) => String(x.id)), [String(id)]);
			assert.equal(wf.nodeData().cursor, undefined);
			assert.ok(Object.keys(out[0]).length < 15, `simplified: ${Object.keys(out[0])}`);
		});

		test(`${object}: eight polls, every other one failing (listing 500, truncated, HTML; model 500, HTML): every record exactly once`, async () => {
			const created = workflow(object, 'Created');
			const updated = workflow(object, 'Updated');
			assert.equal(await tryPoll(created), null);
			assert.equal(await tryPoll(updated), null);
			const faults = [
				{ method: 'GET', path: o.list, fault: 'status', status: 500, body: { message: 'boom' } },
				{ method: 'GET', path: o.model ?? o.list, fault: 'status', status: 500, body: { message: 'boom' } },
				{ method: 'GET', path: o.list, fault: 'truncate' },
				{ method: 'GET', path: o.model ?? o.list, fault: 'html' },
			];
			const ids = [];
			const last = new Map(); // id -> its current title
			const emitted = { Created: [], Updated: [] };
			const record = (event, out) => {
				if (out?.error) return;
				for (const item of out ?? []) emitted[event].push(`${item.id}:${o.title(item)}`);
			};
			for (let round = 0; round < 8; round++) {
				for (let i = 0; i < 2; i++) {
					const name = `R${round}x${i}`;
					const id = String(await o.create(name));
					ids.push(id);
					last.set(id, name);
				}
				if (round > 0) {
					const id = ids[round - 1];
					await o.rename(id, `${last.get(id)}u`);
					last.set(id, `${last.get(id)}u`);
				}
				if (round % 2 === 0) fx.proxy.setRules(faults[(round / 2) % faults.length]);
				else fx.proxy.clearRules();
				const c = await tryPoll(created);
				const u = await tryPoll(updated);
				if (round % 2 === 0) assert.ok(c?.error && u?.error, `round ${round}: both polls failed (${JSON.stringify(c)?.slice(0, 100)})`);
				record('Created', c);
				record('Updated', u);
			}
			fx.proxy.clearRules();
			record('Created', await tryPoll(created));
			record('Updated', await tryPoll(updated));

			const createdIds = emitted.Created.map((k) => k.split(':')[0]);
			assert.deepEqual([...createdIds].sort(), [...ids].sort(), 'every new record once');
			assert.equal(new Set(emitted.Updated).size, emitted.Updated.length, `no change twice: ${emitted.Updated}`);
			for (const [id, name] of last) assert.ok(emitted.Updated.includes(`${id}:${name}`), `the last state of ${id} (${name}) was emitted`);
			for (const key of emitted.Updated) assert.ok(ids.includes(key.split(':')[0]), `${key} is one of the records written`);
		});
	});
}

// ---------------------------------------------------------------------------------------------
/** Seeds `n` records of the object silently (no hooks), all stamped with one and the same time. */
function seedSameTime(object, n, prefix) {
	const stamp = fx.emu.now();
	if (object === 'company') {
		const { companies } = fx.emu.seed({ companies: Array.from({ length: n }, (_, i) => ({ company_name: `${prefix} ${i}` })) });
		for (const id of companies) {
			const c = fx.emu.store.companies.get(Number(id));
			c.create_time = c.update_time = stamp;
		}
		return companies.map(String);
	}
	const { opportunities } = fx.emu.seed({
		opportunities: Array.from({ length: n }, (_, i) => ({ contact: Number(OLIVIA), stage: Number(STAGE), opportunity_title: `${prefix} ${i}` })),
	});
	for (const id of opportunities) {
		const x = fx.emu.store.opportunities.get(Number(id));
		x.created_time = x.updated_time = stamp;
	}
	return opportunities.map(String);
}

describe('more than one page (Keap pages hold at most 1000)', () => {
	for (const object of ['company', 'opportunity']) {
		test(`${object}: 1005 records with the same time across the page boundary; the poll failing on the second page loses none`, async () => {
			const wf = workflow(object, 'Updated');
			assert.equal(await tryPoll(wf), null);
			fx.emu.advanceClock(1000);
			const ids = seedSameTime(object, 1005, 'Bulk');
			fx.proxy.setRules({ method: 'GET', path: OBJECTS[object].list, skip: 1, fault: 'status', status: 500, body: { message: 'boom' } });
			const failed = await tryPoll(wf);
			assert.ok(failed?.error, 'the poll failed after its first page');
			assert.ok(fx.proxy.stats().rules[0].matched >= 2, 'it had read one page');
			fx.proxy.clearRules();
			const out = await tryPoll(wf);
			assert.ok(Array.isArray(out), JSON.stringify(out)?.slice(0, 200));
			const got = out.map((x) => String(x.id));
			assert.equal(got.length, 1005);
			assert.deepEqual([...got].sort(), [...ids].sort());
			assert.equal(await tryPoll(wf), null, 'and only once');
		});
	}

	test('company: a company deleted while the poll reads its second page does not make it skip another', async () => {
		const wf = workflow('company', 'Updated');
		assert.equal(await tryPoll(wf), null);
		fx.emu.advanceClock(1000);
		const ids = seedSameTime('company', 1001, 'Paged');
		// Three of the first page are changed five minutes later: the cursor ends up far past the
		// others' time, so a record skipped now would be skipped for good.
		fx.emu.advanceClock(5 * 60_000);
		for (const id of ids.slice(1, 4)) await OBJECTS.company.rename(id, `Paged moved ${id}`);
		fx.proxy.setRules({ method: 'GET', path: OBJECTS.company.list, skip: 1, count: 1, fault: 'latency', latencyMs: 400 });
		const polling = tryPoll(wf);
		while (fx.proxy.stats().rules[0].fired < 1) await new Promise((r) => setTimeout(r, 10));
		await keap('DELETE', `${V2}/companies/${ids[0]}`);
		const out = await polling;
		assert.ok(Array.isArray(out), JSON.stringify(out)?.slice(0, 200));
		const got = new Set(out.map((x) => String(x.id)));
		const missing = ids.slice(1).filter((id) => !got.has(id));
		assert.deepEqual(missing, [], 'every company still there was emitted');
		assert.equal(await tryPoll(wf), null);
	});
});

describe('contacts and tag applications over more than one page, one deleted meanwhile', () => {
	/** `n` contacts stamped a millisecond apart from `t`, and `later` ones five minutes after them. */
	function seedContacts(prefix, n, later, t = fx.emu.now()) {
		const stamp = (ms) => new Date(ms).toISOString();
		const contacts = [
			...Array.from({ length: n }, (_, i) => ({ given_name: `${prefix}${i}`, email: `${prefix.toLowerCase()}${i}@example.com`, last_updated: stamp(t + i) })),
			...Array.from({ length: later }, (_, i) => ({ given_name: `${prefix}L${i}`, email: `${prefix.toLowerCase()}l${i}@example.com`, last_updated: stamp(t + 300_000 + i) })),
		];
		return fx.emu.seed({ contacts }).contacts.map(String);
	}
	/** Runs a poll whose second listing call waits until `meanwhile` has run. */
	async function pollWith(wf, list, meanwhile) {
		fx.proxy.setRules({ method: 'GET', path: list, skip: 1, count: 1, fault: 'latency', latencyMs: 400 });
		const polling = tryPoll(wf);
		while (fx.proxy.stats().rules[0].fired < 1) await new Promise((r) => setTimeout(r, 10));
		await meanwhile();
		const out = await polling;
		fx.proxy.clearRules();
		return out;
	}

	test('Contact Created or Updated: 1001 contacts, then 10 five minutes newer; the oldest deleted during the read: none skipped', async () => {
		const wf = workflow('contact', 'Updated');
		wf.node.parameters = { authentication: 'apiKey', event: 'contactUpdated', output: 'simplified' };
		assert.equal(await tryPoll(wf), null);
		fx.emu.advanceClock(1000);
		const ids = seedContacts('Cp', 1001, 10);
		fx.emu.advanceClock(301_000);
		const out = await pollWith(wf, `${V2}/contacts`, () => keap('DELETE', `${V2}/contacts/${ids[0]}`));
		assert.ok(Array.isArray(out), JSON.stringify(out)?.slice(0, 200));
		const got = new Set(out.map((x) => String(x.id)));
		assert.deepEqual(ids.slice(1).filter((id) => !got.has(id)), [], 'every contact still there was emitted');
		assert.equal(got.size, out.length, 'each once');
		assert.equal(await tryPoll(wf), null);
	});

	test('Tag Applied: 1001 applications, then 10 newer; one removed during the read: none skipped', async () => {
		const tag = await keap('POST', `${V2}/tags`, { name: `Paged ${Date.now()}` });
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'tagApplied', tag: tag.name, output: 'simplified' }, store: fx.store() });
		assert.equal(await tryPoll(wf), null);
		fx.emu.advanceClock(1000);
		const ids = seedContacts('Tp', 1001, 10);
		const t = fx.emu.now();
		ids.forEach((id, i) => {
			const at = i < 1001 ? t + i : t + 300_000 + i;
			if (!fx.emu.store.applied.has(Number(id))) fx.emu.store.applied.set(Number(id), new Map());
			fx.emu.store.applied.get(Number(id)).set(Number(tag.id), at);
		});
		fx.emu.advanceClock(302_000);
		const out = await pollWith(wf, `${V2}/tags/${tag.id}/contacts`, () =>
			keap('POST', `${V2}/tags/${tag.id}/contacts:removeTags`, { contact_ids: [ids[0]] }),
		);
		assert.ok(Array.isArray(out), JSON.stringify(out)?.slice(0, 200));
		const got = new Set(out.map((x) => String(x.id)));
		assert.deepEqual(ids.slice(1).filter((id) => !got.has(id)), [], 'every application still there was emitted');
		assert.equal(await tryPoll(wf), null);
	});
});

describe('request lines', () => {
	test('every call of the polls stays far under the gateway limit of 7,168 bytes', async () => {
		const mark = fx.emu.log().length;
		for (const object of Object.keys(OBJECTS)) {
			for (const event of ['Created', 'Updated']) {
				const wf = workflow(object, event);
				await poll(wf);
				await OBJECTS[object].create(`Line ${event}`);
				await poll(wf);
			}
		}
		const calls = fx.requestsSince(mark).filter((e) => e.method === 'GET');
		assert.ok(calls.length >= 16);
		const longest = Math.max(...calls.map((e) => e.requestLineBytes));
		assert.ok(longest < 7168, `longest request line ${longest} bytes`);
	});
});
