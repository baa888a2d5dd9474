/**
 * The custom field model of a Keap record type over REST v2 (`GET /<objects>/model`): the
 * definitions of the task and the opportunity custom fields (tasks share theirs with notes).
 */
import type { IDataObject } from 'n8n-workflow';

import type { CustomFieldDefinition } from '../../model/customField';
import type { CustomFieldValue } from '../../model/customFieldValues';
import type { RestClient } from './client';

export function customFieldDefinitionFromV2(f: IDataObject): CustomFieldDefinition {
	return {
		id: String(f.id),
		label: String(f.label ?? f.field_name ?? f.id),
		field_type: String(f.field_type ?? 'TEXT'),
		field_name: f.field_name !== undefined && f.field_name !== null ? String(f.field_name) : undefined,
		options: ((f.options as IDataObject[] | undefined) ?? []).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
	};
}

/** The definitions of the model at `modelPath` (e.g. `${V2}/tasks/model`). */
export async function readCustomFieldModel(rest: RestClient, modelPath: string): Promise<CustomFieldDefinition[]> {
	const res = await rest.json('GET', modelPath);
	return ((res.body.custom_fields as IDataObject[] | undefined) ?? []).map(customFieldDefinitionFromV2);
}

/** A v2 record's `custom_fields` as neutral values. */
export function customFieldValuesFromV2(raw: IDataObject): CustomFieldValue[] {
	return ((raw.custom_fields as IDataObject[] | undefined) ?? []).map((c) => ({
		id: String(c.id),
		content: (c.content as CustomFieldValue['content'] | undefined) ?? null,
	}));
}
