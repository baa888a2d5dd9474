/**
 * The parameters of the contact fields shared by Create, Create or Update and Update; the one
 * function that turns them into a checked, API-neutral ContactInput is beside it (input.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import { SOURCE_TYPES, type SocialType } from '../../model/contact';
import { companyLocator } from '../common/company';
import { contactOutputProperties } from '../common/contact';
import { userLocator } from '../common/user';
import { createMissingTagsProperty } from '../common/write';

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
function contactFieldOptions(includePrimaryEmail: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ displayName: 'Anniversary', name: 'anniversary', type: 'dateTime', default: '' },
		{ displayName: 'Birthday', name: 'birthday', type: 'dateTime', default: '' },
		companyLocator('company_id', 'Company', 'The Keap company this contact belongs to: from the list or by its ID (digits)'),
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
		{
			displayName: 'Email Opt-Out Reason',
			name: 'opt_out_reason',
			type: 'string',
			default: '',
			description:
				'Opts the contact’s primary email out of marketing email after the write (Keap’s status Opt-Out: Manual), recording this reason (for example "Asked to stop on the phone")',
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
		userLocator('owner_id', 'Owner', 'The Keap user who owns the contact: from the list or by its ID (digits)'),
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
			hint: 'Tag names or IDs. A name Keap does not have fails the item unless Create Missing Tags is on.',
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
function contactCollectionProperties(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
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

/**
 * The parameters every contact write shares after its own leading ones: the scalar fields
 * collection (`additionalFields` for Create / Create or Update, `updateFields` for Update),
 * Create Missing Tags (for its Tag Names or IDs), phones, addresses, social accounts, custom
 * fields and the output choice.
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
		createMissingTagsProperty,
		...contactCollectionProperties(undefined),
		...contactOutputProperties(undefined),
	];
}
