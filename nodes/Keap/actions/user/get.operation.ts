import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestUsers } from '../../transport/rest/users';
import { runPerItem } from '../common/items';
import { resolveUserRef, userLocator } from '../common/user';
import { formatUser, userOutputProperties } from './output';

const properties: INodeProperties[] = [
	userLocator('user', 'User', 'The Keap user to get: from the list, by ID (digits) or by email', { required: true, byEmail: true }),
	...userOutputProperties,
];

const displayOptions = { show: { resource: ['user'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const users = new RestUsers(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = await resolveUserRef(this, session, this.getNodeParameter('user', i), 'User', i);
			if (!id) throw new InputError('User', 'choose a user (from the list, by ID or by email)');
			const user = await users.get(id, i);
			if (!user) throw new NodeOperationError(this.getNode(), `Keap has no user with ID ${id}`, { itemIndex: i });
			return await formatUser(this, i, user);
		},
		4,
	);
}
