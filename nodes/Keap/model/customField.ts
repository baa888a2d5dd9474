/** Keap's custom field definitions, and the check of a value the user gives one. */
import { checkDate, checkEmail, checkWebsite, InputError } from './validate';

export interface CustomFieldDefinition {
	id: string;
	label: string;
	/** Keap's field type (v2 spelling: TEXT, WHOLE_NUMBER, DATE, DROPDOWN, YES_NO, ...). */
	field_type: string;
	/** The column name XML-RPC uses (without the leading underscore). */
	field_name?: string;
	options?: Array<{ id: string; label: string }>;
}

function fail(field: string, message: string): never {
	throw new InputError(field, message);
}

/**
 * A value for a custom field, checked and typed for its field type: whole and decimal numbers,
 * dates (YYYY-MM-DD), date-times (ISO, UTC), yes/no, an option of a dropdown or radio field
 * (matched by label or id, case-insensitive), an email or a website. null clears the field.
 */
export function checkCustomFieldValue(def: CustomFieldDefinition, value: unknown): string | number | boolean | null {
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
