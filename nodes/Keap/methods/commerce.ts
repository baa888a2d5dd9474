/**
 * Editor look-ups of the commerce resources: searchable lists of products, orders,
 * subscriptions and subscription plans (resource locators' From List), and the order and
 * subscription custom fields as resource-mapper columns.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { CustomFieldDefinition } from '../model/customField';
import { KeapSession } from '../transport';
import { RestOrders } from '../transport/rest/orders';
import { RestProducts } from '../transport/rest/products';
import { RestSubscriptions } from '../transport/rest/subscriptions';

const SEARCH_PAGE = 50;

const amount = (value: number | null, code: string | null) =>
	value === null ? '' : `${value.toFixed(2)}${code ? ` ${code}` : ''}`;

/** A search term as a v2 prefix match (Keap's wildcard), or nothing. */
const prefix = (filter?: string) => (filter?.trim() ? `${filter.trim()}*` : undefined);

const CYCLES: Record<string, string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

export const commerceListSearch = {
	async searchProducts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const products = new RestProducts(new KeapSession(this).rest);
		const page = await products.list({ name: prefix(filter), order_by: 'name' }, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: p }) => ({
				name: [p.name, p.sku && `(${p.sku})`, amount(p.price, p.currency_code)].filter(Boolean).join(' '),
				value: p.id,
			})),
			paginationToken: page.next,
		};
	},

	/** Orders, newest first; digits find an order by ID, other text searches titles by prefix. */
	async searchOrders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const orders = new RestOrders(new KeapSession(this).rest);
		const term = filter?.trim() ?? '';
		const query = /^\d+$/.test(term) ? { id: term } : { title: prefix(term) };
		const page = await orders.list({ ...query, order_by: 'id', order_direction: 'desc' }, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: o }) => {
				const who = [o.contact?.given_name, o.contact?.family_name].filter(Boolean).join(' ') || o.contact?.email;
				return {
					name: [`#${o.id}`, o.title, who && `· ${who}`, `· ${amount(o.total, o.currency_code)}`, o.status && `· ${o.status}`]
						.filter(Boolean)
						.join(' '),
					value: o.id,
				};
			}),
			paginationToken: page.next,
		};
	},

	/**
	 * Subscriptions, newest first, named by product and contact (two more calls per page, for
	 * the names). Digits list that contact's subscriptions; other text filters the page's names.
	 */
	async searchSubscriptions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const session = new KeapSession(this);
		const subscriptions = new RestSubscriptions(session.rest);
		const term = filter?.trim() ?? '';
		const byContact = /^\d+$/.test(term);
		const page = await subscriptions.list(
			{ ...(byContact ? { contact_id: term } : {}), order_by: 'id', order_direction: 'desc' },
			SEARCH_PAGE,
			paginationToken,
		);
		const values = page.items.map((s) => s.value);
		const productIds = [...new Set(values.map((s) => s.product_id).filter((x): x is string => !!x))];
		const contactIds = [...new Set(values.map((s) => s.contact_id).filter((x): x is string => !!x))];
		const [products, contacts] = await Promise.all([
			new RestProducts(session.rest).listByIds(productIds),
			contactIds.length ? session.client.contacts.list({ ids: contactIds }, contactIds.length) : { items: [] },
		]);
		const productName = new Map(products.map((p) => [p.value.id, p.value.name]));
		const contactName = new Map(
			contacts.items.map(({ value: c }) => [c.id, [c.given_name, c.family_name].filter(Boolean).join(' ') || `Contact ${c.id}`]),
		);
		const results = values.map((s) => ({
			name: [
				`#${s.id}`,
				productName.get(s.product_id ?? '') ?? `Product ${s.product_id}`,
				`· ${contactName.get(s.contact_id ?? '') ?? `Contact ${s.contact_id}`}`,
				`· ${s.active ? 'active' : 'inactive'}`,
			].join(' '),
			value: s.id,
		}));
		const text = byContact ? '' : term.toLowerCase();
		return { results: text ? results.filter((r) => r.name.toLowerCase().includes(text)) : results, paginationToken: page.next };
	},

	/** Every subscription plan of the products whose name starts with the search text. */
	async searchSubscriptionPlans(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const products = new RestProducts(new KeapSession(this).rest);
		const page = await products.list({ name: prefix(filter), order_by: 'name' }, SEARCH_PAGE, paginationToken);
		const results = page.items.flatMap(({ value: p }) =>
			p.subscription_plans.map((plan) => {
				const every = plan.billing_frequency && plan.billing_frequency > 1 ? `every ${plan.billing_frequency} ` : 'every ';
				const cycle = CYCLES[plan.billing_cycle ?? ''] ?? plan.billing_cycle?.toLowerCase() ?? 'cycle';
				const plural = plan.billing_frequency && plan.billing_frequency > 1 ? 's' : '';
				return {
					name: `${p.name} · ${amount(plan.price, p.currency_code)} ${every}${cycle}${plural}${plan.active === false ? ' (inactive)' : ''}`,
					value: plan.id,
				};
			}),
		);
		return { results, paginationToken: page.next };
	},
};

const FIELD_TYPES: Record<string, ResourceMapperField['type']> = {
	WHOLE_NUMBER: 'number',
	DECIMAL_NUMBER: 'number',
	CURRENCY: 'number',
	PERCENT: 'number',
	YEAR: 'number',
	MONTH: 'number',
	DAY_OF_WEEK: 'number',
	DATE: 'dateTime',
	DATE_TIME: 'dateTime',
	YES_NO: 'boolean',
	DROPDOWN: 'options',
	RADIO: 'options',
};

function columns(defs: CustomFieldDefinition[], what: string): ResourceMapperFields {
	const fields = defs.map((d): ResourceMapperField => {
		const type = FIELD_TYPES[d.field_type] ?? 'string';
		const field: ResourceMapperField = {
			id: d.id,
			displayName: d.label,
			required: false,
			defaultMatch: false,
			display: true,
			type: type === 'options' && !d.options?.length ? 'string' : type,
		};
		if (field.type === 'options') field.options = d.options!.map((o) => ({ name: o.label, value: o.label }));
		return field;
	});
	return { fields, emptyFieldsNotice: `This Keap account has no ${what} custom fields` };
}

export const commerceResourceMapping = {
	async getOrderCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return columns(await new RestOrders(new KeapSession(this).rest).customFields(), 'order');
	},

	async getSubscriptionCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return columns(await new RestSubscriptions(new KeapSession(this).rest).customFields(), 'subscription');
	},
};
