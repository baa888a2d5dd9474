import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { sequenceContacts, sequenceProperties } from './sequenceContacts';

const displayOptions = { show: { resource: ['campaign'], operation: ['removeFromSequence'] } };

export const description = updateDisplayOptions(displayOptions, sequenceProperties('remove'));

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await sequenceContacts(this, items, session, 'remove');
}
