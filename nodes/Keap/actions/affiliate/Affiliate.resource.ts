import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { create, get, getAll };

export const resource: ResourceInfo = { name: 'Affiliate', value: 'affiliate', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['affiliate'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Make a contact an affiliate', action: 'Create an affiliate' },
			{ name: 'Get', value: 'get', description: 'Get an affiliate', action: 'Get an affiliate' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many affiliates', action: 'Get many affiliates' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
