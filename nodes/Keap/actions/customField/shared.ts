/** The Object parameter and output the custom field operations share. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { CustomFieldObject } from '../../model/customFieldInput';
import { formatRecord, outputProperties } from '../common/output';

export const objectProperty: INodeProperties = {
	displayName: 'Object',
	name: 'object',
	type: 'options',
	options: [
		{ name: 'Contact', value: 'contact' },
		{ name: 'Company', value: 'company' },
		{ name: 'Note (and Task)', value: 'note', description: 'Keap keeps one list of custom fields for notes and tasks' },
	],
	default: 'contact',
	description: 'Which kind of Keap record the custom fields belong to',
};

export const objectOf = (ctx: IExecuteFunctions, i: number) => ctx.getNodeParameter('object', i) as CustomFieldObject;

export const customFieldOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'ID, label, type, the name to filter by (field_name), options and group',
	fieldExamples: 'id, label, field_type, options',
});

export async function formatCustomField(ctx: IExecuteFunctions, i: number, field: WithRaw<CustomFieldDefinition & IDataObject>) {
	return await formatRecord(ctx, i, field, { normalized: ({ value }) => ({ ...value }) });
}
