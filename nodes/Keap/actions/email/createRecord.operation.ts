import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { EMAIL_PROVIDERS, type EmailProvider, type EmailRecordInput } from '../../model/email';
import { checkDateTime, checkEmail, checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmails } from '../../transport/rest/emails';
import { optionalText } from '../common/commerce';
import { runPerItem } from '../common/items';
import { idList } from '../common/tagging';
import { emailOutputProperties, formatEmail } from './shared';

const time = (name: string, displayName: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description: `When the email was ${what} (ISO 8601, e.g. 2025-01-15T16:00:00Z)`,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Sent To Address',
		name: 'sentToAddress',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description: 'The address the email was sent to',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'BCC Addresses',
				name: 'sent_to_bcc_address_list',
				type: 'string',
				default: '',
				description: 'The BCC addresses, comma-separated',
			},
			{
				displayName: 'CC Addresses',
				name: 'sent_to_cc_address_list',
				type: 'string',
				default: '',
				description: 'The CC addresses, comma-separated',
			},
			time('clicked_time', 'Clicked Time', 'first clicked'),
			{
				displayName: 'Contact ID',
				name: 'contact_id',
				type: 'string',
				default: '',
				placeholder: '1001',
				description: 'The ID (digits) of the contact who received the email; the record shows in the contact’s email history',
			},
			{ displayName: 'Headers', name: 'headers', type: 'string', default: '', description: 'The email’s headers, as text' },
			{
				displayName: 'HTML Content',
				name: 'html_content',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'The email as HTML',
			},
			time('opened_time', 'Opened Time', 'opened'),
			{
				displayName: 'Plain Text Content',
				name: 'plain_content',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'The email as plain text',
			},
			{
				displayName: 'Provider',
				name: 'original_provider',
				type: 'options',
				options: EMAIL_PROVIDERS.map((p) => ({ name: p.charAt(0) + p.slice(1).toLowerCase(), value: p })),
				default: 'UNKNOWN',
				description: 'Which provider sent the email',
			},
			{
				displayName: 'Provider Message ID',
				name: 'original_provider_id',
				type: 'string',
				default: '',
				description: 'The provider’s ID of the message, unique per provider (Keap makes one up when empty)',
			},
			{
				displayName: 'Provider Source',
				name: 'provider_source_id',
				type: 'string',
				default: '',
				description: 'The address of the synced mailbox the email came from',
			},
			time('received_time', 'Received Time', 'received'),
			{
				displayName: 'Reply-To Address',
				name: 'sent_from_reply_address',
				type: 'string',
				default: '',
				description: 'The address replies to the email go to',
			},
			{ displayName: 'Sent From Address', name: 'sent_from_address', type: 'string', default: '', description: 'The sender’s address' },
			time('sent_time', 'Sent Time', 'sent'),
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'The subject line' },
		],
	},
	...emailOutputProperties,
];

const displayOptions = { show: { resource: ['email'], operation: ['createRecord'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const field = (name: string) => `Additional Fields > ${name}`;

function recordInput(to: string, extra: IDataObject): EmailRecordInput {
	const input: EmailRecordInput = { sent_to_address: checkEmail('Sent To Address', to) };
	const contact = optionalText(extra.contact_id);
	if (contact) input.contact_id = checkId(field('Contact ID'), contact);
	for (const k of ['subject', 'headers', 'provider_source_id', 'original_provider_id'] as const) {
		const v = optionalText(extra[k]);
		if (v) input[k] = v;
	}
	for (const k of ['plain_content', 'html_content'] as const) if (optionalText(extra[k])) input[k] = String(extra[k]);
	for (const [k, label] of [
		['sent_from_address', 'Sent From Address'],
		['sent_from_reply_address', 'Reply-To Address'],
	] as const) {
		const v = optionalText(extra[k]);
		if (v) input[k] = checkEmail(field(label), v);
	}
	for (const [k, label] of [
		['sent_to_cc_address_list', 'CC Addresses'],
		['sent_to_bcc_address_list', 'BCC Addresses'],
	] as const) {
		const list = idList(extra[k]);
		if (list.length) input[k] = list.map((a) => checkEmail(field(label), a));
	}
	for (const [k, label] of [
		['sent_time', 'Sent Time'],
		['received_time', 'Received Time'],
		['opened_time', 'Opened Time'],
		['clicked_time', 'Clicked Time'],
	] as const) {
		const v = optionalText(extra[k]);
		if (v) input[k] = checkDateTime(field(label), v);
	}
	if (extra.original_provider !== undefined) {
		const p = String(extra.original_provider);
		if (!(EMAIL_PROVIDERS as readonly string[]).includes(p)) throw new InputError(field('Provider'), `"${p}" is not one of ${EMAIL_PROVIDERS.join(', ')}`);
		input.original_provider = p as EmailProvider;
	}
	return input;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const emails = new RestEmails(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const to = optionalText(this.getNodeParameter('sentToAddress', i));
		if (!to) throw new InputError('Sent To Address', 'an email record needs the address it was sent to');
		const input = recordInput(to, this.getNodeParameter('additionalFields', i, {}) as IDataObject);
		return await formatEmail(this, i, await emails.create(input, i));
	});
}
