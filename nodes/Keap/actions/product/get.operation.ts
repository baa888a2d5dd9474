import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatProduct, productLocator, productOutputProperties } from './shared';

const properties: INodeProperties[] = [productLocator, ...productOutputProperties];

const displayOptions = { show: { resource: ['product'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'product', 'Product');
			const product = await products.get(id, i);
			if (!product) throw notFound(this, 'product', id, i);
			return await formatProduct(this, i, product);
		},
		4,
	);
}
