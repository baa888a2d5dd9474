/**
 * A contact picked anywhere other than an operation's own Contact parameter (a filter, an
 * optional field of a task): the contact locator's modes resolved to an ID.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEmail, checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import type { LocatorValue } from './assignee';

/** The contact ID a locator value names; By Email looks the contact up (the oldest of duplicates). */
export async function contactIdOf(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	locator: LocatorValue,
	field: string,
): Promise<string> {
	if (locator.mode !== 'email') return checkId(field, locator.value);
	const email = checkEmail(`${field} (By Email)`, locator.value);
	const matches = await session.client.contacts.findByEmail(email, i);
	if (matches.length === 0) throw new NodeOperationError(ctx.getNode(), `No Keap contact has the email ${email}`, { itemIndex: i });
	return matches.map((m) => m.value.id).sort((a, b) => Number(a) - Number(b))[0];
}
