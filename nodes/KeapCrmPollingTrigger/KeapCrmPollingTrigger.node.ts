import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { normalizedContact } from '../Keap/actions/common/contact';
import { simplifyContact } from '../Keap/model/contact';
import type { Contact, CustomFieldDefinition } from '../Keap/model/types';
import { KeapSession, type WithRaw } from '../Keap/transport';
import { hydrateContacts } from '../Keap/transport/hooks';
import { advanceCursor, type PollCursor } from './cursor';

export class KeapCrmPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Keap CRM Polling Trigger',
		name: 'keapCrmPollingTrigger',
		icon: { light: 'file:keap.svg', dark: 'file:keap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when contacts change in Keap, by asking Keap on a schedule (no public URL needed)',
		defaults: { name: 'Keap CRM Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'keapCrmApiKeyApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
			{ name: 'keapCrmOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'keapCrmTokenPairApi', required: true, displayOptions: { show: { authentication: ['tokenPair'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Key (PAT / SAK)', value: 'apiKey' },
					{ name: 'OAuth2', value: 'oAuth2' },
					{ name: 'Token Pair', value: 'tokenPair' },
				],
				default: 'apiKey',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{ name: 'Contact Created', value: 'contactCreated' },
					{ name: 'Contact Created or Updated', value: 'contactUpdated' },
					{ name: 'Tag Applied', value: 'tagApplied', description: 'A given tag was applied to a contact' },
				],
				default: 'contactCreated',
			},
			{
				displayName: 'Tag Name or ID',
				name: 'tag',
				type: 'string',
				default: '',
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

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const session = new KeapSession(this);
		const event = this.getNodeParameter('event') as string;
		const simple = this.getNodeParameter('output', 'full') === 'simplified';
		const staticData = this.getWorkflowStaticData('node') as { cursor?: PollCursor; event?: string };
		const manual = this.getMode() === 'manual';
		if (staticData.event !== event) {
			delete staticData.cursor;
			staticData.event = event;
		}

		let found: Array<{ id: string; time: string; contact?: WithRaw<Contact>; applied?: IDataObject }>;
		if (event === 'tagApplied') {
			const ref = this.getNodeParameter('tag') as string;
			const tag = await session.resolveTag(ref, false);
			if (!tag) throw new NodeOperationError(this.getNode(), `Keap has no tag named "${ref}"`);
			found = await taggedSince(session, tag.id, staticData.cursor);
		} else {
			const byCreate = event === 'contactCreated';
			found = (await updatedSince(session, staticData.cursor, byCreate ? 'create_time' : 'update_time')).map((c) => ({
				id: c.value.id,
				time: (byCreate ? c.value.create_time : c.value.update_time) ?? '',
				contact: c,
			}));
		}

		if (!staticData.cursor && !manual) {
			// First poll after activation: start from Keap's newest record, emit nothing.
			staticData.cursor = advanceCursor(undefined, found).cursor;
			return null;
		}
		const { cursor, fresh } = advanceCursor(manual ? undefined : staticData.cursor, found);
		const emit = manual ? fresh.slice(-1) : fresh;
		if (!manual) staticData.cursor = cursor;
		if (!emit.length) return null;

		const missing = emit.filter((f) => !f.contact).map((f) => f.id);
		const hydrated = missing.length ? await hydrateContacts(session.client, missing) : new Map();
		let defs: CustomFieldDefinition[] = [];
		const items: INodeExecutionData[] = [];
		for (const f of emit) {
			const c = f.contact ?? hydrated.get(f.id);
			if (!c) continue; // deleted between the list and the fetch
			if (!simple && c.value.custom_fields.length && !defs.length) defs = await session.getCustomFields();
			const json = simple ? simplifyContact(c.value) : normalizedContact(c.value, defs);
			if (f.applied) json.tag_applied = f.applied;
			items.push({ json });
		}
		return items.length ? [items] : null;
	}
}

/** Contacts updated at or after the cursor's time (minus its overlap), oldest first. */
async function updatedSince(session: KeapSession, cursor: PollCursor | undefined, newestBy: 'create_time' | 'update_time') {
	const client = session.client;
	if (!cursor) {
		// No cursor yet: only the newest record matters (it becomes the starting point).
		const newest = await client.listContacts({ order_by: newestBy, order_direction: 'desc' }, 1);
		return newest.items;
	}
	const out: Array<WithRaw<Contact>> = [];
	let page: string | undefined;
	do {
		const res = await client.listContacts(
			{ updated_since: cursor.since, order_by: 'update_time', order_direction: 'asc' },
			client.maxPageSize,
			page,
		);
		out.push(...res.items);
		page = res.next;
	} while (page);
	return out;
}

async function taggedSince(session: KeapSession, tagId: string, cursor: PollCursor | undefined) {
	const found: Array<{ id: string; time: string; applied: IDataObject }> = [];
	let page: string | undefined;
	do {
		const res = await session.http.request({
			method: 'GET',
			path: `/crm/rest/v2/tags/${encodeURIComponent(tagId)}/contacts`,
			qs: {
				page_size: 1000,
				order_by: 'applied_time asc',
				...(cursor ? { filter: `since_applied_time==${cursor.since}` } : {}),
				...(page ? { page_token: page } : {}),
			},
		});
		const body = res.body as IDataObject;
		for (const c of (body.contacts as IDataObject[]) ?? []) {
			found.push({ id: String(c.id), time: String(c.applied_time ?? ''), applied: { tag_id: tagId, applied_time: c.applied_time ?? null } });
		}
		page = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
	} while (page);
	return found;
}
