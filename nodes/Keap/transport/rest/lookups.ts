/** The option lists of the contact parameters over REST v2: users, lead sources, contact types. */
import type { NamedOption } from '../../model/common';
import type { LookupsApi } from '../client';
import { RestClient, UnreadableAnswerError, V2 } from './client';

export class RestLookups implements LookupsApi {
	constructor(private readonly rest: RestClient) {}

	async listUsers(): Promise<NamedOption[]> {
		const users = await this.rest.allPages(`${V2}/users`, 'users');
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
		const types = res.body.option_types ?? [];
		if (!Array.isArray(types)) throw new UnreadableAnswerError(res.call, res.status, 'it holds no "option_types" list');
		return types.map(String);
	}
}
