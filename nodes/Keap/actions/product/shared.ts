/** Parameters and steps the product operations share: the picker, the product fields, the output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { PRODUCT_FLAGS, simplifyProduct, type Product, type ProductFlag, type ProductInput } from '../../model/product';
import { checkEmail, checkMoney, checkWholeNumber, InputError } from '../../model/validate';
import { optionalText, recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const productLocator = recordLocator({
	name: 'product',
	displayName: 'Product',
	searchListMethod: 'searchProducts',
	what: 'product',
	description: 'The Keap product: choose it from the list (search by name) or give its ID (digits)',
	placeholder: '201',
});

export const productOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field; prices as amounts in the account currency (49.5 for $49.50)',
	simplified: 'ID, name, SKU, price, active and inventory count',
	fieldExamples: 'id, name, sku, price, inventory_count',
});

export async function formatProduct(ctx: IExecuteFunctions, i: number, product: WithRaw<Product>): Promise<IDataObject> {
	return await formatRecord(ctx, i, product, {
		normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
		simplified: ({ value }) => simplifyProduct(value) as IDataObject,
	});
}

const NAMES: Record<string, string> = { name: 'Name', short_description: 'Short Description' };

const FLAG_LABELS: Record<ProductFlag, [string, string]> = {
	active: ['Active', 'Whether the product can be sold (Keap makes new products active)'],
	city_taxable: ['City Taxable', 'Whether city taxes apply to the product'],
	country_taxable: ['Country Taxable', 'Whether country taxes apply to the product'],
	is_package: ['Is Package', 'Whether the product is a package of other products'],
	needs_digital_delivery: ['Needs Digital Delivery', 'Whether the product is delivered digitally'],
	out_of_stock_enabled: ['Out of Stock Enabled', 'Whether Keap tracks the product going out of stock'],
	shippable: ['Shippable', 'Whether the product must be shipped'],
	state_taxable: ['State Taxable', 'Whether state taxes apply to the product'],
	storefront_hidden: ['Storefront Hidden', 'Whether the product is hidden from the storefront'],
	subscription_only: ['Subscription Only', 'Whether the product is sold only as a subscription'],
	taxable: ['Taxable', 'Whether the product is taxed'],
};

/** The fields of Additional Fields (create) or Update Fields (update), sorted by name. */
export function productFieldOptions(mode: 'create' | 'update'): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Bottom HTML',
			name: 'bottom_html',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'HTML shown below the product on its page',
		},
		{
			displayName: 'Delivery Description',
			name: 'delivery_description',
			type: 'string',
			default: '',
			description: 'How the product is delivered',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description: 'The long description of the product',
		},
		{
			displayName: 'Inventory Limit',
			name: 'inventory_limit',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'The inventory limit of the product, a whole number of 0 or more',
		},
		{
			displayName: 'Inventory Notification Email',
			name: 'email_for_inventory_notifications',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'The email address Keap notifies about the inventory of the product',
		},
		{
			displayName: 'SKU',
			name: 'sku',
			type: 'string',
			default: '',
			description: 'The stock keeping unit, e.g. KIT-001',
		},
		{
			displayName: 'Top HTML',
			name: 'top_html',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'HTML shown above the product on its page',
		},
		{
			displayName: 'Weight',
			name: 'weight',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'The weight of the product, a number of 0 or more',
		},
		...PRODUCT_FLAGS.map(
			(flag): INodeProperties => ({
				displayName: FLAG_LABELS[flag][0],
				name: flag,
				type: 'boolean',
				default: false,
				description: FLAG_LABELS[flag][1],
			}),
		),
	];
	// New products are active unless told otherwise: the Active switch starts on.
	fields.find((f) => f.name === 'active')!.default = true;
	if (mode === 'create') {
		fields.push({
			displayName: 'Inventory Count',
			name: 'inventory_count',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'How many are in stock, a whole number of 0 or more (later changes: Adjust Inventory)',
		});
	} else {
		fields.push(
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The name of the product' },
			{
				displayName: 'Price',
				name: 'price',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description: 'The price in the account currency, e.g. 49.50 (at most 2 decimals)',
			},
			{
				displayName: 'Short Description',
				name: 'short_description',
				type: 'string',
				default: '',
				description: 'The short description of the product',
			},
		);
	}
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * Product fields from a collection's values, checked; `label` names the collection in errors.
 * An empty text is left out of a create and clears the field on an update.
 */
export function productInputFrom(values: IDataObject, label: string, mode: 'create' | 'update'): ProductInput {
	const input: ProductInput = {};
	const field = (name: string) => `${label} > ${name}`;
	for (const k of ['name', 'sku', 'short_description', 'description', 'top_html', 'bottom_html', 'delivery_description'] as const) {
		if (values[k] === undefined) continue;
		const text = optionalText(values[k]);
		if (text === undefined && (k === 'name' || k === 'short_description')) throw new InputError(field(NAMES[k]), 'must not be empty');
		if (text !== undefined || mode === 'update') input[k] = text ?? '';
	}
	if (values.email_for_inventory_notifications !== undefined) {
		const email = optionalText(values.email_for_inventory_notifications);
		if (email) input.email_for_inventory_notifications = checkEmail(field('Inventory Notification Email'), email);
		else if (mode === 'update') input.email_for_inventory_notifications = '';
	}
	for (const flag of PRODUCT_FLAGS) if (values[flag] !== undefined) input[flag] = values[flag] === true;
	if (values.price !== undefined) input.price = checkMoney(field('Price'), values.price);
	if (values.weight !== undefined) {
		const w = Number(values.weight);
		if (!Number.isFinite(w) || w < 0) throw new InputError(field('Weight'), `"${String(values.weight)}" is not a weight of 0 or more`);
		input.weight = w;
	}
	if (values.inventory_limit !== undefined) input.inventory_limit = checkWholeNumber(field('Inventory Limit'), values.inventory_limit, 0);
	if (values.inventory_count !== undefined) input.inventory_count = checkWholeNumber(field('Inventory Count'), values.inventory_count, 0);
	return input;
}
