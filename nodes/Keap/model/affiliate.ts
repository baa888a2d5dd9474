/** Keap affiliates (referral partners) in the shape the node outputs and takes. */
import type { RecordCustomFieldValue } from './order';

export const AFFILIATE_STATUSES = ['ACTIVE', 'INACTIVE'] as const;

export interface Affiliate {
	id: string;
	code: string | null;
	name: string | null;
	status: string | null;
	contact_id: string | null;
	parent_affiliate_id: string | null;
	notify_on_sale: boolean | null;
	notify_on_lead: boolean | null;
	track_leads_days: number | null;
	unique_site_id: string | null;
	date_created: string | null;
	custom_fields: RecordCustomFieldValue[];
}

export interface AffiliateInput {
	contact_id: string;
	code: string;
	name?: string;
	status?: 'ACTIVE' | 'INACTIVE';
	parent_affiliate_id?: string;
	notify_on_sale?: boolean;
	notify_on_lead?: boolean;
	track_leads_days?: number;
	password?: string;
	custom_fields?: RecordCustomFieldValue[];
}

export interface AffiliateQuery {
	/** Exactly, or a prefix ending in *. */
	name?: string;
	contact_id?: string;
	status?: string;
	code?: string;
	order_by?: 'id' | 'date_created' | 'name' | 'status' | 'code';
	order_direction?: 'asc' | 'desc';
}

/**
 * Keap's rules for an affiliate code (its v2 document): no white space, starts with a letter,
 * at least 4 characters. The message, or null when the code is fine.
 */
export function affiliateCodeProblem(code: string): string | null {
	if (/\s/.test(code)) return 'an affiliate code has no spaces';
	if (!/^[A-Za-z]/.test(code)) return 'an affiliate code starts with a letter';
	if (code.length < 4) return 'an affiliate code has at least 4 characters';
	return null;
}

export function simplifyAffiliate(a: Affiliate) {
	return { id: a.id, code: a.code, name: a.name, status: a.status, contact_id: a.contact_id };
}
