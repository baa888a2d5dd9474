import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as achieveGoal from './achieveGoal.operation';
import * as addToSequence from './addToSequence.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeFromSequence from './removeFromSequence.operation';

export { achieveGoal, addToSequence, get, getAll, removeFromSequence };

export const resource: ResourceInfo = { name: 'Campaign (Automation)', value: 'campaign', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Achieve API Goal',
				value: 'achieveGoal',
				description: 'Achieve a campaign’s API goal (integration and call name) for contacts',
				action: 'Achieve an API goal',
			},
			{
				name: 'Add Contacts to Sequence',
				value: 'addToSequence',
				description: 'Add contacts to a campaign sequence',
				action: 'Add contacts to a sequence',
			},
			{ name: 'Get', value: 'get', description: 'Get a campaign with its sequences and goals', action: 'Get a campaign' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many campaigns (automations)', action: 'Get many campaigns' },
			{
				name: 'Remove Contacts From Sequence',
				value: 'removeFromSequence',
				description: 'Remove contacts from a campaign sequence',
				action: 'Remove contacts from a sequence',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...addToSequence.description,
	...removeFromSequence.description,
	...achieveGoal.description,
];
