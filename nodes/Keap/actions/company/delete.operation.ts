import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { companyIdOf, companyLocator } from '../common/company';
import { runPerItem } from '../common/items';

const properties: INodeProperties[] = [
	companyLocator('company', 'Company', 'The company to delete: from the list, by its ID (digits) or by its exact name. Its contacts are kept.', {
		required: true,
		byName: true,
	}),
];

const displayOptions = { show: { resource: ['company'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const companies = new RestCompanies(session.rest);
	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const id = await companyIdOf(this, session, i);
			if (!(await companies.delete(id, i))) {
				throw new NodeOperationError(this.getNode(), `Keap has no company with ID ${id}`, { itemIndex: i });
			}
			return { deleted: true };
		},
		4,
	);
}
