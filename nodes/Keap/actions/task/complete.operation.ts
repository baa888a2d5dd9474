/**
 * Complete: Keap has no complete route (neither v1 nor v2), so this is the PATCH Keap documents
 * for updates, of `completed` and `completion_time`.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkDateTime } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatTask, notFound, taskIdOf, taskLocator, taskOutputProperties, tasks } from './shared';

const properties: INodeProperties[] = [
	taskLocator(),
	{
		displayName: 'Completion Time',
		name: 'completionTime',
		type: 'dateTime',
		default: '',
		description: 'When the task was done, as an ISO 8601 date and time; empty means now',
	},
	...taskOutputProperties,
];

const displayOptions = { show: { resource: ['task'], operation: ['complete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = taskIdOf(this, i);
			const when = String(this.getNodeParameter('completionTime', i, '') ?? '').trim();
			const completion_time = when ? checkDateTime('Completion Time', when) : new Date().toISOString();
			const task = await tasks(session).update(id, { completed: true, completion_time }, i);
			if (!task) throw notFound(this, i, id);
			return await formatTask(this, session, i, task);
		},
		4,
	);
}
