/**
 * Picking a contact (resource locator), fetching contacts by id and shaping contact output,
 * shared by the operations and both triggers.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyContact, type Contact } from '../../model/contact';
import type { CustomFieldDefinition } from '../../model/customField';
import { formatRecord, outputProperties } from './output';
import { checkEmail, checkId } from '../../model/validate';
import type { ContactsApi } from '../../transport/client';
import type { KeapSession } from '../../transport';

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
		const matches = await session.client.contacts.findByEmail(email, i);
		if (matches.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `No Keap contact has the email ${email}`, { itemIndex: i });
		}
		// Keap allows duplicates; take the oldest contact, deterministically.
		matches.sort((a, b) => Number(a.value.id) - Number(b.value.id));
		return { id: matches[0].value.id, found: matches[0] };
	}
	return { id: checkId('Contact', value) };
}

export const contactOutputProperties = (displayOptions: INodeProperties['displayOptions']): INodeProperties[] =>
	outputProperties({
		displayOptions,
		allFields: 'Every field, in one shape whichever Keap API answered (custom fields by name)',
		simplified: 'ID, name, email, phone, company, tags and dates',
		fieldExamples: 'id, given_name, email_addresses, tag_ids',
	});

/** Formats a contact for output in the mode the user chose. */
export async function formatContact(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	contact: WithRaw<Contact>,
	extra: IDataObject = {},
): Promise<IDataObject> {
	return await formatRecord(
		ctx,
		i,
		contact,
		{
			normalized: async ({ value }) =>
				normalizedContact(value, value.custom_fields.length ? await session.getCustomFields() : []),
			simplified: ({ value }) => simplifyContact(value),
		},
		extra,
	);
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

/**
 * Full contact records for a set of ids, with as few calls as the API allows: REST v2 filters
 * by `ids`, as many as fit a request line Keap's gateway takes (7,168 bytes: about 600 7-digit
 * ids), XML-RPC a page of 1000. For the triggers, whose events name contacts by id.
 */
export async function hydrateContacts(contacts: ContactsApi, ids: string[]): Promise<Map<string, WithRaw<Contact>>> {
	const found = new Map<string, WithRaw<Contact>>();
	for (const chunk of contacts.idBatches([...new Set(ids)])) {
		let cursor: string | undefined;
		do {
			const page = await contacts.list({ ids: chunk }, contacts.maxPageSize, cursor);
			for (const c of page.items) found.set(c.value.id, c);
			cursor = page.next;
		} while (cursor);
	}
	return found;
}
