// The Keap CRM Polling Trigger run by n8n-core (PollContext, TriggersAndPollers,
// WorkflowExecute) over several polls against the emulator, with changes made at the emulator
// between polls: nothing missed, nothing twice, including changes in the same second (and the
// same millisecond) as the cursor, and with Keap's clock hours away from ours.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { poll, triggerFixture, triggerWorkflow } from './trigger-harness.mjs';

let fx;
beforeAll(async () => {
	fx = await triggerFixture();
});
afterAll(async () => {
	await fx?.close();
});
beforeEach(() => {
	fx.emu.reset();
});

let n = 0;
async function createContact(name) {
	const c = await fx.keap('POST', '/crm/rest/v2/contacts', {
		given_name: name,
		email_addresses: [{ email: `${name.toLowerCase()}-${++n}@example.com`, field: 'EMAIL1' }],
	});
	return c.id;
}
async function rename(id, name) {
	await fx.keap('PATCH', `/crm/rest/v2/contacts/${id}?update_mask=given_name`, { given_name: name });
}
const names = (items) => (items ?? []).map((i) => i.given_name);
const LIST = 'GET /crm/rest/v2/contacts';

describe('Contact Created or Updated', () => {
	test('several polls with interleaved changes: every change once, oldest first, full records', async () => {
		await createContact('Before1');
		await createContact('Before2');
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });

		// Activation: what is there is the past.
		assert.equal(await poll(wf), null);
		assert.ok(wf.nodeData().cursor, 'the cursor is in the node static data');

		const a = await createContact('Alice');
		const b = await createContact('Bob');
		let out = await poll(wf);
		assert.deepEqual(names(out), ['Alice', 'Bob']);
		assert.equal(out[0].id, a);
		assert.match(out[0].email_addresses?.[0]?.email ?? out[0].email ?? JSON.stringify(out[0]), /alice-\d+@example\.com/);
		assert.ok(out[0].update_time, 'full record with its update time');

		// Nothing changed: nothing emitted, one list call.
		const c0 = fx.emu.counters();
		assert.equal(await poll(wf), null);
		assert.equal(fx.callsTo(LIST, c0), 1);
		assert.equal(fx.emu.counters().total - c0.total, 1);

		await rename(a, 'Alice2');
		const c = await createContact('Carol');
		await rename(b, 'Bob2');
		await rename(b, 'Bob3'); // twice between polls: its current state once
		out = await poll(wf);
		assert.deepEqual(names(out), ['Alice2', 'Carol', 'Bob3']);

		fx.emu.advanceClock(5 * 60_000);
		await rename(c, 'Carol2');
		out = await poll(wf);
		assert.deepEqual(names(out), ['Carol2']);
		assert.equal(await poll(wf), null);

		// What the workflow ran: one execution per poll with data, the same items.
		assert.deepEqual(wf.executions.map(names), [['Alice', 'Bob'], ['Alice2', 'Carol', 'Bob3'], ['Carol2']]);
	});

	test('changes in the same second and millisecond as the cursor are neither missed nor repeated', async () => {
		// Keap's clock stands still: every write gets the next millisecond of the same second.
		fx.emu.freezeClock(Date.parse('2026-05-05T10:00:00.000Z'));
		await createContact('Old');
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });
		assert.equal(await poll(wf), null);

		const ids = [];
		for (const name of ['S1', 'S2', 'S3']) ids.push(await createContact(name));
		assert.deepEqual(names(await poll(wf)), ['S1', 'S2', 'S3']);
		const cursor = wf.nodeData().cursor;
		assert.equal(cursor.newest.slice(0, 19), '2026-05-05T10:00:00', 'the cursor sits in that same second');

		for (const name of ['S4', 'S5']) ids.push(await createContact(name));
		await rename(ids[0], 'S1b');
		assert.deepEqual(names(await poll(wf)), ['S4', 'S5', 'S1b']);
		assert.equal(await poll(wf), null);

		// Two writes stamped with the very same instant as the cursor's record (Keap stamps in
		// seconds or coarser): the emulator is told to write them at that instant.
		const stamp = Date.parse(wf.nodeData().cursor.newest);
		const tie = [...fx.emu.store.contacts.values()].filter((x) => ['S2', 'S3'].includes(x.given_name));
		for (const x of tie) {
			x.given_name = `${x.given_name}-tie`;
			x.last_updated = stamp;
		}
		assert.deepEqual(names(await poll(wf)), ['S2-tie', 'S3-tie']);
		assert.equal(await poll(wf), null);
	});

	for (const [label, offsetMs] of [
		['3 hours behind', -3 * 3_600_000],
		['7 hours ahead', 7 * 3_600_000],
	]) {
		test(`Keap's clock ${label} of n8n's: no miss, no duplicate`, async () => {
			fx.emu.advanceClock(offsetMs);
			await createContact('Early');
			const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });
			assert.equal(await poll(wf), null);
			const seen = [];
			for (let round = 0; round < 4; round++) {
				const created = [];
				for (let i = 0; i < 3; i++) created.push(`R${round}-${i}`);
				for (const name of created) await createContact(name);
				fx.emu.advanceClock(round * 20_000); // sometimes within the overlap window, sometimes past it
				const out = names(await poll(wf));
				assert.deepEqual(out, created);
				seen.push(...out);
			}
			assert.equal(new Set(seen).size, 12);
			const newest = Date.parse(wf.nodeData().cursor.newest);
			assert.ok(Math.abs(newest - (Date.now() + offsetMs)) < 5 * 60_000, "the cursor follows Keap's clock, not ours");
		});
	}

	test('the cursor survives a restart (static data saved and loaded as JSON)', async () => {
		const wf1 = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });
		assert.equal(await poll(wf1), null);
		await createContact('One');
		assert.deepEqual(names(await poll(wf1)), ['One']);
		await createContact('Two');
		const wf2 = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store, staticData: wf1.saved() });
		assert.deepEqual(names(await poll(wf2)), ['Two']);
		assert.equal(await poll(wf2), null);
	});

	test('an empty account: the first contacts ever are emitted', async () => {
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });
		assert.equal(await poll(wf), null);
		assert.equal(wf.nodeData().cursor.since, '1970-01-01T00:00:00.000Z');
		await createContact('First');
		assert.deepEqual(names(await poll(wf)), ['First']);
	});

	test('Fetch Test Event (manual): the newest record, cursor untouched', async () => {
		await createContact('M1');
		const newest = await createContact('M2');
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactUpdated' }, store: fx.store });
		const out = await poll(wf, { mode: 'manual' });
		assert.deepEqual(out.map((c) => c.id), [newest]);
		assert.equal(wf.nodeData().cursor, undefined);
	});
});

describe('Contact Created', () => {
	test('new contacts only; updates of existing ones are not emitted', async () => {
		const old = await createContact('Old');
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'contactCreated', output: 'simplified' }, store: fx.store });
		assert.equal(await poll(wf), null);
		await rename(old, 'OldRenamed');
		const x = await createContact('New1');
		assert.deepEqual(names(await poll(wf)), ['New1']);
		await rename(x, 'New1Renamed');
		await createContact('New2');
		assert.deepEqual(names(await poll(wf)), ['New2']);
		assert.equal(await poll(wf), null);
	});
});

describe('Tag Applied', () => {
	test('applications of the tag between polls, with the full contact and the tag; re-application counts again', async () => {
		const tag = await fx.keap('POST', '/crm/rest/v2/tags', { name: 'Hot Lead' });
		const other = await fx.keap('POST', '/crm/rest/v2/tags', { name: 'Cold' });
		const [a, b, c] = [await createContact('TA'), await createContact('TB'), await createContact('TC')];
		const apply = async (t, ids) => await fx.keap('POST', `/crm/rest/v2/tags/${t.id}/contacts:applyTags`, { contact_ids: ids });
		const remove = async (t, ids) => await fx.keap('POST', `/crm/rest/v2/tags/${t.id}/contacts:removeTags`, { contact_ids: ids });
		await apply(tag, [a]);

		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'tagApplied', tag: 'hot lead' }, store: fx.store });
		assert.equal(await poll(wf), null, 'the tag already on TA is the past');

		await apply(tag, [b, c]);
		await apply(other, [a]);
		const c0 = fx.emu.counters();
		let out = await poll(wf);
		assert.deepEqual(names(out), ['TB', 'TC']);
		assert.deepEqual(out[0].tag_applied.tag_id, tag.id);
		assert.equal(out[0].tag_applied.tag_name, 'Hot Lead');
		assert.ok(out[0].email_addresses || out[0].email, 'the full contact');
		assert.equal(fx.callsTo(LIST, c0), 1, 'both contacts fetched in one call');

		assert.equal(await poll(wf), null);
		await remove(tag, [b]);
		fx.emu.advanceClock(1000);
		await apply(tag, [b]);
		out = await poll(wf);
		assert.deepEqual(names(out), ['TB']);
		assert.equal(await poll(wf), null);
	});

	test('another tag resets the cursor instead of reusing the old one', async () => {
		const t1 = await fx.keap('POST', '/crm/rest/v2/tags', { name: 'T1' });
		const t2 = await fx.keap('POST', '/crm/rest/v2/tags', { name: 'T2' });
		const a = await createContact('XA');
		await fx.keap('POST', `/crm/rest/v2/tags/${t2.id}/contacts:applyTags`, { contact_ids: [a] });
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'tagApplied', tag: t1.id }, store: fx.store });
		assert.equal(await poll(wf), null);
		wf.node.parameters.tag = t2.id;
		assert.equal(await poll(wf), null, 'switching to T2 starts from now: its existing application is the past');
		assert.match(wf.nodeData().scope, new RegExp(`tagApplied:${t2.id}`));
	});

	test('an unknown tag name fails the poll with a clear message', async () => {
		const wf = triggerWorkflow({ type: 'keapCrmPollingTrigger', parameters: { event: 'tagApplied', tag: 'No Such Tag' }, store: fx.store });
		await assert.rejects(poll(wf), /Keap has no tag named "No Such Tag"/);
	});
});
