import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { runPerItem } from '../common/items';
import { jsonParameter, resultJson, toXmlRpc } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ContactService.load',
		description: 'Full XML-RPC method name, service and method',
	},
	{
		displayName: 'Parameters',
		name: 'parameters',
		type: 'json',
		default: '[]',
		description:
			'The parameters after privateKey (added for you), as a JSON array, e.g. [123, ["FirstName", "Email"]]. Whole numbers go as int, others as double; {"$dateTime": "2024-01-31T10:00:00Z"} sends a date, {"$double": 5} a double, {"$base64": "..."} binary data.',
	},
	{
		displayName: 'Split Arrays Into Items',
		name: 'splitArrays',
		type: 'boolean',
		default: true,
		description: 'Whether a result that is a list of records gives one item per record (otherwise one item with the whole result)',
	},
];

const displayOptions = { show: { resource: ['xmlRpc'], api: ['xmlrpc'], operation: ['callMethod'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const client = session.xmlRpc;
	return await runPerItem(this, items.length, async (i) => {
		const method = (this.getNodeParameter('method', i) as string).trim();
		if (!/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(method)) {
			throw new InputError('Method', `"${method}" is not an XML-RPC method name such as ContactService.load`);
		}
		const params = jsonParameter('Parameters', this.getNodeParameter('parameters', i, '[]')) ?? [];
		if (!Array.isArray(params)) throw new InputError('Parameters', 'must be a JSON array');
		const value = await client.call(
			method,
			params.map((p) => toXmlRpc('Parameters', p)),
			{ itemIndex: i },
		);
		const json = resultJson(value);
		const split = this.getNodeParameter('splitArrays', i, true) as boolean;
		if (split && Array.isArray(json) && json.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
			return json as IDataObject[];
		}
		return { result: json } as IDataObject;
	});
}
