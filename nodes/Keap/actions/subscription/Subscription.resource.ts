import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deactivate, get, getAll, update };

export const resource: ResourceInfo = { name: 'Subscription', value: 'subscription', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['subscription'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Subscribe a contact to a plan', action: 'Create a subscription' },
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Stop a subscription (Keap has no delete for subscriptions)',
				action: 'Deactivate a subscription',
			},
			{ name: 'Get', value: 'get', description: 'Get a subscription', action: 'Get a subscription' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many subscriptions', action: 'Get many subscriptions' },
			{ name: 'Update', value: 'update', description: 'Update a subscription', action: 'Update a subscription' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deactivate.description,
];
