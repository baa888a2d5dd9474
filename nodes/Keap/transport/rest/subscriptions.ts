/**
 * Subscriptions over REST v2 (`/subscriptions`): create, get, list, update (PATCH with
 * update_mask), deactivate (`:deactivate`, which answers without a body) and the
 * subscription custom field model (`/subscriptions/model`). v2 has no delete: a
 * subscription is deactivated. `billing_amount` is an amount in the currency both ways.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { Subscription, SubscriptionFields, SubscriptionInput, SubscriptionQuery } from '../../model/subscription';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, customFieldModel, customFieldValues, listPage, num, orderBy, str } from './commerce';

export function subscriptionFromV2(raw: IDataObject): Subscription {
	return {
		id: String(raw.id),
		active: bool(raw.active),
		contact_id: str(raw.contact_id),
		product_id: str(raw.product_id),
		subscription_plan_id: str(raw.subscription_plan_id),
		quantity: num(raw.quantity),
		billing_amount: num(raw.billing_amount),
		billing_cycle: str(raw.billing_cycle),
		billing_frequency: num(raw.billing_frequency),
		auto_charge: bool(raw.auto_charge),
		payment_method_id: str(raw.payment_method_id),
		merchant_account_id: str(raw.merchant_account_id),
		start_date: str(raw.start_date),
		last_bill_date: str(raw.last_bill_date),
		next_bill_date: str(raw.next_bill_date),
		end_date: str(raw.end_date),
		allow_tax: bool(raw.allow_tax),
		max_charge_attempts: num(raw.max_charge_attempts),
		days_between_retries: num(raw.days_between_retries),
		lead_affiliate_id: str(raw.lead_affiliate_id),
		sale_affiliate_id: str(raw.sale_affiliate_id),
		promo_code: str(raw.promo_code),
		shipping_option_id: str(raw.shipping_option_id),
		reason_stopped: str(raw.reason_stopped),
		modification_time: str(raw.modification_time),
		custom_fields: customFieldValues(raw.custom_fields),
	};
}

const SCALARS = [
	'contact_id',
	'subscription_plan_id',
	'quantity',
	'billing_amount',
	'auto_charge',
	'payment_method_id',
	'max_charge_attempts',
	'days_between_retries',
	'allow_tax',
	'promo_code',
	'lead_affiliate_id',
	'sale_affiliate_id',
	'active',
	'billing_cycle',
	'billing_frequency',
	'next_bill_date',
	'end_date',
	'start_date',
	'allow_duplicate',
] as const;

export function subscriptionToV2(input: SubscriptionFields & Partial<SubscriptionInput>): IDataObject {
	const body: IDataObject = {};
	for (const k of SCALARS) if (input[k] !== undefined) body[k] = input[k];
	if (input.custom_fields !== undefined) body.custom_fields = input.custom_fields.map((c) => ({ id: c.id, content: c.content }));
	return body;
}

const withRaw = (raw: IDataObject): WithRaw<Subscription> => ({ value: subscriptionFromV2(raw), raw });

export class RestSubscriptions {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/subscriptions/${encodeURIComponent(id)}`;
	}

	async create(input: SubscriptionInput, itemIndex?: number) {
		const res = await this.rest.json('POST', `${V2}/subscriptions`, { body: subscriptionToV2(input), itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no subscription with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	async list(query: SubscriptionQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Subscription>>> {
		const filter = v2Filter([
			['contact_id', query.contact_id],
			['subscription_plan_id', query.subscription_plan_id],
			['status', query.status],
			['ids', query.ids?.join(',')],
		]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/subscriptions`, 'subscriptions', subscriptionFromV2, qs, pageSize, cursor, itemIndex);
	}

	/** PATCH of exactly the properties given (update_mask); null when there is no such subscription. */
	async update(id: string, fields: SubscriptionFields, itemIndex?: number) {
		const body = subscriptionToV2(fields);
		const res = await this.rest.json('PATCH', this.path(id), {
			qs: { update_mask: Object.keys(body) },
			body,
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/**
	 * Stops the subscription; false when there is no such subscription. Keap requires a body
	 * (`{}` at least), and n8n's HTTP helper sends no body for an empty object: without a
	 * reason the body goes as the JSON text `{}`.
	 */
	async deactivate(id: string, reason: string | undefined, itemIndex?: number) {
		const res = await this.rest.http.request(
			{
				method: 'POST',
				path: `${this.path(id)}:deactivate`,
				body: reason ? { reason } : '{}',
				headers: reason ? undefined : { 'Content-Type': 'application/json' },
				acceptStatus: [404],
			},
			itemIndex,
		);
		return res.status !== 404;
	}

	async customFields(): Promise<CustomFieldDefinition[]> {
		return await customFieldModel(this.rest, `${V2}/subscriptions`);
	}
}
