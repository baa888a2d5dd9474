/**
 * Add Contacts to a Sequence and Remove Contacts from a Sequence: the contacts of every item
 * naming the same campaign and sequence go to Keap together, SEQUENCE_CONTACTS_MAX per call.
 * Keap answers a result per contact (SUCCESS, ALREADY_IN_SEQUENCE, CONTACT_DOES_NOT_EXIST,
 * FAILED), which the item's output lists; a result other than success is not an error.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { SEQUENCE_CONTACTS_MAX, type SequenceResult } from '../../model/automation';
import type { KeapSession } from '../../transport';
import { RestCampaigns } from '../../transport/rest/automations';
import { contactIdsOf, runContactBatches } from '../common/contactBatches';
import { campaignLocator, sequenceLocator, sequenceRef } from './shared';

export function sequenceProperties(mode: 'add' | 'remove'): INodeProperties[] {
	return [
		campaignLocator,
		sequenceLocator,
		{
			displayName: 'Contact IDs',
			name: 'contactIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: '1001, 1002',
			description: `The contacts to ${mode === 'add' ? 'add to' : 'remove from'} the sequence: contact IDs, comma-separated or a list from an expression. The contacts of all items go to Keap together, ${SEQUENCE_CONTACTS_MAX} per call.`,
		},
	];
}

export async function sequenceContacts(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	session: KeapSession,
	mode: 'add' | 'remove',
): Promise<INodeExecutionData[]> {
	const campaigns = new RestCampaigns(session.rest);
	return await runContactBatches<{ campaignId: string; sequenceId: string }, Record<string, SequenceResult>>(
		ctx,
		items.length,
		SEQUENCE_CONTACTS_MAX,
		async (i) => {
			const ref = sequenceRef(ctx, i);
			const contactIds = contactIdsOf('Contact IDs', ctx.getNodeParameter('contactIds', i));
			return { key: `${ref.campaignId}/${ref.sequenceId}`, group: ref, contactIds };
		},
		async ({ campaignId, sequenceId }, contactIds, i) =>
			mode === 'add'
				? await campaigns.addToSequence(campaignId, sequenceId, contactIds, i)
				: await campaigns.removeFromSequence(campaignId, sequenceId, contactIds, i),
		(i, req, answers) => {
			const all = Object.assign({}, ...answers) as Record<string, SequenceResult>;
			const results: Record<string, SequenceResult> = {};
			for (const id of req.contactIds) results[id] = all[id] ?? 'NO_RESULT';
			return { campaign_id: req.group.campaignId, sequence_id: req.group.sequenceId, contact_ids: req.contactIds, results };
		},
	);
}
