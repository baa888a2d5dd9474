import type {
	IDataObject,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { authenticationProperty, keapCredentials, tagLocator, tagRef } from '../Keap/actions/common/descriptions';
import { listSearch } from '../Keap/methods';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { hydrateContacts, normalizedContact } from '../Keap/actions/common/contact';
import type { WithRaw } from '../Keap/model/common';
import { simplifyContact, type Contact } from '../Keap/model/contact';
import type { CustomFieldDefinition } from '../Keap/model/customField';
import { KeapSession } from '../Keap/transport';
import { RestTags } from '../Keap/transport/rest/tags';
import { optionSubtitle } from '../Keap/subtitle';
import { advanceCursor, type PollCursor } from './cursor';

const POLL_EVENTS: INodePropertyOptions[] = [
	{ name: 'Contact Created', value: 'contactCreated' },
	{ name: 'Contact Created or Updated', value: 'contactUpdated' },
	{ name: 'Tag Applied', value: 'tagApplied', description: 'A given tag was applied to a contact' },
];

export class KeapCrmPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Keap CRM Polling Trigger',
		name: 'keapCrmPollingTrigger',
		icon: { light: 'file:keap.svg', dark: 'file:keap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: optionSubtitle('event', POLL_EVENTS),
		description: 'Starts the workflow when contacts change in Keap, by asking Keap on a schedule (no public URL needed)',
		defaults: { name: 'Keap CRM Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: keapCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: POLL_EVENTS,
				default: 'contactCreated',
			},
			{
				...tagLocator('tag', 'Tag', 'The tag whose application starts the workflow'),
				required: true,
				displayOptions: { show: { event: ['tagApplied'] } },
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'Full Records', value: 'full' },
					{ name: 'Simplified Records', value: 'simplified' },
				],
				default: 'full',
			},
		],
	};

	methods = { listSearch: { searchTags: listSearch.searchTags } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const session = new KeapSession(this);
		const event = this.getNodeParameter('event') as string;
		const simple = this.getNodeParameter('output', 'full') === 'simplified';
		const source = await sourceFor(this, session, event);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest matching record, without touching the cursor.
			const newest = await source.newest();
			return newest ? await render(session, [newest], simple) : null;
		}

		const staticData = this.getWorkflowStaticData('node') as { cursor?: PollCursor; scope?: string };
		if (staticData.scope !== source.scope) {
			// Another event or tag than the cursor was made for: start again.
			delete staticData.cursor;
			staticData.scope = source.scope;
		}
		if (!staticData.cursor) {
			// First poll after activation: what Keap holds now is the past. Start from Keap's newest
			// record and count everything within the overlap window before it as seen, so the next
			// poll emits only what changes from now on. An empty account starts at 1970.
			const newest = await source.newest();
			let baseline: Hit[] = [];
			if (newest) baseline = [newest, ...(await source.since(advanceCursor(undefined, [newest]).cursor.since))];
			staticData.cursor = advanceCursor(undefined, baseline).cursor;
			return null;
		}

		const { cursor, fresh } = advanceCursor(staticData.cursor, await source.since(staticData.cursor.since));
		staticData.cursor = cursor;
		if (!fresh.length) return null;
		return await render(session, fresh, simple);
	}
}

/** One record a poll found: its id, its event time as Keap wrote it, and what came with it. */
interface Hit {
	id: string;
	time: string;
	contact?: WithRaw<Contact>;
	applied?: IDataObject;
}

interface Source {
	/** Identifies what the cursor tracks (event, and tag for Tag Applied). */
	scope: string;
	/** The record with the newest event time, if any. */
	newest(): Promise<Hit | undefined>;
	/** Every record with an event time at or after `since` (Keap's filter is inclusive). */
	since(since: string): Promise<Hit[]>;
}

async function sourceFor(ctx: IPollFunctions, session: KeapSession, event: string): Promise<Source> {
	if (event === 'tagApplied') {
		const ref = tagRef(ctx.getNodeParameter('tag'));
		const tag = await session.resolveTag(ref, false);
		if (!tag) throw new NodeOperationError(ctx.getNode(), `Keap has no tag named "${ref}"`);
		return {
			scope: `tagApplied:${tag.id}`,
			newest: async () => (await taggedContacts(session, tag, { order: 'desc', limit: 1 }))[0],
			since: async (since) => await taggedContacts(session, tag, { order: 'asc', since }),
		};
	}
	const by = event === 'contactCreated' ? 'create_time' : 'update_time';
	const hit = (c: WithRaw<Contact>): Hit => ({ id: c.value.id, time: c.value[by] ?? '', contact: c });
	return {
		scope: event,
		newest: async () => {
			const page = await session.client.contacts.list({ order_by: by, order_direction: 'desc' }, 1);
			return page.items.map(hit)[0];
		},
		// A contact created at or after `since` was also last updated at or after it, so one
		// update-time query serves both events; advanceCursor drops the older creation times.
		since: async (since) => {
			const out: Hit[] = [];
			let page: string | undefined;
			do {
				const res = await session.client.contacts.list(
					{ updated_since: since, order_by: 'update_time', order_direction: 'asc' },
					session.client.contacts.maxPageSize,
					page,
				);
				out.push(...res.items.map(hit));
				page = res.next;
			} while (page);
			return out;
		},
	};
}

/** The tag's contacts with their applied time (REST v2), all pages or the first `limit`. */
async function taggedContacts(
	session: KeapSession,
	tag: { id: string; name: string },
	opts: { order: 'asc' | 'desc'; since?: string; limit?: number },
): Promise<Hit[]> {
	const tags = new RestTags(session.rest);
	const found: Hit[] = [];
	let page: string | undefined;
	do {
		const res = await tags.listApplications(tag.id, {
			order: opts.order,
			since: opts.since,
			pageSize: opts.limit ?? 1000,
			cursor: page,
		});
		for (const a of res.items) {
			const applied = a.applied_time ?? '';
			found.push({
				id: a.contact_id,
				time: applied,
				applied: { tag_id: tag.id, tag_name: tag.name, applied_time: applied || null },
			});
		}
		page = res.next;
	} while (page && !opts.limit);
	return opts.limit ? found.slice(0, opts.limit) : found;
}

/** Output items, oldest first: contacts in full (fetched by id, up to 1000 a call, when needed). */
async function render(session: KeapSession, hits: Hit[], simple: boolean): Promise<INodeExecutionData[][] | null> {
	const missing = hits.filter((h) => !h.contact).map((h) => h.id);
	const hydrated = missing.length ? await hydrateContacts(session.client.contacts, missing) : new Map<string, WithRaw<Contact>>();
	let defs: CustomFieldDefinition[] = [];
	const items: INodeExecutionData[] = [];
	for (const h of hits) {
		const c = h.contact ?? hydrated.get(h.id);
		if (!c) continue; // deleted between the list and the fetch
		if (!simple && c.value.custom_fields.length && !defs.length) defs = await session.getCustomFields();
		const json = simple ? simplifyContact(c.value) : normalizedContact(c.value, defs);
		if (h.applied) json.tag_applied = h.applied;
		items.push({ json });
	}
	return items.length ? [items] : null;
}
