/**
 * The API-neutral contact every operation works with. Operations build a `ContactInput` from
 * the node's parameters and receive `Contact`s back; the transport is the only code that knows
 * how these travel on the wire. Where each property goes, for each Keap API (mapped in
 * transport/rest/contactsV2.ts and transport/xmlrpc/contactTable.ts; the node sends no v1
 * contact since issue 15 defect 5, the v1 column says how v1, e.g. n8n's built-in node, spells them):
 *
 * | neutral            | REST v2                    | REST v1                 | XML-RPC (Contact table)        |
 * |--------------------|----------------------------|-------------------------|--------------------------------|
 * | id                 | id (string)                | id (int)                | Id (int)                       |
 * | given_name         | given_name                 | given_name              | FirstName                      |
 * | prefix             | prefix                     | prefix                  | Title                          |
 * | preferred_name     | preferred_name             | preferred_name          | Nickname                       |
 * | preferred_locale   | preferred_locale           | preferred_locale        | Language                       |
 * | email_addresses[]  | email_addresses[{field}]   | email_addresses[{field}]| Email / EmailAddress2 / 3      |
 * | phone_numbers[]    | phone_numbers[{field}]     | phone_numbers[{field}]  | Phone1..5 (+Ext, Type)         |
 * | addresses[]        | addresses[{field}]         | addresses[{field}]      | BILLING: StreetAddress1/2, City, State, PostalCode, ZipFour1, Country; SHIPPING: Address2Street1/2, City2, ...; OTHER: Address3Street1/2, City3, ... |
 * |   region_code      | region_code (US-AZ)        | region (name)           | State (name, "Arizona")        |
 * |   country_code     | country_code (USA)         | country_code (USA)      | Country (name, "United States")|
 * | company_id / name  | company{id, company_name}  | company{id,company_name}| CompanyID / Company            |
 * | owner_id           | owner_id                   | owner_id                | OwnerID                        |
 * | lead_source_id     | leadsource_id              | lead_source_id          | LeadSourceId                   |
 * | birthday           | birth_date                 | birthday                | Birthday (dateTime, date part) |
 * | custom_fields[]    | custom_fields[{id,content}]| custom_fields[{id,..}]  | _<FieldName> (DataFormField)   |
 * | tag_ids            | tag_ids                    | tag_ids                 | Groups ("1,2,3", read-only)    |
 * | create/update_time | create_time / update_time  | date_created / last_updated | DateCreated / LastUpdated (US Eastern, no zone) |
 * | source_type        | source_type                | source_type             | (no column)                    |
 * | social_accounts[]  | social_accounts[]          | social_accounts[]       | (not on the Contact table)     |
 * | emails' opt_status | email_addresses[].email_opt_status | email_status    | (not on the Contact table; opt-in via APIEmailService.optIn) |
 * (the full tables are V2_SCALARS and XMLRPC_SCALARS in those files)
 */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';

export type EmailField = 'EMAIL1' | 'EMAIL2' | 'EMAIL3';
export type PhoneField = 'PHONE1' | 'PHONE2' | 'PHONE3' | 'PHONE4' | 'PHONE5';
export type AddressField = 'BILLING' | 'SHIPPING' | 'OTHER';
export type SocialType =
	| 'FACEBOOK'
	| 'TWITTER'
	| 'LINKED_IN'
	| 'INSTAGRAM'
	| 'SNAPCHAT'
	| 'YOUTUBE'
	| 'PINTEREST';
/** Keap's contact source types (REST v2 spelling; v1 writes them without underscores). */
export const SOURCE_TYPES = [
	'API',
	'APPOINTMENT',
	'FORM_API_HOSTED',
	'FORM_API_INTERNAL',
	'IMPORT',
	'INTERNAL_FORM',
	'LANDING_PAGE',
	'MANUAL',
	'OTHER',
	'UNKNOWN',
	'WEBFORM',
] as const;

export type DuplicateOption = 'Email' | 'EmailAndName' | 'EmailAndNameAndCompany';

export interface ContactEmail {
	field: EmailField;
	email: string;
	/** Marketing status of the address as Keap reports it (v2 spelling, e.g. SINGLE_OPT_IN). */
	opt_status?: string;
}

export interface ContactPhone {
	field: PhoneField;
	number: string;
	extension?: string;
	type?: string;
}

export interface ContactAddress {
	field: AddressField;
	line1?: string;
	line2?: string;
	locality?: string;
	/** ISO 3166-2 subdivision code, e.g. US-AZ. */
	region_code?: string;
	/** Long region name as Keap reports it (read-only on REST v2). */
	region?: string;
	/** ISO 3166-1 alpha-3, e.g. USA. */
	country_code?: string;
	postal_code?: string;
	zip_four?: string;
}

export interface ContactSocialAccount {
	type: SocialType;
	name: string;
}

export interface ContactCustomFieldValue {
	id: string;
	content: string | number | boolean | null;
}

/** Scalar contact properties, in one list so every transport maps the same set. */
export const CONTACT_SCALAR_FIELDS = [
	'given_name',
	'middle_name',
	'family_name',
	'prefix',
	'suffix',
	'preferred_name',
	'spouse_name',
	'job_title',
	'website',
	'time_zone',
	'preferred_locale',
	'contact_type',
	'source_type',
	'owner_id',
	'lead_source_id',
	'company_id',
	'birthday',
	'anniversary',
] as const;
export type ContactScalarField = (typeof CONTACT_SCALAR_FIELDS)[number];

/**
 * What the user wants written. A property that is absent is not touched; collections list the
 * slots to set (an update merges them into the contact's existing slots: mergeCollections).
 */
export type ContactInput = Partial<Record<ContactScalarField, string>> & {
	email_addresses?: ContactEmail[];
	phone_numbers?: ContactPhone[];
	addresses?: ContactAddress[];
	social_accounts?: ContactSocialAccount[];
	custom_fields?: ContactCustomFieldValue[];
	/** Marks EMAIL1 as marketable, with this reason (Keap's marketing consent record). */
	opt_in_reason?: string;
};

/** One normalized contact: the same shape whatever API produced it. */
export type Contact = Partial<Record<ContactScalarField, string | null>> & {
	id: string;
	company_name?: string | null;
	email_addresses: ContactEmail[];
	phone_numbers: ContactPhone[];
	addresses: ContactAddress[];
	social_accounts: ContactSocialAccount[];
	/** Custom field values by id (labels are added by the output step where known). */
	custom_fields: ContactCustomFieldValue[];
	tag_ids: string[];
	create_time?: string | null;
	update_time?: string | null;
};

export interface ContactQuery {
	email?: string;
	given_name?: string;
	family_name?: string;
	/** ISO date-times, inclusive bounds on the contact's last update. */
	updated_since?: string;
	updated_until?: string;
	ids?: string[];
	order_by?: 'id' | 'create_time' | 'email' | 'update_time';
	order_direction?: 'asc' | 'desc';
}

const COLLECTIONS = ['email_addresses', 'phone_numbers', 'addresses', 'social_accounts', 'custom_fields'] as const;

const SLOT_ORDER = ['EMAIL1', 'EMAIL2', 'EMAIL3', 'PHONE1', 'PHONE2', 'PHONE3', 'PHONE4', 'PHONE5', 'BILLING', 'SHIPPING', 'OTHER'];

/** Puts emails, phones and addresses in slot order (EMAIL1 first, BILLING before SHIPPING). */
export function sortContactSlots(c: { email_addresses?: ContactEmail[]; phone_numbers?: ContactPhone[]; addresses?: ContactAddress[] }) {
	const order = (f: string) => SLOT_ORDER.indexOf(f);
	c.email_addresses?.sort((a, b) => order(a.field) - order(b.field));
	c.phone_numbers?.sort((a, b) => order(a.field) - order(b.field));
	c.addresses?.sort((a, b) => order(a.field) - order(b.field));
}

/** The input's collection slots laid over the existing contact's (slot = field / type / id). */
export function mergeCollections(existing: Contact, input: ContactInput): ContactInput {
	const bySlot = <T>(current: T[], changes: T[] | undefined, key: (t: T) => string): T[] => {
		if (changes === undefined) return current;
		const map = new Map(current.map((t) => [key(t), t]));
		for (const c of changes) map.set(key(c), c);
		return [...map.values()];
	};
	const out: ContactInput = {
		email_addresses: bySlot(
			existing.email_addresses.map((e) => ({ field: e.field, email: e.email })),
			input.email_addresses,
			(e) => e.field,
		),
		phone_numbers: bySlot(existing.phone_numbers, input.phone_numbers, (p) => p.field),
		addresses: bySlot(existing.addresses, input.addresses, (a) => a.field),
		social_accounts: bySlot(existing.social_accounts, input.social_accounts, (s) => s.type),
		custom_fields: bySlot(existing.custom_fields, input.custom_fields, (c) => c.id),
	};
	sortContactSlots(out);
	return out;
}

/** True when the input writes a collection (or an opt-in, which travels with EMAIL1). */
export function touchesCollections(input: ContactInput): boolean {
	return COLLECTIONS.some((c) => input[c] !== undefined) || input.opt_in_reason !== undefined;
}

/** The primary email of a contact, for look-ups and simplified output. */
export function primaryEmail(c: Contact): string | undefined {
	return (c.email_addresses.find((e) => e.field === 'EMAIL1') ?? c.email_addresses[0])?.email;
}

/** Compact output: the fields most workflows use, flat. */
export function simplifyContact(c: Contact): IDataObject {
	const phone = c.phone_numbers.find((p) => p.field === 'PHONE1') ?? c.phone_numbers[0];
	return compact({
		id: c.id,
		given_name: c.given_name,
		family_name: c.family_name,
		email: primaryEmail(c),
		phone: phone?.number,
		company_name: c.company_name,
		job_title: c.job_title,
		owner_id: c.owner_id,
		tag_ids: c.tag_ids,
		create_time: c.create_time,
		update_time: c.update_time,
	}) as IDataObject;
}
