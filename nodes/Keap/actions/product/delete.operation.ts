import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { productLocator } from './shared';

const properties: INodeProperties[] = [productLocator];

const displayOptions = { show: { resource: ['product'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'product', 'Product');
			if (!(await products.delete(id, i))) throw notFound(this, 'product', id, i);
			return { deleted: true };
		},
		4,
	);
}
