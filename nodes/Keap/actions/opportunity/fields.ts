/**
 * The opportunity fields of Create (`additionalFields`) and Update (`updateFields`, which also
 * has the title, contact and stage Create asks for on top), and their reading into a checked
 * OpportunityInput.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OpportunityInput } from '../../model/opportunity';
import { checkDateTime, checkId, checkNumber, checkRequiredText, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorValue, userLocator } from '../common/assignee';
import { contactLocator } from '../common/contact';
import { contactIdOf } from '../common/contactRef';
import { readCustomFieldValues } from '../common/recordCustomFields';
import { opportunityCustomFields, stageIdOf, stageLocator } from './shared';

export function opportunityFieldOptions(forUpdate: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Affiliate ID',
			name: 'affiliate_id',
			type: 'string',
			default: '',
			description: 'ID (digits) of the Keap affiliate who referred the deal',
		},
		userLocator('assignedTo', 'Assigned To', 'The Keap user (sales rep) the opportunity is assigned to'),
		{
			displayName: 'Estimated Close Time',
			name: 'estimated_close_time',
			type: 'dateTime',
			default: '',
			description: 'When the deal is expected to close, as an ISO 8601 date and time',
		},
		{
			displayName: 'Include in Forecast',
			name: 'include_in_forecast',
			type: 'boolean',
			default: true,
			description: 'Whether the opportunity counts in Keap’s sales forecast',
		},
		{
			displayName: 'Next Action Notes',
			name: 'next_action_notes',
			type: 'string',
			default: '',
			description: 'What the next step is (plain text)',
		},
		{
			displayName: 'Next Action Time',
			name: 'next_action_time',
			type: 'dateTime',
			default: '',
			description: 'When the next step is due, as an ISO 8601 date and time',
		},
		{
			displayName: 'Notes',
			name: 'opportunity_notes',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'General notes on the deal (plain text)',
		},
		{
			displayName: 'Projected Revenue High',
			name: 'projected_revenue_high',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: 'The high estimate of the deal’s value, in the account’s currency (e.g. 3500)',
		},
		{
			displayName: 'Projected Revenue Low',
			name: 'projected_revenue_low',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: 'The low estimate of the deal’s value, in the account’s currency (e.g. 2000)',
		},
	];
	if (forUpdate) {
		fields.push(
			{ ...contactLocator(undefined), required: false, description: 'Move the opportunity to this Keap contact' },
			{ ...stageLocator('stage', false), description: 'The pipeline stage (Move to Stage does only this)' },
			{ displayName: 'Title', name: 'opportunity_title', type: 'string', default: '', description: 'The new title of the opportunity' },
		);
		fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	return fields;
}

/** The opportunity fields of item i read into a checked OpportunityInput (nothing is sent when one is wrong). */
export async function readOpportunityFields(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	fieldsParameter: 'additionalFields' | 'updateFields',
): Promise<OpportunityInput> {
	const fields = ctx.getNodeParameter(fieldsParameter, i, {}) as IDataObject;
	const input: OpportunityInput = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (raw === undefined || raw === null || raw === '') continue;
		switch (key) {
			case 'opportunity_title':
				input.opportunity_title = checkRequiredText('Title', raw);
				break;
			case 'next_action_notes':
			case 'opportunity_notes':
				input[key] = String(raw);
				break;
			case 'next_action_time':
				input.next_action_time = checkDateTime('Next Action Time', String(raw));
				break;
			case 'estimated_close_time':
				input.estimated_close_time = checkDateTime('Estimated Close Time', String(raw));
				break;
			case 'include_in_forecast':
				input.include_in_forecast = raw === true || raw === 'true';
				break;
			case 'projected_revenue_low':
			case 'projected_revenue_high': {
				const label = key === 'projected_revenue_low' ? 'Projected Revenue Low' : 'Projected Revenue High';
				const n = checkNumber(label, raw);
				if (n < 0) throw new InputError(label, 'cannot be negative');
				input[key] = n;
				break;
			}
			case 'affiliate_id':
				input.affiliate_id = checkId('Affiliate ID', raw);
				break;
			case 'assignedTo': {
				const ref = locatorValue(raw);
				if (ref.value) input.user_id = checkId('Assigned To', ref.value);
				break;
			}
			case 'contact': {
				const ref = locatorValue(raw);
				if (ref.value) input.contact_id = await contactIdOf(ctx, session, i, ref, 'Contact');
				break;
			}
			case 'stage':
				if (locatorValue(raw).value) input.stage_id = await stageIdOf(session, raw, 'Stage');
				break;
			default:
				throw new InputError(key, `"${key}" is not an opportunity field this node knows`);
		}
	}
	if (
		input.projected_revenue_low !== undefined &&
		input.projected_revenue_high !== undefined &&
		input.projected_revenue_low > input.projected_revenue_high
	) {
		throw new InputError('Projected Revenue Low', 'is more than Projected Revenue High');
	}
	const custom = await readCustomFieldValues(ctx, i, 'opportunity', () => opportunityCustomFields(session));
	if (custom) input.custom_fields = custom;
	return input;
}
