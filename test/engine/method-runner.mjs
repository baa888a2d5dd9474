// The Keap CRM node's editor methods (listSearch, loadOptions, resourceMapping) run the way
// n8n's editor backend runs them (packages/cli DynamicNodeParametersService): a one-node
// workflow holding the node's current parameters and credential, n8n-core's real
// LoadOptionsContext (real request helpers, the harness's credentials helper) and the method
// called on it. No fake context: what the methods send goes over HTTP to the emulator.
import { createRequire } from 'node:module';

import { HarnessCredentialsHelper, loadPackageTypes, PACKAGE_NAME } from './harness.mjs';

const require = createRequire(import.meta.url);
const { LoadOptionsContext, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');

function nodeTypes() {
	const { nodes } = loadPackageTypes();
	const get = (name) => {
		const type = nodes.get(name) ?? nodes.get(name.replace(`${PACKAGE_NAME}.`, ''));
		if (!type) throw new Error(`method-runner: unknown node type "${name}"`);
		return type;
	};
	return {
		getByName: get,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(get(name), version),
		getKnownTypes: () => ({}),
	};
}

/**
 * Calls `kind` (`listSearch` | `loadOptions` | `resourceMapping`) method `method` of the Keap
 * CRM node with the node's `parameters` (as the editor holds them) and the credential
 * `credentialId` of `store` (type keapCrmApiKeyApi unless `credentialType`). `args` are the
 * method's own arguments (listSearch: filter, paginationToken).
 */
export async function runNodeMethod({
	kind,
	method,
	parameters = {},
	store,
	credentialId = 'pat',
	credentialType = 'keapCrmApiKeyApi',
	args = [],
}) {
	const types = nodeTypes();
	const node = {
		id: 'method-node',
		name: 'Keap CRM',
		type: 'keapCrm',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { [credentialType]: { id: credentialId, name: credentialId } },
	};
	const workflow = new Workflow({
		id: 'method-runner',
		name: 'method runner',
		active: false,
		nodeTypes: types,
		staticData: {},
		settings: {},
		nodes: [node],
		connections: {},
	});
	const helper = new HarnessCredentialsHelper(store);
	const additionalData = {
		credentialsHelper: helper,
		hooks: new ExecutionLifecycleHooks('internal', 'method-runner', workflow),
		currentNodeParameters: workflow.getNode('Keap CRM').parameters,
		restApiUrl: 'http://127.0.0.1/rest',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
	};
	const context = new LoadOptionsContext(workflow, workflow.getNode('Keap CRM'), additionalData, `parameters.${method}`);
	const type = types.getByNameAndVersion('keapCrm', 1);
	const fn = type.methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`method-runner: the node has no ${kind} method "${method}"`);
	return await fn.call(context, ...args);
}
