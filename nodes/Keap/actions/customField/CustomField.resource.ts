import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as create from './create.operation';
import * as getAll from './getAll.operation';

export { create, getAll };

export const resource: ResourceInfo = { name: 'Custom Field', value: 'customField', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customField'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Add a custom field to contacts, companies or notes', action: 'Create a custom field' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the custom fields of contacts, companies or notes (the object’s model)',
				action: 'Get many custom fields',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...getAll.description,
];
