import type { INodeProperties } from 'n8n-workflow';

import type { ResourceInfo } from '../resources';

import * as deleteFile from './delete.operation';
import * as download from './download.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export { deleteFile as delete, download, getAll, upload };

export const resource: ResourceInfo = { name: 'File', value: 'file', apis: ['rest'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a file', action: 'Delete a file' },
			{ name: 'Download', value: 'download', description: 'Download a file into a binary field', action: 'Download a file' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many file records', action: 'Get many files' },
			{ name: 'Upload', value: 'upload', description: 'Upload a file from a binary field', action: 'Upload a file' },
		],
		default: 'upload',
	},
	...upload.description,
	...download.description,
	...getAll.description,
	...deleteFile.description,
];
