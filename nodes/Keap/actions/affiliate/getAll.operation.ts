import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AffiliateQuery } from '../../model/affiliate';
import type { KeapSession } from '../../transport';
import { collect, contactFilter, contactFilterId, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { affiliateContext, affiliateOutputProperties, formatAffiliate } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				default: '',
				description: 'The affiliate code, exactly',
			},
			{ ...contactFilter, description: 'Only the affiliate of this contact' },
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The affiliate name, exactly; end with * to match names that start with the text',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'ACTIVE' },
					{ name: 'Inactive', value: 'INACTIVE' },
				],
				default: 'ACTIVE',
				description: 'Only active or only inactive affiliates',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'by',
				type: 'options',
				options: [
					{ name: 'Code', value: 'code' },
					{ name: 'Created', value: 'date_created' },
					{ name: 'ID', value: 'id' },
					{ name: 'Name', value: 'name' },
					{ name: 'Status', value: 'status' },
				],
				default: 'id',
				description: 'The field to sort by',
			},
			directionOption('asc'),
		],
	},
	...affiliateOutputProperties,
];

const displayOptions = { show: { resource: ['affiliate'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { affiliates, model } = affiliateContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as { code?: string; name?: string; status?: string; contact?: unknown };
		const sort = this.getNodeParameter('sort', i, {}) as { by?: AffiliateQuery['order_by']; direction?: 'asc' | 'desc' };
		const query: AffiliateQuery = {
			code: optionalText(filters.code),
			name: optionalText(filters.name),
			status: optionalText(filters.status),
			contact_id: await contactFilterId(this, session, i, filters.contact, 'Filters > Contact'),
			order_by: sort.by ?? (sort.direction ? 'id' : undefined),
			order_direction: sort.direction,
		};
		const found = await collect(limitOf(this, i), affiliates.maxPageSize, async (size, cursor) => await affiliates.list(query, size, cursor, i));
		return await Promise.all(found.map(async (a) => await formatAffiliate(this, i, a, model)));
	});
}
