import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as create from './create.operation';
import * as deleteOpportunity from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as moveToStage from './moveToStage.operation';
import * as update from './update.operation';

export { create, deleteOpportunity as delete, get, getAll, moveToStage, update };

export const resource: ResourceInfo = { name: 'Opportunity', value: 'opportunity', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['opportunity'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an opportunity (a deal) for a contact in a pipeline stage',
				action: 'Create an opportunity',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete an opportunity', action: 'Delete an opportunity' },
			{ name: 'Get', value: 'get', description: 'Get an opportunity by ID', action: 'Get an opportunity' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many opportunities', action: 'Get many opportunities' },
			{
				name: 'Move to Stage',
				value: 'moveToStage',
				description: 'Move an opportunity to another pipeline stage',
				action: 'Move an opportunity to a stage',
			},
			{ name: 'Update', value: 'update', description: 'Update an opportunity', action: 'Update an opportunity' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...moveToStage.description,
	...deleteOpportunity.description,
];
