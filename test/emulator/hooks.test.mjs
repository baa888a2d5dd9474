import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, hookReceiver } from './helpers.mjs';

describe('REST hooks', () => {
	let emu;
	let v1;
	const receivers = [];
	const receiver = async (mode) => {
		const r = await hookReceiver(mode);
		receivers.push(r);
		return r;
	};
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
		v1 = `${emu.url}/crm/rest/v1`;
	});
	afterAll(async () => {
		await emu.close();
		await Promise.all(receivers.map((r) => r.close()));
	});
	beforeEach(() => emu.reset());

	const subscribe = (eventKey, hookUrl) => call(`${v1}/hooks`, { method: 'POST', json: { eventKey, hookUrl } });
	const newContact = (email) => call(`${v1}/contacts`, { method: 'POST', json: { email_addresses: [{ email, field: 'EMAIL1' }] } });

	test('handshake: Verified only when the receiver answers 200 echoing X-Hook-Secret', async () => {
		const good = await receiver('echo');
		const bad = await receiver('noecho');
		const ok = await subscribe('contact.add', good.url);
		assert.equal(ok.status, 200);
		assert.equal(ok.body.status, 'Verified');
		assert.equal(ok.body.eventKey, 'contact.add');
		assert.ok(ok.body.key);
		assert.ok(good.requests[0].headers['x-hook-secret']);
		assert.equal(good.requests[0].body, null, 'the handshake has no body');

		const no = await subscribe('contact.add', bad.url);
		assert.equal(no.body.status, 'Unverified');
		// delayedVerify with the secret that was sent makes it Verified
		const secret = bad.requests.at(-1).headers['x-hook-secret'];
		const wrong = await call(`${v1}/hooks/${no.body.key}/delayedVerify`, { method: 'POST', headers: { 'x-hook-secret': 'wrong' } });
		assert.equal(wrong.body.status, 'Unverified');
		const right = await call(`${v1}/hooks/${no.body.key}/delayedVerify`, { method: 'POST', headers: { 'x-hook-secret': secret } });
		assert.equal(right.body.status, 'Verified');

		// /verify re-runs the handshake
		bad.mode = 'echo';
		const dead = await receiver(500);
		const d = await subscribe('contact.edit', dead.url);
		assert.equal(d.body.status, 'Unverified');
		dead.mode = 'echo';
		assert.equal((await call(`${v1}/hooks/${d.body.key}/verify`, { method: 'POST' })).body.status, 'Verified');

		const list = await call(`${v1}/hooks`);
		assert.equal(list.body.length, 3);
		assert.ok(!JSON.stringify(list.body).includes(secret));
		assert.equal((await call(`${v1}/hooks/${d.body.key}`, { method: 'DELETE' })).status, 204);
		assert.equal((await call(`${v1}/hooks/${d.body.key}`)).status, 404);
		const keys = (await call(`${v1}/hooks/event_keys`)).body;
		assert.ok(keys.includes('contactGroup.applied') && keys.includes('contact.delete'));
		assert.equal((await subscribe('contact.teleport', good.url)).status, 400);
	});

	test('events are batched per event key and delivered after the batching window', async () => {
		const r = await receiver('echo');
		await subscribe('contact.add', r.url);
		await subscribe('contact.edit', r.url);
		const ids = [];
		for (const e of ['a@example.com', 'b@example.com', 'c@example.com']) ids.push((await newContact(e)).body.id);
		await call(`${v1}/contacts/${ids[0]}`, { method: 'PATCH', json: { given_name: 'A' } });
		const events = await r.waitForEvents(2, 5000);
		const add = events.find((e) => e.body.event_key === 'contact.add').body;
		assert.equal(add.object_type, 'contact');
		assert.deepEqual(add.object_keys.map((k) => k.id), ids);
		assert.equal(add.object_keys[0].apiUrl, `${emu.url}/crm/rest/v1/contacts/${ids[0]}`);
		assert.match(add.object_keys[0].timestamp, /Z$/);
		const edit = events.find((e) => e.body.event_key === 'contact.edit').body;
		assert.deepEqual(edit.object_keys.map((k) => k.id), [ids[0]]);
		await emu.flushHooks(); // waits for deliveries still being recorded
		assert.equal(emu.counters().hookDeliveries, 2);
	});

	test('flushHooks delivers now; batches hold at most hookBatchMax objects; tag events', async () => {
		emu.setConfig({ hookDelayMs: 60_000, hookBatchMax: 2 });
		const r = await receiver('echo');
		await subscribe('contact.delete', r.url);
		await subscribe('contactGroup.applied', r.url);
		const ids = [];
		for (const e of ['1@example.com', '2@example.com', '3@example.com']) ids.push((await newContact(e)).body.id);
		const tag = (await call(`${v1}/tags`, { method: 'POST', json: { name: 'T' } })).body;
		await call(`${v1}/tags/${tag.id}/contacts`, { method: 'POST', json: { ids } });
		for (const id of ids) await call(`${v1}/contacts/${id}`, { method: 'DELETE' });
		assert.equal(r.events().length, 0, 'nothing before the (long) window ends');
		const results = await emu.flushHooks();
		assert.equal(results.length, 3);
		assert.ok(results.every((x) => x.ok));
		const deletes = r.events().filter((e) => e.body.event_key === 'contact.delete');
		assert.deepEqual(deletes.map((e) => e.body.object_keys.length), [2, 1]);
		assert.equal(deletes[0].body.object_keys[0].apiUrl, '');
		const applied = r.events().find((e) => e.body.event_key === 'contactGroup.applied').body;
		assert.equal(applied.object_type, 'contactGroup');
		assert.equal(applied.object_keys[0].id, tag.id);
		assert.deepEqual(applied.object_keys[0].contactDetails.map((c) => c.id), ids);
	});

	test('failed deliveries are retried, and the 4th failure makes the hook Inactive; 410 at once', async () => {
		emu.setConfig({ hookDelayMs: 60_000, hookRetryDelaysMs: [60_000] });
		const r = await receiver('echo');
		const hook = (await subscribe('contact.add', r.url)).body;
		r.mode = 500;
		await newContact('x@example.com');
		for (let i = 1; i <= 4; i++) {
			const [res] = await emu.flushHooks();
			assert.equal(res.attempt, i);
			assert.equal(res.ok, false);
		}
		assert.equal((await call(`${v1}/hooks/${hook.key}`)).body.status, 'Inactive');
		assert.deepEqual(await emu.flushHooks(), []);
		// events are not sent to an Inactive hook; /verify brings it back
		await newContact('y@example.com');
		assert.deepEqual(await emu.flushHooks(), []);
		r.mode = 'echo';
		assert.equal((await call(`${v1}/hooks/${hook.key}/verify`, { method: 'POST' })).body.status, 'Verified');

		r.mode = 410;
		await newContact('z@example.com');
		const [gone] = await emu.flushHooks();
		assert.equal(gone.status, 410);
		assert.equal(emu.store.hooks.get(hook.key).status, 'Inactive');
		const viaHttp = await call(`${emu.url}/__admin/hooks/deliveries`, { auth: null });
		assert.ok(viaHttp.body.filter((d) => d.kind === 'event').length >= 5);
		assert.ok(emu.counters().hookDeliveriesFailed >= 5);
	});

	test('a retry after a failure succeeds with the timer-driven delays', async () => {
		emu.setConfig({ hookDelayMs: 20, hookRetryDelaysMs: [50] });
		const r = await receiver('echo');
		await subscribe('contact.add', r.url);
		r.mode = 503;
		await newContact('w@example.com');
		await r.waitForEvents(1, 5000);
		r.mode = 200;
		const events = await r.waitForEvents(2, 5000);
		assert.deepEqual(events[0].body, events[1].body, 'the same payload is retried');
		await emu.flushHooks();
		const deliveries = emu.hookDeliveries().filter((d) => d.kind === 'event');
		assert.deepEqual(deliveries.map((d) => [d.attempt, d.ok]), [[1, false], [2, true]]);
	});
});
