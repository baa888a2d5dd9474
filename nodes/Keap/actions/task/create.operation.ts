import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkId, checkRequiredText } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorValue, userLocator } from '../common/assignee';
import { runPerItem } from '../common/items';
import { customFieldsProperty } from '../common/recordCustomFields';
import { formatTask, readTaskFields, taskFieldOptions, taskOutputProperties, tasks } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Call back about the proposal',
		description: 'What the task is, as the assigned user sees it in Keap',
	},
	userLocator('assignedTo', 'Assigned To', 'The Keap user who does the task (Keap requires one)', true),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: taskFieldOptions(false),
	},
	customFieldsProperty('getTaskCustomFieldColumns', 'task'),
	...taskOutputProperties,
];

const displayOptions = { show: { resource: ['task'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			// The required fields first: they cost no look-up.
			const title = checkRequiredText('Title', this.getNodeParameter('title', i));
			const assignee = checkId('Assigned To', locatorValue(this.getNodeParameter('assignedTo', i)).value);
			const input = { ...(await readTaskFields(this, session, i, 'additionalFields')), title, assigned_to_user_id: assignee };
			return await formatTask(this, session, i, await tasks(session).create(input, i));
		},
		4,
	);
}
