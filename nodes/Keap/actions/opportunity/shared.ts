/**
 * What the opportunity operations (and the tasks that link to an opportunity) share: picking an
 * opportunity or a pipeline stage, the opportunity client and custom field model of an
 * execution, and the opportunity output.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { customFieldsByLabel } from '../../model/customFieldValues';
import { simplifyOpportunity, type Opportunity } from '../../model/opportunity';
import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestOpportunities } from '../../transport/rest/opportunities';
import { locatorValue } from '../common/assignee';
import { formatRecord, outputProperties, type RecordShapes } from '../common/output';
import { perExecution } from '../common/recordCustomFields';

export const opportunities = (session: KeapSession) => new RestOpportunities(session.rest);

export const opportunityCustomFields = (session: KeapSession) =>
	perExecution(session, 'opportunity custom fields', async () => await opportunities(session).customFields());

/** Picking an opportunity: From List (searchable by title) or By ID. */
export function opportunityLocator(name = 'opportunity', required = true): INodeProperties {
	return {
		displayName: 'Opportunity',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description: 'The Keap opportunity: pick it from the list (search by title) or give its ID (digits)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchOpportunities', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '11001',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap opportunity ID is a whole number' } },
				],
			},
		],
	};
}

/** Picking a pipeline stage: From List (in pipeline order), By ID or By Name (exact, case-insensitive). */
export function stageLocator(name = 'stage', required = true): INodeProperties {
	return {
		displayName: 'Stage',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description: 'The pipeline stage: pick it from the list, give its ID (digits) or its name as Keap shows it (e.g. Qualified)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchStages', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '21',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap stage ID is a whole number' } }],
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'Qualified' },
		],
	};
}

/** The stage ID a stage locator's value names; a name is looked up in the pipeline (read once per execution). */
export async function stageIdOf(session: KeapSession, raw: unknown, field: string): Promise<string> {
	const { mode, value } = locatorValue(raw);
	if (mode !== 'name') return checkId(field, value);
	if (!value) throw new InputError(field, 'name a stage');
	const stages = await perExecution(session, 'stages', async () => await opportunities(session).allStages());
	const found = stages.filter((s) => s.name.trim().toLowerCase() === value.toLowerCase());
	if (found.length === 1) return found[0].id;
	if (found.length > 1) throw new InputError(field, `Keap has ${found.length} stages named "${value}": pick the stage by ID`);
	throw new InputError(field, `Keap has no stage named "${value}" (the stages are: ${stages.map((s) => s.name).join(', ') || 'none'})`);
}

/** The opportunity ID of the Opportunity parameter of item i. */
export function opportunityIdOf(ctx: IExecuteFunctions, i: number, name = 'opportunity'): string {
	return checkId('Opportunity', locatorValue(ctx.getNodeParameter(name, i)).value);
}

export function notFound(ctx: IExecuteFunctions, i: number, id: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Keap has no opportunity with ID ${id}`, { itemIndex: i });
}

export const opportunityOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field, with the contact, stage and user as IDs and names and the custom fields by name',
	simplified: 'ID, title, contact, stage, user, projected revenue, estimated close and last update',
	fieldExamples: 'id, opportunity_title, stage_name, projected_revenue_high',
});

/** All Fields and Simplified of an opportunity (also the polling trigger's output). */
export function opportunityShapes(session: KeapSession): RecordShapes<Opportunity> {
	return {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: customFieldsByLabel(value.custom_fields, value.custom_fields.length ? await opportunityCustomFields(session) : []),
		}),
		simplified: ({ value }) => simplifyOpportunity(value),
	};
}

export async function formatOpportunity(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	record: WithRaw<Opportunity>,
): Promise<IDataObject> {
	return await formatRecord(ctx, i, record, opportunityShapes(session));
}
