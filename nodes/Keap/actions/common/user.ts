/** Picking a Keap user (owner, assignee): a resource locator and its resolution to an id. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail, checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestUsers } from '../../transport/rest/users';
import { locatorValue } from './locator';

/** A user picker: From List (searchable), By ID, or By Email when `byEmail`. */
export function userLocator(
	name: string,
	displayName: string,
	description: string,
	options: { required?: boolean; byEmail?: boolean; displayOptions?: INodeProperties['displayOptions'] } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		displayOptions: options.displayOptions,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '3',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap user ID is a whole number' } }],
			},
			...(options.byEmail
				? [
						{
							displayName: 'By Email',
							name: 'email',
							type: 'string' as const,
							placeholder: 'name@email.com',
							validation: [
								{ type: 'regex' as const, properties: { regex: '^\\S+@\\S+\\.\\S+$', errorMessage: 'Not a valid email address' } },
							],
						},
					]
				: []),
		],
	};
}

/**
 * The user id a user locator value names (`field` names the parameter in errors); '' when
 * empty. By Email looks the user up (active or not).
 */
export async function resolveUserRef(
	ctx: IExecuteFunctions,
	session: KeapSession,
	raw: unknown,
	field: string,
	i: number,
): Promise<string> {
	const { mode, value } = locatorValue(raw);
	if (value === '') return '';
	if (mode !== 'email') return checkId(field, value);
	const email = checkEmail(field, value);
	const page = await new RestUsers(session.rest).list({ email, include_inactive: true }, 1, undefined, i);
	const user = page.items[0];
	if (!user) throw new NodeOperationError(ctx.getNode(), `No Keap user has the email ${email}`, { itemIndex: i });
	return user.value.id;
}
