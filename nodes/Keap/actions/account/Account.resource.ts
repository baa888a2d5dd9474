import type { INodeProperties } from 'n8n-workflow';

import * as keepAlive from './keepAlive.operation';

export { keepAlive };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Keep Credential Alive',
				value: 'keepAlive',
				description: 'Refresh the OAuth2 or token-pair credential now so its refresh token never lapses',
				action: 'Keep the credential alive',
			},
		],
		default: 'keepAlive',
	},
	...keepAlive.description,
];
