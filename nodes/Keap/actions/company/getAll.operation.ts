import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CompanyQuery } from '../../model/company';
import { checkDateTime, checkEmail, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { companyOutputProperties, formatCompany } from './output';

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
				displayName: 'City',
				name: 'city',
				type: 'string',
				default: '',
				description: 'City of the company’s address; end with * to match a prefix (case-insensitive)',
			},
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'office@example.com', description: 'Exact email of the company' },
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Acme*',
				description: 'Exact company name, or the start of it ending with * (case-insensitive), e.g. Acme*',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'string',
				default: '',
				description: 'State or region name of the address (e.g. Arizona); end with * to match a prefix',
			},
			{ displayName: 'Updated Since', name: 'updated_since', type: 'dateTime', default: '', description: 'Only companies changed at or after this time (ISO 8601)' },
			{ displayName: 'Updated Until', name: 'updated_until', type: 'dateTime', default: '', description: 'Only companies changed at or before this time (ISO 8601)' },
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
					{ name: 'Name', value: 'name' },
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
	...companyOutputProperties,
];

const displayOptions = { show: { resource: ['company'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function noInnerStar(field: string, value: string): string {
	if (value.slice(0, -1).includes('*')) throw new InputError(field, 'a * may only end the value (a prefix match)');
	return value;
}

function readQuery(ctx: IExecuteFunctions, i: number): CompanyQuery {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', i, {}) as IDataObject;
	const query: CompanyQuery = {};
	const name = String(filters.name ?? '').trim();
	if (name) {
		noInnerStar('Filters > Name', name);
		if (name.endsWith('*')) query.name_prefix = name;
		else query.company_name = name;
	}
	if (filters.email) query.email = checkEmail('Filters > Email', String(filters.email));
	if (filters.city) query.city = noInnerStar('Filters > City', String(filters.city).trim());
	if (filters.state) query.state = noInnerStar('Filters > State', String(filters.state).trim());
	if (filters.updated_since) query.updated_since = checkDateTime('Filters > Updated Since', String(filters.updated_since));
	if (filters.updated_until) query.updated_until = checkDateTime('Filters > Updated Until', String(filters.updated_until));
	if (sort.order_by) query.order_by = sort.order_by as CompanyQuery['order_by'];
	if (sort.order_direction) query.order_direction = sort.order_direction as CompanyQuery['order_direction'];
	return query;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const companies = new RestCompanies(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const query = readQuery(this, i);
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const size = Number.isFinite(limit) ? Math.min(companies.maxPageSize, limit - out.length) : companies.maxPageSize;
			const page = await companies.list(query, size, cursor, i);
			for (const c of page.items) {
				if (out.length >= limit) break;
				out.push(await formatCompany(this, session, i, c));
			}
			cursor = page.next;
		} while (cursor && out.length < limit);
		return out;
	});
}
