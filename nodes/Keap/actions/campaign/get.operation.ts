import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestCampaigns } from '../../transport/rest/automations';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { campaignLocator, campaignOutputProperties, formatCampaign, includeSequencesProperty, withSequences } from './shared';

const properties: INodeProperties[] = [campaignLocator, includeSequencesProperty, ...campaignOutputProperties];

const displayOptions = { show: { resource: ['campaign'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const campaigns = new RestCampaigns(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'campaign', 'Campaign');
			const campaign = await campaigns.get(id, i);
			if (!campaign) throw notFound(this, 'campaign', id, i);
			const include = this.getNodeParameter('includeSequences', i, true) as boolean;
			return await formatCampaign(this, i, await withSequences(campaigns, campaign, include, i));
		},
		2,
	);
}
