// Notes on contacts (v2): create, get, list (one contact's, and all notes), PATCH with update_mask,
// delete; note templates (a list); the note model and its custom fields (shared with tasks).
//
// Canonical note: { id, contact_id, title, text, type, user_id (assigned user), pinned_at (ms) |
//   null, custom: {<fieldId>: value}, created_by, last_updated_by, create_time, update_time (ms) }
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, prefixText, exactText, idEquals, idCompare, idList, timeBound,
	exclusiveFilters, customFieldFilter, customValuesIn, customValuesOut, bodyId, checkUser, byId, fieldsIn, touchedBy,
	clean, iso, isoOrNull, idStr, contactRef, seedContact, emit, ALL_OPS,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { clone } from '../util.mjs';

/** The note types of Keap Max/Pro, as the CreateNoteRequest.type description lists them. */
export const NOTE_TYPES = ['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other'];

export const config = {
	/** Allowed note `type` values (Classic: the admin-configured list); also what the v1 application configuration lists. */
	noteTypes: NOTE_TYPES,
	/** Deleting a contact deletes its notes, tasks and opportunities (silently); false keeps them pointing at the deleted contact. */
	contactDeleteCascade: true,
};

const event = (s, key, id) => emit(s, key, 'note', id, `/crm/rest/v1/notes/${id}`);

const RECORD = 'TASK_NOTE_APPOINTMENT';
const NOTE_OPTIONAL = ['custom_fields'];

export const store = {
	reset(s) {
		s.notes = new Map();
		s.noteTemplates = new Map();
		s.nextId.note = 7001;
		s.nextId.noteTemplate = 61;
	},
	snapshot(s) {
		return {
			notes: [...s.notes.values()].map((n) => ({ ...clone(n), create_time: iso(n.create_time), update_time: iso(n.update_time), pinned_at: isoOrNull(n.pinned_at) })),
			noteTemplates: [...s.noteTemplates.values()].map(clone),
		};
	},
	onContactDeleted(s, contactId, config) {
		if (config.contactDeleteCascade === false) return;
		for (const n of [...s.notes.values()]) if (n.contact_id === contactId) s.notes.delete(n.id);
	},
};

function userOut(s, id) {
	const u = s.users.find((x) => x.id === id);
	if (!u) return id == null ? null : { id: String(id) };
	return { id: String(u.id), given_name: u.given_name, family_name: u.family_name, email_address: u.email };
}

export function noteOut(s, n, fields = []) {
	const out = clean({
		id: String(n.id), text: n.text, title: n.title, type: n.type, contact_id: idStr(n.contact_id),
		assigned_to_user: userOut(s, n.user_id), create_time: iso(n.create_time), update_time: iso(n.update_time),
		last_updated_by_user_id: idStr(n.last_updated_by), pinned_at: isoOrNull(n.pinned_at), created_by_user_id: idStr(n.created_by),
		custom_fields: customValuesOut(fieldsOf(s, RECORD), n.custom),
	});
	if (!fields.includes('custom_fields')) delete out.custom_fields;
	return out;
}

function checkTitleOrType(ctx, n) {
	if (!(n.title ?? '').trim() && !(n.type ?? '').trim()) throw new RequestError('A value for either title or type is required', 400);
	if (n.type != null && n.type !== '' && !ctx.emu.config.noteTypes.includes(n.type)) {
		throw new RequestError(`type must be one of: ${ctx.emu.config.noteTypes.join(', ')}`, 400);
	}
}

/** v2 body -> changes, only the properties `touched` selects. */
function fromBody(ctx, body, touched) {
	const set = {};
	for (const k of ['title', 'text', 'type']) if (touched(k)) set[k] = body[k] ?? null;
	if (touched('user_id')) {
		const id = bodyId(body.user_id, 'user_id');
		if (id == null) throw new RequestError('user_id is required', 400);
		set.user_id = checkUser(ctx, id, 'user_id');
	}
	if (touched('is_pinned')) set.pinned = body.is_pinned === true;
	if (touched('custom_fields')) set.custom = customValuesIn(fieldsOf(ctx.store, RECORD), body.custom_fields);
	if (touched('contact_id')) {
		const id = bodyId(body.contact_id, 'contact_id');
		if (id == null) throw new RequestError('contact_id cannot be cleared', 400);
		set.contact_id = contactRef(ctx.store, id, 'contact_id').id;
	}
	return set;
}

/** is_pinned -> pinned_at: pinning keeps an earlier pin time, unpinning clears it. */
function applyPin(n, set, now) {
	delete n.pinned;
	if ('pinned' in set) n.pinned_at = set.pinned ? (n.pinned_at ?? now) : null;
}

/** Creates a note for a contact from a v2 body (also the seed path). */
export function createNote(ctx, contactId, body, { silent = false } = {}) {
	const s = ctx.store;
	const set = fromBody(ctx, body, (k) => k in body && k !== 'contact_id');
	const n = { id: 0, contact_id: contactId, title: null, text: null, type: null, user_id: null, pinned_at: null, custom: {}, ...set };
	checkTitleOrType(ctx, n);
	n.id = s.nextId.note++;
	n.created_by = n.last_updated_by = ctx.cred?.userId ?? 1;
	n.create_time = n.update_time = s.stamp();
	applyPin(n, set, n.create_time);
	s.notes.set(n.id, n);
	if (!silent) event(s, 'note.add', n.id);
	return n;
}

function noteFilter(ctx, field) {
	switch (field) {
		case 'id': return idCompare((n) => n.id, ALL_OPS);
		case 'ids': return idList((n) => n.id);
		case 'title': return prefixText((n) => n.title, { contains: true });
		case 'contact_id': return idEquals((n) => n.contact_id);
		case 'assigned_to_user_id': return idEquals((n) => n.user_id);
		case 'since_time': return timeBound((n) => n.update_time, 'since');
		case 'until_time': return timeBound((n) => n.update_time, 'until');
	}
	return customFieldFilter(fieldsOf(ctx.store, RECORD), field, (n) => n.custom);
}

function listNotes(ctx, items) {
	const fields = fieldsIn(ctx, NOTE_OPTIONAL);
	const clauses = filterClauses(ctx, (f) => noteFilter(ctx, f));
	exclusiveFilters(clauses, 'id', 'ids');
	const out = applyFilter(items, clauses);
	out.sort(orderBy(ctx, { id: (n) => n.id, create_time: (n) => n.create_time, update_time: (n) => n.update_time }) ?? compareBy((n) => n.id, false));
	return { status: 200, body: page(ctx, out.map((n) => noteOut(ctx.store, n, fields)), 'notes') };
}

function contactOr404(ctx) {
	return byId(ctx.store.contacts, ctx.params, 'contact_id', 'Contact');
}

function noteOr404(ctx) {
	const c = contactOr404(ctx);
	const n = byId(ctx.store.notes, ctx.params, 'note_id', 'Note');
	if (n.contact_id !== c.id) throw new RequestError(`Note ${n.id} not found for contact ${c.id}`, 404);
	return n;
}

function templateOut(t) {
	return clean({
		id: String(t.id), title: t.title, description: t.description, action_type: t.action_type,
		assignment_user_id: t.assignment_user_id, notify_users: (t.notify_users ?? []).map(String),
	});
}

export const v2Routes = [
	...modelRoutes({ base: '/notes', record: RECORD, records: (s) => [...s.notes.values(), ...s.tasks.values()], optional: NOTE_OPTIONAL }),
	{
		method: 'GET', path: '/notes/templates',
		handler: (ctx) => {
			// The v2 document names no filter fields here, let alone a wildcard: exact matches (a * is literal, or a 400 under undocumentedWildcard reject).
			const clauses = filterClauses(ctx, (f) => (f === 'title' ? exactText((t) => t.title) : f === 'action_type' ? exactText((t) => t.action_type) : null));
			const items = applyFilter([...ctx.store.noteTemplates.values()], clauses);
			items.sort(orderBy(ctx, { id: (t) => t.id, title: (t) => t.title }) ?? compareBy((t) => t.id, false));
			return { status: 200, body: page(ctx, items.map(templateOut), 'note_templates') };
		},
	},
	{ method: 'GET', path: '/notes', handler: (ctx) => listNotes(ctx, [...ctx.store.notes.values()]) },
	{
		method: 'GET', path: '/contacts/{contact_id}/notes',
		handler: (ctx) => {
			const c = contactOr404(ctx);
			return listNotes(ctx, [...ctx.store.notes.values()].filter((n) => n.contact_id === c.id));
		},
	},
	{
		method: 'POST', path: '/contacts/{contact_id}/notes',
		handler: (ctx) => {
			const fields = fieldsIn(ctx, NOTE_OPTIONAL);
			return { status: 201, body: noteOut(ctx.store, createNote(ctx, contactOr404(ctx).id, ctx.body ?? {}), fields) };
		},
	},
	{
		method: 'GET', path: '/contacts/{contact_id}/notes/{note_id}',
		handler: (ctx) => ({ status: 200, body: noteOut(ctx.store, noteOr404(ctx), fieldsIn(ctx, NOTE_OPTIONAL)) }),
	},
	{
		method: 'PATCH', path: '/contacts/{contact_id}/notes/{note_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const fields = fieldsIn(ctx, NOTE_OPTIONAL);
			const cur = noteOr404(ctx);
			const body = ctx.body ?? {};
			const set = fromBody(ctx, body, touchedBy(ctx, body));
			const next = { ...clone(cur), ...set };
			checkTitleOrType(ctx, next);
			next.last_updated_by = ctx.cred.userId;
			next.update_time = s.stamp();
			applyPin(next, set, next.update_time);
			s.notes.set(next.id, next);
			event(s, 'note.edit', next.id);
			return { status: 200, body: noteOut(s, next, fields) };
		},
	},
	{
		method: 'DELETE', path: '/contacts/{contact_id}/notes/{note_id}',
		handler: (ctx) => {
			const n = noteOr404(ctx);
			ctx.store.notes.delete(n.id);
			event(ctx.store, 'note.delete', n.id);
			return { status: 204 };
		},
	},
];

// ---- seed ------------------------------------------------------------------------------------
/**
 * `notes: [{ contact: email | id, <CreateNoteRequest body> }]`,
 * `noteTemplates: [{ title, description, action_type, assignment_user_id, notify_users }]`.
 */
export function seed(ctx, src) {
	const s = ctx.store;
	const out = {};
	for (const raw of src.notes ?? []) {
		const { contact, ...body } = raw;
		(out.notes ??= []).push(createNote(ctx, seedContact(s, contact).id, body, { silent: true }).id);
	}
	for (const t of src.noteTemplates ?? []) {
		const id = s.nextId.noteTemplate++;
		s.noteTemplates.set(id, { id, title: t.title, description: t.description ?? null, action_type: t.action_type ?? null, assignment_user_id: t.assignment_user_id ?? null, notify_users: t.notify_users ?? [] });
		(out.noteTemplates ??= []).push(id);
	}
	return out;
}

/** Demo notes on the first demo contacts, and two note templates. */
export function demo(base) {
	const email = (i) => base.contacts?.[i]?.email_addresses[0].email;
	return {
		notes: [
			{ contact: email(0), user_id: '1', type: 'Call', title: 'Intro call', text: 'Interested in the spring package.', is_pinned: true },
			{ contact: email(0), user_id: '3', type: 'Email', title: 'Sent brochure', text: 'Emailed the PDF brochure.' },
			{ contact: email(1), user_id: '3', type: 'Call', title: 'Follow-up call', text: 'Left a voicemail.', custom_fields: [{ id: '26', content: 'Voicemail' }] },
			{ contact: email(2), user_id: '1', type: 'Appointment', title: 'On-site visit', text: 'Measured the office.' },
			{ contact: email(3), user_id: '1', type: 'Other', title: 'Referral', text: 'Referred by Olivia.' },
			{ contact: email(5), user_id: '3', title: 'Follow-up meeting', text: 'Discussed renewal.', custom_fields: [{ id: '28', content: true }] },
		],
		noteTemplates: [
			{ title: 'Post-Sale Follow-up', description: 'Follow up within 24 hours of purchase', action_type: 'Call', assignment_user_id: 1, notify_users: ['1'] },
			{ title: 'Quote Sent', description: 'Record that a quote went out', action_type: 'Email', assignment_user_id: 3, notify_users: [] },
		],
	};
}
