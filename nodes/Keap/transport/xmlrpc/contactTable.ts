/**
 * A contact on XML-RPC, both ways: the Contact table's columns of each neutral property (one
 * per slot: Email / EmailAddress2 / EmailAddress3, Phone1..5, three blocks of address columns,
 * `_<Name>` per custom field) and the conversions of their values (ints, dates without a zone,
 * country and region names). The table of every API's names is in model/contact.ts.
 */
import { compact, text } from '../../model/common';
import type {
	AddressField,
	Contact,
	ContactAddress,
	ContactInput,
	ContactScalarField,
	EmailField,
	PhoneField,
} from '../../model/contact';
import type { CustomFieldDefinition } from '../../model/customField';
import { InputError } from '../../model/validate';
import { countryCodeOf, countryNameOf, regionOf, regionTextOf } from '../geo';
import { formatKeapDate, parseKeapDate, XmlRpcDateTime, XmlRpcDouble, type XmlRpcValue } from './codec';

/**
 * Neutral scalar -> XML-RPC Contact column. `source_type` has no column on the Contact table;
 * int columns are sent as <i4>, date columns as <dateTime.iso8601> (date part only).
 */
const XMLRPC_SCALARS: Record<Exclude<ContactScalarField, 'source_type'>, string> = {
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
function xmlRpcCustomColumn(def: CustomFieldDefinition): string {
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
	return text(value);
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
