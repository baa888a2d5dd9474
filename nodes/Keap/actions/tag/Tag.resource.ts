import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as apply from './apply.operation';
import * as create from './create.operation';
import * as getAll from './getAll.operation';
import * as getForContact from './getForContact.operation';
import * as remove from './remove.operation';

export { apply, create, getAll, getForContact, remove };

export const resource: ResourceInfo = { name: 'Tag', value: 'tag', apis: ['rest', 'xmlrpc'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{ name: 'Apply', value: 'apply', description: 'Apply tags to contacts', action: 'Apply tags to contacts' },
			{ name: 'Create', value: 'create', description: 'Create a tag', action: 'Create a tag' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many tags', action: 'Get many tags' },
			{
				name: 'Get Many for Contact',
				value: 'getForContact',
				description: 'Get the tags applied to a contact',
				action: 'Get the tags of a contact',
			},
			{ name: 'Remove', value: 'remove', description: 'Remove tags from contacts', action: 'Remove tags from contacts' },
		],
		default: 'apply',
	},
	...apply.description,
	...remove.description,
	...create.description,
	...getAll.description,
	...getForContact.description,
];
