import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { formatTask, notFound, taskIdOf, taskLocator, taskOutputProperties, tasks } from './shared';

const properties: INodeProperties[] = [taskLocator(), ...taskOutputProperties];

const displayOptions = { show: { resource: ['task'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = taskIdOf(this, i);
			const task = await tasks(session).get(id, i);
			if (!task) throw notFound(this, i, id);
			return await formatTask(this, session, i, task);
		},
		4,
	);
}
