/** Parameters and steps the subscription operations share: the pickers, the fields, the output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { BILLING_CYCLES, simplifySubscription, type Subscription, type SubscriptionFields } from '../../model/subscription';
import { checkDate, checkId, checkMoney, checkWholeNumber } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestSubscriptions } from '../../transport/rest/subscriptions';
import { customFieldInput, customFieldsByLabel, customFieldsParameter, once, optionalText, recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const subscriptionLocator = recordLocator({
	name: 'subscription',
	displayName: 'Subscription',
	searchListMethod: 'searchSubscriptions',
	what: 'subscription',
	description:
		"The Keap subscription: choose it from the list (type a contact ID to see that contact's subscriptions) or give its ID (digits)",
	placeholder: '301',
});

export const planLocator = recordLocator({
	name: 'subscriptionPlan',
	displayName: 'Subscription Plan',
	searchListMethod: 'searchSubscriptionPlans',
	what: 'subscription plan',
	description: "The product's subscription plan: choose it from the list (search by product name) or give the plan's ID (digits)",
	placeholder: '251',
});

export const subscriptionOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field, custom fields by name',
	simplified: 'ID, status, contact, product, plan, billing amount and cycle, next bill date',
	fieldExamples: 'id, active, contact_id, billing_amount, next_bill_date',
});

export const subscriptionCustomFields = customFieldsParameter('getSubscriptionCustomFieldColumns', 'subscription');

/** The subscriptions client of a run, and the subscription custom field model, read at most once per execution. */
export function subscriptionContext(session: KeapSession) {
	const subscriptions = new RestSubscriptions(session.rest);
	return { subscriptions, model: once(async () => await subscriptions.customFields()) };
}

export async function formatSubscription(
	ctx: IExecuteFunctions,
	i: number,
	subscription: WithRaw<Subscription>,
	model: () => Promise<CustomFieldDefinition[]>,
): Promise<IDataObject> {
	return await formatRecord(ctx, i, subscription, {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: value.custom_fields.length ? customFieldsByLabel(value.custom_fields, await model()) : {},
		}),
		simplified: ({ value }) => simplifySubscription(value) as IDataObject,
	});
}

/** The fields an Additional Fields (create) or Update Fields (update) collection offers, sorted by name. */
export function subscriptionFieldOptions(mode: 'create' | 'update'): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Allow Tax',
			name: 'allow_tax',
			type: 'boolean',
			default: false,
			description: "Whether tax is charged (only when the plan's product is taxable)",
		},
		{
			displayName: 'Auto Charge',
			name: 'auto_charge',
			type: 'boolean',
			default: true,
			description:
				"Whether Keap charges the payment method on each billing date (Keap's default). Without a Payment Method ID Keap uses the contact's most recent card, and refuses when there is none.",
		},
		{
			displayName: 'Billing Amount',
			name: 'billing_amount',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: "The amount billed each cycle in the account currency, 0 or more with at most 2 decimals (default: the plan's price)",
		},
		{
			displayName: 'Days Between Retries',
			name: 'days_between_retries',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'Days between attempts to charge a failed payment, a whole number of 1 or more',
		},
		{
			displayName: 'Lead Affiliate ID',
			name: 'lead_affiliate_id',
			type: 'string',
			default: '',
			description: 'The ID (digits) of the affiliate who brought the lead',
		},
		{
			displayName: 'Max Charge Attempts',
			name: 'max_charge_attempts',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 3,
			description: 'How many times Keap tries to charge a payment, a whole number of 1 or more',
		},
		{
			displayName: 'Payment Method ID',
			name: 'payment_method_id',
			type: 'string',
			default: '',
			description: "The ID (digits) of one of the contact's stored payment methods to charge",
		},
		{
			displayName: 'Promo Code',
			name: 'promo_code',
			type: 'string',
			default: '',
			description: 'A promo code set up in your Keap account',
		},
		{
			displayName: 'Quantity',
			name: 'quantity',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'How many units are billed, a whole number of 1 or more',
		},
		{
			displayName: 'Sale Affiliate ID',
			name: 'sale_affiliate_id',
			type: 'string',
			default: '',
			description: 'The ID (digits) of the affiliate who made the sale',
		},
	];
	if (mode === 'create') {
		fields.push(
			{
				displayName: 'Allow Duplicate',
				name: 'allow_duplicate',
				type: 'boolean',
				default: false,
				description: 'Whether to create it even when the contact already has an active subscription on the same plan',
			},
			{
				displayName: 'Start Date',
				name: 'start_date',
				type: 'dateTime',
				default: '',
				description: 'The first billing date, YYYY-MM-DD, today or later (default: today)',
			},
		);
	} else {
		fields.push(
			{
				displayName: 'Billing Cycle',
				name: 'billing_cycle',
				type: 'options',
				options: BILLING_CYCLES.map((c) => ({ name: c.charAt(0) + c.slice(1).toLowerCase(), value: c })),
				default: 'MONTH',
				description: 'The unit of the billing period',
			},
			{
				displayName: 'Billing Frequency',
				name: 'billing_frequency',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
				description: 'Bill every this many cycles, a whole number of 1 or more',
			},
			{
				displayName: 'End Date',
				name: 'end_date',
				type: 'dateTime',
				default: '',
				description: 'The last billing date, YYYY-MM-DD, today or later',
			},
			{
				displayName: 'Next Bill Date',
				name: 'next_bill_date',
				type: 'dateTime',
				default: '',
				description: 'The next billing date, YYYY-MM-DD, today or later',
			},
			{
				displayName: 'Subscription Plan ID',
				name: 'subscription_plan_id',
				type: 'string',
				default: '',
				description: 'Move the subscription to this plan: its ID (digits)',
			},
		);
	}
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

const NAMES: Record<string, string> = {
	quantity: 'Quantity',
	max_charge_attempts: 'Max Charge Attempts',
	days_between_retries: 'Days Between Retries',
	billing_frequency: 'Billing Frequency',
	payment_method_id: 'Payment Method ID',
	lead_affiliate_id: 'Lead Affiliate ID',
	sale_affiliate_id: 'Sale Affiliate ID',
	subscription_plan_id: 'Subscription Plan ID',
	start_date: 'Start Date',
	next_bill_date: 'Next Bill Date',
	end_date: 'End Date',
};

/** The subscription fields of item i (collection, custom fields), checked. */
export async function subscriptionFieldsFrom(
	ctx: IExecuteFunctions,
	i: number,
	collection: 'additionalFields' | 'updateFields',
	model: () => Promise<CustomFieldDefinition[]>,
): Promise<SubscriptionFields & { start_date?: string; allow_duplicate?: boolean }> {
	const label = collection === 'updateFields' ? 'Update Fields' : 'Additional Fields';
	const field = (k: string) => `${label} > ${NAMES[k] ?? k}`;
	const v = ctx.getNodeParameter(collection, i, {}) as IDataObject;
	const out: SubscriptionFields & { start_date?: string; allow_duplicate?: boolean } = {};
	for (const k of ['quantity', 'max_charge_attempts', 'days_between_retries', 'billing_frequency'] as const) {
		if (v[k] !== undefined) out[k] = checkWholeNumber(field(k), v[k], 1);
	}
	if (v.billing_amount !== undefined) out.billing_amount = checkMoney(`${label} > Billing Amount`, v.billing_amount);
	for (const k of ['auto_charge', 'allow_tax', 'allow_duplicate'] as const) if (v[k] !== undefined) out[k] = v[k] === true;
	for (const k of ['payment_method_id', 'lead_affiliate_id', 'sale_affiliate_id', 'subscription_plan_id'] as const) {
		const text = optionalText(v[k]);
		if (text !== undefined) out[k] = checkId(field(k), text);
	}
	for (const k of ['start_date', 'next_bill_date', 'end_date'] as const) {
		const text = optionalText(v[k]);
		if (text !== undefined) out[k] = checkDate(field(k), text);
	}
	const promo = optionalText(v.promo_code);
	if (promo !== undefined) out.promo_code = promo;
	if (v.billing_cycle !== undefined) out.billing_cycle = v.billing_cycle as SubscriptionFields['billing_cycle'];
	const custom = await customFieldInput(ctx, i, model, 'subscription');
	if (custom) out.custom_fields = custom;
	return out;
}
