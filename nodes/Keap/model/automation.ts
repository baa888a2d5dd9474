/**
 * Keap campaigns (the campaign builder's "automations": one record, one id, seen through
 * `/campaigns` and `/automations`), their sequences and goals, in the shape the node outputs.
 */

/**
 * Most contacts one sequence `:addContacts` / `:removeContacts` call takes. Keap's document
 * states no cap; 100 is the cap Keap's PHP SDK gives its contact batch calls (the emulator's
 * `sequenceContactIdsMax`).
 */
export const SEQUENCE_CONTACTS_MAX = 100;

export interface Sequence {
	id: string;
	name: string | null;
	active_contact_count: number | null;
}

export interface Goal {
	id: string;
	name: string | null;
	type: string | null;
	next_sequence_ids: string[];
	previous_sequence_ids: string[];
}

export interface Campaign {
	id: string;
	name: string | null;
	/** PUBLISHED or DRAFT. */
	status: string | null;
	published: boolean | null;
	published_date: string | null;
	date_created: string | null;
	categories: string[];
	active_contact_count: number | null;
	completed_contact_count: number | null;
	/** Filled when the sequences were read (Keap shows none for a draft). */
	sequences?: Sequence[];
	goals?: Goal[];
}

export interface CampaignQuery {
	/** Text anywhere in the name; end with * for a prefix. */
	name?: string;
	order_by?: string;
	order_direction?: 'asc' | 'desc';
}

/** A per-contact outcome of a sequence call, as Keap reports it. */
export type SequenceResult = 'SUCCESS' | 'ALREADY_IN_SEQUENCE' | 'CONTACT_DOES_NOT_EXIST' | 'FAILED' | string;

export interface GoalResult {
	automation_id: string | null;
	goal_id: string | null;
	success: boolean | null;
	message: string | null;
	started_sequence_ids: string[];
	stopped_sequence_ids: string[];
}
