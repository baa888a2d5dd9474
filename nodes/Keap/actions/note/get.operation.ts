import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatNote, noteLocator, noteOutputProperties, resolveNote } from './shared';

const properties: INodeProperties[] = [noteLocator('The note to get: from the list or by its ID (digits)'), ...noteOutputProperties];

const displayOptions = { show: { resource: ['note'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(this, items.length, async (i) => await formatNote(this, session, i, await resolveNote(this, session, i)), 4);
}
