/** Parameters and steps the affiliate operations share: the picker, the output, the custom field model. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyAffiliate, type Affiliate } from '../../model/affiliate';
import type { WithRaw } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { KeapSession } from '../../transport';
import { RestAffiliates } from '../../transport/rest/affiliates';
import { customFieldsByLabel, once, recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const affiliateLocator = recordLocator({
	name: 'affiliate',
	displayName: 'Affiliate',
	searchListMethod: 'searchAffiliates',
	what: 'affiliate',
	description: 'The Keap affiliate: choose it from the list (search by name or code) or give its ID (digits)',
	placeholder: '71',
});

export const affiliateOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field, custom fields by name',
	simplified: 'ID, code, name, status and contact',
	fieldExamples: 'id, code, status, contact_id',
});

/** The affiliates client of a run and the affiliate custom field model, read at most once per execution. */
export function affiliateContext(session: KeapSession) {
	const affiliates = new RestAffiliates(session.rest);
	return { affiliates, model: once(async () => await affiliates.customFields()) };
}

export async function formatAffiliate(
	ctx: IExecuteFunctions,
	i: number,
	affiliate: WithRaw<Affiliate>,
	model: () => Promise<CustomFieldDefinition[]>,
): Promise<IDataObject> {
	return await formatRecord(ctx, i, affiliate, {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: value.custom_fields.length ? customFieldsByLabel(value.custom_fields, await model()) : {},
		}),
		simplified: ({ value }) => simplifyAffiliate(value) as IDataObject,
	});
}
