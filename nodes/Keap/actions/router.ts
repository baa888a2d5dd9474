import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KeapSession } from '../transport';
import * as account from './account/Account.resource';
import * as contact from './contact/Contact.resource';
import * as tag from './tag/Tag.resource';
import * as xmlRpc from './xmlrpc/XmlRpc.resource';

type Operation = {
	execute: (this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) => Promise<INodeExecutionData[]>;
};

const resources: Record<string, Record<string, unknown>> = { account, contact, tag, xmlRpc };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.[operation] as Operation | undefined;
	if (!op || typeof op.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	const session = new KeapSession(this);
	return [await op.execute.call(this, items, session)];
}
