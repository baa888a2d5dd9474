/** Keap's REST hook event keys with the names users see, and the delivery check. */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

export const EVENTS: INodePropertyOptions[] = [
	{ name: 'Appointment Created', value: 'appointment.add' },
	{ name: 'Appointment Deleted', value: 'appointment.delete' },
	{ name: 'Appointment Updated', value: 'appointment.edit' },
	{ name: 'Company Created', value: 'company.add' },
	{ name: 'Company Deleted', value: 'company.delete' },
	{ name: 'Company Updated', value: 'company.edit' },
	{ name: 'Contact Created', value: 'contact.add' },
	{ name: 'Contact Deleted', value: 'contact.delete' },
	{ name: 'Contact Redacted', value: 'contact.redact' },
	{ name: 'Contact Updated', value: 'contact.edit' },
	{ name: 'Invoice Created', value: 'invoice.add' },
	{ name: 'Invoice Deleted', value: 'invoice.delete' },
	{ name: 'Invoice Payment Created', value: 'invoice.payment.add' },
	{ name: 'Invoice Updated', value: 'invoice.edit' },
	{ name: 'Lead Source Created', value: 'leadsource.add' },
	{ name: 'Note Created', value: 'note.add' },
	{ name: 'Opportunity Created', value: 'opportunity.add' },
	{ name: 'Opportunity Stage Moved', value: 'opportunity.stage_move' },
	{ name: 'Opportunity Updated', value: 'opportunity.edit' },
	{ name: 'Order Created', value: 'order.add' },
	{ name: 'Order Updated', value: 'order.edit' },
	{ name: 'Product Created', value: 'product.add' },
	{ name: 'Subscription Created', value: 'subscription.add' },
	{ name: 'Tag Applied', value: 'contactGroup.applied' },
	{ name: 'Tag Created', value: 'contactGroup.add' },
	{ name: 'Tag Deleted', value: 'contactGroup.delete' },
	{ name: 'Tag Removed', value: 'contactGroup.removed' },
	{ name: 'Tag Updated', value: 'contactGroup.edit' },
	{ name: 'Task Created', value: 'task.add' },
	{ name: 'Task Updated', value: 'task.edit' },
	{ name: 'User Created', value: 'user.add' },
];

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

/**
 * A Keap delivery for this hook's event, or the reason it is not one. Anything else (wrong
 * event, no objects, malformed ids) is answered with a 4xx and starts no execution.
 */
export function parseDelivery(body: unknown, expectedEvent: string): Delivery | { error: string } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'body is not a JSON object' };
	const b = body as IDataObject;
	if (typeof b.event_key !== 'string') return { error: 'event_key is missing' };
	if (b.event_key !== expectedEvent) return { error: `event_key "${b.event_key}" is not this trigger's event` };
	if (typeof b.object_type !== 'string' || !b.object_type) return { error: 'object_type is missing' };
	if (!Array.isArray(b.object_keys) || b.object_keys.length === 0) return { error: 'object_keys is empty' };
	if (b.object_keys.length > 1000) return { error: 'more than 1000 object_keys' };
	const entries: HookEntry[] = [];
	for (const k of b.object_keys as unknown[]) {
		if (!k || typeof k !== 'object') return { error: 'an object_keys entry is not an object' };
		const e = k as IDataObject;
		const id = typeof e.id === 'number' || typeof e.id === 'string' ? String(e.id) : '';
		if (!/^\d+$/.test(id)) return { error: 'an object_keys entry has no numeric id' };
		const details = Array.isArray(e.contactDetails) ? (e.contactDetails as IDataObject[]) : [];
		entries.push({
			id,
			apiUrl: typeof e.apiUrl === 'string' ? e.apiUrl : undefined,
			timestamp: typeof e.timestamp === 'string' ? e.timestamp : undefined,
			contactIds: details.map((d) => String(d?.id ?? '')).filter((x) => /^\d+$/.test(x)),
			raw: e,
		});
	}
	return { eventKey: b.event_key, objectType: b.object_type, entries };
}
