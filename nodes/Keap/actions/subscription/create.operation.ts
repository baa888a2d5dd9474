import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { locatorId } from '../common/commerce';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';
import {
	formatSubscription,
	planLocator,
	subscriptionContext,
	subscriptionCustomFields,
	subscriptionFieldOptions,
	subscriptionFieldsFrom,
	subscriptionOutputProperties,
} from './shared';

const properties: INodeProperties[] = [
	{ ...contactLocator(undefined), description: 'The contact who subscribes' },
	planLocator,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: subscriptionFieldOptions('create'),
	},
	subscriptionCustomFields,
	...subscriptionOutputProperties,
];

const displayOptions = { show: { resource: ['subscription'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { subscriptions, model } = subscriptionContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const planId = locatorId(this, i, 'subscriptionPlan', 'Subscription Plan');
		const fields = await subscriptionFieldsFrom(this, i, 'additionalFields', model);
		const { id: contactId } = await resolveContactId(this, session, i);
		const created = await subscriptions.create({ ...fields, contact_id: contactId, subscription_plan_id: planId }, i);
		return await formatSubscription(this, i, created, model);
	});
}
