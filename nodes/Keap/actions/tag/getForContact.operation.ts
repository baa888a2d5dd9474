import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [
	contactLocator(undefined),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'normalized',
		options: [
			{ name: 'Normalized', value: 'normalized' },
			{ name: 'Raw', value: 'raw' },
		],
	},
];

const displayOptions = { show: { resource: ['tag'], operation: ['getForContact'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(this, items.length, async (i) => {
		const { id } = await resolveContactId(this, session, i);
		const tags = await session.client.tags.listForContact(id, i);
		const raw = this.getNodeParameter('output', i, 'normalized') === 'raw';
		return tags.map((t) => (raw ? t.raw : { ...t.value, contact_id: id }));
	});
}
