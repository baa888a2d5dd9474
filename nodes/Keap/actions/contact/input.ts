/**
 * The contact parameters of one item (see fields.ts) read into a checked, API-neutral
 * ContactInput: every value is checked before anything is sent, naming the item's field.
 */
import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

import type {
	AddressField,
	ContactAddress,
	ContactCustomFieldValue,
	ContactInput,
	ContactPhone,
	EmailField,
	PhoneField,
	SocialType,
} from '../../model/contact';
import { checkCustomFieldValue, type CustomFieldDefinition } from '../../model/customField';
import {
	checkCountryCode,
	checkDate,
	checkEmail,
	checkId,
	checkPhone,
	checkRegionCode,
	checkWebsite,
	InputError,
} from '../../model/validate';
import { locatorValue } from '../common/locator';

/** Fields named in "Additional Fields" that are not plain scalar contact properties. */
const NON_SCALAR = new Set(['email', 'email_2', 'email_3', 'opt_in_reason', 'opt_out_reason', 'tags']);

function fail(field: string, message: string): never {
	throw new InputError(field, message);
}

export interface ContactParameters {
	input: ContactInput;
	/** Tag names or ids to apply after the write. */
	tags: string[];
	/** Opt the primary email out after the write, with this reason. */
	optOutReason?: string;
}

/**
 * Reads the contact parameters of item i (`fieldsParameter` is "additionalFields" or
 * "updateFields"), checks every value and returns the neutral input. Custom field definitions
 * are only fetched when the item sets custom fields.
 */
export async function readContactParameters(
	ctx: IExecuteFunctions,
	i: number,
	fieldsParameter: string,
	getCustomFields: () => Promise<CustomFieldDefinition[]>,
	primaryEmail?: string,
): Promise<ContactParameters> {
	const input: ContactInput = {};
	const fields = ctx.getNodeParameter(fieldsParameter, i, {}) as IDataObject;
	const emails: Array<{ field: EmailField; email: string }> = [];
	const email1 = primaryEmail ?? (fields.email as string | undefined);
	if (email1) emails.push({ field: 'EMAIL1', email: checkEmail('Email', email1) });
	if (fields.email_2) emails.push({ field: 'EMAIL2', email: checkEmail('Email 2', String(fields.email_2)) });
	if (fields.email_3) emails.push({ field: 'EMAIL3', email: checkEmail('Email 3', String(fields.email_3)) });
	if (emails.length) input.email_addresses = emails;
	if (fields.opt_in_reason) {
		if (!email1) fail('Email Opt-In Reason', 'an opt-in reason needs the contact’s primary email in the same request');
		input.opt_in_reason = String(fields.opt_in_reason);
	}

	const optOutReason = String(fields.opt_out_reason ?? '').trim() || undefined;
	if (optOutReason && input.opt_in_reason) {
		fail('Email Opt-Out Reason', 'an email cannot be opted in and out in one write: set only one of the two reasons');
	}

	for (const [key, raw] of Object.entries(fields)) {
		if (NON_SCALAR.has(key) || raw === '' || raw === undefined || raw === null) continue;
		// Owner and Company are resource locators (older workflows hold plain IDs).
		const value = locatorValue(raw).value;
		if (value === '') continue;
		switch (key) {
			case 'birthday':
				input.birthday = checkDate('Birthday', value);
				break;
			case 'anniversary':
				input.anniversary = checkDate('Anniversary', value);
				break;
			case 'website':
				input.website = checkWebsite('Website', value);
				break;
			case 'owner_id':
				input.owner_id = checkId('Owner', value);
				break;
			case 'lead_source_id':
				input.lead_source_id = checkId('Lead Source', value);
				break;
			case 'company_id':
				input.company_id = checkId('Company', value);
				break;
			case 'given_name':
			case 'middle_name':
			case 'family_name':
			case 'prefix':
			case 'suffix':
			case 'preferred_name':
			case 'spouse_name':
			case 'job_title':
			case 'time_zone':
			case 'preferred_locale':
			case 'contact_type':
			case 'source_type':
				input[key] = value;
				break;
			default:
				fail(key, `"${key}" is not a contact field this node knows`);
		}
	}

	const phones = ((ctx.getNodeParameter('phones.phone', i, []) as IDataObject[]) ?? []).map(
		(p, n): ContactPhone => {
			const label = `Phones > Phone ${n + 1}`;
			const phone: ContactPhone = { field: p.field as PhoneField, number: checkPhone(label, String(p.number ?? '')) };
			if (p.extension) phone.extension = String(p.extension);
			if (p.type) phone.type = String(p.type);
			return phone;
		},
	);
	if (new Set(phones.map((p) => p.field)).size !== phones.length) fail('Phones', 'each phone slot can be used once');
	if (phones.length) input.phone_numbers = phones;

	const addresses = ((ctx.getNodeParameter('addresses.address', i, []) as IDataObject[]) ?? []).map(
		(a): ContactAddress => {
			const label = `Addresses > ${String(a.field)}`;
			const address: ContactAddress = { field: a.field as AddressField };
			for (const k of ['line1', 'line2', 'locality', 'postal_code', 'zip_four'] as const) {
				if (a[k]) address[k] = String(a[k]).trim();
			}
			if (a.region_code) address.region_code = checkRegionCode(`${label} > Region Code`, String(a.region_code));
			if (a.country_code) address.country_code = checkCountryCode(`${label} > Country Code`, String(a.country_code));
			if (address.region_code && !address.country_code) {
				fail(`${label} > Country Code`, 'a country code is required when a region code is set');
			}
			return address;
		},
	);
	if (new Set(addresses.map((a) => a.field)).size !== addresses.length) fail('Addresses', 'each address type can be used once');
	if (addresses.length) input.addresses = addresses;

	const social = (ctx.getNodeParameter('socialAccounts.account', i, []) as IDataObject[]) ?? [];
	if (social.length) {
		input.social_accounts = social
			.filter((s) => s.name)
			.map((s) => ({ type: s.type as SocialType, name: String(s.name).trim() }));
	}

	const mapper = ctx.getNodeParameter('customFields', i, null) as ResourceMapperValue | null;
	const values = mapper?.value ?? {};
	const entries = Object.entries(values).filter(([, v]) => v !== undefined);
	if (entries.length) {
		const defs = await getCustomFields();
		const custom: ContactCustomFieldValue[] = [];
		for (const [key, value] of entries) {
			const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.label.toLowerCase() === key.toLowerCase());
			if (!def) fail(`Custom Fields > ${key}`, `Keap has no contact custom field "${key}"`);
			custom.push({ id: def.id, content: checkCustomFieldValue(def, value) });
		}
		input.custom_fields = custom;
	}

	const tagsParam = fields.tags;
	const tags = (Array.isArray(tagsParam) ? tagsParam : typeof tagsParam === 'string' ? tagsParam.split(',') : [])
		.map((t) => String(t).trim())
		.filter(Boolean);
	return { input, tags, optOutReason };
}
