/** A new custom field on a Keap object's model (contacts, companies, notes and tasks). */

/** The objects whose model this package reads and adds custom fields to. */
export type CustomFieldObject = 'contact' | 'company' | 'note';

/** Keap's v2 custom field types (CreateCustomFieldRequest.field_type). */
export const CUSTOM_FIELD_TYPES = [
	'CURRENCY',
	'DATE',
	'DATE_TIME',
	'DAY_OF_WEEK',
	'DECIMAL_NUMBER',
	'DRILLDOWN',
	'DROPDOWN',
	'EMAIL',
	'LIST_BOX',
	'MONTH',
	'NAME',
	'PERCENT',
	'PHONE_NUMBER',
	'RADIO',
	'SOCIAL_SECURITY_NUMBER',
	'STATE',
	'TEXT',
	'TEXT_AREA',
	'USER',
	'USER_LIST_BOX',
	'WEBSITE',
	'WHOLE_NUMBER',
	'YEAR',
	'YES_NO',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Types whose values are picked from options (the field needs at least one). */
export const CHOICE_FIELD_TYPES: ReadonlySet<string> = new Set(['DROPDOWN', 'RADIO', 'LIST_BOX', 'DRILLDOWN']);
/** Types whose values are users (they may name a user group). */
export const USER_FIELD_TYPES: ReadonlySet<string> = new Set(['USER', 'USER_LIST_BOX']);

export interface CustomFieldInput {
	label: string;
	field_type: CustomFieldType;
	/** Option labels, for the choice types only. */
	options?: string[];
	/** The tab group to place it in (Keap's default "Custom Fields" when absent). */
	group_id?: string;
	/** For USER and USER_LIST_BOX: the user group to choose from. */
	user_group_id?: string;
}
