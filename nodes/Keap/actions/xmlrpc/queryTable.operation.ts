import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { returnAllOrLimit } from '../common/descriptions';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { jsonParameter, resultJson, toXmlRpc } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Table',
		name: 'table',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Contact',
		description: 'Keap table name, e.g. Contact, ContactGroup, ContactGroupAssign',
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'json',
		default: '{\n  "Id": "%"\n}',
		description:
			'Conditions as a JSON object of column: value. % is a wildcard, ~null~ matches empty, "~>=~ 2024-01-31 00:00:00" compares (dates in US Eastern time).',
	},
	{
		displayName: 'Return Fields',
		name: 'returnFields',
		type: 'string',
		required: true,
		default: 'Id',
		placeholder: 'FirstName, LastName, Email',
		description: 'Comma-separated columns to return (custom fields start with _)',
	},
	...returnAllOrLimit,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Order By', name: 'orderBy', type: 'string', default: 'Id', description: 'Column to sort by' },
			{ displayName: 'Ascending', name: 'ascending', type: 'boolean', default: true, description: 'Whether to sort in ascending order' },
		],
	},
];

const displayOptions = { show: { resource: ['xmlRpc'], api: ['xmlrpc'], operation: ['queryTable'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const client = session.xmlRpc;
	return await runPerItem(this, items.length, async (i) => {
		const table = (this.getNodeParameter('table', i) as string).trim();
		if (!/^[A-Za-z0-9_]+$/.test(table)) throw new InputError('Table', `"${table}" is not a table name`);
		const query = jsonParameter('Query', this.getNodeParameter('query', i, '{}')) ?? {};
		if (!query || typeof query !== 'object' || Array.isArray(query)) throw new InputError('Query', 'must be a JSON object');
		const fields = String(this.getNodeParameter('returnFields', i))
			.split(',')
			.map((f) => f.trim())
			.filter(Boolean);
		if (!fields.length) throw new InputError('Return Fields', 'name at least one column');
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const options = this.getNodeParameter('options', i, {}) as { orderBy?: string; ascending?: boolean };
		const orderBy = options.orderBy?.trim() || 'Id';
		const struct = toXmlRpc('Query', query) as Record<string, never>;
		// The page size stays fixed across pages (Keap pages are 0-based page numbers of that size).
		const size = Number.isFinite(limit) ? Math.min(1000, limit) : 1000;
		const out: IDataObject[] = [];
		for (let page = 0; out.length < limit; page++) {
			const rows = await client.query(table, size, page, struct, fields, orderBy, options.ascending ?? true, i);
			for (const row of rows) {
				if (out.length >= limit) break;
				out.push(resultJson(row) as IDataObject);
			}
			if (rows.length < size) break;
		}
		return out;
	});
}
