/**
 * The Assigned To pickers of tasks and opportunities: Keap users from the v2 list (100 a page,
 * the document's maximum), matched on name or email in the node (v2 filters users only by exact
 * values).
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestAssignees } from '../transport/rest/assignees';

export const listSearch = {
	async searchAssignableUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const page = await new RestAssignees(new KeapSession(this).rest).page(paginationToken);
		const term = filter?.trim().toLowerCase();
		const users = term
			? page.items.filter((u) => u.name.toLowerCase().includes(term) || (u.email ?? '').toLowerCase().includes(term))
			: page.items;
		return {
			results: users.map((u) => ({ name: u.email ? `${u.name} <${u.email}>` : u.name, value: u.id })),
			paginationToken: page.next,
		};
	},
};
