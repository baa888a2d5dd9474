/**
 * Notes on contacts over REST v2: one contact's notes (`/contacts/{contact_id}/notes`, create,
 * get, PATCH with update_mask, delete) and all notes (`GET /notes`, also used to find a note by
 * id alone: v2 addresses a note through its contact); note templates (`GET /notes/templates`).
 * REST v1 only for the note types: v2 has no list of them, and v1's application configuration
 * (`GET /setting/application/configuration`, `note.appointment_types`) is where Keap keeps them.
 */
import type { IDataObject } from 'n8n-workflow';

import { text, type Page, type WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { DEFAULT_NOTE_TYPES, type Note, type NoteInput, type NoteQuery, type NoteTemplate } from '../../model/note';
import { nextPageToken, RestClient, V1, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { RestObjectModels } from './objectModels';

/** Optional note properties the reads ask for. */
const NOTE_FIELDS = 'custom_fields';

function noteFromV2(raw: IDataObject): Note {
	const user = raw.assigned_to_user as IDataObject | undefined;
	const userName = [text(user?.given_name), text(user?.family_name)].filter(Boolean).join(' ');
	return {
		id: String(raw.id),
		contact_id: text(raw.contact_id),
		title: text(raw.title),
		text: text(raw.text),
		type: text(raw.type),
		user_id: text(user?.id),
		user_name: userName || null,
		pinned: Boolean(text(raw.pinned_at)),
		pinned_at: text(raw.pinned_at),
		custom_fields: ((raw.custom_fields as IDataObject[] | undefined) ?? [])
			.filter((c) => c.content !== undefined && c.content !== null && c.content !== '')
			.map((c) => ({ id: String(c.id), content: c.content as string | number | boolean })),
		created_by_user_id: text(raw.created_by_user_id),
		last_updated_by_user_id: text(raw.last_updated_by_user_id),
		create_time: text(raw.create_time),
		update_time: text(raw.update_time),
	};
}

const withRaw = (raw: IDataObject): WithRaw<Note> => ({ value: noteFromV2(raw), raw });

function noteBody(input: NoteInput): IDataObject {
	const body: IDataObject = {};
	for (const k of ['title', 'text', 'type', 'user_id', 'contact_id'] as const) if (input[k] !== undefined) body[k] = input[k];
	if (input.is_pinned !== undefined) body.is_pinned = input.is_pinned;
	if (input.custom_fields) body.custom_fields = input.custom_fields.map((c) => ({ id: c.id, content: c.content }));
	return body;
}

const notePath = (contactId: string, noteId?: string) =>
	`${V2}/contacts/${encodeURIComponent(contactId)}/notes${noteId === undefined ? '' : `/${encodeURIComponent(noteId)}`}`;

export class RestNotes {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	/** A page of notes: one contact's (null when Keap has no such contact) or everyone's. */
	async list(query: NoteQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Note>> | null> {
		const qs: IDataObject = { fields: NOTE_FIELDS, page_size: Math.min(pageSize, V2_MAX_PAGE_SIZE) };
		const filter = v2Filter([
			['title', query.title],
			['assigned_to_user_id', query.assigned_to_user_id],
			['since_time', query.updated_since],
			['until_time', query.updated_until],
		]);
		if (filter) qs.filter = filter;
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const path = query.contact_id ? notePath(query.contact_id) : `${V2}/notes`;
		const res = await this.rest.json('GET', path, { qs, acceptStatus: query.contact_id ? [404] : [], itemIndex });
		if (res.status === 404) return null;
		return { items: ((res.body.notes as IDataObject[]) ?? []).map(withRaw), next: nextPageToken(res.body) };
	}

	/** A note by its id alone (with its contact id); null when Keap has none. */
	async find(noteId: string, itemIndex?: number): Promise<WithRaw<Note> | null> {
		const res = await this.rest.json('GET', `${V2}/notes`, {
			qs: { filter: v2Filter([['id', noteId]]), fields: NOTE_FIELDS, page_size: 1 },
			itemIndex,
		});
		const raw = ((res.body.notes as IDataObject[]) ?? [])[0];
		return raw ? withRaw(raw) : null;
	}

	/** null when Keap has no such note on this contact. */
	async get(contactId: string, noteId: string, itemIndex?: number): Promise<WithRaw<Note> | null> {
		const res = await this.rest.json('GET', notePath(contactId, noteId), { qs: { fields: NOTE_FIELDS }, acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	async create(contactId: string, input: NoteInput, itemIndex?: number): Promise<WithRaw<Note>> {
		const res = await this.rest.json('POST', notePath(contactId), { qs: { fields: NOTE_FIELDS }, body: noteBody(input), itemIndex });
		return withRaw(res.body);
	}

	/**
	 * A PATCH of what the input names (update_mask). Keap requires `user_id` in every update
	 * body, so the note's current user is sent when the input keeps it; custom fields are laid
	 * over the current values (Keap replaces the list it is sent).
	 */
	async update(current: Note, input: NoteInput, itemIndex?: number): Promise<WithRaw<Note> | null> {
		const changes: NoteInput = { ...input };
		if (input.custom_fields) {
			const byId = new Map(current.custom_fields.map((c) => [c.id, c]));
			for (const c of input.custom_fields) byId.set(c.id, c);
			changes.custom_fields = [...byId.values()];
		}
		const body = noteBody(changes);
		const updateMask = Object.keys(body);
		if (body.user_id === undefined && current.user_id) body.user_id = current.user_id;
		const res = await this.rest.json('PATCH', notePath(current.contact_id ?? '', current.id), {
			qs: { update_mask: updateMask, fields: NOTE_FIELDS },
			body,
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when there was no such note on this contact. */
	async delete(contactId: string, noteId: string, itemIndex?: number): Promise<boolean> {
		const res = await this.rest.json('DELETE', notePath(contactId, noteId), { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	async templates(): Promise<NoteTemplate[]> {
		const rows = await this.rest.allPages(`${V2}/notes/templates`, 'note_templates');
		return rows.map((t) => ({
			id: String(t.id),
			title: String(t.title ?? t.id),
			description: text(t.description),
			action_type: text(t.action_type),
			assignment_user_id: text(t.assignment_user_id),
		}));
	}

	/** The app's note types (v1 application configuration); Keap Max/Pro's list when it names none. */
	async types(): Promise<string[]> {
		const res = await this.rest.json('GET', `${V1}/setting/application/configuration`);
		const note = res.body.note as IDataObject | undefined;
		const types = String(note?.appointment_types ?? '')
			.split(',')
			.map((t) => t.trim())
			.filter(Boolean);
		return types.length ? types : DEFAULT_NOTE_TYPES;
	}

	/** The custom fields notes (and tasks) share. */
	async customFields(): Promise<CustomFieldDefinition[]> {
		return await new RestObjectModels(this.rest).fields('note');
	}
}
