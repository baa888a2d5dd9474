/**
 * A contact on REST v1, which the node uses for one call only: the create-or-update
 * (`PUT /contacts`). v2's duplicate_option upsert replaces every collection it is sent, so
 * matching a contact by email would erase its EMAIL2/EMAIL3; v1's PUT updates "only the fields
 * provided" (see RestContacts.create in contacts.ts). These two functions are the whole v1
 * mapping; what v1 spells like v2 is read by contactsV2.ts's readers.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact, text } from '../../model/common';
import {
	SOURCE_TYPES,
	sortContactSlots,
	type Contact,
	type ContactInput,
	type ContactScalarField,
	type EmailField,
	type SocialType,
} from '../../model/contact';
import {
	addressesFromRest,
	customFieldsFromRest,
	phonesFromRest,
	restContactBase,
	restPhone,
	V2_SCALARS,
} from './contactsV2';

/** Neutral scalar -> REST v1 property. */
const V1_SCALARS: Record<Exclude<ContactScalarField, 'company_id'>, string> = {
	...V2_SCALARS,
	lead_source_id: 'lead_source_id',
	birthday: 'birthday',
	anniversary: 'anniversary',
};

const V1_EMAIL_STATUS: Record<string, string> = {
	UnengagedMarketable: 'UNENGAGED_MARKETABLE',
	SingleOptIn: 'SINGLE_OPT_IN',
	DoubleOptin: 'DOUBLE_OPT_IN',
	Confirmed: 'CONFIRMED',
	UnengagedNonMarketable: 'UNENGAGED_NON_MARKETABLE',
	NonMarketable: 'NON_MARKETABLE',
	Lockdown: 'LOCKDOWN',
	Bounce: 'BOUNCE',
	HardBounce: 'HARD_BOUNCE',
	Manual: 'MANUAL',
	Admin: 'ADMIN',
	System: 'SYSTEM',
	ListUnsubscribe: 'LIST_UNSUBSCRIBE',
	Feedback: 'FEEDBACK',
	Spam: 'SPAM',
	Invalid: 'INVALID',
	Deactivated: 'DEACTIVATED',
};

const V1_SOCIAL: Record<SocialType, string> = {
	FACEBOOK: 'Facebook',
	TWITTER: 'Twitter',
	LINKED_IN: 'LinkedIn',
	INSTAGRAM: 'Instagram',
	SNAPCHAT: 'Snapchat',
	YOUTUBE: 'YouTube',
	PINTEREST: 'Pinterest',
};

/** The REST v1 body for a create-or-update (PUT /contacts). Addresses are not sent over v1. */
export function contactToV1(input: ContactInput): IDataObject {
	const body: IDataObject = {};
	for (const [neutral, wire] of Object.entries(V1_SCALARS) as Array<[ContactScalarField, string]>) {
		const v = input[neutral];
		if (v === undefined) continue;
		if (neutral === 'owner_id' || neutral === 'lead_source_id') body[wire] = Number(v);
		else if (neutral === 'birthday') body[wire] = `${v}T00:00:00.000Z`;
		else if (neutral === 'source_type') body[wire] = v.replace(/_/g, '');
		else body[wire] = v;
	}
	if (input.company_id !== undefined) body.company = { id: Number(input.company_id) };
	if (input.email_addresses) body.email_addresses = input.email_addresses.map((e) => ({ email: e.email, field: e.field }));
	if (input.phone_numbers) body.phone_numbers = input.phone_numbers.map(restPhone);
	if (input.social_accounts) {
		body.social_accounts = input.social_accounts.map((a) => ({ type: V1_SOCIAL[a.type], name: a.name }));
	}
	if (input.custom_fields) body.custom_fields = input.custom_fields.map((c) => ({ id: Number(c.id), content: c.content }));
	if (input.opt_in_reason !== undefined) body.opt_in_reason = input.opt_in_reason;
	return body;
}

export function contactFromV1(raw: IDataObject): Contact {
	const contact = restContactBase(raw, V1_SCALARS);
	const source = text(raw.source_type);
	contact.source_type = source ? (SOURCE_TYPES.find((t) => t.replace(/_/g, '') === source) ?? source) : null;
	const company = raw.company as IDataObject | undefined;
	contact.company_id = text(company?.id);
	contact.company_name = text(company?.company_name ?? raw.company_name);
	const status = text(raw.email_status);
	for (const e of (raw.email_addresses as IDataObject[] | undefined) ?? []) {
		if (!e.email) continue;
		const opt = e.field === 'EMAIL1' && status ? (V1_EMAIL_STATUS[status] ?? status) : undefined;
		contact.email_addresses.push(compact({ field: e.field as EmailField, email: String(e.email), opt_status: opt }));
	}
	contact.phone_numbers = phonesFromRest(raw);
	contact.addresses = addressesFromRest(raw);
	const social = Object.entries(V1_SOCIAL);
	for (const a of (raw.social_accounts as IDataObject[] | undefined) ?? []) {
		if (!a.name) continue;
		const type = (social.find(([, v1]) => v1 === a.type)?.[0] ?? String(a.type)) as SocialType;
		contact.social_accounts.push({ type, name: String(a.name) });
	}
	contact.custom_fields = customFieldsFromRest(raw);
	contact.tag_ids = ((raw.tag_ids as unknown[] | undefined) ?? []).map(String);
	contact.create_time = text(raw.date_created);
	contact.update_time = text(raw.last_updated);
	sortContactSlots(contact);
	return contact;
}
