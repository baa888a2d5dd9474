import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { RestObjectModels } from '../../transport/rest/objectModels';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { customFieldOutputProperties, formatCustomField, objectOf, objectProperty } from './shared';

const properties: INodeProperties[] = [objectProperty, ...returnAllOrLimit, ...customFieldOutputProperties];

const displayOptions = { show: { resource: ['customField'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const models = new RestObjectModels(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		// The model is one answer: Keap does not page custom fields.
		const fields = (await models.fieldsWithRaw(objectOf(this, i), i)).slice(0, limit);
		const out: IDataObject[] = [];
		for (const f of fields) out.push(await formatCustomField(this, i, f));
		return out;
	});
}
