import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as getApiUsage from './getApiUsage.operation';
import * as getHooks from './getHooks.operation';
import * as keepAlive from './keepAlive.operation';

export { getApiUsage, getHooks, keepAlive };

export const resource: ResourceInfo = { name: 'Account', value: 'account', apis: ['rest', 'xmlrpc'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get API Usage',
				value: 'getApiUsage',
				description: 'How much of Keap’s daily quota and per-minute throttle this credential has used (one call)',
				action: 'Get API usage',
			},
			{
				name: 'Get Hooks',
				value: 'getHooks',
				description: 'List this Keap account’s REST hooks with their status, and verify the Inactive ones again',
				action: 'Get hooks',
			},
			{
				name: 'Keep Credential Alive',
				value: 'keepAlive',
				description: 'Refresh the OAuth2 or token-pair credential now so its refresh token never lapses',
				action: 'Keep the credential alive',
			},
		],
		default: 'keepAlive',
	},
	...getApiUsage.description,
	...getHooks.description,
	...keepAlive.description,
];
