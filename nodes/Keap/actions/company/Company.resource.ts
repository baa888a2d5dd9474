import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as applyTags from './applyTags.operation';
import * as create from './create.operation';
import * as deleteCompany from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeTags from './removeTags.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { applyTags, create, deleteCompany as delete, get, getAll, removeTags, update, upsert };

export const resource: ResourceInfo = { name: 'Company', value: 'company', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		options: [
			{ name: 'Apply Tags', value: 'applyTags', description: 'Apply tags to a company', action: 'Apply tags to a company' },
			{ name: 'Create', value: 'create', description: 'Create a company', action: 'Create a company' },
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a company',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete a company', action: 'Delete a company' },
			{ name: 'Get', value: 'get', description: 'Get a company', action: 'Get a company' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many companies', action: 'Get many companies' },
			{ name: 'Remove Tags', value: 'removeTags', description: 'Remove tags from a company', action: 'Remove tags from a company' },
			{ name: 'Update', value: 'update', description: 'Update a company', action: 'Update a company' },
		],
		default: 'create',
	},
	...create.description,
	...upsert.description,
	...update.description,
	...get.description,
	...getAll.description,
	...deleteCompany.description,
	...applyTags.description,
	...removeTags.description,
];
