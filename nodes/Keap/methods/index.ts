/** Look-ups for the editor: searchable lists, option lists and the custom-field mapper. */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { primaryEmail, type Contact, type ContactQuery } from '../model/contact';
import { KeapSession } from '../transport';
import { commerceListSearch, commerceResourceMapping } from './commerce';
import { marketingListSearch, marketingLoadOptions, marketingResourceMapping } from './marketing';
import * as assignee from './assignee';
import * as opportunity from './opportunity';
import * as task from './task';
import { companyListSearch, companyResourceMapping } from './company';
import { noteListSearch, noteLoadOptions, noteResourceMapping } from './note';
import { userListSearch } from './user';

const SEARCH_PAGE = 50;

/**
 * The queries behind a "From list" contact search, within what Keap's REST v2 filter offers:
 * prefix matches (`value*`) on given_name, family_name and email, combined with AND only.
 *  - "ada@ex" (has an @): email starts with it — 1 call;
 *  - "Ada Love" (several words): first name starts with the first word and last name with the
 *    rest — 1 call;
 *  - "ada" (one word): first name, last name or email starts with it — 3 calls, merged.
 * `;` and `*` are Keap's filter syntax and are dropped from the term.
 */
export function contactSearchQueries(term: string | undefined): ContactQuery[] {
	const clean = (term ?? '').replace(/[;*]/g, ' ').trim();
	if (!clean) return [{}];
	if (clean.includes('@')) return [{ email: `${clean.replace(/\s+/g, '')}*` }];
	const words = clean.split(/\s+/);
	if (words.length > 1) return [{ given_name: `${words[0]}*`, family_name: `${words.slice(1).join(' ')}*` }];
	return [{ given_name: `${clean}*` }, { family_name: `${clean}*` }, { email: `${clean}*` }];
}

export const listSearch = {
	...commerceListSearch,
	...marketingListSearch,
	/**
	 * Contacts for the "From list" picker, newest first. The queries of a term run side by side;
	 * their results are merged (each contact once). The pagination token holds each query's
	 * own page token, so "load more" continues only the queries that have more.
	 */
	...assignee.listSearch,
	...opportunity.listSearch,
	...task.listSearch,
	...companyListSearch,
	...noteListSearch,
	...userListSearch,
	async searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const session = new KeapSession(this);
		const queries = contactSearchQueries(filter);
		const cursors: Array<string | null | undefined> = paginationToken ? (JSON.parse(paginationToken) as Array<string | null>) : queries.map(() => undefined);
		const pages = await Promise.all(
			queries.map(async (query, i) =>
				cursors[i] === null
					? { items: [], next: undefined }
					: await session.client.contacts.list({ ...query, order_by: 'id', order_direction: 'desc' }, SEARCH_PAGE, cursors[i] ?? undefined),
			),
		);
		const byId = new Map<string, Contact>();
		for (const page of pages) for (const { value } of page.items) byId.set(value.id, value);
		const results: INodeListSearchItems[] = [...byId.values()]
			.sort((a, b) => Number(b.id) - Number(a.id))
			.map((c) => {
				const name = [c.given_name, c.family_name].filter(Boolean).join(' ');
				const email = primaryEmail(c);
				return { name: [name, email && `<${email}>`].filter(Boolean).join(' ') || `Contact ${c.id}`, value: c.id };
			});
		const next = pages.map((p) => p.next ?? null);
		return { results, paginationToken: next.some((c) => c !== null) ? JSON.stringify(next) : undefined };
	},

	/** Tags whose name starts with the term (matched here: Keap documents no wildcard for tags), all on one page. */
	async searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const tags = await new KeapSession(this).tagsStartingWith(filter ?? '');
		return { results: tags.map(({ value }) => ({ name: value.name, value: value.id })) };
	},
};

export const loadOptions = {
	...task.loadOptions,
	...marketingLoadOptions,
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
	// n8n's mapper offers only a date-and-time picker: a date-only field is typed as YYYY-MM-DD.
	DATE: 'string',
	DATE_TIME: 'dateTime',
	// A Yes/No list rather than n8n's toggle: an untouched toggle reads as "No" and would send
	// false; an untouched list sends nothing.
	YES_NO: 'options',
	DROPDOWN: 'options',
	RADIO: 'options',
};

const YES_NO_OPTIONS = [
	{ name: 'Yes', value: 'Yes' },
	{ name: 'No', value: 'No' },
];

export const resourceMapping = {
	...commerceResourceMapping,
	...marketingResourceMapping,
	...opportunity.resourceMapping,
	...task.resourceMapping,
	...companyResourceMapping,
	...noteResourceMapping,
	async getCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const defs = await new KeapSession(this).getCustomFields();
		const fields: ResourceMapperField[] = defs.map((d) => {
			const options = d.field_type === 'YES_NO' ? YES_NO_OPTIONS : d.options?.map((o) => ({ name: o.label, value: o.label }));
			const type = FIELD_TYPES[d.field_type] ?? 'string';
			const field: ResourceMapperField = {
				id: d.id,
				displayName: d.field_type === 'DATE' ? `${d.label} (YYYY-MM-DD)` : d.label,
				required: false,
				defaultMatch: false,
				display: true,
				type: type === 'options' && !options?.length ? 'string' : type,
			};
			if (field.type === 'options') field.options = options;
			return field;
		});
		return { fields, emptyFieldsNotice: 'This Keap account has no contact custom fields' };
	},
};
