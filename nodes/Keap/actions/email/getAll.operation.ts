import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { EmailQuery } from '../../model/email';
import { checkDateTime, checkEmail, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmails } from '../../transport/rest/emails';
import { collect, contactFilter, contactFilterId, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { emailOutputProperties, formatEmail } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ ...contactFilter, description: 'Only emails sent to this contact' },
			{
				displayName: 'Created After',
				name: 'since',
				type: 'dateTime',
				default: '',
				description: 'Only emails recorded at or after this time (ISO 8601)',
			},
			{
				displayName: 'Created Before',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'Only emails recorded at or before this time (ISO 8601)',
			},
			{
				displayName: 'Sent To Address',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'name@email.com',
				description: 'Only emails sent to this address, exactly',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [{ ...directionOption('desc'), description: 'Oldest or newest first, by the time Keap recorded the email' }],
	},
	{
		displayName: 'Keap leaves the contents out of email lists: use Get for an email’s HTML and plain text',
		name: 'contentNotice',
		type: 'notice',
		default: '',
	},
	...emailOutputProperties,
];

const displayOptions = { show: { resource: ['email'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const emails = new RestEmails(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as { contact?: unknown; since?: string; until?: string; email?: string };
		const sort = this.getNodeParameter('sort', i, {}) as { direction?: 'asc' | 'desc' };
		const since = optionalText(filters.since);
		const until = optionalText(filters.until);
		const address = optionalText(filters.email);
		const query: EmailQuery = {
			contact_id: await contactFilterId(this, session, i, filters.contact, 'Filters > Contact'),
			email: address ? checkEmail('Filters > Sent To Address', address) : undefined,
			since: since ? checkDateTime('Filters > Created After', since) : undefined,
			until: until ? checkDateTime('Filters > Created Before', until) : undefined,
			order_direction: sort.direction,
		};
		if (query.since && query.until && query.since > query.until) {
			throw new InputError('Filters > Created After', `${query.since} is after Created Before (${query.until})`);
		}
		const found = await collect(limitOf(this, i), emails.maxPageSize, async (size, cursor) => await emails.list(query, size, cursor, i));
		return await Promise.all(found.map(async (e) => await formatEmail(this, i, e)));
	});
}
