import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestCampaigns } from '../../transport/rest/automations';
import { optionalText } from '../common/commerce';
import { contactIdsOf } from '../common/contactBatches';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [
	{
		displayName: 'Integration',
		name: 'integration',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'myapp',
		description: 'The integration name of the API goal, exactly as set in the campaign builder',
	},
	{
		displayName: 'Call Name',
		name: 'callName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'signup',
		description: 'The call name of the API goal, exactly as set in the campaign builder',
	},
	{
		displayName: 'Contact IDs',
		name: 'contactIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1001, 1002',
		description: 'The contacts who achieve the goal: one or more contact IDs, comma-separated or a list from an expression (Keap takes one contact per call)',
	},
];

const displayOptions = { show: { resource: ['campaign'], operation: ['achieveGoal'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const campaigns = new RestCampaigns(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const integration = optionalText(this.getNodeParameter('integration', i));
		if (!integration) throw new InputError('Integration', 'an API goal needs its integration name');
		const callName = optionalText(this.getNodeParameter('callName', i));
		if (!callName) throw new InputError('Call Name', 'an API goal needs its call name');
		const contactIds = contactIdsOf('Contact IDs', this.getNodeParameter('contactIds', i));
		const results = [];
		for (const contactId of contactIds) {
			const goals = await campaigns.achieveGoal(integration, callName, contactId, i);
			results.push({ contact_id: contactId, achieved: goals.some((g) => g.success !== false), goals });
		}
		return { integration, call_name: callName, contact_ids: contactIds, results };
	});
}
