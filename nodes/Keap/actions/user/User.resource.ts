import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const resource: ResourceInfo = { name: 'User', value: 'user', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a Keap user', action: 'Get a user' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many Keap users', action: 'Get many users' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
