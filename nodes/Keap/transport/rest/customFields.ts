/** Contact custom field definitions over REST v2 (the contact model). */
import type { IDataObject } from 'n8n-workflow';

import type { CustomFieldDefinition } from '../../model/customField';
import type { CustomFieldsApi } from '../client';
import { listOf, RestClient, V2 } from './client';

export class RestCustomFields implements CustomFieldsApi {
	constructor(private readonly rest: RestClient) {}

	async listContactFields(): Promise<CustomFieldDefinition[]> {
		const res = await this.rest.json('GET', `${V2}/contacts/model`);
		return listOf(res, 'custom_fields', ['optional_properties']).map((f) => ({
			id: String(f.id),
			label: String(f.label ?? f.field_name ?? f.id),
			field_type: String(f.field_type ?? 'TEXT'),
			field_name: f.field_name !== undefined ? String(f.field_name) : undefined,
			options: ((f.options as IDataObject[]) ?? []).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
		}));
	}
}
