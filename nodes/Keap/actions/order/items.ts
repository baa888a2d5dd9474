/**
 * Order items as parameters: the fields of one item (used as the values of Create's Order
 * Items collection and as Add Item's own parameters) and their reading into an OrderItemInput,
 * checked before anything is sent.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ORDER_ITEM_TYPES, type OrderItemInput, type OrderItemType } from '../../model/order';
import { checkId, checkMoney, checkWholeNumber, InputError } from '../../model/validate';
import { locatorValue, optionalText, recordLocator } from '../common/commerce';

const TYPE_NAMES: Record<OrderItemType, string> = {
	PRODUCT: 'Product',
	SHIPPING: 'Shipping',
	TAX: 'Tax',
	FEE: 'Fee',
	FINANCE_CHARGE: 'Finance Charge',
	OTHER: 'Other',
};

/** The parameters of one order item. */
export function orderItemFields(): INodeProperties[] {
	return [
		{
			displayName: 'Item Type',
			name: 'itemType',
			type: 'options',
			options: ORDER_ITEM_TYPES.map((t) => ({ name: TYPE_NAMES[t], value: t })),
			default: 'PRODUCT',
			description:
				'What the item is: a product of your Keap account, or a line of its own (shipping, tax, a fee ...) that needs a name and a price',
		},
		{
			...recordLocator({
				name: 'product',
				displayName: 'Product',
				searchListMethod: 'searchProducts',
				what: 'product',
				description: 'The product sold: choose it from the list (search by name) or give its ID (digits)',
				placeholder: '201',
			}),
			displayOptions: { show: { itemType: ['PRODUCT'] } },
		},
		{
			displayName: 'Quantity',
			name: 'quantity',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'How many, a whole number of 1 or more',
		},
		{
			displayName: 'Price per Unit',
			name: 'price',
			type: 'string',
			default: '',
			placeholder: '49.50',
			description:
				"The price of one unit in the account currency, 0 or more with at most 2 decimals. Leave empty for a product to use the product's price; other item types need one.",
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'Ground shipping',
			description: "The item's name on the invoice. A product item uses the product's name when empty; other item types need one.",
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'A description of the item on the invoice',
		},
		{
			displayName: 'Notes',
			name: 'notes',
			type: 'string',
			default: '',
			description: 'Notes about the item',
		},
	];
}

/** One item's values read and checked; `label` names the item in errors ("Order Items > Item 2"). */
export function orderItemFrom(values: IDataObject, label: string): OrderItemInput {
	const field = (name: string) => `${label} > ${name}`;
	const type = String(values.itemType ?? 'PRODUCT') as OrderItemType;
	if (!ORDER_ITEM_TYPES.includes(type)) {
		throw new InputError(field('Item Type'), `"${type}" is not one of ${ORDER_ITEM_TYPES.join(', ')}`);
	}
	const item: OrderItemInput = {
		item_type: type,
		quantity: checkWholeNumber(field('Quantity'), values.quantity ?? 1, 1),
		name: optionalText(values.name),
		description: optionalText(values.description),
		notes: optionalText(values.notes),
	};
	const price = optionalText(values.price);
	if (price !== undefined) item.price_per_unit = checkMoney(field('Price per Unit'), price);
	if (type === 'PRODUCT') {
		const product = locatorValue(values.product).value;
		if (!product) throw new InputError(field('Product'), 'a product item needs a product: choose one or give its ID');
		item.product_id = checkId(field('Product'), product);
	} else {
		if (!item.name) throw new InputError(field('Name'), `a ${TYPE_NAMES[type].toLowerCase()} item needs a name`);
		if (item.price_per_unit === undefined) {
			throw new InputError(field('Price per Unit'), `a ${TYPE_NAMES[type].toLowerCase()} item needs a price`);
		}
	}
	return item;
}
