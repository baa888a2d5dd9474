/**
 * The contact fields shared by Create, Create or Update and Update: their parameters and the
 * one function that turns them into a checked, API-neutral ContactInput.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import type {
	AddressField,
	ContactAddress,
	ContactCustomFieldValue,
	ContactInput,
	ContactPhone,
	CustomFieldDefinition,
	EmailField,
	PhoneField,
	SocialType,
} from '../../model/types';
import { SOURCE_TYPES } from '../../model/types';
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
import { outputProperty } from '../common/contact';

const SOCIAL_TYPES: Array<[string, SocialType]> = [
	['Facebook', 'FACEBOOK'],
	['Instagram', 'INSTAGRAM'],
	['LinkedIn', 'LINKED_IN'],
	['Pinterest', 'PINTEREST'],
	['Snapchat', 'SNAPCHAT'],
	['Twitter / X', 'TWITTER'],
	['YouTube', 'YOUTUBE'],
];

/** Scalar fields, as options of the "Additional Fields" / "Update Fields" collections. */
export function contactFieldOptions(includePrimaryEmail: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ displayName: 'Anniversary', name: 'anniversary', type: 'dateTime', default: '' },
		{ displayName: 'Birthday', name: 'birthday', type: 'dateTime', default: '' },
		{
			displayName: 'Company ID',
			name: 'company_id',
			type: 'string',
			default: '',
			description: 'ID of the Keap company record this contact belongs to',
		},
		{
			displayName: 'Contact Type Name or ID',
			name: 'contact_type',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getContactTypes' },
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
		{ displayName: 'Email 2', name: 'email_2', type: 'string', placeholder: 'name@email.com', default: '' },
		{ displayName: 'Email 3', name: 'email_3', type: 'string', placeholder: 'name@email.com', default: '' },
		{
			displayName: 'Email Opt-In Reason',
			name: 'opt_in_reason',
			type: 'string',
			default: '',
			description:
				'Marks the primary email as marketable, recording this reason as the contact’s consent (for example "Signed up on website form")',
		},
		{ displayName: 'First Name', name: 'given_name', type: 'string', default: '' },
		{ displayName: 'Job Title', name: 'job_title', type: 'string', default: '' },
		{ displayName: 'Last Name', name: 'family_name', type: 'string', default: '' },
		{
			displayName: 'Lead Source Name or ID',
			name: 'lead_source_id',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getLeadSources' },
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
		{ displayName: 'Locale', name: 'preferred_locale', type: 'string', default: '', placeholder: 'en_US' },
		{ displayName: 'Middle Name', name: 'middle_name', type: 'string', default: '' },
		{
			displayName: 'Owner Name or ID',
			name: 'owner_id',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getOwners' },
			default: '',
			description:
				'Keap user who owns the contact. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{ displayName: 'Preferred Name', name: 'preferred_name', type: 'string', default: '' },
		{ displayName: 'Prefix', name: 'prefix', type: 'string', default: '', placeholder: 'Dr.' },
		{
			displayName: 'Source Type',
			name: 'source_type',
			type: 'options',
			options: SOURCE_TYPES.map((s) => ({ name: s, value: s })),
			default: 'API',
		},
		{ displayName: 'Spouse Name', name: 'spouse_name', type: 'string', default: '' },
		{ displayName: 'Suffix', name: 'suffix', type: 'string', default: '', placeholder: 'Jr' },
		{
			displayName: 'Tag Names or IDs',
			name: 'tags',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getTags' },
			default: [],
			description:
				'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
		{ displayName: 'Time Zone', name: 'time_zone', type: 'string', default: '', placeholder: 'America/New_York' },
		{ displayName: 'Website', name: 'website', type: 'string', default: '', placeholder: 'https://example.com' },
	];
	if (includePrimaryEmail) {
		fields.push({ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' });
		fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	return fields;
}

/** Phones, addresses, social accounts and custom fields: the collection parameters. */
export function contactCollectionProperties(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{
			displayName: 'Phones',
			name: 'phones',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: 5 },
			placeholder: 'Add Phone',
			default: {},
			displayOptions,
			options: [
				{
					displayName: 'Phone',
					name: 'phone',
					values: [
						{
							displayName: 'Slot',
							name: 'field',
							type: 'options',
							options: [1, 2, 3, 4, 5].map((n) => ({ name: `Phone ${n}`, value: `PHONE${n}` })),
							default: 'PHONE1',
						},
						{ displayName: 'Number', name: 'number', type: 'string', default: '', placeholder: '+1 555 123 4567' },
						{ displayName: 'Extension', name: 'extension', type: 'string', default: '' },
						{ displayName: 'Type', name: 'type', type: 'string', default: '', placeholder: 'Work' },
					],
				},
			],
		},
		{
			displayName: 'Addresses',
			name: 'addresses',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: 3 },
			placeholder: 'Add Address',
			default: {},
			displayOptions,
			options: [
				{
					displayName: 'Address',
					name: 'address',
					values: [
						{
							displayName: 'Type',
							name: 'field',
							type: 'options',
							options: [
								{ name: 'Billing', value: 'BILLING' },
								{ name: 'Shipping', value: 'SHIPPING' },
								{ name: 'Other', value: 'OTHER' },
							],
							default: 'BILLING',
						},
						{ displayName: 'Street Line 1', name: 'line1', type: 'string', default: '' },
						{ displayName: 'Street Line 2', name: 'line2', type: 'string', default: '' },
						{ displayName: 'City', name: 'locality', type: 'string', default: '' },
						{
							displayName: 'Region Code',
							name: 'region_code',
							type: 'string',
							default: '',
							placeholder: 'US-AZ',
							description: 'ISO 3166-2 code of the state or province',
						},
						{ displayName: 'Postal Code', name: 'postal_code', type: 'string', default: '' },
						{ displayName: 'ZIP+4', name: 'zip_four', type: 'string', default: '' },
						{
							displayName: 'Country Code',
							name: 'country_code',
							type: 'string',
							default: '',
							placeholder: 'USA',
							description: 'ISO 3166-1 alpha-3 country code',
						},
					],
				},
			],
		},
		{
			displayName: 'Social Accounts',
			name: 'socialAccounts',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Social Account',
			default: {},
			displayOptions,
			options: [
				{
					displayName: 'Social Account',
					name: 'account',
					values: [
						{
							displayName: 'Network',
							name: 'type',
							type: 'options',
							options: SOCIAL_TYPES.map(([name, value]) => ({ name, value })),
							default: 'FACEBOOK',
						},
						{ displayName: 'Handle or URL', name: 'name', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Custom Fields',
			name: 'customFields',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			displayOptions,
			typeOptions: {
				loadOptionsDependsOn: ['authentication', 'api'],
				resourceMapper: {
					resourceMapperMethod: 'getCustomFieldColumns',
					mode: 'add',
					valuesLabel: 'Custom Fields',
					fieldWords: { singular: 'custom field', plural: 'custom fields' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: false,
				},
			},
		},
	];
}

/** Fields named in "Additional Fields" that are not plain scalar contact properties. */
const NON_SCALAR = new Set(['email', 'email_2', 'email_3', 'opt_in_reason', 'tags']);

function fail(field: string, message: string): never {
	throw new InputError(field, message);
}

function customFieldContent(def: CustomFieldDefinition, value: unknown): string | number | boolean | null {
	const field = `Custom Fields > ${def.label}`;
	if (value === null || value === undefined || value === '') return null;
	switch (def.field_type) {
		case 'WHOLE_NUMBER':
		case 'YEAR':
		case 'MONTH':
		case 'DAY_OF_WEEK':
		case 'USER': {
			const n = Number(value);
			if (!Number.isInteger(n)) fail(field, `"${String(value)}" is not a whole number`);
			return n;
		}
		case 'DECIMAL_NUMBER':
		case 'CURRENCY':
		case 'PERCENT': {
			const n = Number(value);
			if (!Number.isFinite(n)) fail(field, `"${String(value)}" is not a number`);
			return n;
		}
		case 'DATE':
			return checkDate(field, String(value));
		case 'DATE_TIME': {
			const ms = Date.parse(String(value));
			if (!Number.isFinite(ms)) fail(field, `"${String(value)}" is not a valid date and time`);
			return new Date(ms).toISOString();
		}
		case 'YES_NO': {
			if (typeof value === 'boolean') return value;
			const s = String(value).toLowerCase();
			if (['true', 'yes', '1'].includes(s)) return true;
			if (['false', 'no', '0'].includes(s)) return false;
			return fail(field, `"${String(value)}" is not yes/no`);
		}
		case 'DROPDOWN':
		case 'RADIO': {
			const s = String(value);
			const option = def.options?.find((o) => o.label === s || o.id === s || o.label.toLowerCase() === s.toLowerCase());
			if (def.options?.length && !option) {
				fail(field, `"${s}" is not one of the options: ${def.options.map((o) => o.label).join(', ')}`);
			}
			return option ? option.label : s;
		}
		case 'EMAIL':
			return checkEmail(field, String(value));
		case 'WEBSITE':
			return checkWebsite(field, String(value));
		default:
			return String(value);
	}
}

export interface ContactParameters {
	input: ContactInput;
	/** Tag names or ids to apply after the write. */
	tags: string[];
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

	for (const [key, raw] of Object.entries(fields)) {
		if (NON_SCALAR.has(key) || raw === '' || raw === undefined || raw === null) continue;
		const value = String(raw).trim();
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
				input.company_id = checkId('Company ID', value);
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
			custom.push({ id: def.id, content: customFieldContent(def, value) });
		}
		input.custom_fields = custom;
	}

	const tagsParam = fields.tags;
	const tags = (Array.isArray(tagsParam) ? tagsParam : typeof tagsParam === 'string' ? tagsParam.split(',') : [])
		.map((t) => String(t).trim())
		.filter(Boolean);
	return { input, tags };
}

/**
 * The parameters every contact write shares after its own leading ones: the scalar fields
 * collection (`additionalFields` for Create / Create or Update, `updateFields` for Update),
 * phones, addresses, social accounts, custom fields and the output choice.
 */
export function contactWriteProperties(fieldsParameter: 'additionalFields' | 'updateFields'): INodeProperties[] {
	return [
		{
			displayName: fieldsParameter === 'updateFields' ? 'Update Fields' : 'Additional Fields',
			name: fieldsParameter,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: contactFieldOptions(fieldsParameter === 'updateFields'),
		},
		...contactCollectionProperties(undefined),
		outputProperty(undefined),
	];
}
