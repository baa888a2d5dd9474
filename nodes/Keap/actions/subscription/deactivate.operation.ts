import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { locatorId, notFound, optionalText } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatSubscription, subscriptionContext, subscriptionLocator, subscriptionOutputProperties } from './shared';

const properties: INodeProperties[] = [
	subscriptionLocator,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'Customer asked to cancel',
		description: 'Why the subscription stops (kept by Keap as the reason stopped)',
	},
	...subscriptionOutputProperties,
];

const displayOptions = { show: { resource: ['subscription'], operation: ['deactivate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { subscriptions, model } = subscriptionContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const id = locatorId(this, i, 'subscription', 'Subscription');
		if (!(await subscriptions.deactivate(id, optionalText(this.getNodeParameter('reason', i, '')), i))) {
			throw notFound(this, 'subscription', id, i);
		}
		// Keap answers the deactivation without a body: read the subscription as it is now.
		const found = await subscriptions.get(id, i);
		if (!found) throw notFound(this, 'subscription', id, i);
		return await formatSubscription(this, i, found, model);
	});
}
