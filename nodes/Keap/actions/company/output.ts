/** The output of every company operation that returns companies. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyCompany, type Company } from '../../model/company';
import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { cachedDefinitions, customFieldsByLabel } from '../common/customFields';
import { formatRecord, outputProperties, type RecordShapes } from '../common/output';

export const companyOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field of the company (custom fields by name, tag IDs)',
	simplified: 'ID, name, email, phone, website, city, owner, tags and dates',
	fieldExamples: 'id, company_name, email, tag_ids',
});

/** The company's custom field definitions, once per execution. */
export function companyCustomFields(session: KeapSession) {
	return cachedDefinitions(session, 'company', () => new RestCompanies(session.rest).customFields());
}

/** All Fields and Simplified of a company (also the polling trigger's output). */
export function companyShapes(session: KeapSession): RecordShapes<Company> {
	return {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: customFieldsByLabel(value.custom_fields, value.custom_fields.length ? await companyCustomFields(session) : []),
		}),
		simplified: ({ value }) => simplifyCompany(value),
	};
}

export async function formatCompany(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	company: WithRaw<Company>,
	extra: IDataObject = {},
): Promise<IDataObject> {
	return await formatRecord(ctx, i, company, companyShapes(session), extra);
}
