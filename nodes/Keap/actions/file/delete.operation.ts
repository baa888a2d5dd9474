import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestFiles } from '../../transport/rest/files';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { fileLocator } from './shared';

const properties: INodeProperties[] = [fileLocator];

const displayOptions = { show: { resource: ['file'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const files = new RestFiles(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'file', 'File');
			if (!(await files.delete(id, i))) throw notFound(this, 'file', id, i);
			return { deleted: true };
		},
		4,
	);
}
