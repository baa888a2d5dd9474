import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ProductQuery } from '../../model/product';
import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { collect, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { formatProduct, productOutputProperties } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The product name, exactly; end with * to match names that start with the text (case-insensitive)',
			},
			{
				displayName: 'SKU',
				name: 'sku',
				type: 'string',
				default: '',
				description: 'The SKU, exactly; end with * to match a prefix',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'by',
				type: 'options',
				options: [
					{ name: 'Last Updated', value: 'last_updated_time' },
					{ name: 'Name', value: 'name' },
					{ name: 'SKU', value: 'sku' },
				],
				default: 'name',
				description: 'The field to sort by',
			},
			directionOption('asc'),
		],
	},
	{
		displayName: 'Keap leaves the inventory count out of product lists: use Get for a product’s count',
		name: 'inventoryNotice',
		type: 'notice',
		default: '',
	},
	...productOutputProperties,
];

const displayOptions = { show: { resource: ['product'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as { name?: string; sku?: string };
		const sort = this.getNodeParameter('sort', i, {}) as { by?: ProductQuery['order_by']; direction?: 'asc' | 'desc' };
		const query: ProductQuery = {
			name: optionalText(filters.name),
			sku: optionalText(filters.sku),
			order_by: sort.by ?? (sort.direction ? 'name' : undefined),
			order_direction: sort.direction,
		};
		const found = await collect(limitOf(this, i), products.maxPageSize, async (size, cursor) => await products.list(query, size, cursor, i));
		return await Promise.all(found.map(async (p) => await formatProduct(this, i, p)));
	});
}
