/**
 * Affiliates (referral partners) over REST v2: `POST /affiliates`, `GET /affiliates/{id}`,
 * `GET /affiliates` (filter id, name with a trailing * wildcard, contact_id, status, code,
 * custom fields; order by id, date_created, name, status or code) and the custom field model
 * `GET /affiliates/model` (record type REFERRAL_PARTNER).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Affiliate, AffiliateInput, AffiliateQuery } from '../../model/affiliate';
import type { Page, WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, customFieldModel, customFieldValues, listPage, num, orderBy, str } from './commerce';

export function affiliateFromV2(raw: IDataObject): Affiliate {
	return {
		id: String(raw.id),
		code: str(raw.code),
		name: str(raw.name),
		status: str(raw.status),
		contact_id: str(raw.contact_id),
		parent_affiliate_id: str(raw.parent_affiliate_id),
		notify_on_sale: bool(raw.notify_on_sale),
		notify_on_lead: bool(raw.notify_on_lead),
		track_leads_days: num(raw.track_leads_days),
		unique_site_id: str(raw.unique_site_id),
		date_created: str(raw.date_created),
		custom_fields: customFieldValues(raw.custom_fields),
	};
}

const withRaw = (raw: IDataObject): WithRaw<Affiliate> => ({ value: affiliateFromV2(raw), raw });

export class RestAffiliates {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async create(input: AffiliateInput, itemIndex?: number) {
		const body: IDataObject = {};
		for (const [k, v] of Object.entries(input)) if (v !== undefined) body[k] = v as IDataObject[string];
		const res = await this.rest.json('POST', `${V2}/affiliates`, { body, itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no affiliate with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', `${V2}/affiliates/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	async list(query: AffiliateQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Affiliate>>> {
		const filter = v2Filter([
			['name', query.name],
			['contact_id', query.contact_id],
			['status', query.status],
			['code', query.code],
		]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/affiliates`, 'affiliates', affiliateFromV2, qs, pageSize, cursor, itemIndex);
	}

	async customFields(): Promise<CustomFieldDefinition[]> {
		return await customFieldModel(this.rest, `${V2}/affiliates`);
	}
}
