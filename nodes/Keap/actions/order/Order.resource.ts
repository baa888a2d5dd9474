import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as addItem from './addItem.operation';
import * as addPayment from './addPayment.operation';
import * as create from './create.operation';
import * as deleteOrder from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPayments from './getPayments.operation';
import * as update from './update.operation';

export { addItem, addPayment, create, deleteOrder as delete, get, getAll, getPayments, update };

export const resource: ResourceInfo = { name: 'Order', value: 'order', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{ name: 'Add Item', value: 'addItem', description: 'Add an item to an order', action: 'Add an item to an order' },
			{
				name: 'Add Payment',
				value: 'addPayment',
				description: 'Record a payment received outside Keap (cash, check ...) on an order',
				action: 'Add a payment to an order',
			},
			{ name: 'Create', value: 'create', description: 'Create an order', action: 'Create an order' },
			{ name: 'Delete', value: 'delete', description: 'Delete an order without payments', action: 'Delete an order' },
			{ name: 'Get', value: 'get', description: 'Get an order', action: 'Get an order' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many orders', action: 'Get many orders' },
			{
				name: 'Get Payments',
				value: 'getPayments',
				description: 'Get the payments of an order',
				action: 'Get the payments of an order',
			},
			{ name: 'Update', value: 'update', description: 'Update an order', action: 'Update an order' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteOrder.description,
	...addItem.description,
	...addPayment.description,
	...getPayments.description,
];
