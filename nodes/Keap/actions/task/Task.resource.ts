import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as complete from './complete.operation';
import * as create from './create.operation';
import * as deleteTask from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { complete, create, deleteTask as delete, get, getAll, update };

export const resource: ResourceInfo = { name: 'Task', value: 'task', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{ name: 'Complete', value: 'complete', description: 'Mark a task as done', action: 'Complete a task' },
			{
				name: 'Create',
				value: 'create',
				description: 'Create a task assigned to a user, optionally for a contact',
				action: 'Create a task',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete a task', action: 'Delete a task' },
			{ name: 'Get', value: 'get', description: 'Get a task by ID', action: 'Get a task' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many tasks', action: 'Get many tasks' },
			{ name: 'Update', value: 'update', description: 'Update a task', action: 'Update a task' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...complete.description,
	...deleteTask.description,
];
