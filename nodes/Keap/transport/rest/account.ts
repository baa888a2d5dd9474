/** The account behind the credential: how much of Keap's quota it has used. */
import type { QuotaState } from '../quota';
import { RestClient, V2 } from './client';

export class RestAccount {
	constructor(private readonly rest: RestClient) {}

	/**
	 * The credential's quota as Keap reports it, from one cheap authenticated call whose answer
	 * carries the quota headers; undefined when no answer had them. The call is the v2 list of
	 * contact types (a few words), which every credential may make: not userinfo, which Keap
	 * documents for OAuth access tokens only, not for a PAT or SAK (issue 15, defect 10).
	 */
	async apiUsage(): Promise<QuotaState | undefined> {
		await this.rest.json('GET', `${V2}/settings/contactOptionTypes`);
		return this.rest.http.lastQuota;
	}
}
