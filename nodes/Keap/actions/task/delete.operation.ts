import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { notFound, taskIdOf, taskLocator, tasks } from './shared';

const properties: INodeProperties[] = [taskLocator()];

const displayOptions = { show: { resource: ['task'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = taskIdOf(this, i);
			if (!(await tasks(session).delete(id, i))) throw notFound(this, i, id);
			return { deleted: true };
		},
		4,
	);
}
