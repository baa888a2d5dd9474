import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as adjustInventory from './adjustInventory.operation';
import * as create from './create.operation';
import * as deleteProduct from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { adjustInventory, create, deleteProduct as delete, get, getAll, update };

export const resource: ResourceInfo = { name: 'Product', value: 'product', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Adjust Inventory',
				value: 'adjustInventory',
				description: 'Raise or lower the stock count of a product',
				action: 'Adjust the inventory of a product',
			},
			{ name: 'Create', value: 'create', description: 'Create a product', action: 'Create a product' },
			{ name: 'Delete', value: 'delete', description: 'Delete a product', action: 'Delete a product' },
			{ name: 'Get', value: 'get', description: 'Get a product', action: 'Get a product' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many products', action: 'Get many products' },
			{ name: 'Update', value: 'update', description: 'Update a product', action: 'Update a product' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteProduct.description,
	...adjustInventory.description,
];
