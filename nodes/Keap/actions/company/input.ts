/**
 * The company parameters of one item (fields.ts) read into a checked CompanyInput: every value
 * is checked before anything is sent, naming the field.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CompanyAddress, CompanyInput, CompanyScalarField } from '../../model/company';
import {
	checkCountryCode,
	checkDate,
	checkEmail,
	checkPhone,
	checkRegionCode,
	checkWebsite,
	InputError,
} from '../../model/validate';
import type { KeapSession } from '../../transport';
import { readCustomFieldValues } from '../common/customFields';
import { resolveUserRef } from '../common/user';
import { companyCustomFields } from './output';

/** Plain text properties, parameter name = Keap's name. */
const TEXT_FIELDS: CompanyScalarField[] = [
	'company_name',
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
	'billing_information',
	'contact_type',
	'referral_code',
];

const ADDRESS_FIELDS = ['line1', 'line2', 'locality', 'postal_code', 'zip_four'] as const;

const KNOWN = new Set<string>([
	...TEXT_FIELDS,
	...ADDRESS_FIELDS,
	'region_code',
	'country_code',
	'website',
	'assistant_phone',
	'anniversary_date',
	'birth_date',
	'owner_id',
	'email',
	'opt_in_reason',
	'phone',
	'phone_extension',
	'phone_type',
	'fax',
	'fax_type',
]);

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

/**
 * Reads the fields collection `fieldsParameter` and the custom fields of item i. `companyName`
 * is the name given as its own parameter (Create, Create or Update).
 */
export async function readCompanyParameters(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	fieldsParameter: 'additionalFields' | 'updateFields',
	companyName?: string,
): Promise<CompanyInput> {
	const fields = ctx.getNodeParameter(fieldsParameter, i, {}) as IDataObject;
	for (const key of Object.keys(fields)) if (!KNOWN.has(key)) throw new InputError(key, `"${key}" is not a company field this node knows`);
	const input: CompanyInput = {};
	if (companyName !== undefined) input.company_name = companyName;
	for (const f of TEXT_FIELDS) {
		const v = str(fields[f]);
		if (v) input[f] = v;
	}
	if (input.company_name !== undefined && !input.company_name) throw new InputError('Company Name', 'a company needs a name');
	if (str(fields.website)) input.website = checkWebsite('Website', str(fields.website));
	if (str(fields.assistant_phone)) input.assistant_phone = checkPhone('Assistant Phone', str(fields.assistant_phone));
	if (str(fields.anniversary_date)) input.anniversary_date = checkDate('Anniversary', str(fields.anniversary_date));
	if (str(fields.birth_date)) input.birth_date = checkDate('Birthday', str(fields.birth_date));
	const owner = await resolveUserRef(ctx, session, fields.owner_id, 'Owner', i);
	if (owner) input.owner_id = owner;

	if (str(fields.email)) input.email = checkEmail('Email', str(fields.email));
	if (str(fields.opt_in_reason)) {
		if (!input.email) throw new InputError('Email Opt-In Reason', 'an opt-in reason needs the company’s Email in the same request');
		input.opt_in_reason = str(fields.opt_in_reason);
	}
	if (str(fields.phone)) {
		input.phone = { number: checkPhone('Phone', str(fields.phone)) };
		if (str(fields.phone_extension)) input.phone.extension = str(fields.phone_extension);
		if (str(fields.phone_type)) input.phone.type = str(fields.phone_type);
	} else if (str(fields.phone_extension) || str(fields.phone_type)) {
		throw new InputError('Phone', 'a phone extension or type needs the Phone number in the same request');
	}
	if (str(fields.fax)) {
		input.fax = { number: checkPhone('Fax', str(fields.fax)) };
		if (str(fields.fax_type)) input.fax.type = str(fields.fax_type);
	} else if (str(fields.fax_type)) {
		throw new InputError('Fax', 'a fax type needs the Fax number in the same request');
	}

	const address: CompanyAddress = {};
	for (const f of ADDRESS_FIELDS) if (str(fields[f])) address[f] = str(fields[f]);
	if (str(fields.region_code)) address.region_code = checkRegionCode('Region Code', str(fields.region_code));
	if (str(fields.country_code)) address.country_code = checkCountryCode('Country Code', str(fields.country_code));
	if (address.region_code && !address.country_code) throw new InputError('Country Code', 'a country code is required when a region code is set');
	if (Object.keys(address).length) input.address = address;

	const custom = await readCustomFieldValues(ctx, i, () => companyCustomFields(session), 'company');
	if (custom) input.custom_fields = custom;
	return input;
}
