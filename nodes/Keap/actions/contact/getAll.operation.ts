import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { returnAllOrLimit, tagLocator, tagRef } from '../common/descriptions';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ContactQuery } from '../../model/contact';
import { checkDateTime, checkEmail } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { formatContact, contactOutputProperties } from '../common/contact';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'End with * to match a prefix',
			},
			{ displayName: 'First Name', name: 'given_name', type: 'string', default: '', description: 'End with * to match a prefix' },
			{ displayName: 'Last Name', name: 'family_name', type: 'string', default: '', description: 'End with * to match a prefix' },
			tagLocator('tag', 'Tag', 'Only contacts that have this tag'),
			{ displayName: 'Updated Since', name: 'updated_since', type: 'dateTime', default: '' },
			{ displayName: 'Updated Until', name: 'updated_until', type: 'dateTime', default: '' },
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
					{ name: 'Email', value: 'email' },
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
	...contactOutputProperties(undefined),
];

const displayOptions = { show: { resource: ['contact'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Ids per `ids==` query when listing a tag's contacts (keeps URLs well under gateway limits). */
const IDS_PER_QUERY = 250;

function readQuery(ctx: IExecuteFunctions, i: number): { query: ContactQuery; tag?: string } {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', i, {}) as IDataObject;
	const query: ContactQuery = {};
	if (filters.email) {
		const email = String(filters.email).trim();
		query.email = email.endsWith('*') ? email : checkEmail('Filters > Email', email);
	}
	if (filters.given_name) query.given_name = String(filters.given_name).trim();
	if (filters.family_name) query.family_name = String(filters.family_name).trim();
	if (filters.updated_since) query.updated_since = checkDateTime('Filters > Updated Since', String(filters.updated_since));
	if (filters.updated_until) query.updated_until = checkDateTime('Filters > Updated Until', String(filters.updated_until));
	if (sort.order_by) query.order_by = sort.order_by as ContactQuery['order_by'];
	if (sort.order_direction) query.order_direction = sort.order_direction as ContactQuery['order_direction'];
	const tag = tagRef(filters.tag) || undefined;
	return { query, tag };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const { query, tag } = readQuery(this, i);
		const { contacts, tags } = session.client;
		const out: IDataObject[] = [];
		const pageSize = (remaining: number) => Math.min(contacts.maxPageSize, Number.isFinite(remaining) ? remaining : contacts.maxPageSize);

		if (tag) {
			const resolved = await session.resolveTag(tag, false);
			if (!resolved) throw new NodeOperationError(this.getNode(), `Keap has no tag named "${tag}"`, { itemIndex: i });
			let cursor: string | undefined;
			do {
				const page = await tags.listContactIds(resolved.id, tags.maxPageSize, cursor);
				for (let s = 0; s < page.items.length && out.length < limit; s += IDS_PER_QUERY) {
					const ids = page.items.slice(s, s + IDS_PER_QUERY);
					let inner: string | undefined;
					do {
						const res = await contacts.list({ ...query, ids }, pageSize(limit - out.length), inner);
						for (const c of res.items) {
							if (out.length >= limit) break;
							out.push(await formatContact(this, session, i, c));
						}
						inner = res.next;
					} while (inner && out.length < limit);
				}
				cursor = page.next;
			} while (cursor && out.length < limit);
			return out;
		}

		let cursor: string | undefined;
		do {
			const page = await contacts.list(query, pageSize(limit - out.length), cursor);
			for (const c of page.items) {
				if (out.length >= limit) break;
				out.push(await formatContact(this, session, i, c));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
