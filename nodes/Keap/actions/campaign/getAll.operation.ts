import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CampaignQuery } from '../../model/automation';
import type { KeapSession } from '../../transport';
import { RestCampaigns } from '../../transport/rest/automations';
import { collect, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { campaignOutputProperties, formatCampaign, includeSequencesProperty, withSequences } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'List',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'Campaigns',
				value: 'campaigns',
				description: 'Keap’s campaign list: published flag, active and completed contact counts',
			},
			{
				name: 'Automations',
				value: 'automations',
				description: 'Keap’s automation list (the same records): status and categories',
			},
		],
		default: 'campaigns',
		description: 'Which of Keap’s two lists to read; both hold the same campaigns with the same IDs',
	},
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Text anywhere in the name; end with * to match names that start with the text',
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
					{ name: 'Name', value: 'name' },
					{ name: 'Published Date', value: 'published' },
					{ name: 'Active Contacts', value: 'active' },
				],
				default: 'name',
				description: 'The field to sort by',
			},
			directionOption('asc'),
		],
	},
	includeSequencesProperty,
	...campaignOutputProperties,
];

const displayOptions = { show: { resource: ['campaign'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Each list's own name for a sort field (Keap's documents). */
const SORTS: Record<string, Record<string, string>> = {
	campaigns: { name: 'name', published: 'publisheddate', active: 'activeContacts' },
	automations: { name: 'name', published: 'publishedDate', active: 'activeContacts' },
};

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const campaigns = new RestCampaigns(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const source = this.getNodeParameter('source', i) as 'campaigns' | 'automations';
		const filters = this.getNodeParameter('filters', i, {}) as { name?: string };
		const sort = this.getNodeParameter('sort', i, {}) as { by?: string; direction?: 'asc' | 'desc' };
		const by = sort.by ?? (sort.direction ? 'name' : undefined);
		const query: CampaignQuery = {
			name: optionalText(filters.name),
			order_by: by ? SORTS[source][by] : undefined,
			order_direction: sort.direction,
		};
		const list = source === 'automations' ? campaigns.listAutomations.bind(campaigns) : campaigns.listCampaigns.bind(campaigns);
		const pageSize = source === 'automations' ? campaigns.automationsMaxPageSize : campaigns.maxPageSize;
		const found = await collect(limitOf(this, i), pageSize, async (size, cursor) => await list(query, size, cursor, i));
		const include = this.getNodeParameter('includeSequences', i, true) as boolean;
		const out = [];
		for (const c of found) out.push(await formatCampaign(this, i, await withSequences(campaigns, c, include, i)));
		return out;
	});
}
