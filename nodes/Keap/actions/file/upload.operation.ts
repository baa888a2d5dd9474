import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { FILE_MAX_BYTES, type FileAssociation, type FileUpload } from '../../model/file';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestFiles } from '../../transport/rest/files';
import { optionalText } from '../common/commerce';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';
import { bytes, fileOutputProperties, formatFile } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the file',
		description: `The binary property of the input item with the file to upload (at most ${bytes(FILE_MAX_BYTES)}, 8 MB)`,
	},
	{
		displayName: 'Attach To',
		name: 'association',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'CONTACT', description: 'The file box of a contact' },
			{ name: 'Account', value: 'COMPANY', description: 'The file box of your Keap account (Keap’s COMPANY association)' },
			{ name: 'User', value: 'USER', description: 'The file box of the Keap user the credential acts as' },
		],
		default: 'CONTACT',
		description: 'Whose file box the file goes into',
	},
	{ ...contactLocator({ show: { association: ['CONTACT'] } }), description: 'The contact the file belongs to' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'invoice.pdf',
				description: 'The name Keap gives the file, with its extension (default: the binary’s own file name)',
			},
			{
				displayName: 'Public',
				name: 'isPublic',
				type: 'boolean',
				default: false,
				description: 'Whether anyone with the link may download the file',
			},
		],
	},
	...fileOutputProperties,
];

const displayOptions = { show: { resource: ['file'], operation: ['upload'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const tooLarge = (size: number) => `the file has ${bytes(size)}; Keap takes files of at most ${bytes(FILE_MAX_BYTES)} (8 MB)`;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const files = new RestFiles(session.rest);
	return await runPerItem(this, items.length, async (i) => {
		const property = optionalText(this.getNodeParameter('binaryPropertyName', i));
		if (!property) throw new InputError('Input Binary Field', 'name the binary property that holds the file');
		const field = `Input Binary Field "${property}"`;
		const binary = this.helpers.assertBinaryData(i, property);
		// The size before the bytes are read, when n8n keeps the file outside the item.
		if (binary.id) {
			const meta = await this.helpers.getBinaryMetadata(binary.id);
			if (typeof meta.fileSize === 'number' && meta.fileSize > FILE_MAX_BYTES) throw new InputError(field, tooLarge(meta.fileSize));
		}
		const data = await this.helpers.getBinaryDataBuffer(i, property);
		if (data.length > FILE_MAX_BYTES) throw new InputError(field, tooLarge(data.length));
		if (data.length === 0) throw new InputError(field, 'the file is empty (Keap refuses empty files)');
		const options = this.getNodeParameter('options', i, {}) as { fileName?: string; isPublic?: boolean };
		const fileName = optionalText(options.fileName) ?? optionalText(binary.fileName);
		if (!fileName) throw new InputError('Options > File Name', 'the binary has no file name: give one');
		const association = this.getNodeParameter('association', i) as FileAssociation;
		const upload: FileUpload = { file_name: fileName, association, is_public: options.isPublic === true, data };
		if (association === 'CONTACT') upload.contact_id = (await resolveContactId(this, session, i)).id;
		return await formatFile(this, i, await files.upload(upload, i));
	});
}
