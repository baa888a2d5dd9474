/**
 * Orders over REST v2 (`/orders`): create (with items and promo codes), get, list, update
 * (PATCH with update_mask; items change only through the item routes, as Keap requires),
 * delete (only an order without payments), add an item, record a manual payment, list the
 * order's payments, and the order custom field model (`/orders/model`). Amounts go to Keap in
 * the currency (`price_per_unit`, `payment_amount` are dollars in the v2 document) and come
 * back as currency objects in cents, read into plain amounts here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type {
	ManualPaymentInput,
	Order,
	OrderFields,
	OrderInput,
	OrderItem,
	OrderItemInput,
	OrderPayment,
	OrderQuery,
	PaymentResult,
} from '../../model/order';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import {
	bool,
	currencyCode,
	customFieldModel,
	customFieldValues,
	list,
	listPage,
	money,
	num,
	obj,
	orderBy,
	str,
} from './commerce';

export function orderItemFromV2(raw: IDataObject): OrderItem {
	const product = obj(raw.product);
	const plan = obj(raw.subscription_plan);
	return {
		id: String(raw.id),
		item_type: str(raw.item_type),
		name: str(raw.name),
		description: str(raw.description),
		notes: str(raw.notes),
		quantity: num(raw.quantity),
		price_per_unit: money(raw.price_per_unit),
		cost_per_unit: money(raw.cost_per_unit),
		discount: money(raw.discount),
		product_id: str(product.id),
		product_name: str(product.name),
		product_sku: str(product.sku),
		subscription_plan_id: str(plan.id),
		subscription_id: str(raw.subscription_id),
	};
}

export function orderFromV2(raw: IDataObject): Order {
	const contact = obj(raw.contact);
	const shipping = raw.shipping_information ? obj(raw.shipping_information) : undefined;
	const address = obj(shipping?.address);
	return {
		id: String(raw.id),
		title: str(raw.title),
		status: str(raw.status),
		contact_id: str(contact.id),
		contact: contact.id
			? {
					id: String(contact.id),
					email: str(contact.email),
					given_name: str(contact.given_name),
					family_name: str(contact.family_name),
				}
			: null,
		order_type: str(raw.order_type),
		source_type: str(raw.source_type),
		order_time: str(raw.order_time),
		creation_time: str(raw.creation_time),
		modification_time: str(raw.modification_time),
		currency_code: currencyCode(raw.total, raw.total_paid, raw.total_due),
		total: money(raw.total),
		total_paid: money(raw.total_paid),
		total_due: money(raw.total_due),
		refund_total: money(raw.refund_total),
		order_items: list(raw.order_items).map(orderItemFromV2),
		promo_codes: (str(raw.promo_code) ?? '')
			.split(',')
			.map((c) => c.trim())
			.filter(Boolean),
		notes: str(raw.notes),
		terms: str(raw.terms),
		invoice_id: str(raw.invoice_id),
		lead_affiliate_id: str(raw.lead_affiliate_id),
		sales_affiliate_id: str(raw.sales_affiliate_id),
		shipping: shipping
			? {
					given_name: str(shipping.given_name),
					family_name: str(shipping.family_name),
					company: str(shipping.company),
					phone_number: str(shipping.phone_number),
					line1: str(address.line1),
					line2: str(address.line2),
					locality: str(address.locality),
					region: str(address.region_code ?? address.region),
					postal_code: str(address.postal_code ?? address.zip_code),
					zip_four: str(address.zip_four),
					country_code: str(address.country_code),
					invoice_to_company: bool(shipping.invoice_to_company),
				}
			: null,
		sent_time: str(raw.sent_time),
		due_time: str(raw.due_time),
		file_ids: list(raw.files).map((f) => String(f.file_id)),
		custom_fields: customFieldValues(raw.custom_fields),
	};
}

function orderPaymentFromV2(orderId: string) {
	return (raw: IDataObject): OrderPayment => ({
		id: String(raw.id),
		order_id: orderId,
		payment_id: str(raw.payment_id),
		invoice_id: str(raw.invoice_id),
		amount: num(raw.amount),
		pay_status: str(raw.pay_status),
		pay_time: str(raw.pay_time),
		note: str(raw.note),
		skip_commission: bool(raw.skip_commission),
		refund_invoice_payment_id: str(raw.refund_invoice_payment_id),
		last_updated_time: str(raw.last_updated_time),
	});
}

export function orderItemToV2(item: OrderItemInput): IDataObject {
	const body: IDataObject = { item_type: item.item_type, quantity: item.quantity };
	if (item.product_id !== undefined) body.product_id = item.product_id;
	for (const k of ['name', 'description', 'notes'] as const) if (item[k] !== undefined) body[k] = item[k];
	if (item.price_per_unit !== undefined) body.price_per_unit = item.price_per_unit;
	return body;
}

/** The v2 body of an order's own properties (a create adds its items). */
export function orderFieldsToV2(fields: OrderFields): IDataObject {
	const body: IDataObject = {};
	const scalars = [
		'contact_id',
		'order_title',
		'order_type',
		'order_time',
		'notes',
		'terms',
		'lead_affiliate_id',
		'sales_affiliate_id',
		'sent_time',
		'due_time',
	] as const;
	for (const k of scalars) if (fields[k] !== undefined) body[k] = fields[k];
	if (fields.promo_codes !== undefined) body.promo_codes = fields.promo_codes;
	if (fields.shipping_address !== undefined) body.shipping_address = { ...fields.shipping_address };
	if (fields.custom_fields !== undefined) body.custom_fields = fields.custom_fields.map((c) => ({ id: c.id, content: c.content }));
	return body;
}

const withRaw = (raw: IDataObject): WithRaw<Order> => ({ value: orderFromV2(raw), raw });

export class RestOrders {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/orders/${encodeURIComponent(id)}`;
	}

	async create(input: OrderInput, itemIndex?: number) {
		const body = { ...orderFieldsToV2(input), order_items: input.order_items.map(orderItemToV2) };
		const res = await this.rest.json('POST', `${V2}/orders`, { body, itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no order with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	async list(query: OrderQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Order>>> {
		const filter = v2Filter([
			['id', query.id],
			['ids', query.ids?.join(',')],
			['contact_id', query.contact_id],
			['product_id', query.product_id],
			['paid', query.paid === undefined ? undefined : String(query.paid)],
			['created_since_time', query.created_since],
			['created_until_time', query.created_until],
			['modified_since_time', query.modified_since],
			['title', query.title],
			['order_type', query.order_type],
		]);
		const after = v2Filter([['id', query.id_after]], '>');
		const filters = [filter, after].filter(Boolean).join(';');
		const qs: IDataObject = { ...(filters ? { filter: filters } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/orders`, 'orders', orderFromV2, qs, pageSize, cursor, itemIndex);
	}

	/** PATCH of exactly the properties given (update_mask); null when there is no such order. */
	async update(id: string, fields: OrderFields, itemIndex?: number) {
		const body = orderFieldsToV2(fields);
		const res = await this.rest.json('PATCH', this.path(id), {
			qs: { update_mask: Object.keys(body) },
			body,
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when there was no such order. Keap refuses to delete an order with payments. */
	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	/** Adds one item; null when there is no such order. */
	async addItem(orderId: string, item: OrderItemInput, itemIndex?: number): Promise<WithRaw<OrderItem> | null> {
		const res = await this.rest.json('POST', `${this.path(orderId)}/items`, {
			body: orderItemToV2(item),
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : { value: orderItemFromV2(res.body), raw: res.body };
	}

	/** Records a payment made outside Keap (nothing is charged); null when there is no such order. */
	async addManualPayment(orderId: string, payment: ManualPaymentInput, itemIndex?: number): Promise<WithRaw<PaymentResult> | null> {
		const body: IDataObject = {
			payment_amount: payment.amount,
			payment_method_type: payment.payment_method_type,
			apply_to_commissions: payment.apply_to_commissions,
		};
		if (payment.payment_time !== undefined) body.payment_time = payment.payment_time;
		if (payment.notes !== undefined) body.notes = payment.notes;
		const res = await this.rest.json('POST', `${this.path(orderId)}/payments`, { body, acceptStatus: [404], itemIndex });
		if (res.status === 404) return null;
		const raw = res.body;
		return {
			value: {
				id: String(raw.id),
				order_id: orderId,
				invoice_id: str(raw.invoice_id),
				amount: num(raw.payment_amount),
				status: str(raw.payment_status_message),
				transaction_id: str(raw.transaction_id),
			},
			raw,
		};
	}

	async listPayments(orderId: string, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<OrderPayment>>> {
		const qs = { order_by: 'pay_time asc' };
		return await listPage(
			this.rest,
			`${this.path(orderId)}/payments`,
			'invoice_order_payments',
			orderPaymentFromV2(orderId),
			qs,
			pageSize,
			cursor,
			itemIndex,
		);
	}

	async customFields(): Promise<CustomFieldDefinition[]> {
		return await customFieldModel(this.rest, `${V2}/orders`);
	}
}

