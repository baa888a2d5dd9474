/**
 * Email address opt-in status over REST v2: `GET` and `PATCH /emailAddresses/{email}/status`.
 * An opt-in (`opted_in: true`) makes the address marketable ("Unconfirmed") only from some
 * statuses (Keap lists Unengaged Marketable, Unengaged Non-Marketable, Non-Marketable and
 * Opt-Out: Manual); every other status stays as it is, which the answer shows.
 */
import type { IDataObject } from 'n8n-workflow';

import { text, type WithRaw } from '../../model/common';
import type { EmailAddressStatus } from '../../model/emailStatus';
import { RestClient, V2 } from './client';

function statusFromV2(raw: IDataObject, email: string): EmailAddressStatus {
	return {
		email: text(raw.email) ?? email,
		opted_in: raw.opted_in === true,
		status: text(raw.status),
		create_time: text(raw.create_time),
		last_sent_time: text(raw.last_sent_time),
		last_open_time: text(raw.last_open_time),
		last_click_time: text(raw.last_click_time),
	};
}

const statusPath = (email: string) => `${V2}/emailAddresses/${encodeURIComponent(email)}/status`;

export class RestEmailAddresses {
	constructor(private readonly rest: RestClient) {}

	/** null when Keap knows no such address. */
	async getStatus(email: string, itemIndex?: number): Promise<WithRaw<EmailAddressStatus> | null> {
		const res = await this.rest.json('GET', statusPath(email), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : { value: statusFromV2(res.body, email), raw: res.body };
	}

	/** Opts the address in or out, recording the reason; null when Keap knows no such address. */
	async setStatus(email: string, optedIn: boolean, reason: string, itemIndex?: number): Promise<WithRaw<EmailAddressStatus> | null> {
		const res = await this.rest.json('PATCH', statusPath(email), {
			body: { opted_in: optedIn, reason },
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : { value: statusFromV2(res.body, email), raw: res.body };
	}
}
