import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as getAll from './getAll.operation';

export { getAll };

export const resource: ResourceInfo = { name: 'Opportunity Stage', value: 'opportunityStage', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['opportunityStage'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the stages of the opportunity pipeline, in order',
				action: 'Get many opportunity stages',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
