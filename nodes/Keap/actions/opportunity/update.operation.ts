import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { customFieldsProperty } from '../common/recordCustomFields';
import { opportunityFieldOptions, readOpportunityFields } from './fields';
import { formatOpportunity, notFound, opportunities, opportunityIdOf, opportunityLocator, opportunityOutputProperties } from './shared';

const properties: INodeProperties[] = [
	opportunityLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields set here change; the opportunity keeps the others',
		options: opportunityFieldOptions(true),
	},
	customFieldsProperty('getOpportunityCustomFieldColumns', 'opportunity'),
	...opportunityOutputProperties,
];

const displayOptions = { show: { resource: ['opportunity'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = opportunityIdOf(this, i);
			const input = await readOpportunityFields(this, session, i, 'updateFields');
			if (Object.keys(input).length === 0) throw new InputError('Update Fields', 'set at least one field to change');
			const updated = await opportunities(session).update(id, input, i);
			if (!updated) throw notFound(this, i, id);
			return await formatOpportunity(this, session, i, updated);
		},
		4,
	);
}
