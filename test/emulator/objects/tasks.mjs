// Tasks (v2): create, get, list (filters contact_id, has_due_date, is_completed, user_id (or
// UNASSIGNED), opportunity_id, task_ids, priority, since_time/until_time, id, title, custom fields
// by name), PATCH with update_mask (completing a task is `completed: true`: the documents have
// no complete route), delete; the task model and its custom fields (shared with notes).
//
// Canonical task: { id, title, description, type, priority, completed, completion_time (ms) | null,
//   due_time (ms) | null, remind_time_mins, user_id (assigned) | null, contact_id | null,
//   opportunity_id | null, accepted, custom: {<fieldId>: value}, created_by, last_updated_by,
//   create_time, update_time (ms) }
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, prefixText, idEquals, idCompare, idList,
	boolEquals, timeBound, customFieldFilter, customValuesIn, customValuesOut, bodyId, checkUser, checkContactRef,
	dateTimeIn, byId, fieldsIn, touchedBy, clean, iso, isoOrNull, idStr, seedContact, emit, EQ,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { NOTE_TYPES } from './notes.mjs';
import { clone } from '../util.mjs';

export const config = {
	/** Allowed task `type` values (the documents give none; also what the v1 application configuration lists). */
	taskTypes: NOTE_TYPES,
	/** A task needs a non-empty title (REST v1 requires one; the v2 document requires only assigned_to_user_id). */
	taskTitleRequired: true,
	/** What the since_time/until_time task filters compare: 'update_time' or 'due_time' (undocumented). */
	taskTimeFilterField: 'update_time',
};

const event = (s, key, id) => emit(s, key, 'task', id, `/crm/rest/v1/tasks/${id}`);

const RECORD = 'TASK_NOTE_APPOINTMENT';
const PRIORITIES = ['CRITICAL', 'ESSENTIAL', 'NONESSENTIAL'];
const READ_ONLY = ['id', 'last_updated_by_user_id'];

export const store = {
	reset(s) {
		s.tasks = new Map();
		s.nextId.task = 9001;
	},
	snapshot(s) {
		return {
			tasks: [...s.tasks.values()].map((t) => ({
				...clone(t), create_time: iso(t.create_time), update_time: iso(t.update_time), due_time: isoOrNull(t.due_time), completion_time: isoOrNull(t.completion_time),
			})),
		};
	},
	onContactDeleted(s, contactId, config) {
		if (config.contactDeleteCascade === false) return;
		for (const t of [...s.tasks.values()]) if (t.contact_id === contactId) s.tasks.delete(t.id);
	},
};

export function taskOut(s, t, fields = []) {
	const out = clean({
		id: String(t.id), title: t.title, description: t.description, type: t.type, priority: t.priority, completed: t.completed,
		create_time: iso(t.create_time), modification_time: iso(t.update_time), completion_time: isoOrNull(t.completion_time),
		due_time: isoOrNull(t.due_time), remind_time_mins: t.remind_time_mins, assigned_to_user_id: idStr(t.user_id),
		created_by_user_id: idStr(t.created_by), last_updated_by_user_id: idStr(t.last_updated_by),
		contact_id: idStr(t.contact_id), opportunity_id: idStr(t.opportunity_id), accepted: t.accepted,
		custom_fields: customValuesOut(fieldsOf(s, RECORD), t.custom),
	});
	if (!fields.includes('custom_fields')) delete out.custom_fields;
	return out;
}

function fromBody(ctx, body, touched) {
	const s = ctx.store;
	const set = {};
	for (const k of ['title', 'description', 'type', 'priority', 'remind_time_mins']) if (touched(k)) set[k] = body[k] ?? null;
	for (const k of ['completed', 'accepted']) if (touched(k)) set[k] = body[k] === true;
	for (const k of ['due_time', 'completion_time']) if (touched(k)) set[k] = dateTimeIn(body[k], k) ?? null;
	if (touched('assigned_to_user_id')) set.user_id = checkUser(ctx, bodyId(body.assigned_to_user_id, 'assigned_to_user_id') ?? null, 'assigned_to_user_id');
	if (touched('contact_id')) set.contact_id = checkContactRef(ctx, bodyId(body.contact_id, 'contact_id') ?? null, 'contact_id');
	if (touched('opportunity_id')) {
		const id = bodyId(body.opportunity_id, 'opportunity_id') ?? null;
		if (id !== null && !s.opportunities.has(id)) throw new RequestError(`opportunity_id ${id}: opportunity not found`, 400);
		set.opportunity_id = id;
	}
	if (touched('custom_fields')) set.custom = customValuesIn(fieldsOf(s, RECORD), body.custom_fields);
	return set;
}

/** Task rules after a write: title, type, and completion consistent with `completed`. */
function settle(ctx, t, set) {
	const cfg = ctx.emu.config;
	if (cfg.taskTitleRequired !== false && !(t.title ?? '').trim()) throw new RequestError('title is required', 400);
	if (t.type != null && t.type !== '' && !cfg.taskTypes.includes(t.type)) throw new RequestError(`type must be one of: ${cfg.taskTypes.join(', ')}`, 400);
	if (t.completed) {
		if (t.completion_time == null) t.completion_time = ctx.store.clock.now();
	} else {
		if (set.completion_time != null) throw new RequestError('completion_time needs completed: true', 400);
		t.completion_time = null;
	}
}

export function createTask(ctx, body, { silent = false } = {}) {
	const s = ctx.store;
	const set = fromBody(ctx, body, (k) => k in body);
	if (set.user_id == null) throw new RequestError('assigned_to_user_id is required', 400);
	const t = {
		id: 0, title: null, description: null, type: null, priority: null, completed: false, completion_time: null, due_time: null,
		remind_time_mins: null, user_id: null, contact_id: null, opportunity_id: null, accepted: false, custom: {}, ...set,
	};
	settle(ctx, t, set);
	t.id = s.nextId.task++;
	t.created_by = t.last_updated_by = ctx.cred?.userId ?? 1;
	t.create_time = t.update_time = s.stamp();
	s.tasks.set(t.id, t);
	if (!silent) event(s, 'task.add', t.id);
	return t;
}

function taskFilter(ctx, field) {
	const timeField = ctx.emu.config.taskTimeFilterField === 'due_time' ? 'due_time' : 'update_time';
	switch (field) {
		case 'contact_id': return idEquals((t) => t.contact_id);
		case 'has_due_date': return boolEquals((t) => t.due_time != null);
		case 'is_completed': return boolEquals((t) => t.completed);
		case 'user_id':
			return {
				ops: EQ,
				check: (v) => {
					if (v !== 'UNASSIGNED' && !/^\d+$/.test(v)) throw new RequestError(`Invalid filter value for user_id: ${v}`, 400);
				},
				test: (t, v) => (v === 'UNASSIGNED' ? t.user_id == null : t.user_id === Number(v)),
			};
		case 'opportunity_id': return idEquals((t) => t.opportunity_id);
		case 'task_ids': return idList((t) => t.id);
		case 'priority':
			return {
				ops: EQ,
				check: (v) => {
					if (!PRIORITIES.includes(v)) throw new RequestError(`Invalid filter value for priority: ${v} (one of ${PRIORITIES.join(', ')})`, 400);
				},
				test: (t, v) => t.priority === v,
			};
		case 'since_time': return timeBound((t) => t[timeField], 'since');
		case 'until_time': return timeBound((t) => t[timeField], 'until');
		case 'id': return idCompare((t) => t.id);
		case 'title': return prefixText((t) => t.title);
	}
	return customFieldFilter(fieldsOf(ctx.store, RECORD), field, (t) => t.custom);
}

const taskOr404 = (ctx) => byId(ctx.store.tasks, ctx.params, 'task_id', 'Task');

export const v2Routes = [
	...modelRoutes({ base: '/tasks', record: RECORD, records: (s) => [...s.notes.values(), ...s.tasks.values()], optional: ['custom_fields'], wrapCreate: true }),
	{
		method: 'GET', path: '/tasks',
		handler: (ctx) => {
			const fields = fieldsIn(ctx, ['custom_fields']);
			const clauses = filterClauses(ctx, (f) => taskFilter(ctx, f));
			const items = applyFilter([...ctx.store.tasks.values()], clauses);
			items.sort(orderBy(ctx, { id: (t) => t.id, create_time: (t) => t.create_time, due_time: (t) => t.due_time, update_time: (t) => t.update_time }) ?? compareBy((t) => t.id, false));
			return { status: 200, body: page(ctx, items.map((t) => taskOut(ctx.store, t, fields)), 'tasks') };
		},
	},
	{
		method: 'POST', path: '/tasks',
		handler: (ctx) => {
			const fields = fieldsIn(ctx, ['custom_fields']);
			return { status: 201, body: taskOut(ctx.store, createTask(ctx, ctx.body ?? {}), fields) };
		},
	},
	{ method: 'GET', path: '/tasks/{task_id}', handler: (ctx) => ({ status: 200, body: taskOut(ctx.store, taskOr404(ctx), fieldsIn(ctx, ['custom_fields'])) }) },
	{
		method: 'PATCH', path: '/tasks/{task_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const fields = fieldsIn(ctx, ['custom_fields']);
			const cur = taskOr404(ctx);
			const body = ctx.body ?? {};
			const set = fromBody(ctx, body, touchedBy(ctx, body, READ_ONLY));
			const next = { ...clone(cur), ...set };
			settle(ctx, next, set);
			next.last_updated_by = ctx.cred.userId;
			next.update_time = s.stamp();
			s.tasks.set(next.id, next);
			event(s, 'task.edit', next.id);
			return { status: 200, body: taskOut(s, next, fields) };
		},
	},
	{
		method: 'DELETE', path: '/tasks/{task_id}',
		handler: (ctx) => {
			const t = taskOr404(ctx);
			ctx.store.tasks.delete(t.id);
			event(ctx.store, 'task.delete', t.id);
			return { status: 204 };
		},
	},
];

// ---- seed ------------------------------------------------------------------------------------
/** `tasks: [{ contact?: email | id, <CreateTaskRequest body> }]`. */
export function seed(ctx, src) {
	if (!src.tasks?.length) return {};
	const ids = [];
	for (const raw of src.tasks) {
		const { contact, ...body } = raw;
		if (contact !== undefined) body.contact_id = String(seedContact(ctx.store, contact).id);
		ids.push(createTask(ctx, body, { silent: true }).id);
	}
	return { tasks: ids };
}

/** Demo tasks: open and completed, past and future due dates, both active users. */
export function demo(base) {
	const email = (i) => base.contacts?.[i]?.email_addresses[0].email;
	return {
		tasks: [
			{ contact: email(0), assigned_to_user_id: '1', title: 'Send proposal', type: 'Email', priority: 'ESSENTIAL', due_time: '2030-02-01T17:00:00.000Z', remind_time_mins: 60 },
			{ contact: email(1), assigned_to_user_id: '3', title: 'Call back', type: 'Call', priority: 'CRITICAL', due_time: '2024-06-03T15:00:00.000Z' },
			{ contact: email(1), assigned_to_user_id: '3', title: 'Intro call', type: 'Call', completed: true, completion_time: '2024-05-20T18:30:00.000Z', due_time: '2024-05-20T18:00:00.000Z' },
			{ contact: email(2), assigned_to_user_id: '1', title: 'Schedule site visit', type: 'Appointment', priority: 'NONESSENTIAL', custom_fields: [{ id: '26', content: 'Reached' }] },
			{ contact: email(4), assigned_to_user_id: '1', title: 'Renewal reminder', type: 'Other', due_time: '2030-05-01T09:00:00.000Z', accepted: true },
			{ assigned_to_user_id: '3', title: 'Prepare quarterly report', type: 'Other', due_time: '2030-03-31T23:00:00.000Z' },
		],
	};
}
