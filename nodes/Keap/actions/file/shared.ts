/** Parameters and steps the file operations share: the picker and the output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyFile, type KeapFile } from '../../model/file';
import { recordLocator } from '../common/commerce';
import { formatRecord, outputProperties } from '../common/output';

export const fileLocator = recordLocator({
	name: 'file',
	displayName: 'File',
	searchListMethod: 'searchFiles',
	what: 'file',
	description: 'The Keap file: choose it from the list (search by file name) or give its ID (digits)',
	placeholder: '9001',
});

export const fileOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field of the file record (name, size in bytes, contact, public, box type, times)',
	simplified: 'ID, file name, size, contact, public and last update',
	fieldExamples: 'id, file_name, file_size',
});

export async function formatFile(ctx: IExecuteFunctions, i: number, file: WithRaw<KeapFile>): Promise<IDataObject> {
	return await formatRecord(ctx, i, file, {
		normalized: ({ value }) => ({ ...value }) as unknown as IDataObject,
		simplified: ({ value }) => simplifyFile(value) as IDataObject,
	});
}

/** Bytes as people read them: 8,000,000 bytes. */
export const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;
