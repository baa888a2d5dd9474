import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkWholeNumber } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatProduct, productLocator, productOutputProperties } from './shared';

const properties: INodeProperties[] = [
	productLocator,
	{
		displayName: 'Change',
		name: 'direction',
		type: 'options',
		options: [
			{ name: 'Increase', value: 'INCREASE', description: 'Add to the stock count (goods received)' },
			{ name: 'Decrease', value: 'DECREASE', description: 'Take from the stock count (goods sold or lost)' },
		],
		default: 'INCREASE',
		description: 'Whether the stock count goes up or down',
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		required: true,
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'By how many units, a whole number of 1 or more (Keap never lets the count fall below 0)',
	},
	...productOutputProperties,
];

const displayOptions = { show: { resource: ['product'], operation: ['adjustInventory'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	// One item at a time: adjustments of one product are not safe to reorder or repeat.
	return await runPerItem(this, items.length, async (i) => {
		const id = locatorId(this, i, 'product', 'Product');
		const direction = this.getNodeParameter('direction', i) as 'INCREASE' | 'DECREASE';
		const quantity = checkWholeNumber('Quantity', this.getNodeParameter('quantity', i), 1);
		const product = await products.adjustInventory(id, direction, quantity, i);
		if (!product) throw notFound(this, 'product', id, i);
		return await formatProduct(this, i, product);
	});
}
