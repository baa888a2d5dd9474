import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { UserQuery } from '../../model/user';
import { checkEmail } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestUsers } from '../../transport/rest/users';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatUser, userOutputProperties } from './output';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'name@email.com', description: 'Exact email of the user' },
			{ displayName: 'First Name', name: 'given_name', type: 'string', default: '', description: 'Exact first name of the user' },
			{
				displayName: 'Include Inactive',
				name: 'include_inactive',
				type: 'boolean',
				default: false,
				description: 'Whether to include users who can no longer log in (Keap leaves them out by default)',
			},
			{
				displayName: 'Include Partners',
				name: 'include_partners',
				type: 'boolean',
				default: false,
				description: 'Whether to include partner users (Keap leaves them out by default)',
			},
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
					{ name: 'Last Name', value: 'name' },
				],
				default: 'name',
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
	...userOutputProperties,
];

const displayOptions = { show: { resource: ['user'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const users = new RestUsers(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const sort = this.getNodeParameter('sort', i, {}) as IDataObject;
		const query: UserQuery = {
			email: filters.email ? checkEmail('Filters > Email', String(filters.email)) : undefined,
			given_name: String(filters.given_name ?? '').trim() || undefined,
			include_inactive: filters.include_inactive === true,
			include_partners: filters.include_partners === true,
			order_by: sort.order_by as UserQuery['order_by'],
			order_direction: sort.order_direction as UserQuery['order_direction'],
		};
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(users.maxPageSize, limit - out.length) : users.maxPageSize;
			const page = await users.list(query, size, cursor, i);
			for (const u of page.items) {
				if (out.length >= limit) break;
				out.push(await formatUser(this, i, u));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
