import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { NoteQuery } from '../../model/note';
import { checkDateTime, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestNotes } from '../../transport/rest/notes';
import { contactLocator, resolveContactId } from '../common/contact';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { resolveUserRef, userLocator } from '../common/user';
import { formatNote, noteOutputProperties } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Notes Of',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'One Contact', value: 'contact', description: 'The notes on one contact' },
			{ name: 'All Contacts', value: 'all', description: 'Notes across every contact (filter them below)' },
		],
		default: 'contact',
		description: 'Whose notes to get',
	},
	{ ...contactLocator({ show: { scope: ['contact'] } }), description: 'The contact whose notes to get' },
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			userLocator('assigned_to_user_id', 'Assigned User', 'Only notes assigned to this Keap user'),
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'Text the title contains, or its start ending with * (e.g. Follow*)',
			},
			{ displayName: 'Updated Since', name: 'updated_since', type: 'dateTime', default: '', description: 'Only notes changed at or after this time (ISO 8601)' },
			{ displayName: 'Updated Until', name: 'updated_until', type: 'dateTime', default: '', description: 'Only notes changed at or before this time (ISO 8601)' },
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'Order By',
				name: 'order_by',
				type: 'options',
				options: [
					{ name: 'Created', value: 'create_time' },
					{ name: 'ID', value: 'id' },
					{ name: 'Updated', value: 'update_time' },
				],
				default: 'id',
			},
			{
				displayName: 'Direction',
				name: 'order_direction',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'asc',
			},
		],
	},
	...noteOutputProperties,
];

const displayOptions = { show: { resource: ['note'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

async function readQuery(ctx: IExecuteFunctions, session: KeapSession, i: number): Promise<NoteQuery> {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', i, {}) as IDataObject;
	const query: NoteQuery = {};
	const title = String(filters.title ?? '').trim();
	if (title) {
		if (title.slice(0, -1).includes('*') || title === '*') throw new InputError('Filters > Title', 'a * may only end the title (a prefix match)');
		query.title = title;
	}
	const user = await resolveUserRef(ctx, session, filters.assigned_to_user_id, 'Filters > Assigned User', i);
	if (user) query.assigned_to_user_id = user;
	if (filters.updated_since) query.updated_since = checkDateTime('Filters > Updated Since', String(filters.updated_since));
	if (filters.updated_until) query.updated_until = checkDateTime('Filters > Updated Until', String(filters.updated_until));
	if (sort.order_by) query.order_by = sort.order_by as NoteQuery['order_by'];
	if (sort.order_direction) query.order_direction = sort.order_direction as NoteQuery['order_direction'];
	if (ctx.getNodeParameter('scope', i) === 'contact') query.contact_id = (await resolveContactId(ctx, session, i)).id;
	return query;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const notes = new RestNotes(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const query = await readQuery(this, session, i);
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(notes.maxPageSize, limit - out.length) : notes.maxPageSize;
			const page = await notes.list(query, size, cursor, i);
			if (!page) throw new NodeOperationError(this.getNode(), `Keap has no contact with ID ${query.contact_id}`, { itemIndex: i });
			for (const n of page.items) {
				if (out.length >= limit) break;
				out.push(await formatNote(this, session, i, n));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
