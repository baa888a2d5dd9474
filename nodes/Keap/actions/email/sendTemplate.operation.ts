import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { EMAIL_SEND_CONTACTS_MAX, type TemplateMessage } from '../../model/email';
import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmails } from '../../transport/rest/emails';
import { contactIdsOf, runContactBatches } from '../common/contactBatches';
import { resolveUserRef, userLocator } from '../common/user';
import { addressFieldProperty, checkAddressField, recipientsProperty } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Template Name or ID',
		name: 'templateId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEmailTemplates' },
		required: true,
		default: '',
		description:
			'The email template of your Keap account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	recipientsProperty,
	userLocator('user', 'User', 'The Keap user the email is sent on behalf of (Keap requires one)', { required: true, byEmail: true }),
	addressFieldProperty,
];

const displayOptions = { show: { resource: ['email'], operation: ['sendTemplate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const emails = new RestEmails(session.rest);
	return await runContactBatches<TemplateMessage, void>(
		this,
		items.length,
		EMAIL_SEND_CONTACTS_MAX,
		async (i) => {
			const templateId = checkId('Template Name or ID', this.getNodeParameter('templateId', i));
			const contactIds = contactIdsOf('Contact IDs', this.getNodeParameter('contactIds', i));
			const userId = await resolveUserRef(this, session, this.getNodeParameter('user', i), 'User', i);
			if (!userId) throw new InputError('User', 'choose the Keap user the email is from');
			const message: TemplateMessage = { template_id: templateId, user_id: userId };
			const field = checkAddressField('Address Field', this.getNodeParameter('addressField', i, ''));
			if (field) message.address_field = field;
			return { key: JSON.stringify(message), group: message, contactIds };
		},
		async (message, contactIds, i) => await emails.sendTemplate(contactIds, message, i),
		(i, req, answers) => ({ sent: true, template_id: req.group.template_id, contact_ids: req.contactIds, calls: answers.length }),
	);
}
