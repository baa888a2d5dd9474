import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkRequiredText } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';
import { customFieldsProperty } from '../common/recordCustomFields';
import { opportunityFieldOptions, readOpportunityFields } from './fields';
import { formatOpportunity, opportunities, opportunityOutputProperties, stageIdOf, stageLocator } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Website redesign',
		description: 'The name of the deal as it appears in Keap’s pipeline',
	},
	{ ...contactLocator(undefined), description: 'The Keap contact the deal is with' },
	stageLocator(),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: opportunityFieldOptions(false),
	},
	customFieldsProperty('getOpportunityCustomFieldColumns', 'opportunity'),
	...opportunityOutputProperties,
];

const displayOptions = { show: { resource: ['opportunity'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			// The required fields first, the cheapest check first.
			const opportunity_title = checkRequiredText('Title', this.getNodeParameter('title', i));
			const stage_id = await stageIdOf(session, this.getNodeParameter('stage', i), 'Stage');
			const contact_id = (await resolveContactId(this, session, i)).id;
			const input = { ...(await readOpportunityFields(this, session, i, 'additionalFields')), opportunity_title, stage_id, contact_id };
			return await formatOpportunity(this, session, i, await opportunities(session).create(input, i));
		},
		4,
	);
}
