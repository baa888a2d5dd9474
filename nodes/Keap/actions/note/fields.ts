/** The note fields Create and Update share, and reading them into a checked NoteInput. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NoteInput } from '../../model/note';
import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { readCustomFieldValues } from '../common/customFields';
import { locatorValue } from '../common/locator';
import { resolveUserRef, userLocator } from '../common/user';
import { noteCustomFields } from './shared';

export const noteTypeProperty: INodeProperties = {
	displayName: 'Type Name or ID',
	name: 'type',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getNoteTypes' },
	default: '',
	description:
		'Kind of note, from your Keap app’s note types (e.g. Call, Email, Appointment). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const pinnedProperty: INodeProperties = {
	displayName: 'Pinned',
	name: 'is_pinned',
	type: 'boolean',
	default: false,
	description: 'Whether the note is pinned to the top of the contact’s notes',
};

/** The fields of Update Fields (Create has its own top-level title, text and user). */
export const noteUpdateOptions: INodeProperties[] = [
	userLocator('user_id', 'Assigned User', 'The Keap user the note is assigned to'),
	{
		displayName: 'Move to Contact ID',
		name: 'contact_id',
		type: 'string',
		default: '',
		placeholder: '1001',
		description: 'ID (digits) of another contact to move the note to',
	},
	pinnedProperty,
	{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'The body of the note' },
	{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The title of the note' },
	noteTypeProperty,
];

/** Reads a note fields collection of item i (text, title, type, user, pin, contact) and the custom fields. */
export async function readNoteFields(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	fields: IDataObject,
): Promise<NoteInput> {
	const input: NoteInput = {};
	for (const key of ['title', 'text', 'type'] as const) {
		const v = fields[key];
		if (v !== undefined && v !== null && String(v).trim() !== '') input[key] = key === 'text' ? String(v) : String(v).trim();
	}
	if (input.title && input.title.length > 255) throw new InputError('Title', 'Keap keeps at most 255 characters of a note title');
	if (fields.is_pinned !== undefined) input.is_pinned = fields.is_pinned === true;
	const user = await resolveUserRef(ctx, session, fields.user_id, 'Assigned User', i);
	if (user) input.user_id = user;
	const contact = locatorValue(fields.contact_id).value;
	if (contact) input.contact_id = checkId('Move to Contact ID', contact);
	const custom = await readCustomFieldValues(ctx, i, () => noteCustomFields(session), 'note');
	if (custom) input.custom_fields = custom;
	return input;
}
