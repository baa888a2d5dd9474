import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { NoteTemplate } from '../../model/note';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestNotes } from '../../transport/rest/notes';
import { contactLocator, resolveContactId } from '../common/contact';
import { customFieldsProperty } from '../common/customFields';
import { runPerItem } from '../common/items';
import { userLocator } from '../common/user';
import { noteTypeProperty, pinnedProperty, readNoteFields } from './fields';
import { formatNote, noteOutputProperties } from './shared';

const properties: INodeProperties[] = [
	{ ...contactLocator(undefined), description: 'The contact the note is about' },
	userLocator('user', 'Assigned User', 'The Keap user the note is assigned to (Keap requires one; the template’s user when empty)'),
	{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The title of the note (Keap needs a title or a type)' },
	{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'The body of the note' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			pinnedProperty,
			{
				displayName: 'Template Name or ID',
				name: 'template',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getNoteTemplates' },
				default: '',
				description:
					'A note template of your Keap app: its title, type, description (as text) and user fill what this item leaves empty. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			noteTypeProperty,
		],
	},
	customFieldsProperty('getNoteCustomFieldColumns', 'note and task'),
	...noteOutputProperties,
];

const displayOptions = { show: { resource: ['note'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const notes = new RestNotes(session.rest);
	let templates: Promise<NoteTemplate[]> | undefined;
	return await runPerItem(this, items.length, async (i) => {
		const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const input = await readNoteFields(this, session, i, {
			title: this.getNodeParameter('title', i, ''),
			text: this.getNodeParameter('text', i, ''),
			type: extra.type,
			is_pinned: extra.is_pinned,
			user_id: this.getNodeParameter('user', i, ''),
		});
		const templateId = String(extra.template ?? '').trim();
		if (templateId) {
			templates ??= notes.templates();
			const template = (await templates).find((t) => t.id === templateId);
			if (!template) throw new InputError('Template', `Keap has no note template with ID ${templateId}`);
			input.title ??= template.title;
			input.type ??= template.action_type ?? undefined;
			input.text ??= template.description ?? undefined;
			input.user_id ??= template.assignment_user_id ?? undefined;
		}
		if (!input.title && !input.type) throw new InputError('Title', 'Keap needs a title or a type for a note');
		if (!input.user_id) throw new InputError('Assigned User', 'Keap needs the user a note is assigned to');
		const { id: contactId } = await resolveContactId(this, session, i);
		return await formatNote(this, session, i, await notes.create(contactId, input, i));
	});
}
