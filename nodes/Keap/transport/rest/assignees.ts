/**
 * Keap users as the task and opportunity pickers need them (Assigned To): one page of the v2
 * user list at a time (Keap's document allows at most 100 a page).
 */
import type { IDataObject } from 'n8n-workflow';

import type { NamedOption, Page } from '../../model/common';
import { nextPageToken, RestClient, V2 } from './client';

/** Most users v2 answers per page (the document's maximum of `page_size`). */
export const USERS_MAX_PAGE_SIZE = 100;

function userOption(u: IDataObject): NamedOption & { email: string | null } {
	const emails = (u.email_addresses as IDataObject[] | undefined) ?? [];
	const email = emails.length ? String(emails[0].email ?? '') || null : null;
	const name = [u.given_name, u.family_name].filter(Boolean).join(' ');
	return { id: String(u.id), name: name || email || `User ${String(u.id)}`, email };
}

export class RestAssignees {
	constructor(private readonly rest: RestClient) {}

	/** One page of the active users, by family name. */
	async page(cursor?: string): Promise<Page<NamedOption & { email: string | null }>> {
		const qs: IDataObject = { page_size: USERS_MAX_PAGE_SIZE, order_by: 'name asc' };
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/users`, { qs });
		return { items: ((res.body.users as IDataObject[] | undefined) ?? []).map(userOption), next: nextPageToken(res.body) };
	}
}
