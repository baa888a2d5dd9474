import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkEmail } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestEmailAddresses } from '../../transport/rest/emailAddresses';
import { runPerItem } from '../common/items';
import { emailProperty, formatStatus, statusOutputProperties } from './shared';

const properties: INodeProperties[] = [emailProperty, ...statusOutputProperties];

const displayOptions = { show: { resource: ['emailStatus'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const addresses = new RestEmailAddresses(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const email = checkEmail('Email', String(this.getNodeParameter('email', i, '') ?? ''));
			const status = await addresses.getStatus(email, i);
			if (!status) throw new NodeOperationError(this.getNode(), `Keap knows no email address ${email}`, { itemIndex: i });
			return await formatStatus(this, i, status);
		},
		4,
	);
}
