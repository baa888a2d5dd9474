import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { SubscriptionQuery } from '../../model/subscription';
import { checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { collect, contactFilter, contactFilterId, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatSubscription, subscriptionContext, subscriptionOutputProperties } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ ...contactFilter, description: 'Only subscriptions of this contact' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'Active' },
					{ name: 'Inactive', value: 'Inactive' },
				],
				default: 'Active',
				description: 'Only active or only deactivated subscriptions',
			},
			{
				displayName: 'Subscription Plan ID',
				name: 'planId',
				type: 'string',
				default: '',
				description: 'Only subscriptions on this plan: its ID (digits)',
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
					{ name: 'Contact ID', value: 'contact_id' },
					{ name: 'ID', value: 'id' },
					{ name: 'Last Modified', value: 'modification_time' },
					{ name: 'Subscription Plan ID', value: 'subscription_plan_id' },
				],
				default: 'id',
				description: 'The field to sort by',
			},
			directionOption('asc'),
		],
	},
	...subscriptionOutputProperties,
];

const displayOptions = { show: { resource: ['subscription'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { subscriptions, model } = subscriptionContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const f = this.getNodeParameter('filters', i, {}) as IDataObject;
		const sort = this.getNodeParameter('sort', i, {}) as { by?: SubscriptionQuery['order_by']; direction?: 'asc' | 'desc' };
		const plan = optionalText(f.planId);
		const query: SubscriptionQuery = {
			contact_id: await contactFilterId(this, session, i, f.contact, 'Filters > Contact'),
			subscription_plan_id: plan ? checkId('Filters > Subscription Plan ID', plan) : undefined,
			status: f.status as SubscriptionQuery['status'],
			order_by: sort.by ?? (sort.direction ? 'id' : undefined),
			order_direction: sort.direction,
		};
		const found = await collect(
			limitOf(this, i),
			subscriptions.maxPageSize,
			async (size, cursor) => await subscriptions.list(query, size, cursor, i),
		);
		return await Promise.all(found.map(async (s) => await formatSubscription(this, i, s, model)));
	});
}
