import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { contactLocator, formatContact, contactOutputProperties, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [contactLocator(undefined), ...contactOutputProperties(undefined)];

const displayOptions = { show: { resource: ['contact'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const { id, found } = await resolveContactId(this, session, i);
			const contact = found ?? (await session.client.contacts.get(id, i));
			if (!contact) throw new NodeOperationError(this.getNode(), `Keap has no contact with ID ${id}`, { itemIndex: i });
			return await formatContact(this, session, i, contact);
		},
		4,
	);
}
