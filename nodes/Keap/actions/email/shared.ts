/** Parameters and steps the email operations share: the record picker, the output, the recipients. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyEmail, type EmailRecord } from '../../model/email';
import { InputError } from '../../model/validate';
import { recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const emailLocator = recordLocator({
	name: 'emailRecord',
	displayName: 'Email Record',
	searchListMethod: 'searchEmails',
	what: 'email record',
	description: 'The record of a sent email: choose it from the list (newest first; type an address to see the emails sent to it) or give its ID (digits)',
	placeholder: '8001',
});

export const emailOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field; the HTML and plain-text contents as text (Get only: Keap’s lists leave the contents out)',
	simplified: 'ID, subject, contact, to and from addresses, sent, opened and clicked times',
	fieldExamples: 'id, subject, sent_to_address, sent_time',
});

export async function formatEmail(ctx: IExecuteFunctions, i: number, email: WithRaw<EmailRecord>): Promise<IDataObject> {
	return await formatRecord(ctx, i, email, {
		normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
		simplified: ({ value }) => simplifyEmail(value) as IDataObject,
	});
}

/** The Contact IDs parameter of a send. */
export const recipientsProperty: INodeProperties = {
	displayName: 'Contact IDs',
	name: 'contactIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1001, 1002',
	description:
		'The contacts to send the email to: one or more contact IDs, comma-separated or a list from an expression. The contacts of all items that send the same email go to Keap together, 100 per call.',
};

/** Which of a contact's addresses a send uses. */
export const addressFieldProperty: INodeProperties = {
	displayName: 'Address Field',
	name: 'addressField',
	type: 'options',
	options: [
		{ name: 'Primary Email', value: '' },
		{ name: 'Email 2', value: 'EmailAddress2' },
		{ name: 'Email 3', value: 'EmailAddress3' },
	],
	default: '',
	description:
		'Which address of each contact the email goes to. An expression may name an email custom field as _FieldName (case-sensitive, Keap’s rule).',
};

/** An Address Field value, checked; undefined for the primary email. */
export function checkAddressField(field: string, value: unknown): string | undefined {
	const v = String(value ?? '').trim();
	if (v === '' || v === 'Email') return undefined;
	if (v === 'EmailAddress2' || v === 'EmailAddress3' || /^_\w+$/.test(v)) return v;
	throw new InputError(field, `"${v}" is not an address field (EmailAddress2, EmailAddress3 or _CustomFieldName)`);
}
