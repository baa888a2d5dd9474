/**
 * The API-neutral shapes every operation works with. Operations build a `ContactInput` from
 * the node's parameters and receive `Contact`s back; the transport (REST v2, REST v1 or
 * XML-RPC) is the only code that knows how these travel on the wire.
 */

export type EmailField = 'EMAIL1' | 'EMAIL2' | 'EMAIL3';
export type PhoneField = 'PHONE1' | 'PHONE2' | 'PHONE3' | 'PHONE4' | 'PHONE5';
export type AddressField = 'BILLING' | 'SHIPPING' | 'OTHER';
export type SocialType =
	| 'FACEBOOK'
	| 'TWITTER'
	| 'LINKED_IN'
	| 'INSTAGRAM'
	| 'SNAPCHAT'
	| 'YOUTUBE'
	| 'PINTEREST';
/** Keap's contact source types (REST v2 spelling; v1 writes them without underscores). */
export const SOURCE_TYPES = [
	'API',
	'APPOINTMENT',
	'FORM_API_HOSTED',
	'FORM_API_INTERNAL',
	'IMPORT',
	'INTERNAL_FORM',
	'LANDING_PAGE',
	'MANUAL',
	'OTHER',
	'UNKNOWN',
	'WEBFORM',
] as const;

export type DuplicateOption = 'Email' | 'EmailAndName' | 'EmailAndNameAndCompany';

export interface ContactEmail {
	field: EmailField;
	email: string;
	/** Marketing status of the address as Keap reports it (v2 spelling, e.g. SINGLE_OPT_IN). */
	opt_status?: string;
}

export interface ContactPhone {
	field: PhoneField;
	number: string;
	extension?: string;
	type?: string;
}

export interface ContactAddress {
	field: AddressField;
	line1?: string;
	line2?: string;
	locality?: string;
	/** ISO 3166-2 subdivision code, e.g. US-AZ. */
	region_code?: string;
	/** Long region name as Keap reports it (read-only on REST v2). */
	region?: string;
	/** ISO 3166-1 alpha-3, e.g. USA. */
	country_code?: string;
	postal_code?: string;
	zip_four?: string;
}

export interface ContactSocialAccount {
	type: SocialType;
	name: string;
}

export interface ContactCustomFieldValue {
	id: string;
	content: string | number | boolean | null;
}

/** Scalar contact properties, in one list so every transport maps the same set. */
export const CONTACT_SCALAR_FIELDS = [
	'given_name',
	'middle_name',
	'family_name',
	'prefix',
	'suffix',
	'preferred_name',
	'spouse_name',
	'job_title',
	'website',
	'time_zone',
	'preferred_locale',
	'contact_type',
	'source_type',
	'owner_id',
	'lead_source_id',
	'company_id',
	'birthday',
	'anniversary',
] as const;
export type ContactScalarField = (typeof CONTACT_SCALAR_FIELDS)[number];

/**
 * What the user wants written. A property that is absent is not touched; collections list the
 * slots to set (an update merges them into the contact's existing slots, see contact.ts).
 */
export type ContactInput = Partial<Record<ContactScalarField, string>> & {
	email_addresses?: ContactEmail[];
	phone_numbers?: ContactPhone[];
	addresses?: ContactAddress[];
	social_accounts?: ContactSocialAccount[];
	custom_fields?: ContactCustomFieldValue[];
	/** Marks EMAIL1 as marketable, with this reason (Keap's marketing consent record). */
	opt_in_reason?: string;
};

/** One normalized contact: the same shape whatever API produced it. */
export type Contact = Partial<Record<ContactScalarField, string | null>> & {
	id: string;
	company_name?: string | null;
	email_addresses: ContactEmail[];
	phone_numbers: ContactPhone[];
	addresses: ContactAddress[];
	social_accounts: ContactSocialAccount[];
	/** Custom field values by id (labels are added by the output step where known). */
	custom_fields: ContactCustomFieldValue[];
	tag_ids: string[];
	create_time?: string | null;
	update_time?: string | null;
};

export interface ContactQuery {
	email?: string;
	given_name?: string;
	family_name?: string;
	/** ISO date-times, inclusive bounds on the contact's last update. */
	updated_since?: string;
	updated_until?: string;
	ids?: string[];
	order_by?: 'id' | 'create_time' | 'email' | 'update_time';
	order_direction?: 'asc' | 'desc';
}

export interface Tag {
	id: string;
	name: string;
	description?: string | null;
	category_id?: string | null;
	category_name?: string | null;
}

export interface TagQuery {
	name?: string;
	category_id?: string;
}

export interface AppliedTag extends Tag {
	applied_time?: string | null;
}

/** Per-contact outcome of a tag apply/remove, as Keap reports it (SUCCESS, DUPLICATE, ...). */
export type TagResultMap = Record<string, string>;

export interface CustomFieldDefinition {
	id: string;
	label: string;
	/** Keap's field type (v2 spelling: TEXT, WHOLE_NUMBER, DATE, DROPDOWN, YES_NO, ...). */
	field_type: string;
	/** The column name XML-RPC uses (without the leading underscore). */
	field_name?: string;
	options?: Array<{ id: string; label: string }>;
}

export interface NamedOption {
	id: string;
	name: string;
}

export interface Page<T> {
	items: T[];
	/** Opaque cursor for the next page; undefined when this was the last page. */
	next?: string;
}
