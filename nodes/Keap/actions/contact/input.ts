/**
 * The contact parameters of one item (see fields.ts) read into a checked, API-neutral
 * ContactInput: every value is checked for its type and Keap's length before anything is
 * sent, and a bad one fails the item naming its field (messages quote at most an excerpt).
 */
import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

import type {
	AddressField,
	ContactAddress,
	ContactCustomFieldValue,
	ContactInput,
	ContactPhone,
	ContactScalarField,
	EmailField,
	PhoneField,
	SocialType,
} from '../../model/contact';
import { checkCustomFieldValue, type CustomFieldDefinition } from '../../model/customField';
import { contactTextLength, DEFAULT_TEXT_LENGTH } from '../../model/lengths';
import {
	checkCountryCode,
	checkDate,
	checkEmail,
	checkId,
	checkPhone,
	checkRegionCode,
	checkText,
	checkWebsite,
	excerpt,
	InputError,
	kindOf,
} from '../../model/validate';
import { isRegionOf } from '../../transport/geo';
import { readTagRefs } from '../common/tagging';

/** Fields named in "Additional Fields" that are not plain scalar contact properties. */
const NON_SCALAR = new Set(['email', 'email_2', 'email_3', 'opt_in_reason', 'opt_out_reason', 'tags']);

/** Fields picked with a resource locator (From List / By ID). */
const LOCATOR_FIELDS = new Set<string>(['owner_id', 'company_id']);

function isLocator(raw: unknown): raw is { value: unknown } {
	return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw && 'mode' in raw;
}

/** The label of each scalar field in the node's parameters, for messages. */
const SCALAR_LABELS: Record<ContactScalarField, string> = {
	given_name: 'First Name',
	middle_name: 'Middle Name',
	family_name: 'Last Name',
	prefix: 'Prefix',
	suffix: 'Suffix',
	preferred_name: 'Preferred Name',
	spouse_name: 'Spouse Name',
	job_title: 'Job Title',
	website: 'Website',
	time_zone: 'Time Zone',
	preferred_locale: 'Locale',
	contact_type: 'Contact Type',
	source_type: 'Source Type',
	owner_id: 'Owner',
	lead_source_id: 'Lead Source',
	company_id: 'Company',
	birthday: 'Birthday',
	anniversary: 'Anniversary',
};

function fail(field: string, message: string): never {
	throw new InputError(field, message);
}

/**
 * An email parameter: one address as text. Absent (empty, null, missing) is undefined, or an
 * error when `required`; a list, an object or a number is refused by what it is.
 */
export function readEmail(field: string, value: unknown, required = false): string | undefined {
	if (Array.isArray(value)) {
		fail(field, `expected one email address, got ${kindOf(value)} (Email 2 and Email 3 take more)`);
	}
	if (value !== null && value !== undefined && typeof value !== 'string') {
		fail(field, `expected an email address, got ${kindOf(value)}`);
	}
	// checkEmail bounds the length (and says so); any text is read first.
	const text = checkText(field, value, Number.POSITIVE_INFINITY);
	if (text === undefined) {
		if (required) fail(field, 'an email is required to create or update a contact');
		return undefined;
	}
	return checkEmail(field, text);
}

/** A value of a fixed collection entry (phone, address, social account) as bounded text. */
function entryText(field: string, value: unknown): string | undefined {
	return checkText(field, value, DEFAULT_TEXT_LENGTH);
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
 * are only fetched when the item sets custom fields. `primaryEmail` is the operation's own
 * Email parameter, already read with readEmail.
 */
export async function readContactParameters(
	ctx: IExecuteFunctions,
	i: number,
	fieldsParameter: string,
	getCustomFields: () => Promise<CustomFieldDefinition[]>,
	primaryEmail?: string,
): Promise<ContactParameters> {
	const input: ContactInput = {};
	const fields = (ctx.getNodeParameter(fieldsParameter, i, {}) as IDataObject | null) ?? {};
	const emails: Array<{ field: EmailField; email: string }> = [];
	const email1 = primaryEmail ?? readEmail('Email', fields.email);
	const email2 = readEmail('Email 2', fields.email_2);
	const email3 = readEmail('Email 3', fields.email_3);
	if (email1) emails.push({ field: 'EMAIL1', email: email1 });
	if (email2) emails.push({ field: 'EMAIL2', email: email2 });
	if (email3) emails.push({ field: 'EMAIL3', email: email3 });
	if (emails.length) input.email_addresses = emails;
	const optIn = checkText('Email Opt-In Reason', fields.opt_in_reason, DEFAULT_TEXT_LENGTH);
	if (optIn) {
		if (!email1) fail('Email Opt-In Reason', 'an opt-in reason needs the contact’s primary email in the same request');
		input.opt_in_reason = optIn;
	}

	const optOutReason = checkText('Email Opt-Out Reason', fields.opt_out_reason, DEFAULT_TEXT_LENGTH) || undefined;
	if (optOutReason && input.opt_in_reason) {
		fail('Email Opt-Out Reason', 'an email cannot be opted in and out in one write: set only one of the two reasons');
	}

	for (const [key, raw] of Object.entries(fields)) {
		if (NON_SCALAR.has(key)) continue;
		if (!(key in SCALAR_LABELS)) fail(excerpt(key), 'this is not a contact field this node knows');
		const field = key as ContactScalarField;
		const label = SCALAR_LABELS[field];
		// Owner and Company are resource locators ({ mode, value }); older workflows hold plain IDs.
		const given = LOCATOR_FIELDS.has(field) && isLocator(raw) ? raw.value : raw;
		const value = checkText(label, given, contactTextLength(field));
		if (value === undefined) continue;
		switch (field) {
			case 'birthday':
			case 'anniversary':
				input[field] = checkDate(label, value);
				break;
			case 'website':
				input.website = checkWebsite(label, value);
				break;
			case 'owner_id':
			case 'lead_source_id':
			case 'company_id':
				input[field] = checkId(label, value);
				break;
			default:
				input[field] = value;
		}
	}

	const phoneEntries = (ctx.getNodeParameter('phones.phone', i, []) as IDataObject[] | null) ?? [];
	const phones = phoneEntries.map((p, n): ContactPhone => {
		const label = `Phones > Phone ${n + 1}`;
		const number = entryText(`${label} > Number`, p.number) ?? '';
		const phone: ContactPhone = { field: p.field as PhoneField, number: checkPhone(`${label} > Number`, number) };
		const extension = entryText(`${label} > Extension`, p.extension);
		const type = entryText(`${label} > Type`, p.type);
		if (extension) phone.extension = extension;
		if (type) phone.type = type;
		return phone;
	});
	if (new Set(phones.map((p) => p.field)).size !== phones.length) fail('Phones', 'each phone slot can be used once');
	if (phones.length) input.phone_numbers = phones;

	const addressEntries = (ctx.getNodeParameter('addresses.address', i, []) as IDataObject[] | null) ?? [];
	const addresses = addressEntries.map((a): ContactAddress => {
		const label = `Addresses > ${String(a.field)}`;
		const address: ContactAddress = { field: a.field as AddressField };
		const names = { line1: 'Street Line 1', line2: 'Street Line 2', locality: 'City', postal_code: 'Postal Code', zip_four: 'ZIP+4' };
		for (const [k, name] of Object.entries(names) as Array<[keyof typeof names, string]>) {
			const v = entryText(`${label} > ${name}`, a[k]);
			if (v) address[k] = v;
		}
		const region = entryText(`${label} > Region Code`, a.region_code);
		const country = entryText(`${label} > Country Code`, a.country_code);
		if (region) address.region_code = checkRegionCode(`${label} > Region Code`, region);
		if (country) address.country_code = checkCountryCode(`${label} > Country Code`, country);
		if (address.region_code && !address.country_code) {
			fail(`${label} > Country Code`, 'a country code is required when a region code is set');
		}
		if (address.region_code && address.country_code && !isRegionOf(address.region_code, address.country_code)) {
			fail(
				`${label} > Region Code`,
				`${excerpt(address.region_code)} is not an ISO 3166-2 region of ${address.country_code} (for example US-AZ for USA)`,
			);
		}
		return address;
	});
	if (new Set(addresses.map((a) => a.field)).size !== addresses.length) fail('Addresses', 'each address type can be used once');
	if (addresses.length) input.addresses = addresses;

	const social = (ctx.getNodeParameter('socialAccounts.account', i, []) as IDataObject[] | null) ?? [];
	const accounts = social
		.map((s, n) => ({ type: s.type as SocialType, name: entryText(`Social Accounts > Account ${n + 1}`, s.name) }))
		.filter((s): s is { type: SocialType; name: string } => s.name !== undefined);
	if (social.length) input.social_accounts = accounts;

	const mapper = ctx.getNodeParameter('customFields', i, null) as ResourceMapperValue | null;
	const values = mapper?.value ?? {};
	const entries = Object.entries(values).filter(([, v]) => v !== undefined);
	if (entries.length) {
		const defs = await getCustomFields();
		const custom: ContactCustomFieldValue[] = [];
		for (const [key, value] of entries) {
			const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.label.toLowerCase() === key.toLowerCase());
			if (!def) fail(`Custom Fields > ${excerpt(key)}`, `Keap has no contact custom field ${excerpt(key)}`);
			custom.push({ id: def.id, content: checkCustomFieldValue(def, value) });
		}
		input.custom_fields = custom;
	}

	return { input, tags: readTagRefs('Tag Names or IDs', fields.tags), optOutReason };
}
