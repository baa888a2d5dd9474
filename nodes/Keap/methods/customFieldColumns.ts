/** Custom field definitions as the resource mapper's columns (types, dropdown options). */
import type { ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import type { CustomFieldDefinition } from '../model/customField';

const FIELD_TYPES: Record<string, ResourceMapperField['type']> = {
	WHOLE_NUMBER: 'number',
	DECIMAL_NUMBER: 'number',
	CURRENCY: 'number',
	PERCENT: 'number',
	YEAR: 'number',
	MONTH: 'number',
	DAY_OF_WEEK: 'number',
	DATE: 'dateTime',
	DATE_TIME: 'dateTime',
	YES_NO: 'boolean',
	DROPDOWN: 'options',
	RADIO: 'options',
};

export function customFieldColumns(defs: CustomFieldDefinition[], emptyFieldsNotice: string): ResourceMapperFields {
	const fields: ResourceMapperField[] = defs.map((d) => {
		const type = FIELD_TYPES[d.field_type] ?? 'string';
		const field: ResourceMapperField = {
			id: d.id,
			displayName: d.label,
			required: false,
			defaultMatch: false,
			display: true,
			type: type === 'options' && !d.options?.length ? 'string' : type,
		};
		if (field.type === 'options') field.options = d.options!.map((o) => ({ name: o.label, value: o.label }));
		return field;
	});
	return { fields, emptyFieldsNotice };
}
