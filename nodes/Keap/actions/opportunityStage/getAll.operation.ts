/** Get Many pipeline stages, in pipeline order (Keap's v2 stage listing). */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatRecord, outputProperties } from '../common/output';
import { opportunities } from '../opportunity/shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name Starts With',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Qual',
				description: 'Only stages whose name begins with this text (case-insensitive)',
			},
		],
	},
	...outputProperties({
		allFields: 'ID, name, pipeline order, win probability, target days, checklist and dates',
		fieldExamples: 'id, name, order, probability',
	}),
];

const displayOptions = { show: { resource: ['opportunityStage'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const client = opportunities(session);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const name = String(filters.name ?? '').trim();
		if (name.includes('*')) throw new InputError('Filters > Name Starts With', 'give the beginning of the name without *');
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(client.maxPageSize, limit - out.length) : client.maxPageSize;
			const page = await client.listStages(name || undefined, size, cursor, i);
			for (const stage of page.items) {
				if (out.length >= limit) break;
				out.push(await formatRecord(this, i, stage, { normalized: ({ value }) => ({ ...value }) as unknown as IDataObject }));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
