import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FileQuery } from '../../model/file';
import { checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestFiles } from '../../transport/rest/files';
import { collect, contactFilter, contactFilterId, directionOption, limitOf, optionalText } from '../common/commerce';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { fileOutputProperties, formatFile } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Box Type',
				name: 'file_box_type',
				type: 'options',
				options: [
					{ name: 'Account (Application)', value: 'APPLICATION' },
					{ name: 'Contact', value: 'CONTACT' },
					{ name: 'Image', value: 'IMAGE' },
					{ name: 'Attachment', value: 'ATTACHMENT' },
				],
				default: 'CONTACT',
				description: 'Only files of this file box type',
			},
			{ ...contactFilter, description: 'Only the files of this contact' },
			{
				displayName: 'File Name',
				name: 'file_name',
				type: 'string',
				default: '',
				description: 'The file name, exactly; end with * to match names that start with the text',
			},
			{
				displayName: 'Public',
				name: 'is_public',
				type: 'boolean',
				default: true,
				description: 'Whether to list only public files (on) or only private ones (off)',
			},
			{
				displayName: 'Uploaded By User ID',
				name: 'user_id',
				type: 'string',
				default: '',
				placeholder: '1',
				description: 'Only files uploaded by this Keap user (ID, digits)',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'By',
				name: 'by',
				type: 'options',
				options: [
					{ name: 'File Name', value: 'file_name' },
					{ name: 'Last Updated', value: 'updated_time' },
				],
				default: 'file_name',
				description: 'The field to sort by',
			},
			directionOption('asc'),
		],
	},
	...fileOutputProperties,
];

const displayOptions = { show: { resource: ['file'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const files = new RestFiles(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as {
			contact?: unknown;
			file_name?: string;
			is_public?: boolean;
			file_box_type?: string;
			user_id?: string;
		};
		const sort = this.getNodeParameter('sort', i, {}) as { by?: FileQuery['order_by']; direction?: 'asc' | 'desc' };
		const user = optionalText(filters.user_id);
		const query: FileQuery = {
			contact_id: await contactFilterId(this, session, i, filters.contact, 'Filters > Contact'),
			file_name: optionalText(filters.file_name),
			is_public: typeof filters.is_public === 'boolean' ? filters.is_public : undefined,
			file_box_type: optionalText(filters.file_box_type),
			user_id: user ? checkId('Filters > Uploaded By User ID', user) : undefined,
			order_by: sort.by ?? (sort.direction ? 'file_name' : undefined),
			order_direction: sort.direction,
		};
		const found = await collect(limitOf(this, i), files.maxPageSize, async (size, cursor) => await files.list(query, size, cursor, i));
		return await Promise.all(found.map(async (f) => await formatFile(this, i, f)));
	});
}
