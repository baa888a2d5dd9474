import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as createRecord from './createRecord.operation';
import * as deleteEmail from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as send from './send.operation';
import * as sendTemplate from './sendTemplate.operation';

export { createRecord, deleteEmail as delete, get, getAll, send, sendTemplate };

export const resource: ResourceInfo = { name: 'Email', value: 'email', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['email'] } },
		options: [
			{
				name: 'Create Record',
				value: 'createRecord',
				description: 'Log an email sent outside Keap in a contact’s email history',
				action: 'Create an email record',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete an email record', action: 'Delete an email record' },
			{ name: 'Get', value: 'get', description: 'Get an email record with its contents', action: 'Get an email record' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many email records', action: 'Get many email records' },
			{ name: 'Send', value: 'send', description: 'Send an email to contacts', action: 'Send an email' },
			{
				name: 'Send Template',
				value: 'sendTemplate',
				description: 'Send an email template of your Keap account to contacts',
				action: 'Send an email template',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendTemplate.description,
	...createRecord.description,
	...get.description,
	...getAll.description,
	...deleteEmail.description,
];
