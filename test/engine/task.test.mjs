// Keap CRM node, Task resource, run by n8n-core's engine against the emulator (REST v2, the demo
// data set), with the emulator's OpenAPI request validation on: a request Keap would reject
// fails here. Also the editor methods the task parameters use (task search, task types, task
// custom field columns, the Assigned To user search).
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './methods-harness.mjs';

const OLIVIA = { id: '1001', email: 'olivia.garcia@example.com' };

let fx;
/** Requests a test makes Keap refuse on purpose (every other request must pass validation). */
let expectedRejects = 0;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
});
afterAll(async () => {
	assert.equal(fx.emu.counters().validationRejects ?? 0, expectedRejects, 'the emulator rejected a request as invalid');
	await fx.close();
});

const task = (params, items, options) => fx.keap({ resource: 'task', ...params }, items, options);
const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const stored = (id) => fx.emu.store.tasks.get(Number(id));
const method = (kind, name, args = [], parameters = {}) =>
	runNodeMethod({ kind, method: name, args, parameters: { resource: 'task', ...parameters }, store: fx.newStore() });
/** Requests the emulator logged since `mark` (an index into its log). */
const since = (mark) => fx.emu.log().slice(mark);

async function createTask(extra = {}) {
	const [out] = jsonOf(
		await task({
			operation: 'create',
			title: extra.title ?? 'Engine task',
			assignedTo: { __rl: true, mode: 'list', value: '1' },
			additionalFields: extra.additionalFields ?? {},
			customFields: extra.customFields ?? { mappingMode: 'defineBelow', value: null },
		}),
	);
	return out;
}

describe('task: create', () => {
	test('for a contact (by email), assigned to a user, with due date, priority, type, reminder and custom fields', async () => {
		const out = await createTask({
			title: 'Call about renewal',
			additionalFields: {
				contact: { __rl: true, mode: 'email', value: OLIVIA.email },
				due_time: '2031-01-15T16:00:00.000Z',
				priority: 'CRITICAL',
				type: 'Call',
				remind_time_mins: 60,
				description: 'Ask about the second site',
			},
			customFields: { mappingMode: 'defineBelow', value: { 26: 'voicemail', 28: true } },
		});
		assert.match(out.id, /^\d+$/);
		assert.equal(out.title, 'Call about renewal');
		assert.equal(out.contact_id, OLIVIA.id);
		assert.equal(out.assigned_to_user_id, '1');
		assert.equal(out.due_time, '2031-01-15T16:00:00.000Z');
		assert.equal(out.priority, 'CRITICAL');
		assert.equal(out.remind_time_mins, 60);
		assert.equal(out.completed, false);
		assert.deepEqual(out.custom_fields, { 'Call Outcome': 'Voicemail', 'Follow Up': true }, 'by label, the option by its label');
		const t = stored(out.id);
		assert.equal(t.type, 'Call');
		assert.equal(t.user_id, 1);
		assert.equal(t.description, 'Ask about the second site');
	});

	test('bad input is rejected before any call, naming the item and the field', async () => {
		const mark = fx.calls();
		const blank = await task({ operation: 'create', title: '  ', assignedTo: byId('1') });
		assert.match(blank.error?.message ?? '', /^Item 0, Title: is required/);
		// An expression's value is not checked by the editor's By ID pattern: the node checks it.
		const user = await task({ operation: 'create', title: 'x', assignedTo: byId('={{ "sam" }}') });
		assert.match(user.error?.message ?? '', /^Item 0, Assigned To: "sam" is not a Keap ID/);
		const due = await task({ operation: 'create', title: 'x', assignedTo: byId('1'), additionalFields: { due_time: 'next week' } });
		assert.match(due.error?.message ?? '', /^Item 0, Due Time: "next week" is not a valid date and time/);
		const remind = await task({ operation: 'create', title: 'x', assignedTo: byId('1'), additionalFields: { remind_time_mins: 7 } });
		assert.match(remind.error?.message ?? '', /^Item 0, Reminder: 7 is not one of 5, 10/);
		assert.equal(fx.calls(), mark, 'nothing reached Keap');
		const logMark = fx.emu.log().length;
		const custom = await task({
			operation: 'create',
			title: 'x',
			assignedTo: byId('1'),
			customFields: { mappingMode: 'defineBelow', value: { 26: 'Maybe', Mood: 'good' } },
		});
		assert.match(custom.error?.message ?? '', /^Item 0, Custom Fields > Call Outcome: "Maybe" is not one of the options: Reached, Voicemail, No Answer/);
		const unknown = await task({ operation: 'create', title: 'x', assignedTo: byId('1'), customFields: { value: { Mood: 'good' } } });
		assert.match(unknown.error?.message ?? '', /^Item 0, Custom Fields > Mood: Keap has no task custom field "Mood" \(the task fields are: Call Outcome, Follow Up\)/);
		assert.deepEqual(
			since(logMark).map((e) => `${e.method} ${e.path}`),
			['GET /crm/rest/v2/tasks/model', 'GET /crm/rest/v2/tasks/model'],
			'only the model was read: no task was sent',
		);
	});

	test('continue on fail: one output or error item per input item, paired', async () => {
		const res = await task(
			{ operation: 'create', title: '={{ $json.title }}', assignedTo: { __rl: true, mode: 'id', value: '={{ $json.user }}' } },
			[{ title: 'First', user: '1' }, { title: 'Second', user: 'nobody' }, { title: 'Third', user: '3' }],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 3);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2]);
		assert.equal(res.items[0].json.title, 'First');
		assert.match(res.items[1].json.error, /^Item 1, Assigned To: "nobody" is not a Keap ID/);
		assert.equal(res.items[2].json.assigned_to_user_id, '3');
	});

	test('an inactive assignee: Keap’s 400 becomes the item’s error, the others go through', async () => {
		const res = await task(
			{ operation: 'create', title: 'Inactive?', assignedTo: { __rl: true, mode: 'id', value: '={{ $json.user }}' } },
			[{ user: '5' }, { user: '1' }],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 2);
		assert.match(res.items[0].json.error, /^Keap rejected the request as invalid: assigned_to_user_id/);
		assert.equal(res.items[1].json.assigned_to_user_id, '1');
		expectedRejects += 1; // Keap's refusal is the point of this test
	});
});

describe('task: get, update, complete, delete', () => {
	test('get: All Fields, Simplified, Selected Fields and Raw', async () => {
		const created = await createTask({ title: 'Get me', additionalFields: { priority: 'ESSENTIAL' } });
		const get = (output, extra = {}) => task({ operation: 'get', task: byId(created.id), output, ...extra });
		const [all] = jsonOf(await get('normalized'));
		assert.equal(all.id, created.id);
		assert.equal(all.title, 'Get me');
		assert.ok(all.create_time && all.update_time);
		const [simple] = jsonOf(await get('simplified'));
		assert.deepEqual(Object.keys(simple).sort(), ['assigned_to_user_id', 'completed', 'id', 'priority', 'title']);
		const [picked] = jsonOf(await get('selected', { selectedFields: 'title, priority' }));
		assert.deepEqual(picked, { title: 'Get me', priority: 'ESSENTIAL' });
		const [raw] = jsonOf(await get('raw'));
		assert.equal(raw.modification_time, all.update_time, 'Raw is Keap’s own record');
		const missing = await task({ operation: 'get', task: byId('999999') });
		assert.equal(missing.error?.message, 'Keap has no task with ID 999999');
	});

	test('update changes only the fields set, and one custom field keeps the others', async () => {
		const created = await createTask({
			title: 'Before',
			additionalFields: { due_time: '2031-02-01T10:00:00Z', type: 'Email' },
			customFields: { mappingMode: 'defineBelow', value: { 26: 'Reached' } },
		});
		const mark = fx.emu.log().length;
		const [out] = jsonOf(
			await task({
				operation: 'update',
				task: { __rl: true, mode: 'list', value: created.id },
				updateFields: { title: 'After', assignedTo: byId('3'), opportunity: byId('11001') },
				customFields: { mappingMode: 'defineBelow', value: { 'Follow Up': false } },
			}),
		);
		assert.equal(out.title, 'After');
		assert.equal(out.assigned_to_user_id, '3');
		assert.equal(out.opportunity_id, '11001');
		assert.equal(out.due_time, '2031-02-01T10:00:00.000Z', 'the due time stayed');
		assert.deepEqual(out.custom_fields, { 'Call Outcome': 'Reached', 'Follow Up': false }, 'Call Outcome was kept');
		const patch = since(mark).find((e) => e.method === 'PATCH');
		assert.deepEqual([...patch.query.update_mask].sort(), ['assigned_to_user_id', 'custom_fields', 'opportunity_id', 'title']);
		const none = await task({ operation: 'update', task: byId(created.id), updateFields: {} });
		assert.match(none.error?.message ?? '', /^Item 0, Update Fields: set at least one field/);
		const missing = await task({ operation: 'update', task: byId('999999'), updateFields: { title: 'x' } });
		assert.equal(missing.error?.message, 'Keap has no task with ID 999999');
	});

	test('complete is a PATCH of completed (v2 has no complete route); update can reopen', async () => {
		const created = await createTask({ title: 'Finish me' });
		const mark = fx.emu.log().length;
		const [done] = jsonOf(await task({ operation: 'complete', task: byId(created.id), completionTime: '2031-03-01T12:00:00Z' }));
		assert.equal(done.completed, true);
		assert.equal(done.completion_time, '2031-03-01T12:00:00.000Z');
		const calls = since(mark).filter((e) => e.path.startsWith('/crm/rest/v2/tasks/9'));
		assert.deepEqual(calls.map((e) => `${e.method} ${e.path}`), [`PATCH /crm/rest/v2/tasks/${created.id}`], 'one call for the task');
		assert.deepEqual([...calls[0].query.update_mask].sort(), ['completed', 'completion_time']);
		const [now] = jsonOf(await task({ operation: 'complete', task: byId(created.id) }));
		assert.ok(Math.abs(Date.parse(now.completion_time) - Date.now()) < 60_000, 'without a time: now');
		const [open] = jsonOf(await task({ operation: 'update', task: byId(created.id), updateFields: { completed: false } }));
		assert.equal(open.completed, false);
		assert.equal(open.completion_time, null);
	});

	test('delete answers { deleted: true }; a second delete is an error naming the task', async () => {
		const created = await createTask({ title: 'Delete me' });
		const out = jsonOf(await task({ operation: 'delete', task: byId(created.id) }));
		assert.deepEqual(out, [{ deleted: true }]);
		assert.equal(stored(created.id), undefined);
		const again = await task({ operation: 'delete', task: byId(created.id) }, [{}, {}], { continueOnFail: true });
		assert.deepEqual(again.items.map((i) => i.json.error), [`Keap has no task with ID ${created.id}`, `Keap has no task with ID ${created.id}`]);
	});
});

describe('task: get many', () => {
	const many = async (params) => jsonOf(await task({ operation: 'getAll', returnAll: true, ...params }));

	test('Keap’s filters: contact, assigned user, completion, priority, title, opportunity, unassigned', async () => {
		const olivia = await many({ filters: { contact: { __rl: true, mode: 'email', value: OLIVIA.email } } });
		assert.ok(olivia.length >= 1 && olivia.every((t) => t.contact_id === OLIVIA.id));
		const sam = await many({ filters: { assignedTo: byId('3') } });
		assert.ok(sam.length >= 2 && sam.every((t) => t.assigned_to_user_id === '3'));
		const done = await many({ filters: { completion: 'completed' } });
		assert.ok(done.length >= 1 && done.every((t) => t.completed === true));
		const open = await many({ filters: { completion: 'open', priority: 'CRITICAL' } });
		assert.ok(open.length >= 1 && open.every((t) => !t.completed && t.priority === 'CRITICAL'));
		const titled = await many({ filters: { title: 'renewal*' } });
		assert.deepEqual(titled.map((t) => t.title), ['Renewal reminder']);
		const linked = await createTask({ title: 'Linked', additionalFields: { opportunity: byId('11002') } });
		assert.deepEqual((await many({ filters: { opportunity: byId('11002') } })).map((t) => t.id), [linked.id]);
		fx.emu.store.tasks.get(Number(linked.id)).user_id = null; // v2 lets a PATCH unassign; the node does not
		assert.deepEqual((await many({ filters: { unassigned: true } })).map((t) => t.id), [linked.id]);
		const both = await task({ operation: 'getAll', returnAll: true, filters: { unassigned: true, assignedTo: byId('1') } });
		assert.match(both.error?.message ?? '', /Unassigned Only: cannot be combined with Assigned To/);
	});

	test('limit, sort, and one output item per task', async () => {
		const two = jsonOf(await task({ operation: 'getAll', returnAll: false, limit: 2, sort: { order_by: 'id', order_direction: 'desc' } }));
		assert.equal(two.length, 2);
		assert.ok(Number(two[0].id) > Number(two[1].id));
	});

	for (const field of ['update_time', 'due_time']) {
		test(`due range (taskTimeFilterField ${field}): has_due_date at Keap, the range in the node`, async () => {
			fx.emu.setConfig({ taskTimeFilterField: field });
			try {
				const mark = fx.emu.log().length;
				const due = await many({ filters: { dueAfter: '2030-01-01T00:00:00Z', dueBefore: '2030-04-01T00:00:00Z' } });
				assert.deepEqual(
					due.map((t) => [t.title, t.due_time]),
					[
						['Send proposal', '2030-02-01T17:00:00.000Z'],
						['Prepare quarterly report', '2030-03-31T23:00:00.000Z'],
					],
					'inside the range, by due time',
				);
				const [call] = since(mark);
				assert.equal(call.query.filter, 'has_due_date==true');
				assert.equal(call.query.order_by, 'due_time asc');
				const before = await many({ filters: { dueBefore: '2024-12-31T00:00:00Z' }, sort: { order_by: 'id', order_direction: 'asc' } });
				assert.deepEqual(before.map((t) => t.title), ['Call back', 'Intro call']);
				const after2030 = await many({ filters: { dueAfter: '2030-04-01T00:00:00Z', dueBefore: '2030-12-31T00:00:00Z', completion: 'open' } });
				assert.deepEqual(after2030.map((t) => t.title), ['Renewal reminder']);
			} finally {
				fx.emu.setConfig({ taskTimeFilterField: 'update_time' });
			}
		});
	}

	test('range checks: before is after after, or a due range without due dates', async () => {
		const bad = await task({ operation: 'getAll', returnAll: true, filters: { dueAfter: '2031-01-01T00:00:00Z', dueBefore: '2030-01-01T00:00:00Z' } });
		assert.match(bad.error?.message ?? '', /^Item 0, Filters > Due Before: is earlier than Due After/);
		const noDue = await task({ operation: 'getAll', returnAll: true, filters: { dueAfter: '2031-01-01T00:00:00Z', hasDueDate: false } });
		assert.match(noDue.error?.message ?? '', /^Item 0, Filters > Has Due Date: a due range only matches tasks with a due date/);
	});
});

describe('task: get many past one page', () => {
	let seeded = [];
	beforeAll(() => {
		// 1000 tasks due in 2040: with the demo tasks, more than one page of 1000.
		const tasks = Array.from({ length: 1000 }, (_, n) => ({ assigned_to_user_id: '1', title: `Later ${n}`, due_time: '2040-01-01T00:00:00.000Z' }));
		seeded = fx.emu.seed({ tasks }).tasks;
	});
	afterAll(() => {
		for (const id of seeded) fx.emu.store.tasks.delete(id);
	});

	test('sorted by due time, reading stops at the first page that passes the range', async () => {
		const mark = fx.emu.log().length;
		const early = jsonOf(await task({ operation: 'getAll', returnAll: true, filters: { dueBefore: '2024-12-31T00:00:00Z' } }));
		assert.deepEqual(early.map((t) => t.title), ['Intro call', 'Call back']);
		const pages = () => since(mark).filter((e) => e.path === '/crm/rest/v2/tasks').length;
		assert.equal(pages(), 1, 'one page read');
		const byIdOrder = jsonOf(
			await task({ operation: 'getAll', returnAll: true, filters: { dueBefore: '2024-12-31T00:00:00Z' }, sort: { order_by: 'id' } }),
		);
		assert.deepEqual(byIdOrder.map((t) => t.title), ['Call back', 'Intro call']);
		assert.equal(pages(), 3, 'sorted by ID every page is read (two)');
		const limited = jsonOf(await task({ operation: 'getAll', returnAll: false, limit: 3, filters: { dueAfter: '2039-01-01T00:00:00Z' } }));
		assert.equal(limited.length, 3, 'the limit counts the tasks inside the range');
	});
});

describe('task: editor methods', () => {
	test('searchTasks finds tasks by the beginning of the title', async () => {
		const res = await method('listSearch', 'searchTasks', ['send prop']);
		assert.deepEqual(res.results.map((r) => r.name), ['Send proposal (due 2030-02-01)']);
		assert.equal(res.results[0].value, '9001');
		const all = await method('listSearch', 'searchTasks', ['']);
		assert.ok(all.results.length >= 6);
	});

	test('getTaskTypes lists the account’s task types (REST v1 application configuration)', async () => {
		const types = await method('loadOptions', 'getTaskTypes');
		assert.deepEqual(types.map((t) => t.value), ['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other']);
	});

	test('getTaskCustomFieldColumns types the task custom fields', async () => {
		const { fields } = await method('resourceMapping', 'getTaskCustomFieldColumns');
		assert.deepEqual(
			fields.map((f) => [f.id, f.displayName, f.type]),
			[
				['26', 'Call Outcome', 'options'],
				['28', 'Follow Up', 'boolean'],
			],
		);
		assert.deepEqual(fields[0].options.map((o) => o.value), ['Reached', 'Voicemail', 'No Answer']);
	});

	test('searchAssignableUsers: active users by name or email, at most 100 a page', async () => {
		const mark = fx.emu.log().length;
		const all = await method('listSearch', 'searchAssignableUsers', ['']);
		assert.deepEqual(all.results.map((r) => r.value).sort(), ['1', '3'], 'the inactive user is not offered');
		const sam = await method('listSearch', 'searchAssignableUsers', ['SELLER']);
		assert.deepEqual(sam.results, [{ name: 'Sam Seller <sam.seller@emulator.example>', value: '3' }]);
		const byMail = await method('listSearch', 'searchAssignableUsers', ['avery.admin@']);
		assert.deepEqual(byMail.results.map((r) => r.value), ['1']);
		for (const e of since(mark)) assert.ok(Number(e.query.page_size) <= 100, `page_size ${e.query.page_size}`);
	});
});
