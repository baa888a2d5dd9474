import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { contactLocator, resolveContactId } from '../common/contact';
import { optOutPrimaryEmail } from '../common/emailOptOut';
import { contactTagIds, writeContacts } from '../common/write';
import { contactWriteProperties } from './fields';
import { readContactParameters } from './input';

const properties: INodeProperties[] = [
	contactLocator(undefined),
	...contactWriteProperties('updateFields'),
];

const displayOptions = { show: { resource: ['contact'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await writeContacts(this, session, items.length, async (i) => {
		const { input, tags, optOutReason } = await readContactParameters(this, i, 'updateFields', () => session.getCustomFields());
		const tagIds = await contactTagIds(this, session, i, tags);
		const { id } = await resolveContactId(this, session, i);
		const contact = await session.client.contacts.update(id, input, i);
		if (optOutReason) await optOutPrimaryEmail(this, session, contact, optOutReason, i);
		return { contact, tagIds };
	});
}
