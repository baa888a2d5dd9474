import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatSubscription, subscriptionContext, subscriptionLocator, subscriptionOutputProperties } from './shared';

const properties: INodeProperties[] = [subscriptionLocator, ...subscriptionOutputProperties];

const displayOptions = { show: { resource: ['subscription'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { subscriptions, model } = subscriptionContext(session);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'subscription', 'Subscription');
			const found = await subscriptions.get(id, i);
			if (!found) throw notFound(this, 'subscription', id, i);
			return await formatSubscription(this, i, found, model);
		},
		4,
	);
}
