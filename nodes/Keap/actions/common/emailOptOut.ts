/**
 * The contact writes' "Email Opt-Out Reason": after the contact is written, its primary email
 * is opted out of marketing through REST v2's email address status (whichever API the node
 * uses for contacts: XML-RPC's APIEmailService.optOut does the same, and REST serves the
 * status of every address). The written contact's output then shows the new status.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Contact } from '../../model/contact';
import type { KeapSession } from '../../transport';
import { RestEmailAddresses } from '../../transport/rest/emailAddresses';

export async function optOutPrimaryEmail(
	ctx: IExecuteFunctions,
	session: KeapSession,
	contact: WithRaw<Contact>,
	reason: string,
	i: number,
): Promise<void> {
	const primary = contact.value.email_addresses.find((e) => e.field === 'EMAIL1') ?? contact.value.email_addresses[0];
	if (!primary) {
		throw new NodeOperationError(ctx.getNode(), `Contact ${contact.value.id} was written, but it has no email address to opt out`, {
			itemIndex: i,
			description: 'Give the contact an email (Email in the same item) or remove the Email Opt-Out Reason.',
		});
	}
	const status = await new RestEmailAddresses(session.rest).setStatus(primary.email, false, reason, i);
	if (!status) {
		throw new NodeOperationError(ctx.getNode(), `Contact ${contact.value.id} was written, but Keap knows no email address ${primary.email} to opt out`, {
			itemIndex: i,
		});
	}
	primary.opt_status = status.value.status ?? primary.opt_status;
}
