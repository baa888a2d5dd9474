import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { companyTagProperties, tagCompanies } from './tags';

const displayOptions = { show: { resource: ['company'], operation: ['applyTags'] } };

export const description = updateDisplayOptions(displayOptions, companyTagProperties('apply'));

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	return await tagCompanies(this, items, session, 'apply');
}
