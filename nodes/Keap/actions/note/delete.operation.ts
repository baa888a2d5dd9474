import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestNotes } from '../../transport/rest/notes';
import { runPerItem } from '../common/items';
import { noteLocator, resolveNote } from './shared';

const properties: INodeProperties[] = [noteLocator('The note to delete: from the list or by its ID (digits)')];

const displayOptions = { show: { resource: ['note'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const notes = new RestNotes(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const { value: note } = await resolveNote(this, session, i);
			if (!(await notes.delete(note.contact_id ?? '', note.id, i))) {
				throw new NodeOperationError(this.getNode(), `Keap has no note with ID ${note.id}`, { itemIndex: i });
			}
			return { deleted: true };
		},
		4,
	);
}
