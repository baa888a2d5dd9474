/** Get Many opportunities: every filter here is one of Keap's v2 listing, applied by Keap. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OpportunityQuery } from '../../model/opportunity';
import { checkId, checkNumber, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorValue, userLocator } from '../common/assignee';
import { contactLocator } from '../common/contact';
import { contactIdOf } from '../common/contactRef';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatOpportunity, opportunities, opportunityOutputProperties, stageIdOf, stageLocator } from './shared';

const prefix = 'end with * to match the beginning';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			userLocator('assignedTo', 'Assigned To', 'Only opportunities assigned to this Keap user'),
			{ ...contactLocator(undefined), required: false, description: 'Only opportunities with this Keap contact' },
			{ displayName: 'Contact City', name: 'contact_city', type: 'string', default: '', description: `The contact’s city; ${prefix}` },
			{
				displayName: 'Contact State',
				name: 'contact_state',
				type: 'string',
				default: '',
				description: `The contact’s state or region; ${prefix}`,
			},
			{ displayName: 'Lead Source', name: 'lead_source_name', type: 'string', default: '', description: `Lead source name; ${prefix}` },
			{
				displayName: 'Projected Revenue High At Least',
				name: 'projected_revenue_high_min',
				type: 'number',
				default: 0,
				description: 'Only opportunities whose high revenue estimate is at least this amount',
			},
			{
				displayName: 'Projected Revenue Low At Most',
				name: 'projected_revenue_low_max',
				type: 'number',
				default: 0,
				description: 'Only opportunities whose low revenue estimate is at most this amount',
			},
			{ ...stageLocator('stage', false), description: 'Only opportunities in this pipeline stage' },
			{ displayName: 'Title', name: 'opportunity_title', type: 'string', default: '', placeholder: 'Deal*', description: `The title; ${prefix}` },
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
				displayName: 'Order By',
				name: 'order_by',
				type: 'options',
				options: [
					{ name: 'Contact Name', value: 'contact_name' },
					{ name: 'Created', value: 'created_time' },
					{ name: 'Next Action Time', value: 'next_action_time' },
					{ name: 'Title', value: 'opportunity_title' },
					{ name: 'Updated', value: 'update_time' },
				],
				default: 'created_time',
			},
			{
				displayName: 'Direction',
				name: 'order_direction',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'asc',
			},
		],
	},
	...opportunityOutputProperties,
];

const displayOptions = { show: { resource: ['opportunity'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const TEXT_FILTERS = [
	['opportunity_title', 'Title'],
	['lead_source_name', 'Lead Source'],
	['contact_city', 'Contact City'],
	['contact_state', 'Contact State'],
] as const;

async function readQuery(ctx: IExecuteFunctions, session: KeapSession, i: number): Promise<OpportunityQuery> {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', i, {}) as IDataObject;
	const query: OpportunityQuery = {};
	const assigned = locatorValue(filters.assignedTo).value;
	if (assigned) query.user_id = checkId('Filters > Assigned To', assigned);
	const contact = locatorValue(filters.contact);
	if (contact.value) query.contact_id = await contactIdOf(ctx, session, i, contact, 'Filters > Contact');
	if (locatorValue(filters.stage).value) query.stage_id = await stageIdOf(session, filters.stage, 'Filters > Stage');
	for (const [key, label] of TEXT_FILTERS) {
		const value = String(filters[key] ?? '').trim();
		if (!value) continue;
		if (value.slice(0, -1).includes('*')) throw new InputError(`Filters > ${label}`, 'a * may only end the value');
		query[key] = value;
	}
	if (filters.projected_revenue_high_min !== undefined) {
		query.projected_revenue_high_min = checkNumber('Filters > Projected Revenue High At Least', filters.projected_revenue_high_min);
	}
	if (filters.projected_revenue_low_max !== undefined) {
		query.projected_revenue_low_max = checkNumber('Filters > Projected Revenue Low At Most', filters.projected_revenue_low_max);
	}
	if (sort.order_by) query.order_by = sort.order_by as OpportunityQuery['order_by'];
	if (sort.order_direction) query.order_direction = sort.order_direction as OpportunityQuery['order_direction'];
	return query;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const client = opportunities(session);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const query = await readQuery(this, session, i);
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(client.maxPageSize, limit - out.length) : client.maxPageSize;
			const page = await client.list(query, size, cursor, i);
			for (const record of page.items) {
				if (out.length >= limit) break;
				out.push(await formatOpportunity(this, session, i, record));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
