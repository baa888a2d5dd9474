import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestFiles } from '../../transport/rest/files';
import { locatorId, notFound, optionalText } from '../common/commerce';
import { errorItem, itemError } from '../common/items';
import { fileLocator, fileOutputProperties, formatFile } from './shared';

const properties: INodeProperties[] = [
	fileLocator,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		description: 'The binary property of the output item that receives the file, with its file name and MIME type',
	},
	...fileOutputProperties,
];

const displayOptions = { show: { resource: ['file'], operation: ['download'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const files = new RestFiles(session.rest);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const id = locatorId(this, i, 'file', 'File');
			const property = optionalText(this.getNodeParameter('binaryPropertyName', i));
			if (!property) throw new InputError('Put Output File in Field', 'name the binary property for the file');
			const file = await files.get(id, i);
			if (!file) throw notFound(this, 'file', id, i);
			const data = await files.data(id, i);
			if (!data) throw notFound(this, 'file', id, i);
			// n8n sets the MIME type from the file name's extension (or, failing that, the bytes).
			const binary = await this.helpers.prepareBinaryData(data, file.value.file_name ?? `keap-file-${id}`);
			out.push({ json: await formatFile(this, i, file), binary: { [property]: binary }, pairedItem: { item: i } });
		} catch (error) {
			const err = itemError(this, error, i);
			if (!this.continueOnFail()) throw err;
			out.push(errorItem(err, i));
		}
	}
	return out;
}
