// Keap CRM node, Note resource (notes on contacts), run by n8n-core's engine against the emulator
// (REST v2; the note types from v1's application configuration) with request validation on.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { callMethod } from './editor-methods.mjs';
import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
let ada;
let bob;
let templates;
beforeAll(async () => {
	fx = await keapFixture({ limits: false });
	const seeded = fx.emu.seed({
		contacts: [
			{ email_addresses: [{ email: email('ada'), field: 'EMAIL1' }], given_name: 'Ada' },
			{ email_addresses: [{ email: email('bob'), field: 'EMAIL1' }], given_name: 'Bob' },
		],
		noteTemplates: [
			{ title: 'Post-Sale Follow-up', description: 'Follow up within 24 hours of purchase', action_type: 'Call', assignment_user_id: 3 },
			{ title: 'Quote Sent', description: 'Record that a quote went out', action_type: 'Email', assignment_user_id: 1 },
		],
	});
	[ada, bob] = seeded.contacts.map(String);
	templates = seeded.noteTemplates.map(String);
});
afterAll(async () => {
	const rejects = fx.emu.counters().validationRejects ?? 0;
	await fx.close();
	assert.equal(rejects, 0, 'the emulator rejected a request as invalid');
});

const note = (params, items, options) => fx.keap({ resource: 'note', ...params }, items, options);
const id = (value) => ({ __rl: true, mode: 'id', value });
const user = (value) => ({ __rl: true, mode: 'list', value });

async function createNote(contact, extra = {}) {
	const [n] = jsonOf(await note({ operation: 'create', contact: id(contact), user: user('1'), title: 'Call', ...extra }));
	return n;
}

describe('note: create, get, update, delete', () => {
	test('a note with type, pin and custom fields by name; found by its ID alone', async () => {
		const created = await createNote(ada, {
			title: 'Intro call',
			text: 'Interested in the spring package.',
			additionalFields: { type: 'Call', is_pinned: true },
			customFields: { mappingMode: 'defineBelow', value: { 'Call Outcome': 'reached', 28: 'yes' } },
		});
		assert.match(created.id, /^\d+$/);
		assert.equal(created.contact_id, ada);
		assert.equal(created.type, 'Call');
		assert.equal(created.user_id, '1');
		assert.equal(created.user_name, 'Avery Admin');
		assert.equal(created.pinned, true);
		assert.deepEqual(created.custom_fields, { 'Call Outcome': 'Reached', 'Follow Up': true });

		const [got] = jsonOf(await note({ operation: 'get', note: id(created.id) }));
		assert.deepEqual(got, created);
		const [simple] = jsonOf(await note({ operation: 'get', note: { __rl: true, mode: 'list', value: created.id }, output: 'simplified' }));
		assert.deepEqual(Object.keys(simple).sort(), ['contact_id', 'id', 'pinned', 'text', 'title', 'type', 'update_time', 'user_id']);

		const [updated] = jsonOf(
			await note({
				operation: 'update',
				note: id(created.id),
				updateFields: { text: 'Left a voicemail.', is_pinned: false, user_id: user('3') },
				customFields: { mappingMode: 'defineBelow', value: { 'Call Outcome': 'Voicemail' } },
			}),
		);
		assert.equal(updated.text, 'Left a voicemail.');
		assert.equal(updated.title, 'Intro call', 'the title is kept');
		assert.equal(updated.pinned, false);
		assert.equal(updated.user_id, '3');
		assert.deepEqual(updated.custom_fields, { 'Call Outcome': 'Voicemail', 'Follow Up': true }, 'Follow Up is kept');

		const [moved] = jsonOf(await note({ operation: 'update', note: id(created.id), updateFields: { contact_id: bob } }));
		assert.equal(moved.contact_id, bob);
		assert.equal(moved.user_id, '3', 'the assigned user travels with every update, unchanged');

		assert.deepEqual(jsonOf(await note({ operation: 'delete', note: id(created.id) })), [{ deleted: true }]);
		const gone = await note({ operation: 'get', note: id(created.id) });
		assert.match(gone.error?.message ?? '', new RegExp(`no note with ID ${created.id}`));
	});

	test('a template fills what the item leaves empty', async () => {
		const [n] = jsonOf(
			await note({ operation: 'create', contact: id(ada), user: { __rl: true, mode: 'list', value: '' }, additionalFields: { template: templates[0] } }),
		);
		assert.equal(n.title, 'Post-Sale Follow-up');
		assert.equal(n.type, 'Call');
		assert.equal(n.text, 'Follow up within 24 hours of purchase');
		assert.equal(n.user_id, '3');
		const [own] = jsonOf(await note({ operation: 'create', contact: id(ada), user: user('1'), title: 'Mine', additionalFields: { template: templates[1] } }));
		assert.equal(own.title, 'Mine');
		assert.equal(own.type, 'Email');
		assert.equal(own.user_id, '1');
	});

	test('bad input fails before anything is written, naming the item and the field', async () => {
		const before = fx.calls();
		const cases = [
			[{ contact: id(ada), user: user('1'), title: '' }, /^Item 0, Title: Keap needs a title or a type/],
			[{ contact: id(ada), user: user(''), title: 'x' }, /^Item 0, Assigned User: Keap needs the user/],
			[{ contact: id(ada), user: user('me'), title: 'x' }, /^Item 0, Assigned User: "me" is not a Keap ID/],
			[{ contact: id('={{ "x" }}'), user: user('1'), title: 'x' }, /^Item 0, Contact: "x" is not a Keap ID/],
		];
		for (const [params, message] of cases) {
			const res = await note({ operation: 'create', ...params });
			assert.match(res.error?.message ?? '', message);
		}
		assert.equal(fx.calls(), before, 'nothing reached Keap');
		const bad = await note({ operation: 'create', contact: id(ada), user: user('1'), title: 'x', customFields: { mappingMode: 'defineBelow', value: { 'Follow Up': 'perhaps' } } });
		assert.match(bad.error?.message ?? '', /Custom Fields > Follow Up: "perhaps" is not yes\/no/);
	});

	test('continue on fail: a missing contact, a missing note and a good one, paired', async () => {
		const res = await note(
			{ operation: 'create', contact: id('={{ $json.c }}'), user: user('1'), title: '={{ $json.t }}' },
			[
				{ c: ada, t: 'ok' },
				{ c: '999999', t: 'no contact' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1]);
		assert.equal(res.items[0].json.title, 'ok');
		assert.match(res.items[1].json.error, /no such record/i);
		const del = await note({ operation: 'delete', note: id('={{ $json.n }}') }, [{ n: res.items[0].json.id }, { n: '999999' }, { n: 'x' }], {
			continueOnFail: true,
		});
		assert.deepEqual(del.items.map((i) => i.json.deleted ?? i.json.error), [true, 'Keap has no note with ID 999999', del.items[2].json.error]);
		assert.match(del.items[2].json.error, /^Item 2, Note: "x" is not a Keap ID/);
	});
});

describe('note: get many', () => {
	test('one contact’s notes, or across contacts; filters, sort, Limit', async () => {
		const a1 = await createNote(ada, { title: 'Follow-up one' });
		const a2 = await createNote(ada, { title: 'Other', user: user('3') });
		const b1 = await createNote(bob, { title: 'Follow-up two' });
		const ofAda = jsonOf(await note({ operation: 'getAll', scope: 'contact', contact: id(ada), returnAll: true }));
		assert.ok(ofAda.every((n) => n.contact_id === ada));
		assert.ok([a1.id, a2.id].every((x) => ofAda.some((n) => n.id === x)));
		assert.ok(!ofAda.some((n) => n.id === b1.id));

		const follow = jsonOf(await note({ operation: 'getAll', scope: 'all', returnAll: true, filters: { title: 'Follow-up*' } }));
		assert.deepEqual(follow.map((n) => n.id).filter((x) => [a1.id, b1.id, a2.id].includes(x)), [a1.id, b1.id]);
		const contains = jsonOf(await note({ operation: 'getAll', scope: 'all', returnAll: true, filters: { title: 'two' } }));
		assert.ok(contains.some((n) => n.id === b1.id) && !contains.some((n) => n.id === a1.id), 'a bare title matches anywhere');
		const bySam = jsonOf(await note({ operation: 'getAll', scope: 'contact', contact: id(ada), returnAll: true, filters: { assigned_to_user_id: user('3') } }));
		assert.ok(bySam.some((n) => n.id === a2.id) && bySam.every((n) => n.user_id === '3' && n.contact_id === ada));
		assert.ok(!bySam.some((n) => n.id === a1.id));
		const since = jsonOf(await note({ operation: 'getAll', scope: 'all', returnAll: true, filters: { updated_since: a2.update_time } }));
		assert.ok(!since.some((n) => n.id === a1.id) && since.some((n) => n.id === b1.id));
		const newest = jsonOf(await note({ operation: 'getAll', scope: 'all', returnAll: false, limit: 2, sort: { order_by: 'id', order_direction: 'desc' } }));
		assert.equal(newest.length, 2);
		assert.ok(Number(newest[0].id) > Number(newest[1].id));

		const missing = await note({ operation: 'getAll', scope: 'contact', contact: id('999999'), returnAll: true });
		assert.match(missing.error?.message ?? '', /no contact with ID 999999/);
		const bad = await note({ operation: 'getAll', scope: 'all', returnAll: true, filters: { title: '*x' } });
		assert.match(bad.error?.message ?? '', /^Item 0, Filters > Title: a \* may only end/);
	});
});

describe('note: the editor', () => {
	test('note types (the app’s list), templates, the note search and the custom field mapper', async () => {
		const types = await callMethod(fx.emu.url, 'loadOptions', 'getNoteTypes');
		assert.deepEqual(types.map((t) => t.value), ['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other']);
		fx.emu.setConfig({ noteTypes: ['Call', 'Visit'] });
		assert.deepEqual((await callMethod(fx.emu.url, 'loadOptions', 'getNoteTypes')).map((t) => t.value), ['Call', 'Visit'], 'a Classic app’s own types');
		const visit = await createNote(ada, { title: '', additionalFields: { type: 'Visit' } });
		assert.equal(visit.type, 'Visit');
		fx.emu.setConfig({ noteTypes: ['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other'] });

		const tpl = await callMethod(fx.emu.url, 'loadOptions', 'getNoteTemplates');
		assert.deepEqual(tpl.map((t) => [t.name, t.value]), [['Post-Sale Follow-up', templates[0]], ['Quote Sent', templates[1]]]);

		const marked = await createNote(bob, { title: 'Searchable zebra note' });
		const found = await callMethod(fx.emu.url, 'listSearch', 'searchNotes', {}, 'zebra');
		assert.deepEqual(found.results, [{ name: `Searchable zebra note (contact ${bob})`, value: marked.id }]);
		const recent = await callMethod(fx.emu.url, 'listSearch', 'searchNotes', {}, '');
		assert.equal(recent.results[0].value, marked.id, 'the newest note first');

		const { fields } = await callMethod(fx.emu.url, 'resourceMapping', 'getNoteCustomFieldColumns');
		assert.deepEqual(fields.map((f) => [f.displayName, f.type]), [['Call Outcome', 'options'], ['Follow Up', 'boolean']]);
	});
});
