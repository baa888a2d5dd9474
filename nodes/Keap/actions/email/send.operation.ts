import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	EMAIL_ATTACHMENT_EXTENSIONS,
	EMAIL_ATTACHMENT_MAX_BYTES,
	EMAIL_ATTACHMENTS_MAX,
	EMAIL_SEND_CONTACTS_MAX,
	type EmailAttachment,
	type EmailMessage,
} from '../../model/email';
import { checkEmail, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmails, sendToV2 } from '../../transport/rest/emails';
import { optionalText } from '../common/commerce';
import { contactIdsOf, runContactBatches } from '../common/contactBatches';
import { resolveUserRef, userLocator } from '../common/user';
import { addressFieldProperty, checkAddressField, recipientsProperty } from './shared';

const properties: INodeProperties[] = [
	recipientsProperty,
	{
		displayName: 'From',
		name: 'fromType',
		type: 'options',
		options: [
			{ name: 'A Keap User', value: 'user', description: 'Sent on behalf of the user, from their address' },
			{ name: 'An Address', value: 'address', description: 'An authenticated sender address of your Keap account' },
		],
		default: 'user',
		description: 'Who the email is from (Keap takes exactly one of a user and an address)',
	},
	userLocator('user', 'User', 'The Keap user the email is sent on behalf of', {
		required: true,
		byEmail: true,
		displayOptions: { show: { fromType: ['user'] } },
	}),
	{
		displayName: 'From Address',
		name: 'fromAddress',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		displayOptions: { show: { fromType: ['address'] } },
		description: 'An authenticated sender address of your Keap account',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		description: 'The subject line; Keap merge fields such as ~Contact.FirstName~ are filled per contact',
	},
	{
		displayName: 'HTML Content',
		name: 'htmlContent',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		description: 'The email as HTML (give this, the plain text, or both)',
	},
	{
		displayName: 'Plain Text Content',
		name: 'plainContent',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		description: 'The email as plain text (give this, the HTML, or both)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...addressFieldProperty },
			{
				displayName: 'Attachment Binary Properties',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'data, invoice',
				description:
					'Names of binary properties of the input item to attach, comma-separated: at most 10 files of at most 1 MB (1,000,000 bytes) each, with an extension Keap accepts (pdf, png, jpg, docx, txt, csv, zip, …)',
			},
		],
	},
];

const displayOptions = { show: { resource: ['email'], operation: ['send'] } };

export const description = updateDisplayOptions(displayOptions, properties);

async function attachmentsOf(ctx: IExecuteFunctions, i: number, value: unknown): Promise<EmailAttachment[] | undefined> {
	const names = String(value ?? '')
		.split(',')
		.map((n) => n.trim())
		.filter(Boolean);
	if (!names.length) return undefined;
	const field = (name: string) => `Options > Attachment Binary Properties > ${name}`;
	if (names.length > EMAIL_ATTACHMENTS_MAX) {
		throw new InputError('Options > Attachment Binary Properties', `Keap takes at most ${EMAIL_ATTACHMENTS_MAX} attachments, got ${names.length}`);
	}
	const out: EmailAttachment[] = [];
	for (const name of names) {
		const binary = ctx.helpers.assertBinaryData(i, name);
		const fileName = binary.fileName ?? name;
		const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
		if (!ext || !EMAIL_ATTACHMENT_EXTENSIONS.has(ext)) {
			throw new InputError(field(name), `Keap does not accept attachments named "${fileName}" (its extension is not one Keap lists)`);
		}
		const data = await ctx.helpers.getBinaryDataBuffer(i, name);
		if (data.length > EMAIL_ATTACHMENT_MAX_BYTES) {
			throw new InputError(field(name), `"${fileName}" has ${data.length} bytes; Keap takes attachments of at most 1 MB (${EMAIL_ATTACHMENT_MAX_BYTES} bytes)`);
		}
		out.push({ file_name: fileName, data });
	}
	return out;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const emails = new RestEmails(session.rest);
	return await runContactBatches<EmailMessage, void>(
		this,
		items.length,
		EMAIL_SEND_CONTACTS_MAX,
		async (i) => {
			const contactIds = contactIdsOf('Contact IDs', this.getNodeParameter('contactIds', i));
			const subject = optionalText(this.getNodeParameter('subject', i));
			if (!subject) throw new InputError('Subject', 'an email needs a subject');
			const html = optionalText(this.getNodeParameter('htmlContent', i, ''));
			const plain = optionalText(this.getNodeParameter('plainContent', i, ''));
			if (!html && !plain) throw new InputError('HTML Content', 'give the HTML content, the plain text content, or both');
			const options = this.getNodeParameter('options', i, {}) as { addressField?: string; attachments?: string };
			const message: EmailMessage = { subject };
			if (html) message.html_content = String(this.getNodeParameter('htmlContent', i));
			if (plain) message.plain_content = String(this.getNodeParameter('plainContent', i));
			if (this.getNodeParameter('fromType', i) === 'address') {
				message.from_address = checkEmail('From Address', String(this.getNodeParameter('fromAddress', i) ?? '').trim());
			} else {
				const userId = await resolveUserRef(this, session, this.getNodeParameter('user', i), 'User', i);
				if (!userId) throw new InputError('User', 'choose the Keap user the email is from');
				message.user_id = userId;
			}
			const field = checkAddressField('Options > Address Field', options.addressField);
			if (field) message.address_field = field;
			const attachments = await attachmentsOf(this, i, options.attachments);
			if (attachments) message.attachments = attachments;
			return { key: JSON.stringify(sendToV2([], message)), group: message, contactIds };
		},
		async (message, contactIds, i) => await emails.send(contactIds, message, i),
		(i, req, answers) => ({ sent: true, contact_ids: req.contactIds, subject: req.group.subject, calls: answers.length }),
	);
}
