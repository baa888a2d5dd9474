/**
 * Campaigns and automations over REST v2. Keap's campaign builder calls them both names: one
 * record, one id, listed by `GET /campaigns` (counts, published flag) and `GET /automations`
 * (status, categories; page_size at most 25). Sequences and goals come from
 * `GET /campaigns/{campaign_id}/sequences` and `/goals` (none for a draft). Contacts join a
 * sequence through `POST /campaigns/{id}/sequences/{sequence_id}:addContacts` and leave through
 * `:removeContacts` (v2 has no `:removeContacts` on the automation route, and v1 has none at
 * all: the campaign route serves both, with the same ids). `POST /automations/goals/achieve`
 * achieves an API goal (integration + call name) for one contact per call.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Campaign, CampaignQuery, Goal, GoalResult, Sequence, SequenceResult } from '../../model/automation';
import type { Page, WithRaw } from '../../model/common';
import { listOf, RestClient, UnreadableAnswerError, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, ids, list, listPage, num, obj, orderBy, str } from './commerce';

/** Largest page_size of `GET /automations` (Keap's v2 document). */
export const AUTOMATIONS_MAX_PAGE_SIZE = 25;

export function campaignFromV2(raw: IDataObject): Campaign {
	const published = bool(raw.published_status);
	return {
		id: String(raw.id),
		name: str(raw.name),
		status: published === null ? null : published ? 'PUBLISHED' : 'DRAFT',
		published,
		published_date: str(raw.published_date),
		date_created: str(raw.date_created),
		categories: [],
		active_contact_count: num(raw.active_contact_count),
		completed_contact_count: num(raw.completed_contact_count),
	};
}

export function automationFromV2(raw: IDataObject): Campaign {
	const status = str(raw.status);
	return {
		id: String(raw.id),
		name: str(raw.title),
		status,
		published: status === null ? null : status === 'PUBLISHED',
		published_date: str(raw.published_date),
		date_created: null,
		categories: ids(raw.categories),
		active_contact_count: num(raw.active_contacts),
		completed_contact_count: null,
	};
}

const sequenceFromV2 = (raw: IDataObject): Sequence => ({
	id: String(raw.id),
	name: str(raw.name),
	active_contact_count: num(raw.active_contact_count),
});

const goalFromV2 = (raw: IDataObject): Goal => ({
	id: String(raw.id),
	name: str(raw.name),
	type: str(raw.type),
	next_sequence_ids: ids(raw.next_sequence_ids),
	previous_sequence_ids: ids(raw.previous_sequence_ids),
});

/** The per-contact map of a sequence call's answer, which must be there. */
function resultsOf(body: IDataObject, key: string, call: string, status: number): Record<string, SequenceResult> {
	const map = body[key];
	if (!map || typeof map !== 'object' || Array.isArray(map)) throw new UnreadableAnswerError(call, status, `it holds no "${key}" map`);
	return Object.fromEntries(Object.entries(map as IDataObject).map(([k, v]) => [k, String(v)]));
}

export class RestCampaigns {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;
	readonly automationsMaxPageSize = AUTOMATIONS_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/campaigns/${encodeURIComponent(id)}`;
	}

	async listCampaigns(query: CampaignQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Campaign>>> {
		const filter = v2Filter([['name', query.name]]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/campaigns`, 'campaigns', campaignFromV2, qs, pageSize, cursor, itemIndex);
	}

	async listAutomations(query: CampaignQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Campaign>>> {
		const filter = v2Filter([['name', query.name]]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		const size = Math.min(pageSize, AUTOMATIONS_MAX_PAGE_SIZE);
		return await listPage(this.rest, `${V2}/automations`, 'automations', automationFromV2, qs, size, cursor, itemIndex);
	}

	/** null when Keap has no campaign with this id. */
	async get(id: string, itemIndex?: number): Promise<WithRaw<Campaign> | null> {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : { value: campaignFromV2(res.body), raw: res.body };
	}

	async sequences(campaignId: string, itemIndex?: number): Promise<Sequence[]> {
		const res = await this.rest.json('GET', `${this.path(campaignId)}/sequences`, { itemIndex });
		return listOf(res, 'sequences', ['next_page_token', 'campaign_id']).map(sequenceFromV2);
	}

	async goals(campaignId: string, itemIndex?: number): Promise<Goal[]> {
		const res = await this.rest.json('GET', `${this.path(campaignId)}/goals`, { itemIndex });
		return listOf(res, 'goals', ['next_page_token', 'campaign_id']).map(goalFromV2);
	}

	/** Adds up to SEQUENCE_CONTACTS_MAX contacts; Keap's result per contact id. */
	async addToSequence(campaignId: string, sequenceId: string, contactIds: string[], itemIndex?: number) {
		const path = `${this.path(campaignId)}/sequences/${encodeURIComponent(sequenceId)}:addContacts`;
		const res = await this.rest.json('POST', path, { body: { contact_ids: contactIds }, itemIndex });
		return resultsOf(res.body, 'add_to_sequence_results', res.call, res.status);
	}

	/** Removes up to SEQUENCE_CONTACTS_MAX contacts; Keap's result per contact id. */
	async removeFromSequence(campaignId: string, sequenceId: string, contactIds: string[], itemIndex?: number) {
		const path = `${this.path(campaignId)}/sequences/${encodeURIComponent(sequenceId)}:removeContacts`;
		const res = await this.rest.json('POST', path, { body: { contact_ids: contactIds }, itemIndex });
		return resultsOf(res.body, 'remove_from_sequence_results', res.call, res.status);
	}

	/** Achieves the published API goals of `integration` + `callName` for one contact (Keap takes one per call). */
	async achieveGoal(integration: string, callName: string, contactId: string, itemIndex?: number): Promise<GoalResult[]> {
		const res = await this.rest.json('POST', `${V2}/automations/goals/achieve`, {
			body: { integration, call_name: callName, contact_id: Number(contactId) },
			itemIndex,
		});
		if (!Array.isArray(res.body.results) && Object.keys(res.body).length) {
			throw new UnreadableAnswerError(res.call, res.status, 'it holds no "results" list');
		}
		const flows = (v: unknown) => list(v).filter((f) => f.success !== false).map((f) => String(obj(f).flow_id));
		return list(res.body.results).map((r) => ({
			automation_id: str(r.automation_id),
			goal_id: str(r.goal_id),
			success: bool(r.success),
			message: str(r.message),
			started_sequence_ids: flows(r.flow_start_results),
			stopped_sequence_ids: flows(r.flow_stop_results),
		}));
	}
}
