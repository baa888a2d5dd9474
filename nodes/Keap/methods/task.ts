/** Editor look-ups of the task operations: tasks by title, task types, task custom fields. */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestTasks } from '../transport/rest/tasks';
import { customFieldColumns } from './recordFields';

const SEARCH_PAGE = 50;

const client = (ctx: ILoadOptionsFunctions) => new RestTasks(new KeapSession(ctx).rest);

export const listSearch = {
	async searchTasks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const term = filter?.replace(/\*/g, '').trim();
		const page = await client(this).list(
			{ title: term ? `${term}*` : undefined, order_by: 'id', order_direction: 'desc' },
			SEARCH_PAGE,
			paginationToken,
		);
		return {
			results: page.items.map(({ value: t }) => ({
				name: [t.title ?? `Task ${t.id}`, t.due_time && `(due ${t.due_time.slice(0, 10)})`, t.completed && '(done)']
					.filter(Boolean)
					.join(' '),
				value: t.id,
			})),
			paginationToken: page.next,
		};
	},
};

export const loadOptions = {
	async getTaskTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const types = await client(this).listTypes();
		return types.map((t) => ({ name: t, value: t }));
	},
};

export const resourceMapping = {
	async getTaskCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return customFieldColumns(await client(this).customFields(), 'task');
	},
};
