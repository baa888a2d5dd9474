/**
 * A contact on REST v2, both ways: the neutral -> v2 body of a create or update, and a v2
 * record -> the neutral contact. The phone, address and scalar readers also read v1's
 * spelling, which is alike. The table of every API's names is in
 * model/contact.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact, text } from '../../model/common';
import {
	mergeCollections,
	sortContactSlots,
	type AddressField,
	type Contact,
	type ContactAddress,
	type ContactEmail,
	type ContactInput,
	type ContactPhone,
	type ContactScalarField,
	type EmailField,
	type SocialType,
} from '../../model/contact';
import { regionOf } from '../geo';

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

function dateOnly(value: unknown): string | null {
	const s = text(value);
	if (!s) return null;
	const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
	return m ? m[1] : s;
}

// ---------------------------------------------------------------- REST (v1 or v2) -> neutral

/** Phone numbers of a REST v1 or v2 contact (the two APIs spell them alike). */
export function phonesFromRest(raw: IDataObject): ContactPhone[] {
	return ((raw.phone_numbers as IDataObject[] | undefined) ?? [])
		.filter((p) => p.number)
		.map((p) =>
			compact({
				field: p.field as ContactPhone['field'],
				number: String(p.number),
				extension: text(p.extension) ?? undefined,
				type: text(p.type) ?? undefined,
			}),
		);
}

/**
 * Addresses of a REST v1 or v2 contact. v1 reports the region by name only; the neutral shape
 * carries the ISO 3166-2 code too, derived from the name where Keap did not send it.
 */
export function addressesFromRest(raw: IDataObject): ContactAddress[] {
	return ((raw.addresses as IDataObject[] | undefined) ?? []).map((a) => {
		const region = text(a.region);
		const country = text(a.country_code) ?? undefined;
		const regionCode = text(a.region_code) ?? (region ? regionOf(region, country).code : undefined);
		return compact({
			field: a.field as AddressField,
			line1: text(a.line1) ?? undefined,
			line2: text(a.line2) ?? undefined,
			locality: text(a.locality) ?? undefined,
			region_code: regionCode ?? undefined,
			region: region ?? undefined,
			country_code: country,
			postal_code: text(a.postal_code ?? a.zip_code) ?? undefined,
			zip_four: text(a.zip_four) ?? undefined,
		});
	});
}

/** Custom field values of a REST v1 or v2 contact (empty values left out). */
export function customFieldsFromRest(raw: IDataObject): Contact['custom_fields'] {
	const out: Contact['custom_fields'] = [];
	for (const c of (raw.custom_fields as IDataObject[] | undefined) ?? []) {
		if (c.content === undefined || c.content === null || c.content === '') continue;
		out.push({ id: String(c.id), content: c.content as string | number | boolean });
	}
	return out;
}

/** A REST (v1 or v2) contact's id and scalar properties, read through that API's name table. */
export function restContactBase(raw: IDataObject, scalars: Record<string, string>): Contact {
	// Never a contact with the id "undefined": the callers check the answer (recordOf), this is the backstop.
	if (raw.id === undefined || raw.id === null || raw.id === '') throw new Error('Keap sent a contact without an id');
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
		contact[neutral] = neutral === 'birthday' || neutral === 'anniversary' ? dateOnly(raw[wire]) : text(raw[wire]);
	}
	return contact;
}

// ---------------------------------------------------------------- REST v2 -> neutral

export function contactFromV2(raw: IDataObject): Contact {
	const contact = restContactBase(raw, V2_SCALARS);
	const company = raw.company as IDataObject | undefined;
	contact.company_id = text(company?.id);
	contact.company_name = text(company?.company_name);
	for (const e of (raw.email_addresses as IDataObject[] | undefined) ?? []) {
		if (!e.email || e.field === 'EMAIL_FIELD_UNSPECIFIED') continue;
		contact.email_addresses.push(
			compact({ field: e.field as EmailField, email: String(e.email), opt_status: text(e.email_opt_status) ?? undefined }),
		);
	}
	contact.phone_numbers = phonesFromRest(raw);
	contact.addresses = addressesFromRest(raw);
	for (const s of (raw.social_accounts as IDataObject[] | undefined) ?? []) {
		if (!s.name) continue;
		contact.social_accounts.push({ type: s.type as SocialType, name: String(s.name) });
	}
	contact.custom_fields = customFieldsFromRest(raw);
	contact.tag_ids = ((raw.tag_ids as unknown[] | undefined) ?? []).map(String);
	contact.create_time = text(raw.create_time);
	contact.update_time = text(raw.update_time);
	sortContactSlots(contact);
	return contact;
}

// ---------------------------------------------------------------- neutral -> REST v2

function v2Email(e: ContactEmail, optInReason?: string): IDataObject {
	return compact({ field: e.field, email: e.email, opt_in_reason: optInReason });
}

/** A phone as REST (v1 and v2) takes it. */
export function restPhone(p: ContactPhone): IDataObject {
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
	if (input.phone_numbers !== undefined) body.phone_numbers = (merged.phone_numbers ?? []).map(restPhone);
	if (input.addresses !== undefined) body.addresses = (merged.addresses ?? []).map(v2Address);
	if (input.social_accounts !== undefined)
		body.social_accounts = (merged.social_accounts ?? []).map((s) => ({ type: s.type, name: s.name }));
	if (input.custom_fields !== undefined)
		body.custom_fields = (merged.custom_fields ?? []).map((c) => ({ id: c.id, content: c.content }));
	return { body, updateMask: Object.keys(body) };
}
