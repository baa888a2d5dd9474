import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as callMethod from './callMethod.operation';
import * as queryTable from './queryTable.operation';

export { callMethod, queryTable };

/** Raw XML-RPC, for scripts being migrated: its operations need the XML-RPC API. */
export const resource: ResourceInfo = {
	name: 'XML-RPC',
	value: 'xmlRpc',
	apis: ['xmlrpc'],
	description: 'Any XML-RPC method or table (API: XML-RPC)',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Raw XML-RPC calls need API set to XML-RPC (above)',
		name: 'xmlRpcNeedsApiNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['xmlRpc'], api: ['rest'] } },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		// `api` here too: n8n's nodes panel sets every shown condition when it adds the node from
		// one of these actions, so "Call an XML-RPC method" arrives with API set to XML-RPC.
		displayOptions: { show: { resource: ['xmlRpc'], api: ['xmlrpc'] } },
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
