// The editor's calls into the Keap CRM node's `methods` (list search, option lists, the
// resource mapper), made the way n8n's editor backend makes them: a real n8n-core
// LoadOptionsContext for the node as configured (its parameters as `currentNodeParameters`),
// with the harness's credentials helper, so every call goes through n8n's real request helpers
// to the emulator. No mock of our code: the method is the node's own.
import { createRequire } from 'node:module';

import { CredentialStore, HarnessCredentialsHelper, loadPackageTypes } from './harness.mjs';
import { PAT } from './keap-helpers.mjs';

const require = createRequire(import.meta.url);
const { LoadOptionsContext, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');

function nodeTypes() {
	const { nodes } = loadPackageTypes();
	const get = (name) => {
		const type = nodes.get(name.replace(/^.*\./, ''));
		if (!type) throw new Error(`editor-methods: unknown node type "${name}"`);
		return type;
	};
	return {
		getByName: get,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(get(name), version),
		getKnownTypes: () => ({}),
	};
}

/**
 * Calls one method of the Keap CRM node with an API-key credential for `baseUrl`.
 * `kind`: 'listSearch' | 'loadOptions' | 'resourceMapping'; `args`: what n8n passes after the
 * context (listSearch: filter, paginationToken). Returns the method's answer.
 */
export async function callMethod(baseUrl, kind, method, parameters = {}, ...args) {
	const store = new CredentialStore({ pat: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl } } });
	const helper = new HarnessCredentialsHelper(store);
	const types = nodeTypes();
	const currentNodeParameters = { authentication: 'apiKey', api: 'rest', ...parameters };
	const node = {
		id: 'editor-node',
		name: 'Keap CRM',
		type: 'keapCrm',
		typeVersion: 1,
		position: [0, 0],
		parameters: currentNodeParameters,
		credentials: { keapCrmApiKeyApi: { id: 'pat', name: 'pat' } },
	};
	const workflow = new Workflow({
		id: 'editor-methods',
		name: 'editor',
		active: false,
		nodeTypes: types,
		staticData: {},
		settings: {},
		nodes: [node],
		connections: {},
	});
	const additionalData = {
		credentialsHelper: helper,
		hooks: new ExecutionLifecycleHooks('manual', 'editor-methods', workflow),
		currentNodeParameters,
		restApiUrl: 'http://127.0.0.1/rest',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
	};
	const ctx = new LoadOptionsContext(workflow, node, additionalData, 'parameters.x');
	const fn = types.getByName('keapCrm').methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`editor-methods: the node has no ${kind} method "${method}"`);
	return await fn.call(ctx, ...args);
}
