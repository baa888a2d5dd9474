import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { affiliateContext, affiliateLocator, affiliateOutputProperties, formatAffiliate } from './shared';

const properties: INodeProperties[] = [affiliateLocator, ...affiliateOutputProperties];

const displayOptions = { show: { resource: ['affiliate'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { affiliates, model } = affiliateContext(session);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'affiliate', 'Affiliate');
			const affiliate = await affiliates.get(id, i);
			if (!affiliate) throw notFound(this, 'affiliate', id, i);
			return await formatAffiliate(this, i, affiliate, model);
		},
		4,
	);
}
