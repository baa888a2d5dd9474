import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { CHOICE_FIELD_TYPES, CUSTOM_FIELD_TYPES, USER_FIELD_TYPES, type CustomFieldInput, type CustomFieldType } from '../../model/customFieldInput';
import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestObjectModels } from '../../transport/rest/objectModels';
import { runPerItem } from '../common/items';
import { idList } from '../common/tagging';
import { customFieldOutputProperties, formatCustomField, objectOf, objectProperty } from './shared';

const typeName = (t: string) =>
	t
		.toLowerCase()
		.split('_')
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join(' ')
		.replace('Yes No', 'Yes/No');

const properties: INodeProperties[] = [
	objectProperty,
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Favorite Color',
		description: 'The name of the new field as Keap shows it (it must not be taken on this object)',
	},
	{
		displayName: 'Type',
		name: 'fieldType',
		type: 'options',
		options: CUSTOM_FIELD_TYPES.map((t) => ({ name: typeName(t), value: t })).sort((a, b) => a.name.localeCompare(b.name)),
		default: 'TEXT',
		description: 'The kind of value the field holds',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Bronze, Silver, Gold',
		displayOptions: { show: { fieldType: [...CHOICE_FIELD_TYPES] } },
		description: 'The choices of the field, comma-separated (or an array from an expression)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Group ID',
				name: 'group_id',
				type: 'string',
				default: '',
				description: 'ID (digits) of the tab group to put the field in; Keap’s "Custom Fields" tab when empty',
			},
			{
				displayName: 'User Group ID',
				name: 'user_group_id',
				type: 'string',
				default: '',
				description: 'For User and User List Box fields: ID (digits) of the user group to pick users from',
			},
		],
	},
	...customFieldOutputProperties,
];

const displayOptions = { show: { resource: ['customField'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const models = new RestObjectModels(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const label = String(this.getNodeParameter('label', i, '') ?? '').trim();
		if (!label) throw new InputError('Label', 'a custom field needs a label');
		const fieldType = this.getNodeParameter('fieldType', i) as CustomFieldType;
		if (!CUSTOM_FIELD_TYPES.includes(fieldType)) throw new InputError('Type', `"${String(fieldType)}" is not a Keap custom field type`);
		const input: CustomFieldInput = { label, field_type: fieldType };
		if (CHOICE_FIELD_TYPES.has(fieldType)) {
			const options = idList(this.getNodeParameter('options', i, ''));
			if (!options.length) throw new InputError('Options', `a ${typeName(fieldType)} field needs at least one option`);
			if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) throw new InputError('Options', 'each option can be given once');
			input.options = options;
		}
		const extra = this.getNodeParameter('additionalFields', i, {}) as { group_id?: string; user_group_id?: string };
		if (extra.group_id) input.group_id = checkId('Group ID', extra.group_id);
		if (extra.user_group_id) {
			if (!USER_FIELD_TYPES.has(fieldType)) throw new InputError('User Group ID', 'only User and User List Box fields take a user group');
			input.user_group_id = checkId('User Group ID', extra.user_group_id);
		}
		return await formatCustomField(this, i, await models.createField(objectOf(this, i), input, i));
	});
}
