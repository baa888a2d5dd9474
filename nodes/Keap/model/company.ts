/**
 * Keap companies in the shape every operation works with. A Keap company has one email, one
 * phone, one fax and one address (it is stored as a contact-like record), scalar properties
 * about the company and its main contact person, custom fields and tags (REST v2 reports the
 * tag ids as a comma-separated `groups`). Mapped to and from REST v2 in transport/rest/companies.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';
import type { ContactCustomFieldValue } from './contact';

/** Scalar company properties, by their REST v2 names. */
export const COMPANY_SCALAR_FIELDS = [
	'company_name',
	'website',
	'notes',
	'title',
	'first_name',
	'middle_name',
	'last_name',
	'suffix',
	'preferred_name',
	'spouse_name',
	'job_title',
	'assistant_name',
	'assistant_phone',
	'billing_information',
	'contact_type',
	'referral_code',
	'owner_id',
	'anniversary_date',
	'birth_date',
] as const;
export type CompanyScalarField = (typeof COMPANY_SCALAR_FIELDS)[number];

export interface CompanyPhone {
	number: string;
	extension?: string;
	type?: string;
}

export interface CompanyFax {
	number: string;
	type?: string;
}

export interface CompanyAddress {
	line1?: string;
	line2?: string;
	locality?: string;
	/** ISO 3166-2 code, e.g. US-AZ. */
	region_code?: string;
	/** The region's name as Keap reports it (read-only). */
	region?: string;
	/** ISO 3166-1 alpha-3, e.g. USA. */
	country_code?: string;
	postal_code?: string;
	zip_four?: string;
}

export type Company = Partial<Record<CompanyScalarField, string | null>> & {
	id: string;
	email: string | null;
	/** Marketing status of the company's email (v2 spelling, e.g. SINGLE_OPT_IN). */
	email_opt_status?: string | null;
	phone: CompanyPhone | null;
	fax: CompanyFax | null;
	address: CompanyAddress | null;
	/** Custom field values by id (labels are added by the output step). */
	custom_fields: ContactCustomFieldValue[];
	tag_ids: string[];
	create_time?: string | null;
	update_time?: string | null;
};

/**
 * What the user wants written; an absent property is not touched. `phone`, `fax` and `address`
 * name only the parts to set: an update lays them over the company's current values.
 */
export type CompanyInput = Partial<Record<CompanyScalarField, string>> & {
	email?: string;
	/** Marks the company's email as marketable with this reason (needs `email`). */
	opt_in_reason?: string;
	phone?: CompanyPhone;
	fax?: CompanyFax;
	address?: CompanyAddress;
	custom_fields?: ContactCustomFieldValue[];
};

export type CompanyOrder = 'id' | 'create_time' | 'name' | 'email';

export interface CompanyQuery {
	/** Exact company name (Keap's `company_name` filter). */
	company_name?: string;
	/** Name prefix, ending with * (Keap's `name` filter, case-insensitive). */
	name_prefix?: string;
	email?: string;
	/** City / state (region name), a trailing * for a prefix. */
	city?: string;
	state?: string;
	/** ISO date-times, inclusive bounds on the last update. */
	updated_since?: string;
	updated_until?: string;
	/** Only companies whose id is greater than this (reading a listing by id, not by page token). */
	id_after?: string;
	order_by?: CompanyOrder;
	order_direction?: 'asc' | 'desc';
}

/** The parts of phone, fax and address the input sets laid over the current ones. */
export function mergeCompanyParts(existing: Company, input: CompanyInput): CompanyInput {
	const out: CompanyInput = { ...input };
	if (input.phone) out.phone = { ...(existing.phone ?? {}), ...input.phone };
	if (input.fax) out.fax = { ...(existing.fax ?? {}), ...input.fax };
	if (input.address) {
		const current = { ...(existing.address ?? {}) };
		// A new region code replaces the region name Keap derived from the old one.
		if (input.address.region_code) delete current.region;
		out.address = { ...current, ...input.address };
	}
	if (input.custom_fields) {
		const byId = new Map(existing.custom_fields.map((c) => [c.id, c]));
		for (const c of input.custom_fields) byId.set(c.id, c);
		out.custom_fields = [...byId.values()];
	}
	return out;
}

/** Compact output: the fields most workflows use, flat. */
export function simplifyCompany(c: Company): IDataObject {
	return compact({
		id: c.id,
		company_name: c.company_name,
		email: c.email,
		phone: c.phone?.number,
		website: c.website,
		city: c.address?.locality,
		country_code: c.address?.country_code,
		owner_id: c.owner_id,
		tag_ids: c.tag_ids,
		create_time: c.create_time,
		update_time: c.update_time,
	}) as IDataObject;
}
