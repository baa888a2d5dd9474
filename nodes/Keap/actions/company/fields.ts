/**
 * The company parameters Create, Create or Update and Update share: the fields collection
 * ("Additional Fields" / "Update Fields"), the custom fields mapper and the output choice. The
 * function that reads them into a checked CompanyInput is beside it (input.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import { customFieldsProperty } from '../common/customFields';
import { userLocator } from '../common/user';
import { companyOutputProperties } from './output';

const text = (displayName: string, name: string, description: string, placeholder?: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
	...(placeholder ? { placeholder } : {}),
});

function companyFieldOptions(includeName: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		text('Address Line 1', 'line1', 'Street address of the company'),
		text('Address Line 2', 'line2', 'Second line of the street address'),
		{ displayName: 'Anniversary', name: 'anniversary_date', type: 'dateTime', default: '', description: 'A date (YYYY-MM-DD)' },
		text('Assistant Name', 'assistant_name', 'Name of the company contact’s assistant'),
		text('Assistant Phone', 'assistant_phone', 'Phone number of the company contact’s assistant'),
		text('Billing Information', 'billing_information', 'Billing terms or notes, e.g. NET 30'),
		{ displayName: 'Birthday', name: 'birth_date', type: 'dateTime', default: '', description: 'The company contact’s birthday (YYYY-MM-DD)' },
		text('City', 'locality', 'City of the company’s address'),
		text('Contact Type', 'contact_type', 'Type of the company record, e.g. Vendor'),
		text('Country Code', 'country_code', 'ISO 3166-1 alpha-3 country code of the address, e.g. USA', 'USA'),
		text('Email', 'email', 'The company’s email address', 'office@example.com'),
		text(
			'Email Opt-In Reason',
			'opt_in_reason',
			'Marks the company’s email as marketable, recording this reason as consent (needs Email in the same request)',
		),
		text('Fax', 'fax', 'The company’s fax number'),
		text('Fax Type', 'fax_type', 'Kind of fax number, e.g. Work'),
		text('First Name', 'first_name', 'First name of the company’s main contact person'),
		text('Job Title', 'job_title', 'Job title of the company’s main contact person'),
		text('Last Name', 'last_name', 'Last name of the company’s main contact person'),
		text('Middle Name', 'middle_name', 'Middle name of the company’s main contact person'),
		text('Notes', 'notes', 'Free-text notes about the company'),
		userLocator('owner_id', 'Owner', 'The Keap user who owns the company'),
		text('Phone', 'phone', 'The company’s phone number', '+1 555 123 4567'),
		text('Phone Extension', 'phone_extension', 'Extension of the phone number'),
		text('Phone Type', 'phone_type', 'Kind of phone number, e.g. Work'),
		text('Postal Code', 'postal_code', 'Postal or ZIP code of the address'),
		text('Preferred Name', 'preferred_name', 'Nickname of the company’s main contact person'),
		text('Referral Code', 'referral_code', 'The company’s referral code'),
		text('Region Code', 'region_code', 'ISO 3166-2 code of the state or province, e.g. US-AZ (needs Country Code)', 'US-AZ'),
		text('Spouse Name', 'spouse_name', 'Spouse of the company’s main contact person'),
		text('Suffix', 'suffix', 'Name suffix of the main contact person, e.g. Jr', 'Jr'),
		text('Title', 'title', 'Salutation of the main contact person, e.g. Dr.', 'Dr.'),
		text('Website', 'website', 'The company’s website', 'https://example.com'),
		text('ZIP+4', 'zip_four', 'The four-digit ZIP+4 extension of a US postal code'),
	];
	if (includeName) {
		fields.push(text('Company Name', 'company_name', 'New name of the company'));
		fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	return fields;
}

/** The fields collection (`additionalFields` or `updateFields`), custom fields and output. */
export function companyWriteProperties(fieldsParameter: 'additionalFields' | 'updateFields'): INodeProperties[] {
	return [
		{
			displayName: fieldsParameter === 'updateFields' ? 'Update Fields' : 'Additional Fields',
			name: fieldsParameter,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: companyFieldOptions(fieldsParameter === 'updateFields'),
		},
		customFieldsProperty('getCompanyCustomFieldColumns', 'company'),
		...companyOutputProperties,
	];
}
