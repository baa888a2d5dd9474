// Appointments (REST v1 /appointments only: v2 has none). Keap's hook events appointment.add,
// .edit and .delete name them; the triggers read them one GET at a time (v1's list filters by
// contact and time only). The document's Appointment has no `id` property, so the answers carry
// none (a client knows the id it asked for). Fields: title, start_date and end_date (required,
// date-times), contact_id (a contact), user (an active user), location, description,
// remind_time (one of the document's minute values).
import { RequestError, byId, clean, contactRef, dateTimeIn, emit, iso, userById } from './common.mjs';

const REMIND = [5, 10, 15, 30, 60, 120, 240, 480, 1440, 2880];
const FIELDS = ['title', 'start_date', 'end_date', 'contact_id', 'user', 'location', 'description', 'remind_time'];

const event = (s, key, id) => emit(s, key, 'appointment', id, key.endsWith('.delete') ? '' : `/crm/rest/v1/appointments/${id}`);

function check(ctx, a) {
	for (const f of ['title', 'start_date', 'end_date']) {
		if (a[f] === undefined || a[f] === null || a[f] === '') throw new RequestError(`${f} is required`, 400);
	}
	const start = dateTimeIn(a.start_date, 'start_date');
	const end = dateTimeIn(a.end_date, 'end_date');
	if (end < start) throw new RequestError('end_date must not be before start_date', 400);
	if (a.contact_id !== undefined && a.contact_id !== null) contactRef(ctx.store, a.contact_id);
	if (a.user !== undefined && a.user !== null) userById(ctx, Number(a.user), 'user');
	if (a.remind_time !== undefined && a.remind_time !== null && !REMIND.includes(a.remind_time)) {
		throw new RequestError(`remind_time must be one of ${REMIND.join(', ')}`, 400);
	}
}

function out(a) {
	return clean(Object.fromEntries(FIELDS.map((f) => [f, a[f] ?? null])));
}

function save(ctx, body) {
	const a = Object.fromEntries(FIELDS.map((f) => [f, body[f]]));
	check(ctx, a);
	a.id = ctx.store.nextId.appointment++;
	a.created = ctx.store.stamp();
	ctx.store.appointments.set(a.id, a);
	return a;
}

const appointmentOr404 = (ctx) => byId(ctx.store.appointments, ctx.params, 'appointmentId', 'Appointment');

function update(ctx, whole) {
	const a = appointmentOr404(ctx);
	const next = whole ? Object.fromEntries(FIELDS.map((f) => [f, ctx.body?.[f]])) : { ...a, ...ctx.body };
	check(ctx, next);
	for (const f of FIELDS) a[f] = next[f];
	event(ctx.store, 'appointment.edit', a.id);
	return { status: 200, body: out(a) };
}

export const v1Routes = [
	{
		method: 'GET', path: '/appointments',
		handler: (ctx) => {
			const q = ctx.query;
			const limit = Math.min(Number(q.get('limit') ?? 1000) || 1000, 1000);
			const offset = Number(q.get('offset') ?? 0) || 0;
			let list = [...ctx.store.appointments.values()];
			if (q.get('contact_id')) list = list.filter((a) => String(a.contact_id) === q.get('contact_id'));
			if (q.get('since')) list = list.filter((a) => dateTimeIn(a.start_date, 'start_date') >= dateTimeIn(q.get('since'), 'since'));
			if (q.get('until')) list = list.filter((a) => dateTimeIn(a.start_date, 'start_date') <= dateTimeIn(q.get('until'), 'until'));
			list.sort((x, y) => x.id - y.id);
			return { status: 200, body: { appointments: list.slice(offset, offset + limit).map(out), count: list.length } };
		},
	},
	{
		method: 'POST', path: '/appointments',
		handler: (ctx) => {
			const a = save(ctx, ctx.body ?? {});
			event(ctx.store, 'appointment.add', a.id);
			return { status: 201, body: out(a) };
		},
	},
	{ method: 'GET', path: '/appointments/{appointmentId}', handler: (ctx) => ({ status: 200, body: out(appointmentOr404(ctx)) }) },
	{ method: 'PUT', path: '/appointments/{appointmentId}', handler: (ctx) => update(ctx, true) },
	{ method: 'PATCH', path: '/appointments/{appointmentId}', handler: (ctx) => update(ctx, false) },
	{
		method: 'DELETE', path: '/appointments/{appointmentId}',
		handler: (ctx) => {
			const a = appointmentOr404(ctx);
			ctx.store.appointments.delete(a.id);
			event(ctx.store, 'appointment.delete', a.id);
			return { status: 204 };
		},
	},
];

export const store = {
	reset(s) {
		s.appointments = new Map();
		s.nextId.appointment = 13001;
	},
	snapshot(s) {
		return { appointments: [...s.appointments.values()].map((a) => ({ ...out(a), id: a.id, created: iso(a.created) })) };
	},
	onContactDeleted(s, contactId) {
		for (const a of s.appointments.values()) if (a.contact_id === contactId) a.contact_id = null;
	},
};

/** Seed: appointments: [{ title, start_date, end_date, contact_id?, user?, location?, description?, remind_time? }]. */
export function seed(ctx, src) {
	if (!src.appointments?.length) return {};
	return { appointments: src.appointments.map((body) => save(ctx, body).id) };
}
