/** The option lists of the contact parameters over REST v2: users, lead sources, contact types. */
import type { NamedOption } from '../../model/common';
import type { LookupsApi } from '../client';
import { RestClient, UnreadableAnswerError, V2 } from './client';
import { RestUsers } from './users';

export class RestLookups implements LookupsApi {
	constructor(private readonly rest: RestClient) {}

	/** Active users, through the users module (Keap's v2 users listing takes at most 100 a page). */
	async listUsers(): Promise<NamedOption[]> {
		const users = await new RestUsers(this.rest).listAll();
		return users.map(({ value: u }) => ({ id: u.id, name: u.name }));
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
