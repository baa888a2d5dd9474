// n8n-core's real execution engine inside the test process (n8n-core 2.41.1, n8n-workflow
// 2.41.0, Node 20). Our nodes and credentials are loaded from dist/ (build first) and run by
// WorkflowExecute exactly as n8n runs them: real node execution contexts, real request
// helpers (httpRequestWithAuthentication, n8n's OAuth2 refresh path, preAuthentication), real
// expression resolution. Only the credentials database is ours: CredentialStore keeps the
// data in memory and records every update n8n would persist.
//
// The credentials helper behaves like n8n's CredentialsHelper (packages/cli) in what matters:
//   - getParentTypes follows the credential classes' `extends`;
//   - authenticate applies a declarative `authenticate` (generic headers/qs/body/auth with
//     `={{$credentials.x}}` expressions, resolved by the workflow's expression engine) or
//     calls a function one;
//   - preAuthentication runs the credential's `preAuthentication` when its hidden expirable
//     property is empty, when n8n says the credentials expired (after a 401), or during a
//     credential test (node type n8n-nodes-base.noOp with parameter temp === ''); it ignores
//     output without the expirable key and persists the rest over the stored data
//     (updateCredentials), keeping fields stored as expressions;
//   - updateCredentialsOauthTokenData replaces only `oauthTokenData`;
//   - getDecrypted reads the store on every call (as n8n reads the database) and returns a
//     fresh copy with the credential type's defaults applied.
// Not modelled: credential overwrites, external secrets, expressions inside stored
// credential values, sharing/permissions.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { WorkflowExecute, ExecutionLifecycleHooks, ExecuteContext, LoadOptionsContext, RoutingNode } = require('n8n-core');
const { Workflow, ICredentialsHelper, NodeHelpers, isExpression } = require('n8n-workflow');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
export const PACKAGE_NAME = PACKAGE.name;

/** n8n-nodes-base's `oAuth2Api`, reduced to the fields n8n-core's OAuth2 code reads. */
const OAUTH2_API_BASE = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [
		{ displayName: 'Grant Type', name: 'grantType', type: 'options', default: 'authorizationCode', options: [] },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'string', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'options', default: 'header', options: [] },
		{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
	],
};

// ---------------------------------------------------------------------------------------
// Package loading

let loaded;
/**
 * Our node and credential classes from dist/, one file per entry of package.json's `n8n`
 * lists (the same files n8n loads). Files that fail to load are reported in `errors` rather
 * than hiding the others. Returns { nodes: Map<name, instance>, credentials: Map<name,
 * instance>, errors: [{ file, message }] }.
 */
export function loadPackageTypes() {
	if (loaded) return loaded;
	const nodes = new Map();
	const credentials = new Map();
	const errors = [];
	for (const [kind, files] of [
		['node', PACKAGE.n8n.nodes],
		['credential', PACKAGE.n8n.credentials],
	]) {
		for (const file of files) {
			let mod;
			try {
				mod = require(join(ROOT, file));
			} catch (error) {
				errors.push({ file, message: error.message });
				continue;
			}
			for (const exported of Object.values(mod)) {
				if (typeof exported !== 'function') continue;
				let instance;
				try {
					instance = new exported();
				} catch {
					continue;
				}
				if (kind === 'node' && instance.description?.name) nodes.set(instance.description.name, instance);
				if (kind === 'credential' && typeof instance.name === 'string' && Array.isArray(instance.properties)) {
					credentials.set(instance.name, instance);
				}
			}
		}
	}
	loaded = { nodes, credentials, errors };
	return loaded;
}

function credentialTypeByName(name, extraCredentialTypes = {}) {
	if (name === 'oAuth2Api') return OAUTH2_API_BASE;
	const type = extraCredentialTypes[name] ?? loadPackageTypes().credentials.get(name);
	if (!type) throw new Error(`harness: unknown credential type "${name}"`);
	return type;
}

// ---------------------------------------------------------------------------------------
// Credential store

/**
 * The credentials "database". `entries`: { id: { type, name?, data } }. `get(id)` returns a
 * copy of { id, type, name, data }; `data(id)` a copy of the data; `updates` lists every
 * persisted update in order as { id, type, kind: 'update' | 'oauthTokenData', data }.
 * `latencyMs` delays every read and write, like a database round trip.
 */
export class CredentialStore {
	constructor(entries = {}, { latencyMs = 0 } = {}) {
		this.entries = new Map();
		this.updates = [];
		this.reads = 0;
		this.latencyMs = latencyMs;
		for (const [id, entry] of Object.entries(entries)) this.add(id, entry);
	}

	add(id, { type, name, data }) {
		this.entries.set(id, { id, type, name: name ?? `${type} ${id}`, data: structuredClone(data ?? {}) });
	}

	get(id) {
		const entry = this.entries.get(id);
		return entry ? structuredClone(entry) : undefined;
	}

	data(id) {
		return this.get(id)?.data;
	}

	/** Test helper: change stored data without recording an n8n update. */
	patch(id, partial) {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`harness: no credential "${id}"`);
		entry.data = { ...entry.data, ...structuredClone(partial) };
	}

	async _delay() {
		await new Promise((resolve) => (this.latencyMs > 0 ? setTimeout(resolve, this.latencyMs) : setImmediate(resolve)));
	}

	async _read(id, type) {
		await this._delay();
		this.reads++;
		const entry = this.entries.get(id);
		if (!entry || (type && entry.type !== type)) {
			throw new Error(`Credential with ID "${id}" does not exist for type "${type}".`);
		}
		return structuredClone(entry);
	}

	async _write(id, type, kind, data) {
		await this._delay();
		const entry = this.entries.get(id);
		if (!entry || entry.type !== type) throw new Error(`Credential with ID "${id}" does not exist for type "${type}".`);
		entry.data = kind === 'oauthTokenData' ? { ...entry.data, oauthTokenData: structuredClone(data.oauthTokenData) } : structuredClone(data);
		this.updates.push({ id, type, kind, data: structuredClone(entry.data) });
	}
}

// ---------------------------------------------------------------------------------------
// Credentials helper

function expirableProperty(type) {
	return type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(store, { extraCredentialTypes = {}, log } = {}) {
		super();
		this.store = store;
		this.extraCredentialTypes = extraCredentialTypes;
		this.log = log ?? [];
	}

	type(name) {
		return credentialTypeByName(name, this.extraCredentialTypes);
	}

	isCredentialUsableByNode() {
		return true;
	}

	getParentTypes(name) {
		const type = this.type(name);
		const parents = [];
		for (const parent of type.extends ?? []) parents.push(parent, ...(parent === 'oAuth2Api' ? [] : this.getParentTypes(parent)));
		return parents;
	}

	getCredentialsProperties(name) {
		const type = this.type(name);
		if (!type.extends) return type.properties;
		const combined = [];
		for (const parent of type.extends) NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}

	/** n8n's applyDefaultsAndOverwrites without overwrites: the type's defaults filled in. */
	applyDefaults(data, typeName) {
		const properties = this.getCredentialsProperties(typeName);
		const withDefaults = NodeHelpers.getNodeParameters(properties, data, true, false, null, null);
		if (data.oauthTokenData !== undefined) withDefaults.oauthTokenData = data.oauthTokenData;
		return withDefaults;
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.type(typeName);
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		if (type.authenticate && typeof type.authenticate === 'object' && type.authenticate.type === 'generic') {
			requestOptions.headers ??= {};
			const resolve = (value) =>
				isExpression(value)
					? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '')
					: value;
			for (const [outerKey, outerValue] of Object.entries(type.authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue)) {
					requestOptions[outerKey] ??= {};
					requestOptions[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const type = this.type(typeName);
		const expirable = expirableProperty(type);
		if (expirable?.name === undefined) return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof type.preAuthentication !== 'function') return undefined;
		if (!(credentials[expirable.name] === '' || credentialsExpired || isTestingCredentials)) return undefined;
		this.log.push({ event: 'preAuthentication', type: typeName, credentialsExpired, isTestingCredentials });
		const restricted = { helpers: { httpRequest: async (options) => await helpers.helpers.httpRequest(options) } };
		const output = await type.preAuthentication.call(restricted, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			const nodeCredentials = node.credentials[type.name];
			const stored = (await this.store._read(nodeCredentials.id, type.name)).data;
			const toPersist = { ...stored };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
			}
			await this.updateCredentials(nodeCredentials, type.name, toPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(helpers, credentials, typeName) {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call({ helpers: { httpRequest: helpers.helpers.httpRequest } }, credentials)) ?? undefined;
	}

	async getCredentials(nodeCredentials, type) {
		const entry = await this.store._read(nodeCredentials.id, type);
		return { id: entry.id, name: entry.name, type: entry.type, getData: () => structuredClone(entry.data) };
	}

	async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, raw) {
		if (!nodeCredentials?.id) throw new Error(`Credential "${nodeCredentials?.name}" of type "${type}" has no ID`);
		const entry = await this.store._read(nodeCredentials.id, type);
		if (raw === true) return entry.data;
		return this.applyDefaults(entry.data, type);
	}

	async updateCredentials(nodeCredentials, type, data) {
		this.log.push({ event: 'updateCredentials', type });
		await this.store._write(nodeCredentials.id, type, 'update', data);
	}

	async updateCredentialsOauthTokenData(nodeCredentials, type, data) {
		this.log.push({ event: 'updateCredentialsOauthTokenData', type });
		await this.store._write(nodeCredentials.id, type, 'oauthTokenData', data);
	}
}

// ---------------------------------------------------------------------------------------
// Workflows

/** The harness's trigger-less start node: outputs the items given in its `items` parameter. */
class HarnessStart {
	description = {
		displayName: 'Harness Start',
		name: 'harnessStart',
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute() {
		const raw = this.getNodeParameter('items', 0);
		const items = typeof raw === 'string' ? JSON.parse(raw) : raw;
		return [items.map((json) => ({ json }))];
	}
}

function makeNodeTypes(extraNodeTypes = {}) {
	const { nodes } = loadPackageTypes();
	const byName = new Map([['harnessStart', new HarnessStart()]]);
	for (const [name, type] of nodes) {
		byName.set(name, type);
		byName.set(`${PACKAGE_NAME}.${name}`, type);
	}
	for (const [name, type] of Object.entries(extraNodeTypes)) byName.set(name, type);
	const get = (name) => {
		const type = byName.get(name);
		if (!type) throw new Error(`harness: unknown node type "${name}"`);
		return type;
	};
	return {
		getByName: get,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(get(name), version),
		getKnownTypes: () => ({}),
		latestVersion(name) {
			const type = get(name);
			if (type.nodeVersions) return type.currentVersion ?? Math.max(...Object.keys(type.nodeVersions).map(Number));
			const v = type.description.version;
			return Array.isArray(v) ? Math.max(...v) : v;
		},
	};
}

function additionalDataFor(helper, workflow) {
	return {
		credentialsHelper: helper,
		hooks: new ExecutionLifecycleHooks('manual', 'harness-execution', workflow),
		restApiUrl: 'http://127.0.0.1/rest',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
		executeWorkflow: async () => ({}),
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => ({}),
	};
}

let workflowCounter = 0;

/**
 * Runs a workflow. `nodes`: INode-like objects ({ name, type, parameters, credentials?,
 * typeVersion?, onError? ... }); credentials may be given as { type: 'credential-id' }.
 * With `startItems`, a node "Start" emitting them is added and, unless `connections`
 * mention it, connected to the first node. Returns { runData, error, lastNodeExecuted,
 * store, helperLog }.
 */
export async function runWorkflow({
	nodes,
	connections = {},
	store = new CredentialStore(),
	startItems,
	startNode,
	nodeTypes: extraNodeTypes,
	credentialTypes: extraCredentialTypes,
	mode = 'manual',
}) {
	const nodeTypes = makeNodeTypes(extraNodeTypes);
	const allNodes = nodes.map((node, index) => {
		const credentials = {};
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			const id = typeof ref === 'string' ? ref : ref.id;
			credentials[type] = { id, name: typeof ref === 'string' ? (store.get(id)?.name ?? id) : ref.name };
		}
		return {
			id: node.id ?? `node-${index}`,
			position: node.position ?? [200 * (index + 1), 0],
			typeVersion: node.typeVersion ?? nodeTypes.latestVersion(node.type),
			parameters: {},
			...node,
			credentials: Object.keys(credentials).length ? credentials : undefined,
		};
	});
	const allConnections = structuredClone(connections);
	if (startItems !== undefined) {
		allNodes.unshift({
			id: 'start',
			name: 'Start',
			type: 'harnessStart',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(startItems) },
		});
		if (!allConnections.Start && nodes.length > 0) {
			allConnections.Start = { main: [[{ node: nodes[0].name, type: 'main', index: 0 }]] };
		}
	}
	const helper = new HarnessCredentialsHelper(store, { extraCredentialTypes });
	const workflow = new Workflow({
		id: `harness-${++workflowCounter}`,
		name: 'harness',
		active: false,
		nodeTypes,
		staticData: {},
		settings: {},
		nodes: allNodes,
		connections: allConnections,
	});
	const additionalData = additionalDataFor(helper, workflow);
	const first = workflow.getNode(startNode ?? (startItems !== undefined ? 'Start' : allNodes[0].name));
	const run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode: first });
	const resultData = run.data?.resultData ?? run.data?.data?.resultData ?? {};
	return {
		runData: resultData.runData ?? {},
		error: resultData.error,
		lastNodeExecuted: resultData.lastNodeExecuted,
		store,
		helperLog: helper.log,
	};
}

/**
 * Runs one node of our package (or a node type given in `nodeTypes`) on `items`.
 * Returns { items (first output), outputs (all outputs), error, runData, store }.
 */
export async function runNode({
	type,
	parameters = {},
	credentials = {},
	items = [{}],
	store = new CredentialStore(),
	continueOnFail = false,
	nodeName = 'Node',
	typeVersion,
	nodeTypes,
	credentialTypes,
	mode,
}) {
	const node = { name: nodeName, type, parameters, credentials };
	if (typeVersion !== undefined) node.typeVersion = typeVersion;
	if (continueOnFail) node.onError = 'continueRegularOutput';
	const result = await runWorkflow({ nodes: [node], store, startItems: items, nodeTypes, credentialTypes, mode });
	const task = result.runData[nodeName]?.[0];
	const outputs = task?.data?.main ?? [];
	return {
		items: outputs[0] ?? [],
		outputs,
		error: task?.error ?? result.error,
		runData: result.runData,
		store,
		helperLog: result.helperLog,
	};
}

/** Starts `n` calls of `fn(i)` at once and waits for all of them (results in order). */
export async function runConcurrently(n, fn) {
	return await Promise.all(Array.from({ length: n }, async (_, i) => await fn(i)));
}

/**
 * Runs a credential type's `test` the way n8n's CredentialsTester does for a request test:
 * the UI saves the credential first, then tests it, so the credential is in `store` under
 * `id` (added when missing); a temporary n8n-nodes-base.noOp node with a `temp` parameter
 * routed to the test request runs through RoutingNode with the tested data; a non-2xx answer
 * becomes { status: 'Error', message }. Returns { status: 'OK' | 'Error', message }.
 */
export async function testCredential(typeName, data, store = new CredentialStore(), { id = 'tested-credential', name = 'Tested credential' } = {}) {
	const helper = new HarnessCredentialsHelper(store);
	const type = helper.type(typeName);
	if (!type.test) return { status: 'Error', message: 'No testing function found for this credential.' };
	if (!store.get(id)) store.add(id, { type: typeName, name, data });
	const credentialsDecrypted = { id, name, type: typeName, data: helper.applyDefaults(structuredClone(data), typeName) };
	const nodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: type.test.request }, default: '' }],
		},
	};
	const node = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [typeName]: { id, name } },
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(helper, workflow);
	const wfNode = workflow.getNode('Temp-Node');
	const executeData = { node: wfNode, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		wfNode,
		additionalData,
		'internal',
		{ resultData: { runData: {} } },
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	try {
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			for (const rule of type.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return { status: 'Error', message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Calls one of a node's editor methods (`kind`: listSearch, loadOptions or resourceMapping) the
 * way n8n's DynamicNodeParametersService does when the editor asks: a one-node workflow and
 * n8n-core's LoadOptionsContext, whose getCurrentNodeParameter reads `parameters`. `args` are
 * passed on (listSearch: filter, paginationToken). Returns what the method returns.
 */
export async function runNodeMethod({ type, kind, method, parameters = {}, credentials = {}, store = new CredentialStore(), path = '', args = [] }) {
	const nodeTypes = makeNodeTypes();
	const refs = {};
	for (const [credType, ref] of Object.entries(credentials)) {
		const id = typeof ref === 'string' ? ref : ref.id;
		refs[credType] = { id, name: typeof ref === 'string' ? (store.get(id)?.name ?? id) : ref.name };
	}
	const node = { id: 'method-node', name: 'Node', type, typeVersion: nodeTypes.latestVersion(type), position: [0, 0], parameters, credentials: refs };
	const workflow = new Workflow({
		id: `harness-${++workflowCounter}`,
		name: 'harness',
		active: false,
		nodeTypes,
		staticData: {},
		settings: {},
		nodes: [node],
		connections: {},
	});
	const additionalData = { ...additionalDataFor(new HarnessCredentialsHelper(store), workflow), currentNodeParameters: parameters };
	const fn = nodeTypes.getByNameAndVersion(type, node.typeVersion).methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`harness: ${type} has no ${kind} method "${method}"`);
	return await fn.call(new LoadOptionsContext(workflow, workflow.getNode('Node'), additionalData, path), ...args);
}

/**
 * Calls a node's editor look-up the way n8n's DynamicNodeParametersService does: a one-node
 * workflow, a real LoadOptionsContext (n8n-core) with the node's current parameters, and the
 * method from `methods.loadOptions` / `methods.listSearch` / `methods.resourceMapping`.
 * `args` are the extra arguments (listSearch: filter, paginationToken). Returns what the method
 * returns.
 */
export async function runLoadOptions({
	type,
	kind = 'loadOptions',
	method,
	args = [],
	parameters = {},
	credentials = {},
	store = new CredentialStore(),
	path = 'parameters.x',
}) {
	const nodeTypes = makeNodeTypes();
	const nodeType = nodeTypes.getByName(type);
	const fn = nodeType.methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`harness: ${type} has no methods.${kind}.${method}`);
	const creds = {};
	for (const [credType, ref] of Object.entries(credentials)) {
		const id = typeof ref === 'string' ? ref : ref.id;
		creds[credType] = { id, name: store.get(id)?.name ?? id };
	}
	const node = {
		id: 'load-options-node',
		name: 'Node',
		type,
		typeVersion: nodeTypes.latestVersion(type),
		position: [0, 0],
		parameters,
		credentials: Object.keys(creds).length ? creds : undefined,
	};
	const helper = new HarnessCredentialsHelper(store);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes, staticData: {}, settings: {} });
	const additionalData = { ...additionalDataFor(helper, workflow), currentNodeParameters: parameters };
	const { LoadOptionsContext } = require('n8n-core');
	const context = new LoadOptionsContext(workflow, workflow.getNode('Node'), additionalData, path);
	return await fn.call(context, ...args);
}
