import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { runPerItem } from '../common/items';
import { companyWriteProperties } from './fields';
import { readCompanyParameters } from './input';
import { formatCompany } from './output';

const properties: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Acme Plumbing',
		description: 'Name of the new company',
	},
	...companyWriteProperties('additionalFields'),
];

const displayOptions = { show: { resource: ['company'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const companies = new RestCompanies(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const name = String(this.getNodeParameter('companyName', i, '') ?? '').trim();
		const input = await readCompanyParameters(this, session, i, 'additionalFields', name);
		return await formatCompany(this, session, i, await companies.create(input, i));
	});
}
