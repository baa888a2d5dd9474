import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestEmails } from '../../transport/rest/emails';
import { locatorId, notFound } from '../common/commerce';
import { runPerItem } from '../common/items';
import { emailLocator, emailOutputProperties, formatEmail } from './shared';

const properties: INodeProperties[] = [emailLocator, ...emailOutputProperties];

const displayOptions = { show: { resource: ['email'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const emails = new RestEmails(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = locatorId(this, i, 'emailRecord', 'Email Record');
			const email = await emails.get(id, i);
			if (!email) throw notFound(this, 'email record', id, i);
			return await formatEmail(this, i, email);
		},
		4,
	);
}
