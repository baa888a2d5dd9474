/** The filters payments and transactions share (contact, order, time range), and their reading. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SaleQuery } from '../../model/sale';
import { checkDateTime, checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { contactFilter, contactFilterId, optionalText } from '../common/commerce';

export function saleFilterOptions(what: 'payments' | 'transactions'): INodeProperties[] {
	const time = what === 'payments' ? 'paid' : 'made';
	return [
		{ ...contactFilter, description: `Only ${what} of this contact` },
		{
			displayName: 'From',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: `Only ${what} ${time} at or after this time, ISO 8601 (e.g. 2025-01-01T00:00:00Z)`,
		},
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'string',
			default: '',
			description: `Only ${what} of this order: its ID (digits)`,
		},
		{
			displayName: 'To',
			name: 'until',
			type: 'dateTime',
			default: '',
			description: `Only ${what} ${time} at or before this time, ISO 8601`,
		},
	];
}

export const saleDirection: INodeProperties = {
	displayName: 'Sort',
	name: 'direction',
	type: 'options',
	options: [
		{ name: 'Newest First', value: 'desc' },
		{ name: 'Oldest First', value: 'asc' },
	],
	default: 'desc',
	description: 'The order of the results, by time',
};

/** The shared filters of item i, checked (a From after To is refused before anything is sent). */
export async function saleQueryFrom(ctx: IExecuteFunctions, session: KeapSession, i: number, f: IDataObject): Promise<SaleQuery> {
	const since = optionalText(f.since);
	const until = optionalText(f.until);
	const order = optionalText(f.orderId);
	const query: SaleQuery = {
		contact_id: await contactFilterId(ctx, session, i, f.contact, 'Filters > Contact'),
		order_id: order ? checkId('Filters > Order ID', order) : undefined,
		since: since ? checkDateTime('Filters > From', since) : undefined,
		until: until ? checkDateTime('Filters > To', until) : undefined,
		order_direction: ctx.getNodeParameter('direction', i, 'desc') as 'asc' | 'desc',
	};
	if (query.since && query.until && query.since > query.until) {
		throw new InputError('Filters > From', `${query.since} is after To (${query.until})`);
	}
	return query;
}
