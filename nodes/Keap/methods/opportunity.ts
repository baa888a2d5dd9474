/** Editor look-ups of the opportunity operations: opportunities by title, pipeline stages, opportunity custom fields. */
import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestOpportunities } from '../transport/rest/opportunities';
import { customFieldColumns } from './recordFields';

const SEARCH_PAGE = 50;

const client = (ctx: ILoadOptionsFunctions) => new RestOpportunities(new KeapSession(ctx).rest);

export const listSearch = {
	async searchOpportunities(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const term = filter?.replace(/\*/g, '').trim();
		const page = await client(this).list(
			{ opportunity_title: term ? `${term}*` : undefined, order_by: 'created_time', order_direction: 'desc' },
			SEARCH_PAGE,
			paginationToken,
		);
		return {
			results: page.items.map(({ value: o }) => ({
				name: [o.opportunity_title ?? `Opportunity ${o.id}`, o.contact_name && `(${o.contact_name})`].filter(Boolean).join(' '),
				value: o.id,
			})),
			paginationToken: page.next,
		};
	},

	async searchStages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const term = filter?.replace(/\*/g, '').trim();
		const page = await client(this).listStages(term || undefined, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: s }) => ({ name: s.name, value: s.id })),
			paginationToken: page.next,
		};
	},
};

export const resourceMapping = {
	async getOpportunityCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return customFieldColumns(await client(this).customFields(), 'opportunity');
	},
};
