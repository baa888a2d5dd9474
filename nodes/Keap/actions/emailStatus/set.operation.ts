import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkEmail, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmailAddresses } from '../../transport/rest/emailAddresses';
import { runPerItem } from '../common/items';
import { emailProperty, formatStatus, statusOutputProperties } from './shared';

const properties: INodeProperties[] = [
	emailProperty,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{
				name: 'Opt In',
				value: 'optIn',
				description:
					'Mark the address as marketable. Keap only changes an address that is unengaged, non-marketable or manually opted out; unsubscribes, bounces and spam complaints stay as they are.',
			},
			{ name: 'Opt Out', value: 'optOut', description: 'Stop marketing email to the address (Keap’s status Opt-Out: Manual)' },
		],
		default: 'optIn',
		description: 'Whether to opt the address in or out of marketing email',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Signed up on the website form',
		description: 'Why the status changes, kept by Keap as the consent (or opt-out) record, e.g. "Customer opted in through the webform"',
	},
	...statusOutputProperties,
];

const displayOptions = { show: { resource: ['emailStatus'], operation: ['set'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const addresses = new RestEmailAddresses(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const email = checkEmail('Email', String(this.getNodeParameter('email', i, '') ?? ''));
			const optIn = this.getNodeParameter('status', i) === 'optIn';
			const reason = String(this.getNodeParameter('reason', i, '') ?? '').trim();
			if (!reason) throw new InputError('Reason', 'Keap needs a reason for every opt-in or opt-out');
			const status = await addresses.setStatus(email, optIn, reason, i);
			if (!status) throw new NodeOperationError(this.getNode(), `Keap knows no email address ${email}`, { itemIndex: i });
			return await formatStatus(this, i, status);
		},
		4,
	);
}
