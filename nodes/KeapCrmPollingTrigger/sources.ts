/**
 * What each event of the polling trigger asks Keap (REST v2), and how its records are output.
 * A source finds records with their event time as Keap wrote it (`since`, `newest`) and renders
 * the ones the cursor says are fresh. Every call goes through the object's module in
 * ../Keap/transport/rest/, which builds the URLs.
 *
 * Per object, what Keap's v2 document offers for "since" (and so what is asked):
 * - contacts: filter `start_update_time`, ordered by `update_time` oldest first, read by time.
 *   Created uses the same query (a contact created at or after `since` was also last updated
 *   at or after it) and keeps the creation times.
 * - Tag Applied: the tag's applications, filter `since_applied_time`, ordered by `applied_time`,
 *   read by time; then the contacts by id.
 * - companies: filter `since_time` ("companies updated on or after this time"), `company_id>`:
 *   read by id; Created as for contacts. No update-time ordering, so the newest record is the
 *   newest created one (any recent Keap time serves as the start of the first cursor).
 * - orders: filters `created_since_time` and `modified_since_time`, `id>`: read by id.
 * - opportunities: no time filter is documented; ordered by `created_time` / `update_time`,
 *   read newest first down to the cursor.
 * - tasks: `since_time` is documented without saying which time it compares, so it is not
 *   used; ordered by `create_time` / `update_time`, read newest first down to the cursor.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hydrateContacts, normalizedContact } from '../Keap/actions/common/contact';
import { tagRef } from '../Keap/actions/common/descriptions';
import { once } from '../Keap/actions/common/commerce';
import type { RecordShapes } from '../Keap/actions/common/output';
import { companyShapes } from '../Keap/actions/company/output';
import { opportunityShapes } from '../Keap/actions/opportunity/shared';
import { orderShapes } from '../Keap/actions/order/shared';
import { taskShapes } from '../Keap/actions/task/shared';
import type { Page, WithRaw } from '../Keap/model/common';
import { simplifyContact, type Contact } from '../Keap/model/contact';
import type { CustomFieldDefinition } from '../Keap/model/customField';
import type { KeapSession } from '../Keap/transport';
import { RestCompanies } from '../Keap/transport/rest/companies';
import { RestOpportunities } from '../Keap/transport/rest/opportunities';
import { RestOrders } from '../Keap/transport/rest/orders';
import { RestTags } from '../Keap/transport/rest/tags';
import { RestTasks } from '../Keap/transport/rest/tasks';
import { readByIdAfter, readByTimeAfter, readNewestFirst } from './reading';

const PAGE = 1000; // Keap's v2 maximum page size

/**
 * The value for a "since" filter: one millisecond before the cursor. Keap documents "on or
 * after" only for the company filter; asked this way an exclusive bound includes the cursor's
 * own instant too (advanceCursor drops whatever is older than the cursor).
 */
const from = (since: string) => new Date(Math.max(0, Date.parse(since) - 1)).toISOString();

/** One record a poll found: its id, its event time as Keap wrote it, and what came with it. */
export interface Hit {
	id: string;
	time: string;
	record?: WithRaw<unknown>;
	applied?: IDataObject;
}

export interface Source {
	/** Identifies what the cursor tracks (event, and tag for Tag Applied). */
	scope: string;
	/** A record with a recent event time (the newest Keap can order by), if any. */
	newest(): Promise<Hit | undefined>;
	/** Every record with an event time at or after `since` (and possibly some older ones). */
	since(since: string): Promise<Hit[]>;
	/** The output of these records, oldest first; a record deleted meanwhile is left out. */
	render(hits: Hit[], simple: boolean): Promise<IDataObject[]>;
}

/** The source of the chosen event (its `object` parameter picks among the objects' events). */
export async function sourceFor(ctx: IPollFunctions, session: KeapSession, event: string): Promise<Source> {
	switch (event) {
		case 'tagApplied':
			return await tagAppliedSource(ctx, session);
		case 'contactCreated':
		case 'contactUpdated':
			return contactSource(session, event, event === 'contactCreated' ? 'create_time' : 'update_time');
		case 'companyCreated':
		case 'companyUpdated':
			return companySource(session, event);
		case 'orderCreated':
		case 'orderUpdated':
			return orderSource(session, event);
		case 'opportunityCreated':
		case 'opportunityUpdated':
			return opportunitySource(session, event);
		case 'taskCreated':
		case 'taskUpdated':
			return taskSource(session, event);
	}
	throw new NodeOperationError(ctx.getNode(), `The polling trigger has no event "${event}"`);
}

// ---- contacts ----------------------------------------------------------------------------------
function contactSource(session: KeapSession, scope: string, by: 'create_time' | 'update_time'): Source {
	const contacts = session.client.contacts;
	const hit = (c: WithRaw<Contact>): Hit => ({ id: c.value.id, time: c.value[by] ?? '', record: c });
	return {
		scope,
		newest: async () => (await contacts.list({ order_by: by, order_direction: 'desc' }, 1)).items.map(hit)[0],
		since: async (since) =>
			(
				await readByTimeAfter(
					(start, token) =>
						contacts.list({ updated_since: from(start), order_by: 'update_time', order_direction: 'asc' }, contacts.maxPageSize, token),
					(c) => c.value.update_time,
					(c) => `${c.value.id}@${c.value.update_time}`,
					since,
				)
			).map(hit),
		render: async (hits, simple) => await renderContacts(session, hits, simple),
	};
}

async function tagAppliedSource(ctx: IPollFunctions, session: KeapSession): Promise<Source> {
	const ref = tagRef(ctx.getNodeParameter('tag'));
	const tag = await session.resolveTag(ref, false);
	if (!tag) throw new NodeOperationError(ctx.getNode(), `Keap has no tag named "${ref}"`);
	return {
		scope: `tagApplied:${tag.id}`,
		newest: async () => (await taggedContacts(session, tag, { order: 'desc', limit: 1 }))[0],
		since: async (since) => await taggedContacts(session, tag, { order: 'asc', since }),
		render: async (hits, simple) => await renderContacts(session, hits, simple),
	};
}

/** The tag's contacts with their applied time (REST v2): the first `limit`, or all since `since`. */
async function taggedContacts(
	session: KeapSession,
	tag: { id: string; name: string },
	opts: { order: 'asc' | 'desc'; since?: string; limit?: number },
): Promise<Hit[]> {
	const tags = new RestTags(session.rest);
	const page = async (since: string | undefined, cursor?: string) => {
		const res = await tags.listApplications(tag.id, { order: opts.order, since, pageSize: opts.limit ?? PAGE, cursor });
		return {
			next: res.next,
			items: res.items.map((a): Hit => {
				const applied = a.applied_time ?? '';
				return { id: a.contact_id, time: applied, applied: { tag_id: tag.id, tag_name: tag.name, applied_time: applied || null } };
			}),
		};
	};
	if (opts.limit) return (await page(undefined)).items.slice(0, opts.limit);
	return await readByTimeAfter(
		(start, token) => page(from(start), token),
		(h) => h.time,
		(h) => `${h.id}@${h.time}`,
		opts.since ?? new Date(0).toISOString(),
	);
}

/** Contacts in full (fetched by id, up to 1000 a call, when the listing did not bring them). */
async function renderContacts(session: KeapSession, hits: Hit[], simple: boolean): Promise<IDataObject[]> {
	const missing = hits.filter((h) => !h.record).map((h) => h.id);
	const hydrated = missing.length ? await hydrateContacts(session.client.contacts, missing) : new Map<string, WithRaw<Contact>>();
	let defs: CustomFieldDefinition[] = [];
	const out: IDataObject[] = [];
	for (const h of hits) {
		const c = (h.record as WithRaw<Contact> | undefined) ?? hydrated.get(h.id);
		if (!c) continue; // deleted between the list and the fetch
		if (!simple && c.value.custom_fields.length && !defs.length) defs = await session.getCustomFields();
		const json = simple ? simplifyContact(c.value) : normalizedContact(c.value, defs);
		if (h.applied) json.tag_applied = h.applied;
		out.push(json);
	}
	return out;
}

// ---- the other objects ---------------------------------------------------------------------------
/** A record of another object (its id is what the cursor remembers). */
interface Timed {
	value: { id: string };
}

function recordSource<T extends Timed>(
	scope: string,
	timeOf: (record: T) => string | null | undefined,
	newest: () => Promise<Page<T>>,
	since: (since: string) => Promise<T[]>,
	shapes: RecordShapes<unknown>,
): Source {
	const hit = (r: T): Hit => ({ id: r.value.id, time: timeOf(r) ?? '', record: r as unknown as WithRaw<unknown> });
	return {
		scope,
		newest: async () => (await newest()).items.map(hit)[0],
		since: async (start) => (await since(start)).map(hit),
		render: async (hits, simple) => {
			const out: IDataObject[] = [];
			for (const h of hits) {
				const record = h.record!;
				out.push(simple && shapes.simplified ? shapes.simplified(record) : await shapes.normalized(record));
			}
			return out;
		},
	};
}

const asAny = <T>(shapes: RecordShapes<T>) => shapes as unknown as RecordShapes<unknown>;

function companySource(session: KeapSession, scope: string): Source {
	const companies = new RestCompanies(session.rest);
	const created = scope === 'companyCreated';
	return recordSource(
		scope,
		(c) => (created ? c.value.create_time : c.value.update_time),
		async () => await companies.list({ order_by: 'create_time', order_direction: 'desc' }, 1),
		async (since) =>
			await readByIdAfter(
				(after) => companies.list({ updated_since: from(since), id_after: after, order_by: 'id', order_direction: 'asc' }, PAGE),
				(c) => c.value.id,
			),
		asAny(companyShapes(session)),
	);
}

function orderSource(session: KeapSession, scope: string): Source {
	const orders = new RestOrders(session.rest);
	const created = scope === 'orderCreated';
	const model = once(async () => await orders.customFields());
	return recordSource(
		scope,
		(o) => (created ? o.value.creation_time : o.value.modification_time),
		async () => await orders.list({ order_by: created ? 'id' : 'modification_time', order_direction: 'desc' }, 1),
		async (since) =>
			await readByIdAfter(
				(after) =>
					orders.list(
						{ ...(created ? { created_since: from(since) } : { modified_since: from(since) }), id_after: after, order_by: 'id', order_direction: 'asc' },
						PAGE,
					),
				(o) => o.value.id,
			),
		asAny(orderShapes(model)),
	);
}

function opportunitySource(session: KeapSession, scope: string): Source {
	const opportunities = new RestOpportunities(session.rest);
	const created = scope === 'opportunityCreated';
	const order_by = created ? 'created_time' : 'update_time';
	const timeOf = (o: { value: { create_time: string | null; update_time: string | null } }) => (created ? o.value.create_time : o.value.update_time);
	const list = (size: number, token?: string) => opportunities.list({ order_by, order_direction: 'desc' }, size, token);
	return recordSource(
		scope,
		timeOf,
		async () => await list(1),
		async (since) => await readNewestFirst((token) => list(PAGE, token), timeOf, since),
		asAny(opportunityShapes(session)),
	);
}

function taskSource(session: KeapSession, scope: string): Source {
	const tasks = new RestTasks(session.rest);
	const created = scope === 'taskCreated';
	const order_by = created ? 'create_time' : 'update_time';
	const timeOf = (t: { value: { create_time: string | null; update_time: string | null } }) => (created ? t.value.create_time : t.value.update_time);
	const list = (size: number, token?: string) => tasks.list({ order_by, order_direction: 'desc' }, size, token);
	return recordSource(
		scope,
		timeOf,
		async () => await list(1),
		async (since) => await readNewestFirst((token) => list(PAGE, token), timeOf, since),
		asAny(taskShapes(session)),
	);
}
