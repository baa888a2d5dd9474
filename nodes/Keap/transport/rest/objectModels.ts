/**
 * The models of Keap objects over REST v2 (`GET /<objects>/model`): their custom field
 * definitions, and creating a custom field (`POST /<objects>/model/customFields`). Notes and
 * tasks share one list of custom fields in Keap; the note model is read here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { CustomFieldInput, CustomFieldObject } from '../../model/customFieldInput';
import { RestClient, V2 } from './client';

const MODEL_PATHS: Record<CustomFieldObject, string> = {
	contact: `${V2}/contacts/model`,
	company: `${V2}/companies/model`,
	note: `${V2}/notes/model`,
};

/** A v2 CustomFieldMetaData as the neutral definition. */
export function customFieldFromV2(f: IDataObject): CustomFieldDefinition & IDataObject {
	return {
		id: String(f.id),
		label: String(f.label ?? f.field_name ?? f.id),
		field_type: String(f.field_type ?? 'TEXT'),
		...(f.field_name !== undefined ? { field_name: String(f.field_name) } : {}),
		options: ((f.options as IDataObject[]) ?? []).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
		record_type: (f.record_type as string | undefined) ?? null,
		group_id: f.group_id !== undefined && f.group_id !== null ? String(f.group_id) : null,
		group_name: (f.group_name as string | undefined) ?? null,
		default_value: (f.default_value as string | undefined) ?? null,
	};
}

export class RestObjectModels {
	constructor(private readonly rest: RestClient) {}

	/** The custom fields of an object's model, with the records Keap sent. */
	async fieldsWithRaw(object: CustomFieldObject, itemIndex?: number): Promise<Array<WithRaw<CustomFieldDefinition & IDataObject>>> {
		const res = await this.rest.json('GET', MODEL_PATHS[object], { itemIndex });
		return ((res.body.custom_fields as IDataObject[]) ?? []).map((raw) => ({ value: customFieldFromV2(raw), raw }));
	}

	async fields(object: CustomFieldObject, itemIndex?: number): Promise<CustomFieldDefinition[]> {
		return (await this.fieldsWithRaw(object, itemIndex)).map((f) => f.value);
	}

	async createField(object: CustomFieldObject, input: CustomFieldInput, itemIndex?: number) {
		const body: IDataObject = { label: input.label, field_type: input.field_type };
		if (input.options?.length) body.options = input.options.map((label) => ({ label }));
		if (input.group_id) body.group_id = input.group_id;
		if (input.user_group_id) body.user_group_id = input.user_group_id;
		const res = await this.rest.json('POST', `${MODEL_PATHS[object]}/customFields`, { body, itemIndex });
		// Keap answers the field itself (some models wrap it as { custom_field }).
		const raw = ((res.body.custom_field as IDataObject | undefined) ?? res.body) as IDataObject;
		return { value: customFieldFromV2(raw), raw };
	}
}
