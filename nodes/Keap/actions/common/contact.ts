/** Picking a contact (resource locator) and shaping contact output, shared by operations. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { simplifyContact } from '../../model/contact';
import type { Contact, CustomFieldDefinition } from '../../model/types';
import { checkEmail, checkId } from '../../model/validate';
import type { KeapSession, WithRaw } from '../../transport';

export function contactLocator(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Contact',
		name: 'contact',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions,
		description: 'The Keap contact to use',
		hint: 'From List finds contacts whose first name, last name or email starts with what you type ("ada", "Love", "ada@"); "Ada Love" matches first and last name',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchContacts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '12345',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap contact ID is a whole number' } },
				],
			},
			{
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				validation: [{ type: 'regex', properties: { regex: '^\\S+@\\S+\\.\\S+$', errorMessage: 'Not a valid email address' } }],
			},
		],
	};
}

/** The contact id of item i: given directly, or looked up by email (error if none matches). */
export async function resolveContactId(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
): Promise<{ id: string; found?: WithRaw<Contact> }> {
	const locator = ctx.getNodeParameter('contact', i) as { mode: string; value: string };
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'email') {
		const email = checkEmail('Contact (By Email)', value);
		const matches = await session.client.findContactsByEmail(email, i);
		if (matches.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `No Keap contact has the email ${email}`, { itemIndex: i });
		}
		// Keap allows duplicates; take the oldest contact, deterministically.
		matches.sort((a, b) => Number(a.value.id) - Number(b.value.id));
		return { id: matches[0].value.id, found: matches[0] };
	}
	return { id: checkId('Contact', value) };
}

export const outputProperty = (displayOptions: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Output',
	name: 'output',
	type: 'options',
	default: 'normalized',
	displayOptions,
	options: [
		{
			name: 'All Fields',
			value: 'normalized',
			description: 'Every field, in one shape whichever Keap API answered (custom fields by name)',
		},
		{ name: 'Simplified', value: 'simplified', description: 'ID, name, email, phone, company, tags and dates' },
		{ name: 'Raw', value: 'raw', description: 'The record exactly as Keap returned it' },
	],
});

/** Formats a contact for output in the mode the user chose. */
export async function formatContact(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	contact: WithRaw<Contact>,
	extra: IDataObject = {},
): Promise<IDataObject> {
	const mode = ctx.getNodeParameter('output', i, 'normalized') as string;
	if (mode === 'raw') return { ...contact.raw, ...extra };
	if (mode === 'simplified') return { ...simplifyContact(contact.value), ...extra };
	let defs: CustomFieldDefinition[] = [];
	if (contact.value.custom_fields.length) defs = await session.getCustomFields();
	return { ...normalizedContact(contact.value, defs), ...extra };
}

/** The normalized contact as output JSON, with custom fields keyed by their Keap label. */
export function normalizedContact(c: Contact, defs: CustomFieldDefinition[]): IDataObject {
	const custom: IDataObject = {};
	for (const v of c.custom_fields) {
		const def = defs.find((d) => d.id === v.id);
		custom[def?.label ?? v.id] = v.content;
	}
	return { ...(c as unknown as IDataObject), custom_fields: custom };
}
