/**
 * The trigger's output items for one delivery: Keap's entries as sent (Raw Event), or the full
 * record of every object the event names, read with the fewest calls (transport/rest/records.ts;
 * contacts through the contact batching). An object Keap does not return is an item that says
 * so (`not_found`), a deleted one is `deleted: true` without a fetch, and an object type Keap
 * offers no route for is `not_fetched` with the reason.
 */
import type { IDataObject } from 'n8n-workflow';

import { hydrateContacts, normalizedContact } from '../Keap/actions/common/contact';
import { simplifyContact } from '../Keap/model/contact';
import type { KeapSession } from '../Keap/transport';
import { canFetch, RestRecords } from '../Keap/transport/rest/records';
import type { Delivery, HookEntry } from './events';

function eventInfo(delivery: Delivery, entry: { timestamp?: string }): IDataObject {
	return { key: delivery.eventKey, object_type: delivery.objectType, timestamp: entry.timestamp ?? null };
}

export function rawItems(delivery: Delivery): IDataObject[] {
	return delivery.entries.map((e) => ({ ...e.raw, event: eventInfo(delivery, e) }));
}

/** The order id an invoice event's apiUrl names (`.../orders/{id}`), if it names one. */
function orderIdOf(entry: HookEntry): string | undefined {
	return /\/orders\/(\d+)(?:\/|$)/.exec(entry.apiUrl ?? '')?.[1];
}

/**
 * The contact a tag event's entry is keyed by, when it is (its apiUrl is the contact's and it
 * lists no contacts): Keap documents no payload for tag events, so both shapes are read, the
 * tag with `contactDetails` and one entry per contact (emulator switch hookTagPayload).
 */
function contactIdOf(entry: HookEntry): string | undefined {
	if (entry.contactIds.length) return undefined;
	const id = /\/contacts\/(\d+)\/?$/.exec(entry.apiUrl ?? '')?.[1];
	return id === entry.id ? id : undefined;
}

/** Contacts in full by id, rendered for output (null for one Keap did not return). */
async function contactRenderer(session: KeapSession, ids: string[], simple: boolean) {
	const contacts = ids.length ? await hydrateContacts(session.client.contacts, ids) : new Map();
	const defs = !simple && [...contacts.values()].some((c) => c.value.custom_fields.length) ? await session.getCustomFields() : [];
	return (id: string): IDataObject | null => {
		const c = contacts.get(id);
		if (!c) return null;
		return simple ? simplifyContact(c.value) : normalizedContact(c.value, defs);
	};
}

export async function hydratedItems(session: KeapSession, delivery: Delivery, simple: boolean): Promise<IDataObject[]> {
	const { objectType, eventKey, entries } = delivery;
	const event = (e: HookEntry) => eventInfo(delivery, e);
	if (eventKey.endsWith('.delete')) return entries.map((e) => ({ id: e.id, deleted: true, event: event(e) }));
	const records = new RestRecords(session.rest);

	if (objectType === 'contact') {
		const render = await contactRenderer(session, entries.map((e) => e.id), simple);
		return entries.map((e) => {
			const c = render(e.id);
			return c ? { ...c, event: event(e) } : { id: e.id, not_found: true, event: event(e) };
		});
	}
	if (objectType === 'contactGroup') {
		const byTag = entries.filter((e) => contactIdOf(e) === undefined);
		const tags = await records.byIds('contactGroup', byTag.map((e) => e.id));
		const render = await contactRenderer(session, entries.flatMap((e) => contactIdOf(e) ?? e.contactIds), simple);
		const out: IDataObject[] = [];
		for (const e of entries) {
			const contactId = contactIdOf(e);
			if (contactId !== undefined) {
				// An entry keyed by the contact names no tag: the contact in full, the tag said unknown.
				out.push({ tag: { id: null, name: null, not_in_delivery: true }, contact: render(contactId) ?? { id: contactId, not_found: true }, event: event(e) });
				continue;
			}
			const t = tags.get(e.id);
			const tag = t ? { ...t, id: e.id } : { id: e.id, name: null, not_found: true };
			if (!e.contactIds.length) {
				out.push({ tag, event: event(e) });
				continue;
			}
			for (const contactId of e.contactIds) {
				out.push({ tag, contact: render(contactId) ?? { id: contactId, not_found: true }, event: event(e) });
			}
		}
		return out;
	}
	if (objectType === 'invoice') {
		// Keap's invoices are read through their orders (v2 has no invoice route); the order is
		// the one the event's apiUrl names.
		const orders = await records.orders(entries.map(orderIdOf).filter((x): x is string => x !== undefined));
		return entries.map((e) => {
			const orderId = orderIdOf(e);
			if (!orderId) return { id: e.id, not_fetched: true, reason: 'The event names no order for this invoice (its apiUrl is empty)', event: event(e) };
			const order = orders.get(orderId);
			if (!order || (order.invoice_id !== undefined && String(order.invoice_id) !== e.id)) return { id: e.id, not_found: true, event: event(e) };
			return { invoice_id: e.id, order: order, event: event(e) };
		});
	}
	if (!canFetch(objectType)) {
		return entries.map((e) => ({ id: e.id, not_fetched: true, reason: `Keap's API has no route to read ${objectType} records`, event: event(e) }));
	}
	const found = await records.byIds(objectType, entries.map((e) => e.id));
	return entries.map((e) => {
		const r = found.get(e.id);
		// REST v1 appointments carry no id of their own: the event's id is theirs.
		return r ? { ...r, id: r.id ?? e.id, event: event(e) } : { id: e.id, not_found: true, event: event(e) };
	});
}
