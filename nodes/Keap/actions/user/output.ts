/** The output of the user operations. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyUser, type User } from '../../model/user';
import { formatRecord, outputProperties } from '../common/output';

export const userOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field of the user',
	simplified: 'ID, name, email, status and whether the user is an admin',
	fieldExamples: 'id, name, email',
});

export async function formatUser(ctx: IExecuteFunctions, i: number, user: WithRaw<User>): Promise<IDataObject> {
	return await formatRecord(ctx, i, user, {
		normalized: ({ value }) => ({ ...(value as unknown as IDataObject) }),
		simplified: ({ value }) => simplifyUser(value),
	});
}
