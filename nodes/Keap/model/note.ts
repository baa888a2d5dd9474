/** Notes on Keap contacts, and the note templates of the Keap app. */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';
import type { ContactCustomFieldValue } from './contact';

/** Keap Max/Pro's note types (Classic apps configure their own; the node reads the app's list). */
export const DEFAULT_NOTE_TYPES = ['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other'];

export interface Note {
	id: string;
	contact_id: string | null;
	title: string | null;
	text: string | null;
	type: string | null;
	/** The user the note is assigned to. */
	user_id: string | null;
	user_name: string | null;
	pinned: boolean;
	pinned_at: string | null;
	/** Custom field values by id (notes and tasks share one list of custom fields). */
	custom_fields: ContactCustomFieldValue[];
	created_by_user_id: string | null;
	last_updated_by_user_id: string | null;
	create_time: string | null;
	update_time: string | null;
}

/** What the user wants written; an absent property is not touched. */
export interface NoteInput {
	title?: string;
	text?: string;
	type?: string;
	user_id?: string;
	is_pinned?: boolean;
	custom_fields?: ContactCustomFieldValue[];
	/** Moves the note to another contact (update only). */
	contact_id?: string;
}

export type NoteOrder = 'id' | 'create_time' | 'update_time';

export interface NoteQuery {
	/** One contact's notes; without it, notes across all contacts. */
	contact_id?: string;
	/** Text in the title (a trailing * for a prefix). */
	title?: string;
	assigned_to_user_id?: string;
	/** ISO date-times, inclusive bounds on the last update. */
	updated_since?: string;
	updated_until?: string;
	order_by?: NoteOrder;
	order_direction?: 'asc' | 'desc';
}

export interface NoteTemplate {
	id: string;
	title: string;
	description: string | null;
	/** The note type the template sets. */
	action_type: string | null;
	assignment_user_id: string | null;
}

/** Compact output. */
export function simplifyNote(n: Note): IDataObject {
	return compact({
		id: n.id,
		contact_id: n.contact_id,
		title: n.title,
		type: n.type,
		text: n.text,
		user_id: n.user_id,
		pinned: n.pinned,
		update_time: n.update_time,
	}) as IDataObject;
}
