import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as getAll from './getAll.operation';

export { getAll };

export const resource: ResourceInfo = { name: 'Transaction', value: 'transaction', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transaction'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many payment processor transactions (charges, refunds, manual payments), by contact, order and time',
				action: 'Get many transactions',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
