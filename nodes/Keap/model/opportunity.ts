/**
 * Keap opportunities and the pipeline stages they move through (REST v2 only), in a neutral
 * shape: the opportunity (its contact, stage and user flattened to IDs and names), what a write
 * is made of, a listing's query, and a stage.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';
import type { CustomFieldValue } from './customFieldValues';

export interface Opportunity {
	id: string;
	opportunity_title: string | null;
	contact_id: string | null;
	/** The contact's name and email as Keap embeds them in the opportunity. */
	contact_name: string | null;
	contact_email: string | null;
	stage_id: string | null;
	stage_name: string | null;
	/** The Keap user the opportunity is assigned to. */
	user_id: string | null;
	user_name: string | null;
	/** ISO 8601 date-times. */
	next_action_time: string | null;
	next_action_notes: string | null;
	opportunity_notes: string | null;
	estimated_close_time: string | null;
	include_in_forecast: boolean;
	projected_revenue_low: number | null;
	projected_revenue_high: number | null;
	affiliate_id: string | null;
	lead_source: string | null;
	created_by: string | null;
	last_updated_by: string | null;
	create_time: string | null;
	update_time: string | null;
	custom_fields: CustomFieldValue[];
}

/** An opportunity write: only the properties set are written. */
export interface OpportunityInput {
	opportunity_title?: string;
	contact_id?: string;
	stage_id?: string;
	user_id?: string;
	next_action_time?: string;
	next_action_notes?: string;
	opportunity_notes?: string;
	estimated_close_time?: string;
	include_in_forecast?: boolean;
	projected_revenue_low?: number;
	projected_revenue_high?: number;
	affiliate_id?: string;
	custom_fields?: CustomFieldValue[];
}

export type OpportunityOrderField = 'next_action_time' | 'contact_name' | 'opportunity_title' | 'created_time' | 'update_time';

/** Get Many's filters: each one is a filter of Keap's v2 listing. */
export interface OpportunityQuery {
	contact_id?: string;
	stage_id?: string;
	user_id?: string;
	/** A title prefix ("Deal*") or an exact title; likewise the lead source and contact place. */
	opportunity_title?: string;
	lead_source_name?: string;
	contact_city?: string;
	contact_state?: string;
	/** Only opportunities whose high estimate is at least / low estimate at most this. */
	projected_revenue_high_min?: number;
	projected_revenue_low_max?: number;
	order_by?: OpportunityOrderField;
	order_direction?: 'asc' | 'desc';
}

export interface ChecklistItem {
	id: string;
	description: string | null;
	required: boolean;
	order: number | null;
}

export interface OpportunityStage {
	id: string;
	name: string;
	/** Position in the pipeline (1 = first). */
	order: number | null;
	/** Win probability, 0-100. */
	probability: number | null;
	target_number_days: number | null;
	checklist_items: ChecklistItem[];
	create_time: string | null;
	update_time: string | null;
}

export function simplifyOpportunity(o: Opportunity): IDataObject {
	return compact({
		id: o.id,
		opportunity_title: o.opportunity_title,
		contact_id: o.contact_id,
		contact_name: o.contact_name,
		stage_id: o.stage_id,
		stage_name: o.stage_name,
		user_name: o.user_name,
		projected_revenue_low: o.projected_revenue_low,
		projected_revenue_high: o.projected_revenue_high,
		estimated_close_time: o.estimated_close_time,
		update_time: o.update_time,
	}) as IDataObject;
}
