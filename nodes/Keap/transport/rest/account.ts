/** The account behind the credential: how much of Keap's quota it has used. */
import { KEAP_USERINFO_PATH } from '../../../../credentials/common/keap';
import type { QuotaState } from '../quota';
import { RestClient } from './client';

export class RestAccount {
	constructor(private readonly rest: RestClient) {}

	/**
	 * The credential's quota as Keap reports it, from one cheap authenticated call (GET
	 * userinfo) whose answer carries the quota headers; undefined when no answer had them.
	 */
	async apiUsage(): Promise<QuotaState | undefined> {
		await this.rest.json('GET', KEAP_USERINFO_PATH);
		return this.rest.http.lastQuota;
	}
}
