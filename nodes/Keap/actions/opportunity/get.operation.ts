import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatOpportunity, notFound, opportunities, opportunityIdOf, opportunityLocator, opportunityOutputProperties } from './shared';

const properties: INodeProperties[] = [opportunityLocator(), ...opportunityOutputProperties];

const displayOptions = { show: { resource: ['opportunity'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = opportunityIdOf(this, i);
			const found = await opportunities(session).get(id, i);
			if (!found) throw notFound(this, i, id);
			return await formatOpportunity(this, session, i, found);
		},
		4,
	);
}
