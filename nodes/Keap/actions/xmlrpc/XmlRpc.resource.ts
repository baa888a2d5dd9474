import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as callMethod from './callMethod.operation';
import * as queryTable from './queryTable.operation';

export { callMethod, queryTable };

/** Raw XML-RPC, for scripts being migrated: offered with the XML-RPC API only. */
export const resource: ResourceInfo = { name: 'XML-RPC', value: 'xmlRpc', apis: ['xmlrpc'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['xmlRpc'] } },
		options: [
			{
				name: 'Call Method',
				value: 'callMethod',
				description: 'Call any Keap XML-RPC method, e.g. to run a script written for the old API',
				action: 'Call an XML-RPC method',
			},
			{
				name: 'Query Table',
				value: 'queryTable',
				description: 'Read rows of a Keap table with DataService.query',
				action: 'Query a table',
			},
		],
		default: 'queryTable',
	},
	...callMethod.description,
	...queryTable.description,
];
