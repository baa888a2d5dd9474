/**
 * Opportunities and their pipeline stages over REST v2: opportunity create, get, list, update
 * (PATCH with update_mask; moving to a stage is such a PATCH of `stage_id`, as v2 has no move
 * route), delete and the custom field model; stages in pipeline order, and one stage by ID.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import { text } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { mergeCustomFieldValues } from '../../model/customFieldValues';
import type { Opportunity, OpportunityInput, OpportunityQuery, OpportunityStage } from '../../model/opportunity';
import { nextPageToken, RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { customFieldValuesFromV2, readCustomFieldModel } from './recordModel';

/** Optional opportunity properties v2 leaves out unless asked for (not the legacy ones). */
export const OPPORTUNITY_FIELDS = 'custom_fields,created_by,last_updated_by';

const id = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value));
const num = (value: unknown) => (typeof value === 'number' ? value : value === undefined || value === null || value === '' ? null : Number(value));
const fullName = (first: unknown, last: unknown) => [text(first), text(last)].filter(Boolean).join(' ') || null;

export function opportunityFromV2(raw: IDataObject): Opportunity {
	const contact = (raw.contact as IDataObject | undefined) ?? {};
	const stage = (raw.stage as IDataObject | undefined) ?? {};
	const user = (raw.user as IDataObject | undefined) ?? {};
	return {
		id: String(raw.id),
		opportunity_title: text(raw.opportunity_title),
		contact_id: id(contact.id),
		contact_name: fullName(contact.first_name, contact.last_name),
		contact_email: text(contact.email),
		stage_id: id(stage.id),
		stage_name: text(stage.name),
		user_id: id(user.id),
		user_name: fullName(user.first_name, user.last_name),
		next_action_time: text(raw.next_action_time),
		next_action_notes: text(raw.next_action_notes),
		opportunity_notes: text(raw.opportunity_notes),
		estimated_close_time: text(raw.estimated_close_time),
		include_in_forecast: raw.include_in_forecast === true,
		projected_revenue_low: num(raw.projected_revenue_low),
		projected_revenue_high: num(raw.projected_revenue_high),
		affiliate_id: id(raw.affiliate_id),
		lead_source: text(raw.lead_source),
		created_by: id(raw.created_by),
		last_updated_by: id(raw.last_updated_by),
		create_time: text(raw.created_time),
		update_time: text(raw.last_updated_time),
		custom_fields: customFieldValuesFromV2(raw),
	};
}

export function stageFromV2(raw: IDataObject): OpportunityStage {
	return {
		id: String(raw.id),
		name: String(raw.name ?? ''),
		order: num(raw.order),
		probability: num(raw.probability),
		target_number_days: num(raw.target_number_days),
		checklist_items: ((raw.checklist_items as IDataObject[] | undefined) ?? []).map((c) => ({
			id: String(c.id),
			description: text(c.description),
			required: c.required === true,
			order: num(c.order),
		})),
		create_time: text(raw.created_time),
		update_time: text(raw.updated_time),
	};
}

function opportunityToV2(input: OpportunityInput): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(input)) {
		if (value === undefined) continue;
		body[key] =
			key === 'custom_fields' ? (value as OpportunityInput['custom_fields'])!.map((c) => ({ id: c.id, content: c.content })) : value;
	}
	return body;
}

const withRaw = (raw: IDataObject): WithRaw<Opportunity> => ({ value: opportunityFromV2(raw), raw });

export class RestOpportunities {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async create(input: OpportunityInput, itemIndex?: number): Promise<WithRaw<Opportunity>> {
		const res = await this.rest.json('POST', `${V2}/opportunities`, {
			qs: { fields: OPPORTUNITY_FIELDS },
			body: opportunityToV2(input),
			itemIndex,
		});
		return withRaw(res.body);
	}

	/** null when Keap has no opportunity with this ID. */
	async get(opportunityId: string, itemIndex?: number): Promise<WithRaw<Opportunity> | null> {
		const res = await this.rest.json('GET', `${V2}/opportunities/${encodeURIComponent(opportunityId)}`, {
			qs: { fields: OPPORTUNITY_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	async list(query: OpportunityQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Opportunity>>> {
		const money = (v: number | undefined) => (v === undefined ? undefined : String(v));
		const filter = [
			v2Filter([
				['contact_id', query.contact_id],
				['stage_id', query.stage_id],
				['user_id', query.user_id],
				['opportunity_title', query.opportunity_title],
				['lead_source_name', query.lead_source_name],
				['contact_city', query.contact_city],
				['contact_state', query.contact_state],
			]),
			v2Filter([['projected_revenue_high', money(query.projected_revenue_high_min)]], '>='),
			v2Filter([['projected_revenue_low', money(query.projected_revenue_low_max)]], '<='),
		]
			.filter(Boolean)
			.join(';');
		const qs: IDataObject = { page_size: pageSize, fields: OPPORTUNITY_FIELDS };
		if (filter) qs.filter = filter;
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/opportunities`, { qs, itemIndex });
		return {
			items: ((res.body.opportunities as IDataObject[] | undefined) ?? []).map(withRaw),
			next: nextPageToken(res.body),
		};
	}

	/**
	 * PATCH with update_mask naming exactly what is written (a stage move is `{stage_id}`); null
	 * when Keap has no such opportunity. Custom fields are merged into the current values first
	 * (v2 replaces the list whole).
	 */
	async update(opportunityId: string, input: OpportunityInput, itemIndex?: number): Promise<WithRaw<Opportunity> | null> {
		const write = { ...input };
		if (input.custom_fields) {
			const current = await this.get(opportunityId, itemIndex);
			if (!current) return null;
			write.custom_fields = mergeCustomFieldValues(current.value.custom_fields, input.custom_fields);
		}
		const body = opportunityToV2(write);
		const res = await this.rest.json('PATCH', `${V2}/opportunities/${encodeURIComponent(opportunityId)}`, {
			qs: { update_mask: Object.keys(body), fields: OPPORTUNITY_FIELDS },
			body,
			acceptStatus: [404],
			idempotent: true, // it sets values: sending it twice leaves the same opportunity
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when Keap had no opportunity with this ID. */
	async delete(opportunityId: string, itemIndex?: number): Promise<boolean> {
		const res = await this.rest.json('DELETE', `${V2}/opportunities/${encodeURIComponent(opportunityId)}`, {
			acceptStatus: [404],
			itemIndex,
		});
		return res.status !== 404;
	}

	async customFields(): Promise<CustomFieldDefinition[]> {
		return await readCustomFieldModel(this.rest, `${V2}/opportunities/model`);
	}

	/** One page of the pipeline's stages in pipeline order, optionally only names starting with `namePrefix`. */
	async listStages(namePrefix: string | undefined, pageSize: number, cursor?: string, itemIndex?: number) {
		const filter = v2Filter([['opportunity_stage_name', namePrefix ? `${namePrefix}*` : undefined]]);
		const qs: IDataObject = { page_size: pageSize, order_by: 'stage_order asc' };
		if (filter) qs.filter = filter;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/opportunities/stages`, { qs, itemIndex });
		const items = ((res.body.stages as IDataObject[] | undefined) ?? []).map((raw) => ({ value: stageFromV2(raw), raw }));
		return { items, next: nextPageToken(res.body) } as Page<WithRaw<OpportunityStage>>;
	}

	/** Every stage of the pipeline, in order. */
	async allStages(itemIndex?: number): Promise<OpportunityStage[]> {
		const out: OpportunityStage[] = [];
		let cursor: string | undefined;
		do {
			const page = await this.listStages(undefined, V2_MAX_PAGE_SIZE, cursor, itemIndex);
			out.push(...page.items.map((s) => s.value));
			cursor = page.next;
		} while (cursor);
		return out;
	}
}
