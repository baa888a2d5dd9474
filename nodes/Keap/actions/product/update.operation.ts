import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatProduct, productFieldOptions, productInputFrom, productLocator, productOutputProperties } from './shared';

const properties: INodeProperties[] = [
	productLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change; the others keep their values. The stock count changes with Adjust Inventory.',
		options: productFieldOptions('update'),
	},
	...productOutputProperties,
];

const displayOptions = { show: { resource: ['product'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const id = locatorId(this, i, 'product', 'Product');
		const input = productInputFrom(this.getNodeParameter('updateFields', i, {}) as IDataObject, 'Update Fields', 'update');
		if (!Object.keys(input).length) throw new InputError('Update Fields', 'add at least one field to change');
		const product = await products.update(id, input, i);
		if (!product) throw notFound(this, 'product', id, i);
		return await formatProduct(this, i, product);
	});
}
