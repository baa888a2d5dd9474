/**
 * Move to Stage: Keap's v2 has no move route, so this is the PATCH Keap documents for updates,
 * of `stage_id` alone. Keap records the stage move (its stage move history) itself.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import {
	formatOpportunity,
	notFound,
	opportunities,
	opportunityIdOf,
	opportunityLocator,
	opportunityOutputProperties,
	stageIdOf,
	stageLocator,
} from './shared';

const properties: INodeProperties[] = [
	opportunityLocator(),
	{ ...stageLocator(), description: 'The stage to move the opportunity to: from the list, by ID (digits) or by name (e.g. Won)' },
	...opportunityOutputProperties,
];

const displayOptions = { show: { resource: ['opportunity'], operation: ['moveToStage'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = opportunityIdOf(this, i);
			const stage_id = await stageIdOf(session, this.getNodeParameter('stage', i), 'Stage');
			const moved = await opportunities(session).update(id, { stage_id }, i);
			if (!moved) throw notFound(this, i, id);
			return await formatOpportunity(this, session, i, moved);
		},
		4,
	);
}
