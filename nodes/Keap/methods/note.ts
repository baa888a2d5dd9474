/** The editor's look-ups for notes: note types, templates, the note picker and custom fields. */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestNotes } from '../transport/rest/notes';
import { customFieldColumns } from './customFieldColumns';

const SEARCH_PAGE = 50;

export const noteListSearch = {
	/** The newest notes across contacts, or those whose title contains the search text. */
	async searchNotes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const notes = new RestNotes(new KeapSession(this).rest);
		const term = filter?.trim().replace(/[*;]/g, '');
		const page = await notes.list({ title: term || undefined, order_by: 'id', order_direction: 'desc' }, SEARCH_PAGE, paginationToken);
		return {
			results: (page?.items ?? []).map(({ value: n }) => ({
				name: `${n.title || n.type || 'Note'} (contact ${n.contact_id ?? '?'})`,
				value: n.id,
			})),
			paginationToken: page?.next,
		};
	},
};

export const noteLoadOptions = {
	async getNoteTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const types = await new RestNotes(new KeapSession(this).rest).types();
		return types.map((t) => ({ name: t, value: t }));
	},

	async getNoteTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const templates = await new RestNotes(new KeapSession(this).rest).templates();
		return templates
			.map((t) => ({ name: t.title, value: t.id, description: t.description ?? undefined }))
			.sort((a, b) => a.name.localeCompare(b.name));
	},
};

export const noteResourceMapping = {
	async getNoteCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const defs = await new RestNotes(new KeapSession(this).rest).customFields();
		return customFieldColumns(defs, 'This Keap account has no note and task custom fields');
	},
};
