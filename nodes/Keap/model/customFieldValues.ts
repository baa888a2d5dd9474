/**
 * Custom field values of the Keap records that have a model of their own (tasks, opportunities):
 * what the user names (a label, a field name or an ID) read into checked `{id, content}` values,
 * merged into a record's current values (Keap's v2 writes replace the whole list), and shown by
 * label on output.
 */
import type { IDataObject } from 'n8n-workflow';

import { checkCustomFieldValue, type CustomFieldDefinition } from './customField';
import { InputError } from './validate';

export interface CustomFieldValue {
	id: string;
	content: string | number | boolean | null;
}

/** The definition a name refers to: its ID, its label or its field name (case-insensitive). */
export function findCustomField(defs: CustomFieldDefinition[], name: string): CustomFieldDefinition | undefined {
	const key = name.trim().toLowerCase();
	return (
		defs.find((d) => d.id === name.trim()) ??
		defs.find((d) => d.label.toLowerCase() === key) ??
		defs.find((d) => d.field_name?.toLowerCase() === key)
	);
}

/**
 * Checked values for `entries` ([name, value] pairs, e.g. a resource mapper's value); `what`
 * names the record type in errors ("task"). An empty value clears the field (content null).
 */
export function customFieldValues(
	defs: CustomFieldDefinition[],
	entries: Array<[string, unknown]>,
	what: string,
): CustomFieldValue[] {
	const out: CustomFieldValue[] = [];
	for (const [name, value] of entries) {
		const def = findCustomField(defs, name);
		if (!def) {
			const known = defs.map((d) => d.label).join(', ') || 'none';
			throw new InputError(`Custom Fields > ${name}`, `Keap has no ${what} custom field "${name}" (the ${what} fields are: ${known})`);
		}
		if (out.some((v) => v.id === def.id)) throw new InputError(`Custom Fields > ${name}`, `the field "${def.label}" is given twice`);
		out.push({ id: def.id, content: checkCustomFieldValue(def, value) });
	}
	return out;
}

/**
 * The full list to write when `changes` are made to a record that holds `current`: the changed
 * fields take their new value (null clears one, and is sent as null so it clears whether Keap
 * replaces the list or merges it), the others keep theirs; unset fields are left out.
 */
export function mergeCustomFieldValues(current: CustomFieldValue[], changes: CustomFieldValue[]): CustomFieldValue[] {
	const merged = new Map<string, CustomFieldValue>();
	for (const v of current) if (v.content !== null && v.content !== '') merged.set(v.id, v);
	for (const v of changes) merged.set(v.id, v);
	return [...merged.values()];
}

/** `{ "<label>": content }` for output; a field the model no longer has is keyed by its ID. */
export function customFieldsByLabel(values: CustomFieldValue[], defs: CustomFieldDefinition[]): IDataObject {
	const out: IDataObject = {};
	for (const v of values) out[defs.find((d) => d.id === v.id)?.label ?? v.id] = v.content;
	return out;
}
