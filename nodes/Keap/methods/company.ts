/** The editor's look-ups for companies: the company picker's search and the custom field mapper. */
import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestCompanies } from '../transport/rest/companies';
import { customFieldColumns } from './customFieldColumns';

const SEARCH_PAGE = 50;

export const companyListSearch = {
	/** Companies by name prefix (Keap's case-insensitive `name` filter), A to Z. */
	async searchCompanies(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const companies = new RestCompanies(new KeapSession(this).rest);
		const term = filter?.trim().replace(/[*;]/g, '');
		const page = await companies.list({ name_prefix: term ? `${term}*` : undefined, order_by: 'name' }, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: c }) => ({ name: c.company_name || `Company ${c.id}`, value: c.id })),
			paginationToken: page.next,
		};
	},
};

export const companyResourceMapping = {
	async getCompanyCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const defs = await new RestCompanies(new KeapSession(this).rest).customFields();
		return customFieldColumns(defs, 'This Keap account has no company custom fields');
	},
};
