/** Parameters and steps the campaign operations share: the campaign and sequence pickers, the output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Campaign } from '../../model/automation';
import type { WithRaw } from '../../model/common';
import type { RestCampaigns } from '../../transport/rest/automations';
import { locatorId, recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const campaignLocator = recordLocator({
	name: 'campaign',
	displayName: 'Campaign',
	searchListMethod: 'searchCampaigns',
	what: 'campaign',
	description: 'The Keap campaign (an automation of the campaign builder): choose it from the list (search by name) or give its ID (digits)',
	placeholder: '21',
});

export const sequenceLocator = recordLocator({
	name: 'sequence',
	displayName: 'Sequence',
	searchListMethod: 'searchSequences',
	what: 'sequence',
	description: 'The sequence of the campaign: choose it from the list (the sequences of the campaign above) or give its ID (digits)',
	placeholder: '31',
});

export const includeSequencesProperty: INodeProperties = {
	displayName: 'Include Sequences and Goals',
	name: 'includeSequences',
	type: 'boolean',
	default: true,
	description: 'Whether to read each campaign’s sequences and goals too (two more calls per campaign; Keap shows none for a draft)',
};

export const campaignOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field, with the sequences and goals when read',
	simplified: 'ID, name, status, active contacts, and the sequence and goal names',
	fieldExamples: 'id, name, status, sequences',
});

/** The campaign with its sequences and goals read (when asked for). */
export async function withSequences(campaigns: RestCampaigns, c: WithRaw<Campaign>, include: boolean, i: number): Promise<WithRaw<Campaign>> {
	if (!include) return c;
	const [sequences, goals] = await Promise.all([campaigns.sequences(c.value.id, i), campaigns.goals(c.value.id, i)]);
	return { value: { ...c.value, sequences, goals }, raw: { ...c.raw, sequences, goals } as unknown as IDataObject };
}

export async function formatCampaign(ctx: IExecuteFunctions, i: number, c: WithRaw<Campaign>): Promise<IDataObject> {
	return await formatRecord(ctx, i, c, {
		normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
		simplified: ({ value }) => ({
			id: value.id,
			name: value.name,
			status: value.status,
			active_contact_count: value.active_contact_count,
			...(value.sequences ? { sequences: value.sequences.map((s) => `${s.name} (${s.id})`) } : {}),
			...(value.goals ? { goals: value.goals.map((g) => `${g.name} (${g.id})`) } : {}),
		}),
	});
}

/** The campaign and sequence ids item i names. */
export function sequenceRef(ctx: IExecuteFunctions, i: number) {
	return { campaignId: locatorId(ctx, i, 'campaign', 'Campaign'), sequenceId: locatorId(ctx, i, 'sequence', 'Sequence') };
}
