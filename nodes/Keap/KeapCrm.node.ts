import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { authenticationProperty, keapCredentials } from './actions/common/descriptions';
import { NodeConnectionTypes } from 'n8n-workflow';

import { allResourceOptions, resources } from './actions/resources';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';
import { operationSubtitle } from './subtitle';

export class KeapCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Keap CRM',
		name: 'keapCrm',
		icon: { light: 'file:keap.svg', dark: 'file:keap.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(
			Object.fromEntries(resources.map((r) => [r.resource.value, [r.resource.name, r.description]])),
		),
		description: 'Contacts, tags, companies, opportunities, tasks, notes, orders, products and more in Keap (Infusionsoft), over REST v2 (XML-RPC for contacts and tags)',
		defaults: { name: 'Keap CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: keapCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'API',
				name: 'api',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'REST (Recommended)', value: 'rest', description: 'Keap’s current API' },
					{
						name: 'XML-RPC (Deprecated)',
						value: 'xmlrpc',
						description:
							'Keap’s legacy API, sunset announced for the end of 2026: the same operations and output, plus raw XML-RPC calls',
					},
				],
				default: 'rest',
			},
			{
				displayName:
					'Keap has deprecated XML-RPC and announced its sunset for the end of 2026, with outages (brownouts) before then. Use it to migrate existing scripts; switch to REST when you can: operations and output stay the same.',
				name: 'xmlrpcNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { api: ['xmlrpc'] } },
			},
			// One Resource parameter for both APIs: n8n's nodes panel lists the actions of every
			// parameter named "resource", so a second one would list every action twice. XML-RPC's
			// own operations appear only with API set to XML-RPC (a notice says so otherwise).
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: allResourceOptions(),
				default: 'contact',
			},
			...resources.flatMap((r) => r.description),
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
