/**
 * Where every contact property goes on the wire, for each Keap API, in one place.
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
 * (the full tables are V2_SCALARS and XMLRPC_SCALARS below)
 */
import type { IDataObject } from 'n8n-workflow';

import {
	formatKeapDate,
	parseKeapDate,
	XmlRpcDateTime,
	XmlRpcDouble,
	type XmlRpcValue,
} from '../transport/xmlrpc/codec';
import { countryCodeOf, countryNameOf, regionOf, regionTextOf } from '../transport/xmlrpc/geo';
import { InputError } from './validate';
import type {
	AddressField,
	Contact,
	ContactAddress,
	ContactEmail,
	ContactInput,
	ContactPhone,
	ContactScalarField,
	ContactSocialAccount,
	CustomFieldDefinition,
	EmailField,
	PhoneField,
	SocialType,
} from './types';
import { SOURCE_TYPES } from './types';

/** Neutral scalar -> REST v2 property. */
export const V2_SCALARS: Record<Exclude<ContactScalarField, 'company_id'>, string> = {
	given_name: 'given_name',
	middle_name: 'middle_name',
	family_name: 'family_name',
	prefix: 'prefix',
	suffix: 'suffix',
	preferred_name: 'preferred_name',
	spouse_name: 'spouse_name',
	job_title: 'job_title',
	website: 'website',
	time_zone: 'time_zone',
	preferred_locale: 'preferred_locale',
	contact_type: 'contact_type',
	source_type: 'source_type',
	owner_id: 'owner_id',
	lead_source_id: 'leadsource_id',
	birthday: 'birth_date',
	anniversary: 'anniversary_date',
};

/** Properties a v2 read asks for, so custom fields and tags come back too. */
export const V2_CONTACT_FIELDS = [
	'id',
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
	'leadsource_id',
	'company',
	'birth_date',
	'anniversary_date',
	'email_addresses',
	'phone_numbers',
	'addresses',
	'social_accounts',
	'custom_fields',
	'tag_ids',
	'create_time',
	'update_time',
].join(',');

const COLLECTIONS = ['email_addresses', 'phone_numbers', 'addresses', 'social_accounts', 'custom_fields'] as const;

function str(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	return String(value);
}

function dateOnly(value: unknown): string | null {
	const s = str(value);
	if (!s) return null;
	const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
	return m ? m[1] : s;
}

function compact<T extends object>(obj: T): T {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') out[k] = v as IDataObject[string];
	return out as T;
}

/** Phone numbers of a REST v1 or v2 contact (the two APIs spell them alike). */
function phonesFromRest(raw: IDataObject): ContactPhone[] {
	return ((raw.phone_numbers as IDataObject[] | undefined) ?? [])
		.filter((p) => p.number)
		.map((p) =>
			compact({
				field: p.field as PhoneField,
				number: String(p.number),
				extension: str(p.extension) ?? undefined,
				type: str(p.type) ?? undefined,
			}),
		);
}

/**
 * Addresses of a REST v1 or v2 contact. v1 reports the region by name only; the neutral shape
 * carries the ISO 3166-2 code too, derived from the name where Keap did not send it.
 */
function addressesFromRest(raw: IDataObject): ContactAddress[] {
	return ((raw.addresses as IDataObject[] | undefined) ?? []).map((a) => {
		const region = str(a.region);
		const country = str(a.country_code) ?? undefined;
		const regionCode = str(a.region_code) ?? (region ? regionOf(region, country).code : undefined);
		return compact({
			field: a.field as AddressField,
			line1: str(a.line1) ?? undefined,
			line2: str(a.line2) ?? undefined,
			locality: str(a.locality) ?? undefined,
			region_code: regionCode ?? undefined,
			region: region ?? undefined,
			country_code: country,
			postal_code: str(a.postal_code ?? a.zip_code) ?? undefined,
			zip_four: str(a.zip_four) ?? undefined,
		});
	});
}

// ---------------------------------------------------------------- REST v2 -> neutral

/** A REST (v1 or v2) contact's id and scalar properties, read through that API's name table. */
function restContactBase(raw: IDataObject, scalars: Record<string, string>): Contact {
	const contact: Contact = {
		id: String(raw.id),
		email_addresses: [],
		phone_numbers: [],
		addresses: [],
		social_accounts: [],
		custom_fields: [],
		tag_ids: [],
	};
	for (const [neutral, wire] of Object.entries(scalars) as Array<[ContactScalarField, string]>) {
		contact[neutral] = neutral === 'birthday' || neutral === 'anniversary' ? dateOnly(raw[wire]) : str(raw[wire]);
	}
	return contact;
}

export function contactFromV2(raw: IDataObject): Contact {
	const contact = restContactBase(raw, V2_SCALARS);
	const company = raw.company as IDataObject | undefined;
	contact.company_id = str(company?.id);
	contact.company_name = str(company?.company_name);
	for (const e of (raw.email_addresses as IDataObject[] | undefined) ?? []) {
		if (!e.email || e.field === 'EMAIL_FIELD_UNSPECIFIED') continue;
		contact.email_addresses.push(
			compact({ field: e.field as EmailField, email: String(e.email), opt_status: str(e.email_opt_status) ?? undefined }),
		);
	}
	contact.phone_numbers = phonesFromRest(raw);
	contact.addresses = addressesFromRest(raw);
	for (const s of (raw.social_accounts as IDataObject[] | undefined) ?? []) {
		if (!s.name) continue;
		contact.social_accounts.push({ type: s.type as SocialType, name: String(s.name) });
	}
	for (const c of (raw.custom_fields as IDataObject[] | undefined) ?? []) {
		if (c.content === undefined || c.content === null || c.content === '') continue;
		contact.custom_fields.push({ id: String(c.id), content: c.content as string | number | boolean });
	}
	contact.tag_ids = ((raw.tag_ids as unknown[] | undefined) ?? []).map(String);
	contact.create_time = str(raw.create_time);
	contact.update_time = str(raw.update_time);
	sortSlots(contact);
	return contact;
}

function sortSlots(c: { email_addresses?: ContactEmail[]; phone_numbers?: ContactPhone[]; addresses?: ContactAddress[] }) {
	const order = (f: string) => ['EMAIL1', 'EMAIL2', 'EMAIL3', 'PHONE1', 'PHONE2', 'PHONE3', 'PHONE4', 'PHONE5', 'BILLING', 'SHIPPING', 'OTHER'].indexOf(f);
	c.email_addresses?.sort((a, b) => order(a.field) - order(b.field));
	c.phone_numbers?.sort((a, b) => order(a.field) - order(b.field));
	c.addresses?.sort((a, b) => order(a.field) - order(b.field));
}

// ---------------------------------------------------------------- neutral -> REST v2

function v2Email(e: ContactEmail, optInReason?: string): IDataObject {
	return compact({ field: e.field, email: e.email, opt_in_reason: optInReason });
}

function v2Phone(p: ContactPhone): IDataObject {
	return compact({ field: p.field, number: p.number, extension: p.extension, type: p.type });
}

function v2Address(a: ContactAddress): IDataObject {
	return compact({
		field: a.field,
		line1: a.line1,
		line2: a.line2,
		locality: a.locality,
		region_code: a.region_code,
		country_code: a.country_code,
		postal_code: a.postal_code,
		zip_four: a.zip_four,
	});
}

/**
 * The REST v2 body for a create (no `existing`) or an update. v2's PATCH replaces every
 * collection it is sent, so for an update each collection the input touches is merged into the
 * contact's current slots first (`existing`): setting EMAIL2 keeps EMAIL1 and EMAIL3.
 * Returns the body and, for updates, the update_mask naming exactly what is written.
 */
export function contactToV2(input: ContactInput, existing?: Contact): { body: IDataObject; updateMask: string[] } {
	const body: IDataObject = {};
	for (const [neutral, wire] of Object.entries(V2_SCALARS) as Array<[ContactScalarField, string]>) {
		const v = input[neutral];
		if (v !== undefined) body[wire] = v;
	}
	if (input.company_id !== undefined) body.company = { id: input.company_id };

	const merged = existing ? mergeCollections(existing, input) : input;
	if (input.email_addresses !== undefined || input.opt_in_reason !== undefined) {
		const emails = merged.email_addresses ?? [];
		body.email_addresses = emails.map((e) =>
			v2Email(e, input.opt_in_reason !== undefined && e.field === 'EMAIL1' ? input.opt_in_reason : undefined),
		);
	}
	if (input.phone_numbers !== undefined) body.phone_numbers = (merged.phone_numbers ?? []).map(v2Phone);
	if (input.addresses !== undefined) body.addresses = (merged.addresses ?? []).map(v2Address);
	if (input.social_accounts !== undefined)
		body.social_accounts = (merged.social_accounts ?? []).map((s) => ({ type: s.type, name: s.name }));
	if (input.custom_fields !== undefined)
		body.custom_fields = (merged.custom_fields ?? []).map((c) => ({ id: c.id, content: c.content }));
	return { body, updateMask: Object.keys(body) };
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
	sortSlots(out);
	return out;
}

/** True when an update writes a collection, which on v2 needs the current contact first. */
export function touchesCollections(input: ContactInput): boolean {
	return COLLECTIONS.some((c) => input[c] !== undefined) || input.opt_in_reason !== undefined;
}

/** The primary email of a contact, for look-ups and simplified output. */
// ---------------------------------------------------------------- REST v1 (upsert only)
//
// v2's duplicate_option upsert replaces every collection it is sent, so matching a contact by
// email would erase its EMAIL2/EMAIL3. v1's PUT /contacts updates "only the fields provided",
// so the node upserts through v1 (see RestClient.createContact). These two functions are the
// whole v1 mapping.

/** Neutral scalar -> REST v1 property. */
export const V1_SCALARS: Record<Exclude<ContactScalarField, 'company_id'>, string> = {
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
	if (input.phone_numbers) body.phone_numbers = input.phone_numbers.map(v2Phone);
	if (input.social_accounts) {
		body.social_accounts = input.social_accounts.map((a) => ({ type: V1_SOCIAL[a.type], name: a.name }));
	}
	if (input.custom_fields) body.custom_fields = input.custom_fields.map((c) => ({ id: Number(c.id), content: c.content }));
	if (input.opt_in_reason !== undefined) body.opt_in_reason = input.opt_in_reason;
	return body;
}

export function contactFromV1(raw: IDataObject): Contact {
	const contact = restContactBase(raw, V1_SCALARS);
	const source = str(raw.source_type);
	contact.source_type = source ? (SOURCE_TYPES.find((t) => t.replace(/_/g, '') === source) ?? source) : null;
	const company = raw.company as IDataObject | undefined;
	contact.company_id = str(company?.id);
	contact.company_name = str(company?.company_name ?? raw.company_name);
	const status = str(raw.email_status);
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
	for (const c of (raw.custom_fields as IDataObject[] | undefined) ?? []) {
		if (c.content === undefined || c.content === null || c.content === '') continue;
		contact.custom_fields.push({ id: String(c.id), content: c.content as string | number | boolean });
	}
	contact.tag_ids = ((raw.tag_ids as unknown[] | undefined) ?? []).map(String);
	contact.create_time = str(raw.date_created);
	contact.update_time = str(raw.last_updated);
	sortSlots(contact);
	return contact;
}

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

export type { ContactSocialAccount };

// ---------------------------------------------------------------- XML-RPC (Contact table)

/**
 * Neutral scalar -> XML-RPC Contact column. `source_type` has no column on the Contact table;
 * int columns are sent as <i4>, date columns as <dateTime.iso8601> (date part only).
 */
export const XMLRPC_SCALARS: Record<Exclude<ContactScalarField, 'source_type'>, string> = {
	given_name: 'FirstName',
	middle_name: 'MiddleName',
	family_name: 'LastName',
	prefix: 'Title',
	suffix: 'Suffix',
	preferred_name: 'Nickname',
	spouse_name: 'SpouseName',
	job_title: 'JobTitle',
	website: 'Website',
	time_zone: 'TimeZone',
	preferred_locale: 'Language',
	contact_type: 'ContactType',
	owner_id: 'OwnerID',
	lead_source_id: 'LeadSourceId',
	company_id: 'CompanyID',
	birthday: 'Birthday',
	anniversary: 'Anniversary',
};
const XMLRPC_INT_SCALARS = new Set<ContactScalarField>(['owner_id', 'lead_source_id', 'company_id']);
const XMLRPC_DATE_SCALARS = new Set<ContactScalarField>(['birthday', 'anniversary']);

const XMLRPC_EMAILS: Array<[EmailField, string]> = [
	['EMAIL1', 'Email'],
	['EMAIL2', 'EmailAddress2'],
	['EMAIL3', 'EmailAddress3'],
];
const XMLRPC_PHONES: PhoneField[] = ['PHONE1', 'PHONE2', 'PHONE3', 'PHONE4', 'PHONE5'];

/** The Contact columns of one address slot (BILLING = address 1, SHIPPING = 2, OTHER = 3). */
const XMLRPC_ADDRESSES: Record<AddressField, Record<'line1' | 'line2' | 'locality' | 'region' | 'postal_code' | 'zip_four' | 'country', string>> = {
	BILLING: {
		line1: 'StreetAddress1',
		line2: 'StreetAddress2',
		locality: 'City',
		region: 'State',
		postal_code: 'PostalCode',
		zip_four: 'ZipFour1',
		country: 'Country',
	},
	SHIPPING: {
		line1: 'Address2Street1',
		line2: 'Address2Street2',
		locality: 'City2',
		region: 'State2',
		postal_code: 'PostalCode2',
		zip_four: 'ZipFour2',
		country: 'Country2',
	},
	OTHER: {
		line1: 'Address3Street1',
		line2: 'Address3Street2',
		locality: 'City3',
		region: 'State3',
		postal_code: 'PostalCode3',
		zip_four: 'ZipFour3',
		country: 'Country3',
	},
};

/** The XML-RPC column of a custom field: `_` + its name (DataFormField.Name). */
export function xmlRpcCustomColumn(def: CustomFieldDefinition): string {
	return `_${def.field_name ?? def.id}`;
}

/** Every Contact column a read asks for (ContactService.load / DataService.query need a list). */
export function xmlRpcContactFields(defs: CustomFieldDefinition[]): string[] {
	const fields = ['Id', ...Object.values(XMLRPC_SCALARS), 'Company', ...XMLRPC_EMAILS.map(([, col]) => col)];
	for (const n of [1, 2, 3, 4, 5]) fields.push(`Phone${n}`, `Phone${n}Ext`, `Phone${n}Type`);
	for (const cols of Object.values(XMLRPC_ADDRESSES)) fields.push(...Object.values(cols));
	fields.push('Groups', 'DateCreated', 'LastUpdated');
	for (const d of defs) if (d.field_name) fields.push(xmlRpcCustomColumn(d));
	return fields;
}

function xmlText(value: unknown): string | null {
	if (value instanceof XmlRpcDateTime) return value.text;
	return str(value);
}

/** A date column's calendar date (Keap sends `19851210T00:00:00`): no zone conversion. */
function xmlDateOnly(value: unknown): string | null {
	const s = xmlText(value);
	if (!s) return null;
	const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(s);
	return m ? `${m[1]}-${m[2]}-${m[3]}` : s;
}

/** A date-time column (US Eastern wall time on the wire) as an ISO instant in UTC. */
export function xmlInstant(value: unknown): string | null {
	const s = xmlText(value);
	if (!s) return null;
	try {
		return new Date(parseKeapDate(s)).toISOString();
	} catch {
		return s;
	}
}

function customFromXmlRpc(def: CustomFieldDefinition, value: unknown): string | number | boolean | null {
	if (value === undefined || value === null || value === '') return null;
	switch (def.field_type) {
		case 'YES_NO':
			if (typeof value === 'boolean') return value;
			return ['1', 'true', 'yes'].includes(String(value).toLowerCase());
		case 'DATE':
			return xmlDateOnly(value);
		case 'DATE_TIME':
			return xmlInstant(value);
		case 'WHOLE_NUMBER':
		case 'DECIMAL_NUMBER':
		case 'CURRENCY':
		case 'PERCENT':
		case 'YEAR':
		case 'MONTH':
		case 'DAY_OF_WEEK':
		case 'USER': {
			const n = Number(value);
			return typeof value === 'number' || (String(value).trim() !== '' && Number.isFinite(n)) ? n : String(value);
		}
		default:
			return value instanceof XmlRpcDateTime ? value.text : String(value);
	}
}

/** A Contact row from XML-RPC (ContactService.load, findByEmail, DataService.query) -> neutral. */
export function contactFromXmlRpc(raw: Record<string, unknown>, defs: CustomFieldDefinition[]): Contact {
	const contact: Contact = {
		id: String(raw.Id),
		email_addresses: [],
		phone_numbers: [],
		addresses: [],
		social_accounts: [],
		custom_fields: [],
		tag_ids: [],
	};
	for (const [neutral, column] of Object.entries(XMLRPC_SCALARS) as Array<[ContactScalarField, string]>) {
		contact[neutral] = XMLRPC_DATE_SCALARS.has(neutral) ? xmlDateOnly(raw[column]) : xmlText(raw[column]);
	}
	contact.company_name = xmlText(raw.Company);
	for (const [field, column] of XMLRPC_EMAILS) {
		const email = xmlText(raw[column]);
		if (email) contact.email_addresses.push({ field, email });
	}
	XMLRPC_PHONES.forEach((field, i) => {
		const number = xmlText(raw[`Phone${i + 1}`]);
		if (!number) return;
		contact.phone_numbers.push(
			compact({
				field,
				number,
				extension: xmlText(raw[`Phone${i + 1}Ext`]) ?? undefined,
				type: xmlText(raw[`Phone${i + 1}Type`]) ?? undefined,
			}),
		);
	});
	for (const [field, cols] of Object.entries(XMLRPC_ADDRESSES) as Array<[AddressField, Record<string, string>]>) {
		const country = xmlText(raw[cols.country]);
		const countryCode = country ? countryCodeOf(country) : undefined;
		const state = xmlText(raw[cols.region]);
		const region = state ? regionOf(state, countryCode) : undefined;
		const address: ContactAddress = compact({
			field,
			line1: xmlText(raw[cols.line1]) ?? undefined,
			line2: xmlText(raw[cols.line2]) ?? undefined,
			locality: xmlText(raw[cols.locality]) ?? undefined,
			region_code: region?.code,
			region: region?.name,
			country_code: countryCode,
			postal_code: xmlText(raw[cols.postal_code]) ?? undefined,
			zip_four: xmlText(raw[cols.zip_four]) ?? undefined,
		});
		if (Object.keys(address).length > 1) contact.addresses.push(address);
	}
	for (const def of defs) {
		if (!def.field_name) continue;
		const content = customFromXmlRpc(def, raw[xmlRpcCustomColumn(def)]);
		if (content !== null && content !== '') contact.custom_fields.push({ id: def.id, content });
	}
	const groups = xmlText(raw.Groups);
	contact.tag_ids = groups ? groups.split(',').map((t) => t.trim()).filter(Boolean) : [];
	contact.create_time = xmlInstant(raw.DateCreated);
	contact.update_time = xmlInstant(raw.LastUpdated);
	return contact;
}

/** `YYYY-MM-DD` (or an ISO date-time, whose date part is used) as Keap's date-only dateTime. */
function xmlDate(value: string): XmlRpcDateTime {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
	if (!m) throw new Error(`"${value}" is not a date (YYYY-MM-DD)`);
	return new XmlRpcDateTime(`${m[1]}${m[2]}${m[3]}T00:00:00`);
}

function customToXmlRpc(def: CustomFieldDefinition, content: string | number | boolean | null): XmlRpcValue {
	if (content === null || content === '') return '';
	switch (def.field_type) {
		case 'YES_NO':
			return content === true || ['1', 'true', 'yes'].includes(String(content).toLowerCase()) ? 1 : 0;
		case 'DATE':
			return xmlDate(String(content));
		case 'DATE_TIME':
			return new XmlRpcDateTime(formatKeapDate(String(content)));
		case 'DECIMAL_NUMBER':
		case 'CURRENCY':
		case 'PERCENT':
			return new XmlRpcDouble(Number(content));
		case 'WHOLE_NUMBER':
		case 'YEAR':
		case 'MONTH':
		case 'DAY_OF_WEEK':
		case 'USER':
			return Number(content);
		default:
			return String(content);
	}
}

/**
 * The XML-RPC Contact struct for ContactService.add / update / addWithDupCheck. XML-RPC writes
 * only the columns it is sent, so an update needs no merge with the current record; a slot
 * (phone, address) the input sets is written whole, with '' clearing the columns the input
 * leaves empty, as REST's slot replacement does. On create, empty columns are left out.
 * `defs` are needed only when the input sets custom fields. Throws for what the Contact table
 * cannot hold (social accounts, source type). `opt_in_reason` is not a column: the client
 * sends it with APIEmailService.optIn.
 */
export function contactToXmlRpc(
	input: ContactInput,
	defs: CustomFieldDefinition[],
	mode: 'create' | 'update',
): Record<string, XmlRpcValue> {
	const out: Record<string, XmlRpcValue> = {};
	const put = (column: string, value: string | undefined) => {
		if (value !== undefined && value !== '') out[column] = value;
		else if (mode === 'update') out[column] = '';
	};
	if (input.social_accounts?.length) {
		throw new InputError('Social Accounts', 'Keap’s XML-RPC API has no social accounts on contacts; use the REST API for them');
	}
	if (input.source_type !== undefined && input.source_type !== '') {
		throw new InputError('Source Type', 'Keap’s XML-RPC Contact table has no source type; use the REST API to set it');
	}
	for (const [neutral, column] of Object.entries(XMLRPC_SCALARS) as Array<[ContactScalarField, string]>) {
		const v = input[neutral];
		if (v === undefined) continue;
		if (v === '') out[column] = '';
		else if (XMLRPC_INT_SCALARS.has(neutral)) out[column] = Number(v);
		else if (XMLRPC_DATE_SCALARS.has(neutral)) out[column] = xmlDate(v);
		else out[column] = v;
	}
	for (const e of input.email_addresses ?? []) {
		const column = XMLRPC_EMAILS.find(([field]) => field === e.field)?.[1];
		if (column) put(column, e.email);
	}
	for (const p of input.phone_numbers ?? []) {
		const n = XMLRPC_PHONES.indexOf(p.field) + 1;
		if (n < 1) continue;
		put(`Phone${n}`, p.number);
		put(`Phone${n}Ext`, p.extension);
		put(`Phone${n}Type`, p.type);
	}
	for (const a of input.addresses ?? []) {
		const cols = XMLRPC_ADDRESSES[a.field];
		if (!cols) continue;
		put(cols.line1, a.line1);
		put(cols.line2, a.line2);
		put(cols.locality, a.locality);
		put(cols.region, a.region_code ? regionTextOf(a.region_code) : a.region);
		put(cols.postal_code, a.postal_code);
		put(cols.zip_four, a.zip_four);
		put(cols.country, a.country_code ? (countryNameOf(a.country_code) ?? a.country_code) : undefined);
	}
	for (const c of input.custom_fields ?? []) {
		const def = defs.find((d) => d.id === c.id);
		if (!def?.field_name) throw new InputError(`Custom Fields > ${c.id}`, `Keap has no contact custom field with ID ${c.id}`);
		out[xmlRpcCustomColumn(def)] = customToXmlRpc(def, c.content);
	}
	return out;
}
