/** The editor's look-up for users: the user picker's search. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestUsers } from '../transport/rest/users';

export const userListSearch = {
	/**
	 * Active users, 100 per page. Keap filters users by exact email or first name only, so a
	 * search reads every user and keeps those whose name or email contains the text.
	 */
	async searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const users = new RestUsers(new KeapSession(this).rest);
		const term = filter?.trim().toLowerCase();
		const toItem = ({ value: u }: { value: { id: string; name: string; email: string | null } }) => ({
			name: u.email && u.email !== u.name ? `${u.name} <${u.email}>` : u.name,
			value: u.id,
		});
		if (!term) {
			const page = await users.list({ order_by: 'name' }, users.maxPageSize, paginationToken);
			return { results: page.items.map(toItem), paginationToken: page.next };
		}
		const all = await users.listAll({ order_by: 'name' });
		const hits = all.filter(({ value: u }) => u.name.toLowerCase().includes(term) || (u.email ?? '').toLowerCase().includes(term));
		return { results: hits.map(toItem) };
	},
};
