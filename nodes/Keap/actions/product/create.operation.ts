import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkMoney, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestProducts } from '../../transport/rest/products';
import { optionalText } from '../common/commerce';
import { runPerItem } from '../common/items';
import { formatProduct, productFieldOptions, productInputFrom, productOutputProperties } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: 'The name of the new product',
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		required: true,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'The price in the account currency, e.g. 49.50 (0 or more, at most 2 decimals; Keap stores cents)',
	},
	{
		displayName: 'Short Description',
		name: 'shortDescription',
		type: 'string',
		required: true,
		default: '',
		description: 'A one-line description of the product (Keap requires one)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: productFieldOptions('create'),
	},
	...productOutputProperties,
];

const displayOptions = { show: { resource: ['product'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const products = new RestProducts(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const name = optionalText(this.getNodeParameter('name', i));
		if (!name) throw new InputError('Name', 'a product needs a name');
		const shortDescription = optionalText(this.getNodeParameter('shortDescription', i));
		if (!shortDescription) throw new InputError('Short Description', 'Keap requires a short description for a product');
		const input = {
			...productInputFrom(this.getNodeParameter('additionalFields', i, {}) as IDataObject, 'Additional Fields', 'create'),
			name,
			short_description: shortDescription,
			price: checkMoney('Price', this.getNodeParameter('price', i)),
		};
		return await formatProduct(this, i, await products.create(input, i));
	});
}
