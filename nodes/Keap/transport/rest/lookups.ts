/** The option lists of the contact parameters over REST v2: users, lead sources, contact types. */
import type { NamedOption } from '../../model/common';
import type { LookupsApi } from '../client';
import { RestClient, V2 } from './client';

/** GET /v2/users documents page_size 1..100 (keap-rest-v2.json), not the 1000 of other lists. */
const USERS_MAX_PAGE_SIZE = 100;

export class RestLookups implements LookupsApi {
	constructor(private readonly rest: RestClient) {}

	async listUsers(): Promise<NamedOption[]> {
		const users = await this.rest.allPages(`${V2}/users`, 'users', { page_size: USERS_MAX_PAGE_SIZE });
		return users.map((u) => ({
			id: String(u.id),
			name: [u.given_name, u.family_name].filter(Boolean).join(' ') || String(u.id),
		}));
	}

	async listLeadSources(): Promise<NamedOption[]> {
		const sources = await this.rest.allPages(`${V2}/leadSources`, 'lead_sources');
		return sources.map((s) => ({ id: String(s.id), name: String(s.name ?? s.id) }));
	}

	async listContactTypes(): Promise<string[]> {
		const res = await this.rest.json('GET', `${V2}/settings/contactOptionTypes`);
		return ((res.body.option_types as unknown[]) ?? []).map(String);
	}
}
