import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { customFieldsProperty } from '../common/recordCustomFields';
import { formatTask, notFound, readTaskFields, taskFieldOptions, taskIdOf, taskLocator, taskOutputProperties, tasks } from './shared';

const properties: INodeProperties[] = [
	taskLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields set here change; the task keeps the others',
		options: taskFieldOptions(true),
	},
	customFieldsProperty('getTaskCustomFieldColumns', 'task'),
	...taskOutputProperties,
];

const displayOptions = { show: { resource: ['task'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = taskIdOf(this, i);
			const input = await readTaskFields(this, session, i, 'updateFields');
			if (Object.keys(input).length === 0) throw new InputError('Update Fields', 'set at least one field to change');
			const task = await tasks(session).update(id, input, i);
			if (!task) throw notFound(this, i, id);
			return await formatTask(this, session, i, task);
		},
		4,
	);
}
