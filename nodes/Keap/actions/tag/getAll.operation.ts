import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { returnAllOrLimit } from '../common/descriptions';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatTag, tagOutputProperties } from './output';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'End with * to match a prefix' },
			{ displayName: 'Category ID', name: 'category_id', type: 'string', default: '' },
		],
	},
	...tagOutputProperties,
];

const displayOptions = { show: { resource: ['tag'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const filters = this.getNodeParameter('filters', i, {}) as { name?: string; category_id?: string };
		const query = {
			name: filters.name?.trim() || undefined,
			category_id: filters.category_id ? checkId('Filters > Category ID', filters.category_id) : undefined,
		};
		const out: IDataObject[] = [];
		if (query.name?.endsWith('*')) {
			// Keap documents no wildcard for tags: the prefix is matched on this execution's tag list.
			const matches = (await session.tagsStartingWith(query.name.slice(0, -1))).filter(
				({ value }) => !query.category_id || value.category_id === query.category_id,
			);
			for (const tag of matches.slice(0, limit)) out.push(await formatTag(this, i, tag));
			return out;
		}
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(session.client.tags.maxPageSize, limit - out.length) : session.client.tags.maxPageSize;
			const page = await session.client.tags.list(query, size, cursor);
			for (const tag of page.items) {
				if (out.length >= limit) break;
				out.push(await formatTag(this, i, tag));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
