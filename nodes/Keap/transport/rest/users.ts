/**
 * Keap users over REST v2: `GET /users` (filter email, given_name, user_ids, include_inactive,
 * include_partners; order_by create_time | email | name) and `GET /users/{user_id}`. The
 * listing takes page_size 1..100 only (Keap's v2 document), unlike the 1000 of contacts and
 * tags: every listing of users here asks 100 at a time.
 */
import type { IDataObject } from 'n8n-workflow';

import { text, type Page, type WithRaw } from '../../model/common';
import type { User, UserQuery } from '../../model/user';
import { nextPageToken, RestClient, V2, v2Filter } from './client';

/** Largest page_size Keap's v2 `GET /users` takes. */
export const USERS_MAX_PAGE_SIZE = 100;

function userFromV2(raw: IDataObject): User {
	const emails = (raw.email_addresses as IDataObject[] | undefined) ?? [];
	const email = text(emails.find((e) => e.field === 'EMAIL1')?.email ?? emails[0]?.email);
	const given = text(raw.given_name);
	const family = text(raw.family_name);
	return {
		id: String(raw.id),
		given_name: given,
		family_name: family,
		name: [given, family].filter(Boolean).join(' ') || email || String(raw.id),
		email,
		status: text(raw.status),
		admin: typeof raw.admin === 'boolean' ? raw.admin : null,
		partner: typeof raw.partner === 'boolean' ? raw.partner : null,
		title: text(raw.title),
		company_name: text(raw.company_name),
		phone_numbers: ((raw.phone_numbers as IDataObject[] | undefined) ?? [])
			.filter((p) => p.number)
			.map((p) => ({
				number: String(p.number),
				...(p.field ? { field: String(p.field) } : {}),
				...(p.extension ? { extension: String(p.extension) } : {}),
				...(p.type ? { type: String(p.type) } : {}),
			})),
		create_time: text(raw.create_time),
		update_time: text(raw.update_time),
	};
}

const withRaw = (raw: IDataObject): WithRaw<User> => ({ value: userFromV2(raw), raw });

export class RestUsers {
	readonly maxPageSize = USERS_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	/** One page of users (pageSize is clamped to Keap's 1..100). */
	async list(query: UserQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<User>>> {
		const qs: IDataObject = { page_size: Math.max(1, Math.min(USERS_MAX_PAGE_SIZE, Math.floor(pageSize))) };
		const filter = v2Filter([
			['email', query.email],
			['given_name', query.given_name],
			['user_ids', query.user_ids?.length ? query.user_ids.join(',') : undefined],
			['include_inactive', query.include_inactive ? 'true' : undefined],
			['include_partners', query.include_partners ? 'true' : undefined],
		]);
		if (filter) qs.filter = filter;
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/users`, { qs, itemIndex });
		return { items: ((res.body.users as IDataObject[]) ?? []).map(withRaw), next: nextPageToken(res.body) };
	}

	/** Every user the query selects, 100 per call. */
	async listAll(query: UserQuery = {}, itemIndex?: number): Promise<Array<WithRaw<User>>> {
		const out: Array<WithRaw<User>> = [];
		let cursor: string | undefined;
		do {
			const page = await this.list(query, USERS_MAX_PAGE_SIZE, cursor, itemIndex);
			out.push(...page.items);
			cursor = page.next;
		} while (cursor);
		return out;
	}

	/** null when Keap has no user with this id. */
	async get(id: string, itemIndex?: number): Promise<WithRaw<User> | null> {
		const res = await this.rest.json('GET', `${V2}/users/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}
}
