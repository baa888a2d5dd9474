import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { companyIdOf, companyLocator } from '../common/company';
import { runPerItem } from '../common/items';
import { companyWriteProperties } from './fields';
import { readCompanyParameters } from './input';
import { formatCompany } from './output';

const properties: INodeProperties[] = [
	companyLocator('company', 'Company', 'The company to update: from the list, by its ID (digits) or by its exact name', {
		required: true,
		byName: true,
	}),
	...companyWriteProperties('updateFields'),
];

const displayOptions = { show: { resource: ['company'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const companies = new RestCompanies(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const input = await readCompanyParameters(this, session, i, 'updateFields');
		const id = await companyIdOf(this, session, i);
		const company = Object.keys(input).length ? await companies.update(id, input, i) : await companies.get(id, i);
		if (!company) throw new NodeOperationError(this.getNode(), `Keap has no company with ID ${id}`, { itemIndex: i });
		return await formatCompany(this, session, i, company);
	});
}
