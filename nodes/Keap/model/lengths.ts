/**
 * How long the text of a contact write may be. Where Keap's REST v2 OpenAPI document gives a
 * `maxLength` (CreateUpdateContactRequest), that is the limit. For the other text fields the
 * documents give none; the node then applies DEFAULT_TEXT_LENGTH, Keap's usual column size
 * (not documented by Keap: an assumption, so that no value of unbounded size is ever sent).
 */
import type { ContactScalarField } from './contact';

/** Text fields without a documented maxLength. */
export const DEFAULT_TEXT_LENGTH = 255;

/** maxLength of CreateUpdateContactRequest in Keap's REST v2 OpenAPI document. */
export const CONTACT_TEXT_LENGTHS: Partial<Record<ContactScalarField, number>> = {
	given_name: 40,
	family_name: 40,
	middle_name: 100,
	preferred_name: 100,
	spouse_name: 100,
	job_title: 255,
	website: 100,
};

/** An email address (the node's limit; Keap documents none). */
export const EMAIL_LENGTH = 100;

/** Keap keeps at most this many characters of a tag name. */
export const TAG_NAME_LENGTH = 255;

/** Custom field types that hold long text: a text area, and list boxes (the picked labels). */
const LONG_TEXT_TYPES = new Set(['TEXT_AREA', 'LIST_BOX', 'USER_LIST_BOX']);

/**
 * Custom field values by Keap field type: long text types hold 64 KB, every other type one
 * line of DEFAULT_TEXT_LENGTH (neither documented by Keap).
 */
export function customFieldTextLength(fieldType: string): number {
	return LONG_TEXT_TYPES.has(fieldType) ? 65_535 : DEFAULT_TEXT_LENGTH;
}

export function contactTextLength(field: ContactScalarField): number {
	return CONTACT_TEXT_LENGTHS[field] ?? DEFAULT_TEXT_LENGTH;
}
