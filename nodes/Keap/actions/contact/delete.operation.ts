import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [contactLocator(undefined)];

const displayOptions = { show: { resource: ['contact'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const { id } = await resolveContactId(this, session, i);
			const deleted = await session.client.contacts.delete(id, i);
			if (!deleted) throw new NodeOperationError(this.getNode(), `Keap has no contact with ID ${id}`, { itemIndex: i });
			return { deleted: true };
		},
		4,
	);
}
