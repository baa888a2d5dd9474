/** Keap's custom field definitions, and the check of a value the user gives one. */
import { customFieldTextLength } from './lengths';
import { checkDate, checkEmail, checkText, checkWebsite, excerpt, InputError, kindOf } from './validate';

export interface CustomFieldDefinition {
	id: string;
	label: string;
	/** Keap's field type (v2 spelling: TEXT, WHOLE_NUMBER, DATE, DROPDOWN, YES_NO, ...). */
	field_type: string;
	/** The column name XML-RPC uses (without the leading underscore). */
	field_name?: string;
	options?: Array<{ id: string; label: string }>;
}

/** The first few option labels, for a message. */
function optionList(options: Array<{ label: string }>): string {
	const shown = options.slice(0, 10).map((o) => o.label).join(', ');
	return options.length > 10 ? `${shown}, … (${options.length} in all)` : shown;
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
	if (typeof value === 'object') fail(field, `expected a single value, got ${kindOf(value)}`);
	if (typeof value === 'string') {
		// Every type's text is bounded and free of control characters before it is read.
		const text = checkText(field, value, customFieldTextLength(def.field_type));
		if (text === undefined) return null;
		value = text;
	}
	switch (def.field_type) {
		case 'WHOLE_NUMBER':
		case 'YEAR':
		case 'MONTH':
		case 'DAY_OF_WEEK':
		case 'USER': {
			const n = Number(value);
			if (!Number.isInteger(n)) fail(field, `${excerpt(value)} is not a whole number`);
			return n;
		}
		case 'DECIMAL_NUMBER':
		case 'CURRENCY':
		case 'PERCENT': {
			const n = Number(value);
			if (!Number.isFinite(n)) fail(field, `${excerpt(value)} is not a number`);
			return n;
		}
		case 'DATE':
			return checkDate(field, String(value));
		case 'DATE_TIME': {
			const ms = Date.parse(String(value));
			if (!Number.isFinite(ms)) fail(field, `${excerpt(value)} is not a valid date and time`);
			return new Date(ms).toISOString();
		}
		case 'YES_NO': {
			if (typeof value === 'boolean') return value;
			const s = String(value).toLowerCase();
			if (['true', 'yes', '1'].includes(s)) return true;
			if (['false', 'no', '0'].includes(s)) return false;
			return fail(field, `${excerpt(value)} is not yes/no`);
		}
		case 'DROPDOWN':
		case 'RADIO': {
			const s = String(value);
			const option = def.options?.find((o) => o.label === s || o.id === s || o.label.toLowerCase() === s.toLowerCase());
			if (def.options?.length && !option) {
				fail(field, `${excerpt(s)} is not one of the options: ${optionList(def.options)}`);
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
