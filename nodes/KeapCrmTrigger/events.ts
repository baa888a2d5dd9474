/**
 * Keap's REST hook event keys with the names users see, and the delivery check. The editor
 * loads the keys from Keap (`GET /v1/hooks/event_keys`); FALLBACK_EVENT_KEYS is the list used
 * when that list cannot be read (and for the canvas subtitle).
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { apiUrlProblem } from '../Keap/transport/rest/hooks';

/**
 * Every key Keap's list held when this was written (KEAP-API.md section 5: the live list and
 * the 2018 NovakSolutions HookTypes enum agree on these).
 */
export const FALLBACK_EVENT_KEYS = [
	'appointment.add', 'appointment.delete', 'appointment.edit',
	'company.add', 'company.delete', 'company.edit',
	'contact.add', 'contact.delete', 'contact.edit', 'contact.redact',
	'contactGroup.add', 'contactGroup.applied', 'contactGroup.delete', 'contactGroup.edit', 'contactGroup.removed',
	'invoice.add', 'invoice.delete', 'invoice.edit',
	'invoice.payment.add', 'invoice.payment.delete', 'invoice.payment.edit',
	'leadsource.add', 'leadsource.delete', 'leadsource.edit',
	'note.add', 'note.delete', 'note.edit',
	'opportunity.add', 'opportunity.delete', 'opportunity.edit', 'opportunity.stage_move',
	'order.add', 'order.delete', 'order.edit',
	'product.add', 'product.delete', 'product.edit',
	'subscription.add', 'subscription.delete', 'subscription.edit',
	'task.add', 'task.delete', 'task.edit',
	'user.activate', 'user.add', 'user.edit',
];

const OBJECT_NAMES: Record<string, string> = {
	appointment: 'Appointment',
	company: 'Company',
	contact: 'Contact',
	contactGroup: 'Tag',
	invoice: 'Invoice',
	'invoice.payment': 'Invoice Payment',
	leadsource: 'Lead Source',
	note: 'Note',
	opportunity: 'Opportunity',
	order: 'Order',
	product: 'Product',
	subscription: 'Subscription',
	task: 'Task',
	user: 'User',
};

const ACTION_NAMES: Record<string, string> = {
	activate: 'Activated',
	add: 'Added',
	applied: 'Applied',
	delete: 'Deleted',
	edit: 'Updated',
	redact: 'Redacted',
	removed: 'Removed',
	stage_move: 'Stage Moved',
};

const words = (s: string) =>
	s
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.split(/[\s_.]+/)
		.filter(Boolean)
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join(' ');

/** The object part of an event key ("invoice.payment" of "invoice.payment.add"). */
export function eventObject(key: string): string {
	const cut = key.lastIndexOf('.');
	return cut > 0 ? key.slice(0, cut) : key;
}

/** "Contact: Added" for `contact.add`; a key Keap adds later gets a name made from its parts. */
export function eventName(key: string): string {
	const object = eventObject(key);
	const action = key.slice(object.length + 1);
	return `${OBJECT_NAMES[object] ?? words(object)}: ${ACTION_NAMES[action] ?? words(action || key)}`;
}

/** The editor's options for a list of keys: grouped by object (sorted by name), each key once. */
export function eventOptions(keys: string[]): INodePropertyOptions[] {
	return [...new Set(keys)]
		.map((value) => ({ name: eventName(value), value, description: `Keap event ${value}` }))
		.sort((a, b) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value));
}

export const EVENTS: INodePropertyOptions[] = eventOptions(FALLBACK_EVENT_KEYS);

export interface HookEntry {
	id: string;
	apiUrl?: string;
	timestamp?: string;
	contactIds: string[];
	raw: IDataObject;
}

export interface Delivery {
	eventKey: string;
	objectType: string;
	entries: HookEntry[];
}

/** Keap's cap on one delivery: "up to 1000 changed objects of the same event type per payload". */
export const MAX_OBJECTS_PER_DELIVERY = 1000;
/**
 * What one delivery may make the node fetch besides its objects: the contacts a tag event's
 * entries name (contactDetails), at most this many distinct ones over the whole delivery.
 */
export const MAX_CONTACTS_PER_DELIVERY = 1000;

/**
 * A Keap delivery for this hook's event, or the reason it is not one. Anything else (wrong
 * event, no objects, malformed ids, an apiUrl not on Keap's host, more than Keap sends in one
 * delivery) is answered with a 4xx and starts no execution.
 */
export function parseDelivery(body: unknown, expectedEvent: string, baseUrl?: string): Delivery | { error: string } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'body is not a JSON object' };
	const b = body as IDataObject;
	if (typeof b.event_key !== 'string') return { error: 'event_key is missing' };
	if (b.event_key !== expectedEvent) return { error: `event_key "${b.event_key.slice(0, 60)}" is not this trigger's event` };
	if (typeof b.object_type !== 'string' || !b.object_type) return { error: 'object_type is missing' };
	if (!Array.isArray(b.object_keys) || b.object_keys.length === 0) return { error: 'object_keys is empty' };
	if (b.object_keys.length > MAX_OBJECTS_PER_DELIVERY) return { error: `more than ${MAX_OBJECTS_PER_DELIVERY} object_keys` };
	const entries: HookEntry[] = [];
	const contacts = new Set<string>();
	for (const k of b.object_keys as unknown[]) {
		if (!k || typeof k !== 'object') return { error: 'an object_keys entry is not an object' };
		const e = k as IDataObject;
		const id = typeof e.id === 'number' || typeof e.id === 'string' ? String(e.id) : '';
		if (!/^\d{1,19}$/.test(id)) return { error: 'an object_keys entry has no numeric id' };
		if (e.apiUrl !== undefined && e.apiUrl !== null && typeof e.apiUrl !== 'string') return { error: 'an apiUrl is not text' };
		const apiUrl = typeof e.apiUrl === 'string' ? e.apiUrl : undefined;
		const problem = apiUrlProblem(apiUrl, id, b.object_type, baseUrl);
		if (problem) return { error: problem };
		if (e.contactDetails !== undefined && !Array.isArray(e.contactDetails)) return { error: 'contactDetails is not a list' };
		const details = Array.isArray(e.contactDetails) ? (e.contactDetails as IDataObject[]) : [];
		const contactIds: string[] = [];
		for (const d of details) {
			const cid = String(d?.id ?? '');
			if (!/^\d{1,19}$/.test(cid)) return { error: 'a contactDetails entry has no numeric id' };
			contactIds.push(cid);
			contacts.add(cid);
		}
		if (contacts.size > MAX_CONTACTS_PER_DELIVERY) return { error: `more than ${MAX_CONTACTS_PER_DELIVERY} contacts named in one delivery` };
		entries.push({ id, apiUrl, timestamp: typeof e.timestamp === 'string' ? e.timestamp : undefined, contactIds, raw: e });
	}
	return { eventKey: b.event_key, objectType: b.object_type, entries };
}
