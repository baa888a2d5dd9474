// The Keap CRM node's editor methods (listSearch, loadOptions, resourceMapping) run the way the
// n8n editor runs them: through n8n-core's LoadOptionsContext, with the node's current
// parameters and n8n's real request helpers, against a credential of the harness's store.
import { createRequire } from 'node:module';

import { CredentialStore, HarnessCredentialsHelper, loadPackageTypes } from './harness.mjs';

const require = createRequire(import.meta.url);
const { LoadOptionsContext } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');

function nodeTypesOf(type) {
	return {
		getByName: () => type,
		getByNameAndVersion: (_name, version) => NodeHelpers.getVersionedNodeType(type, version),
		getKnownTypes: () => ({}),
	};
}

/**
 * Calls `methods[kind][method]` of the Keap CRM node with `args`, the node's parameters being
 * `parameters` (as the editor holds them), with credential `credentialId` of `store` as
 * `credentialType`. Returns what the method returns.
 */
export async function runNodeMethod({
	kind,
	method,
	args = [],
	parameters = {},
	store,
	credentialType = 'keapCrmApiKeyApi',
	credentialId = 'pat',
}) {
	const type = loadPackageTypes().nodes.get('keapCrm');
	const node = {
		id: 'methods-node',
		name: 'Keap CRM',
		type: 'keapCrm',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { [credentialType]: { id: credentialId, name: store.get(credentialId)?.name ?? credentialId } },
	};
	const workflow = new Workflow({
		id: 'methods-harness',
		name: 'methods harness',
		active: false,
		nodeTypes: nodeTypesOf(type),
		staticData: {},
		settings: {},
		nodes: [node],
		connections: {},
	});
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper(store ?? new CredentialStore()),
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
	};
	const ctx = new LoadOptionsContext(workflow, node, additionalData, 'parameters.x');
	const fn = type.methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`methods-harness: the node has no ${kind}.${method}`);
	return await fn.call(ctx, ...args);
}
