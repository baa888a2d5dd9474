import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as getAll from './getAll.operation';

export { getAll };

export const resource: ResourceInfo = { name: 'Payment', value: 'payment', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many payments received (manual and charged), by contact, order and time',
				action: 'Get many payments',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
