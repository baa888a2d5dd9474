import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DuplicateOption } from '../../model/contact';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { optOutPrimaryEmail } from '../common/emailOptOut';
import { SerialByKey } from '../common/serial';
import { contactTagIds, writeContacts } from '../common/write';
import { contactWriteProperties } from './fields';
import { readContactParameters, readEmail } from './input';

const properties: INodeProperties[] = [
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		options: [
			{ name: 'Email', value: 'Email', description: 'Update the contact with the same email, if any' },
			{ name: 'Email and Name', value: 'EmailAndName', description: 'Same email, first name and last name' },
			{
				name: 'Email, Name and Company',
				value: 'EmailAndNameAndCompany',
				description: 'Same email, first name, last name and company',
			},
		],
		default: 'Email',
		description: 'How Keap decides that a contact already exists',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Primary email, used to find an existing contact',
	},
	...contactWriteProperties('additionalFields'),
];

const displayOptions = { show: { resource: ['contact'], operation: ['upsert'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	// Items with the same email are written one after the other, in item order: the second one
	// finds the contact the first one made instead of making another (issue 15, defect 8).
	const serial = new SerialByKey();
	return await writeContacts(this, session, items.length, async (i) => {
		const matchOn = this.getNodeParameter('matchOn', i) as DuplicateOption;
		const email = readEmail('Email', this.getNodeParameter('email', i, ''), true);
		return await serial.run((email ?? '').toLowerCase(), async () => {
			const { input, tags, optOutReason } = await readContactParameters(this, i, 'additionalFields', () => session.getCustomFields(), email);
			if (matchOn !== 'Email' && (!input.given_name || !input.family_name)) {
				throw new InputError('Match On', 'matching on name needs First Name and Last Name in Additional Fields');
			}
			if (matchOn === 'EmailAndNameAndCompany' && !input.company_id) {
				throw new InputError('Match On', 'matching on company needs Company in Additional Fields');
			}
			const tagIds = await contactTagIds(this, session, i, tags);
			const contact = await session.client.contacts.create(input, matchOn, i);
			if (optOutReason) await optOutPrimaryEmail(this, session, contact, optOutReason, i);
			return { contact, tagIds };
		});
	});
}
