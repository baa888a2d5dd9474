import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { tagContacts, tagTargetProperties } from './shared';

const properties: INodeProperties[] = [
	...tagTargetProperties('apply'),
	{
		displayName: 'Create Missing Tags',
		name: 'createMissing',
		type: 'boolean',
		default: false,
		description: 'Whether to create a tag given by name that does not exist in Keap yet (otherwise the item fails)',
	},
];

const displayOptions = { show: { resource: ['tag'], operation: ['apply'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await tagContacts(this, items.length, session, 'apply', (i) => this.getNodeParameter('createMissing', i, false) as boolean);
}
