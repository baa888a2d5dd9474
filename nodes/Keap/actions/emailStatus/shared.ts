/** The email parameter and output the email address status operations share. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { EmailAddressStatus } from '../../model/emailStatus';
import { formatRecord, outputProperties } from '../common/output';

export const emailProperty: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'name@email.com',
	description: 'The email address (of a contact or company in Keap)',
};

export const statusOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'The address, whether it is opted in, Keap’s status and the dates Keap reports',
	fieldExamples: 'email, opted_in, status',
});

export async function formatStatus(ctx: IExecuteFunctions, i: number, status: WithRaw<EmailAddressStatus>): Promise<IDataObject> {
	return await formatRecord(ctx, i, status, { normalized: ({ value }) => ({ ...(value as unknown as IDataObject) }) });
}
