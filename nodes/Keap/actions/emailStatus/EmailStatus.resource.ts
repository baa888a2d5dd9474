import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const resource: ResourceInfo = { name: 'Email Address Status', value: 'emailStatus', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['emailStatus'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get whether an email address may receive marketing email',
				action: 'Get the marketing status of an email address',
			},
			{
				name: 'Set',
				value: 'set',
				description: 'Opt an email address in (with a reason) or out of marketing email',
				action: 'Opt an email address in or out',
			},
		],
		default: 'get',
	},
	...get.description,
	...set.description,
];
