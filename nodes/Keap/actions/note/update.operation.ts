import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestNotes } from '../../transport/rest/notes';
import { customFieldsProperty } from '../common/customFields';
import { runPerItem } from '../common/items';
import { noteUpdateOptions, readNoteFields } from './fields';
import { formatNote, noteLocator, noteOutputProperties, resolveNote } from './shared';

const properties: INodeProperties[] = [
	noteLocator('The note to update: from the list or by its ID (digits)'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: noteUpdateOptions,
	},
	customFieldsProperty('getNoteCustomFieldColumns', 'note and task'),
	...noteOutputProperties,
];

const displayOptions = { show: { resource: ['note'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const notes = new RestNotes(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const input = await readNoteFields(this, session, i, this.getNodeParameter('updateFields', i, {}) as IDataObject);
		const current = await resolveNote(this, session, i);
		if (!Object.keys(input).length) return await formatNote(this, session, i, current);
		if (!current.value.user_id && !input.user_id) {
			throw new InputError('Assigned User', 'the note has no assigned user and Keap needs one in every update: set Assigned User');
		}
		const updated = await notes.update(current.value, input, i);
		if (!updated) throw new NodeOperationError(this.getNode(), `Keap has no note with ID ${current.value.id}`, { itemIndex: i });
		return await formatNote(this, session, i, updated);
	});
}
