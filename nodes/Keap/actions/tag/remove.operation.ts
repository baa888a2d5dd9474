import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { tagContacts, tagTargetProperties } from './shared';

const properties: INodeProperties[] = tagTargetProperties('remove');

const displayOptions = { show: { resource: ['tag'], operation: ['remove'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await tagContacts(this, items.length, session, 'remove', () => false);
}
