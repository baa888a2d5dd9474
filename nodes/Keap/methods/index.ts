/** Look-ups for the editor: searchable lists, option lists and the custom-field mapper. */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { primaryEmail, type ContactQuery } from '../model/contact';
import { KeapSession } from '../transport';
import { companyListSearch, companyResourceMapping } from './company';
import { noteListSearch, noteLoadOptions, noteResourceMapping } from './note';
import { userListSearch } from './user';

const SEARCH_PAGE = 50;

export const listSearch = {
	...companyListSearch,
	...noteListSearch,
	...userListSearch,
	async searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const session = new KeapSession(this);
		const query: ContactQuery = { order_by: 'id', order_direction: 'desc' };
		const term = filter?.trim();
		if (term) {
			// Keap filters on prefixes: an @ means an email, otherwise search by first name.
			if (term.includes('@')) query.email = `${term}*`;
			else query.given_name = `${term}*`;
		}
		const page = await session.client.contacts.list(query, SEARCH_PAGE, paginationToken);
		const results: INodeListSearchItems[] = page.items.map(({ value: c }) => {
			const name = [c.given_name, c.family_name].filter(Boolean).join(' ');
			const email = primaryEmail(c);
			return { name: [name, email && `<${email}>`].filter(Boolean).join(' ') || `Contact ${c.id}`, value: c.id };
		});
		return { results, paginationToken: page.next };
	},

	async searchTags(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const session = new KeapSession(this);
		const page = await session.client.tags.list({ name: filter?.trim() ? `${filter.trim()}*` : undefined }, SEARCH_PAGE, paginationToken);
		return { results: page.items.map(({ value }) => ({ name: value.name, value: value.id })), paginationToken: page.next };
	},
};

export const loadOptions = {
	...noteLoadOptions,
	async getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const session = new KeapSession(this);
		const out: INodePropertyOptions[] = [];
		let cursor: string | undefined;
		do {
			const page = await session.client.tags.list({}, session.client.tags.maxPageSize, cursor);
			for (const { value } of page.items) out.push({ name: value.name, value: value.id });
			cursor = page.next;
		} while (cursor);
		return out.sort((a, b) => a.name.localeCompare(b.name));
	},

	async getOwners(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const users = await new KeapSession(this).client.lookups.listUsers();
		return users.map((u) => ({ name: u.name, value: u.id })).sort((a, b) => a.name.localeCompare(b.name));
	},

	async getLeadSources(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const sources = await new KeapSession(this).client.lookups.listLeadSources();
		return sources.map((s) => ({ name: s.name, value: s.id })).sort((a, b) => a.name.localeCompare(b.name));
	},

	async getContactTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const types = await new KeapSession(this).client.lookups.listContactTypes();
		return types.map((t) => ({ name: t, value: t }));
	},
};

const FIELD_TYPES: Record<string, ResourceMapperField['type']> = {
	WHOLE_NUMBER: 'number',
	DECIMAL_NUMBER: 'number',
	CURRENCY: 'number',
	PERCENT: 'number',
	YEAR: 'number',
	MONTH: 'number',
	DAY_OF_WEEK: 'number',
	DATE: 'dateTime',
	DATE_TIME: 'dateTime',
	YES_NO: 'boolean',
	DROPDOWN: 'options',
	RADIO: 'options',
};

export const resourceMapping = {
	...companyResourceMapping,
	...noteResourceMapping,
	async getCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const defs = await new KeapSession(this).getCustomFields();
		const fields: ResourceMapperField[] = defs.map((d) => {
			const type = FIELD_TYPES[d.field_type] ?? 'string';
			const field: ResourceMapperField = {
				id: d.id,
				displayName: d.label,
				required: false,
				defaultMatch: false,
				display: true,
				type: type === 'options' && !d.options?.length ? 'string' : type,
			};
			if (field.type === 'options') field.options = d.options!.map((o) => ({ name: o.label, value: o.label }));
			return field;
		});
		return { fields, emptyFieldsNotice: 'This Keap account has no contact custom fields' };
	},
};
