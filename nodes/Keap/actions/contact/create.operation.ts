import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { optOutPrimaryEmail } from '../common/emailOptOut';
import { contactTagIds, hasIdentity, writeContacts } from '../common/write';
import { contactWriteProperties } from './fields';
import { readContactParameters, readEmail } from './input';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Primary email (Keap needs an email, a phone or an address to create a contact)',
	},
	...contactWriteProperties('additionalFields'),
];

const displayOptions = { show: { resource: ['contact'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await writeContacts(this, session, items.length, async (i) => {
		const email = readEmail('Email', this.getNodeParameter('email', i, ''));
		const { input, tags, optOutReason } = await readContactParameters(this, i, 'additionalFields', () => session.getCustomFields(), email);
		if (!hasIdentity(input)) {
			throw new InputError('Email', 'Keap needs an email, a phone or an address to create a contact');
		}
		if (optOutReason && !input.email_addresses?.length) {
			throw new InputError('Email Opt-Out Reason', 'opting out needs the contact’s Email in the same item');
		}
		const tagIds = await contactTagIds(this, session, i, tags);
		const contact = await session.client.contacts.create(input, undefined, i);
		if (optOutReason) await optOutPrimaryEmail(this, session, contact, optOutReason, i);
		return { contact, tagIds };
	});
}
