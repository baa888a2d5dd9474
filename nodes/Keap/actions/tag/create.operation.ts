import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatTag, tagOutputProperties } from './output';

const properties: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', description: 'Name of the new tag' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Category ID', name: 'category_id', type: 'string', default: '' },
		],
	},
	...tagOutputProperties,
];

const displayOptions = { show: { resource: ['tag'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(this, items.length, async (i) => {
		const name = (this.getNodeParameter('name', i) as string).trim();
		if (!name) throw new InputError('Name', 'a tag needs a name');
		if (name.length > 255) throw new InputError('Name', 'Keap keeps at most 255 characters of a tag name');
		const extra = this.getNodeParameter('additionalFields', i, {}) as { description?: string; category_id?: string };
		const tag = await session.client.tags.create(
			{
				name,
				description: extra.description || undefined,
				category_id: extra.category_id ? checkId('Category ID', extra.category_id) : undefined,
			},
			i,
		);
		return await formatTag(this, i, tag);
	});
}
