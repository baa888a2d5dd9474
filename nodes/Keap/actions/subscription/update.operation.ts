import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import {
	formatSubscription,
	subscriptionContext,
	subscriptionCustomFields,
	subscriptionFieldOptions,
	subscriptionFieldsFrom,
	subscriptionLocator,
	subscriptionOutputProperties,
} from './shared';

const properties: INodeProperties[] = [
	subscriptionLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change; the others keep their values. To stop a subscription use Deactivate.',
		options: subscriptionFieldOptions('update'),
	},
	subscriptionCustomFields,
	...subscriptionOutputProperties,
];

const displayOptions = { show: { resource: ['subscription'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { subscriptions, model } = subscriptionContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const id = locatorId(this, i, 'subscription', 'Subscription');
		const fields = await subscriptionFieldsFrom(this, i, 'updateFields', model);
		if (!Object.keys(fields).length) throw new InputError('Update Fields', 'add at least one field to change');
		const updated = await subscriptions.update(id, fields, i);
		if (!updated) throw notFound(this, 'subscription', id, i);
		return await formatSubscription(this, i, updated, model);
	});
}
