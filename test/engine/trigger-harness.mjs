// The Keap triggers run by n8n-core 2.41.1 in the test process, the way n8n's server runs them:
//   - polls: a real PollContext (n8n-core) with the workflow's node static data, the poll
//     function called through n8n-core's TriggersAndPollers, and what it returns executed by
//     WorkflowExecute from the trigger node on (as n8n's runPolledWorkflow does);
//   - webhooks: checkExists / create / delete through a real HookContext, and a small HTTP
//     server on 127.0.0.1 standing in for n8n's webhook endpoint: each request goes through a
//     real WebhookContext to the node's webhook(), answered like n8n's webhook helpers do
//     ("onReceived": 200 unless the node answered itself; 500 when webhook() throws; no
//     execution without workflowData), and workflowData is executed by WorkflowExecute.
// Every execution ends in a "Collect" node that records its input items.
import http from 'node:http';
import { createRequire } from 'node:module';

import { CredentialStore, HarnessCredentialsHelper, loadPackageTypes, PACKAGE_NAME } from './harness.mjs';
import { PAT, startEmulator } from '../emulator/index.mjs';

const require = createRequire(import.meta.url);
const { ExecutionLifecycleHooks, HookContext, PollContext, TriggersAndPollers, WebhookContext, WorkflowExecute } =
	require('n8n-core');
const { Workflow, createRunExecutionData } = require('n8n-workflow');

/** Records every item it receives, per execution. */
function collectNode(sink) {
	return {
		description: {
			displayName: 'Collect',
			name: 'collect',
			group: ['transform'],
			version: 1,
			description: 'Records its input',
			defaults: { name: 'Collect' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			const items = this.getInputData();
			sink.push(items.map((i) => i.json));
			return [items];
		},
	};
}

function nodeTypesWith(extra) {
	const { nodes, errors } = loadPackageTypes();
	if (errors.length) throw new Error(`package failed to load: ${JSON.stringify(errors)}`);
	const byName = new Map(Object.entries(extra));
	for (const [name, type] of nodes) {
		byName.set(name, type);
		byName.set(`${PACKAGE_NAME}.${name}`, type);
	}
	const get = (name) => {
		const type = byName.get(name);
		if (!type) throw new Error(`trigger harness: unknown node type "${name}"`);
		return type;
	};
	return { getByName: get, getByNameAndVersion: (name) => get(name), getKnownTypes: () => ({}) };
}

function additionalDataFor(helper, workflow, mode, webhookBaseUrl) {
	return {
		credentialsHelper: helper,
		hooks: new ExecutionLifecycleHooks(mode, `trigger-${mode}`, workflow),
		restApiUrl: 'http://127.0.0.1/rest',
		webhookBaseUrl,
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

let counter = 0;

/**
 * A workflow "<trigger> -> Collect". `staticData` (plain JSON, e.g. from `saved()` of an
 * earlier instance) is what n8n would have loaded from its database.
 */
export function triggerWorkflow({ type, parameters, credentialId = 'pat', store, staticData = {}, webhookBaseUrl = 'http://127.0.0.1/webhook' }) {
	const executions = [];
	const nodeTypes = nodeTypesWith({ collect: collectNode(executions) });
	const trigger = {
		id: 'trigger-node',
		name: 'Trigger',
		type: `${PACKAGE_NAME}.${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { keapCrmApiKeyApi: { id: credentialId, name: credentialId } },
		webhookId: 'a1b2c3d4-0000-4000-8000-00000000feed',
	};
	const workflow = new Workflow({
		id: `trigger-wf-${++counter}`,
		name: 'trigger test',
		active: true,
		nodeTypes,
		staticData: structuredClone(staticData),
		settings: {},
		nodes: [trigger, { id: 'collect-node', name: 'Collect', type: 'collect', typeVersion: 1, position: [200, 0], parameters: {} }],
		connections: { Trigger: { main: [[{ node: 'Collect', type: 'main', index: 0 }]] } },
	});
	const helper = new HarnessCredentialsHelper(store);
	const node = workflow.getNode('Trigger');
	const nodeType = nodeTypes.getByName(trigger.type);

	/** Runs the rest of the workflow on what the trigger emitted, as n8n does after a poll or a webhook. */
	async function execute(data, mode) {
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const additionalData = additionalDataFor(helper, workflow, mode, webhookBaseUrl);
		const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
		const error = run.data?.resultData?.error;
		if (error) throw new Error(`execution failed: ${error.message}`);
	}

	return {
		workflow,
		node,
		nodeType,
		helper,
		/** Items each finished execution delivered to Collect, one array per execution. */
		executions,
		/** The workflow's static data as n8n would save it (plain JSON). */
		saved: () => JSON.parse(JSON.stringify(workflow.staticData)),
		/** The trigger node's static data (plain JSON; n8n keeps it under "node:<name>"). */
		nodeData: () => JSON.parse(JSON.stringify(workflow.staticData[`node:${trigger.name}`] ?? {})),
		execute,
		additionalData: (mode) => additionalDataFor(helper, workflow, mode, webhookBaseUrl),
	};
}

/**
 * One poll of a polling trigger as n8n runs it: `mode` 'trigger' (an active workflow; the
 * static data is the workflow's) or 'manual' ("Fetch Test Event"). When the poll returns data,
 * the workflow is executed. Returns the items the poll emitted (null when none).
 */
export async function poll(wf, { mode = 'trigger' } = {}) {
	const additionalData = wf.additionalData(mode);
	let emitted = null;
	const ctx = new PollContext(
		wf.workflow,
		wf.node,
		additionalData,
		mode,
		'activate',
		(data) => {
			emitted = data;
		},
		(error) => {
			throw error;
		},
	);
	const result = await new TriggersAndPollers().runPollFunction(wf.workflow, wf.node, ctx);
	if (result === null) return null;
	ctx.__emit(result);
	await wf.execute(emitted, mode);
	return emitted[0].map((i) => i.json);
}

/** A HookContext of the trigger node (for checkExists / create / delete). */
export function hookContext(wf) {
	const description = wf.nodeType.description.webhooks[0];
	const additionalData = wf.additionalData('trigger');
	return new HookContext(wf.workflow, wf.node, additionalData, 'trigger', 'activate', {
		httpMethod: description.httpMethod,
		node: wf.node.name,
		path: `${wf.node.webhookId}/${description.path}`,
		webhookDescription: description,
		workflowId: wf.workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: wf.node.webhookId,
	});
}

/** n8n's activation of a webhook trigger: create() unless checkExists() finds it. */
export async function activate(wf) {
	const methods = wf.nodeType.webhookMethods.default;
	const ctx = hookContext(wf);
	if (await methods.checkExists.call(ctx)) return 'existed';
	await methods.create.call(ctx);
	return 'created';
}

/** n8n's deactivation of a webhook trigger. */
export async function deactivate(wf) {
	return await wf.nodeType.webhookMethods.default.delete.call(hookContext(wf));
}

/** An Express-like response over node's ServerResponse, with what n8n nodes use. */
function expressResponse(res) {
	const wrapped = {
		get headersSent() {
			return res.headersSent || res.writableEnded;
		},
		set(name, value) {
			res.setHeader(name, value);
			return wrapped;
		},
		setHeader(name, value) {
			res.setHeader(name, value);
			return wrapped;
		},
		status(code) {
			res.statusCode = code;
			return wrapped;
		},
		json(value) {
			if (!res.headersSent) res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(value));
			return wrapped;
		},
		send(value) {
			res.end(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
			return wrapped;
		},
		end(value) {
			res.end(value);
			return wrapped;
		},
	};
	return wrapped;
}

/**
 * Serves the trigger's webhook on 127.0.0.1 at `<url>/webhook/<webhookId>/webhook` (the URL
 * getNodeWebhookUrl builds from `webhookBaseUrl`). Returns { url, baseUrl, requests, close }:
 * `requests` lists { status, ms, executed } per request.
 */
export async function serveWebhook(getWorkflow) {
	const requests = [];
	const server = http.createServer((req, res) => {
		const started = Date.now();
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const wf = getWorkflow();
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			if (/json/i.test(req.headers['content-type'] ?? '')) {
				try {
					body = raw ? JSON.parse(raw) : {};
				} catch {
					body = raw;
				}
			}
			const record = { path: req.url, status: 0, ms: 0, executed: false };
			requests.push(record);
			res.on('finish', () => {
				record.status = res.statusCode;
				record.ms = Date.now() - started;
			});
			const response = expressResponse(res);
			const description = wf.nodeType.description.webhooks[0];
			const expected = `/webhook/${wf.node.webhookId}/${description.path}`;
			if (req.method !== 'POST' || req.url !== expected) {
				response.status(404).json({ message: 'webhook not registered' });
				return;
			}
			const additionalData = { ...wf.additionalData('webhook'), httpRequest: { headers: req.headers, body, params: {}, query: {}, method: req.method, rawBody: Buffer.from(raw) }, httpResponse: response };
			const webhookData = {
				httpMethod: 'POST',
				node: wf.node.name,
				path: expected,
				webhookDescription: description,
				workflowId: wf.workflow.id,
				workflowExecuteAdditionalData: additionalData,
				webhookId: wf.node.webhookId,
			};
			let result;
			try {
				const ctx = new WebhookContext(wf.workflow, wf.node, additionalData, 'webhook', webhookData, [], null);
				result = await wf.nodeType.webhook.call(ctx);
			} catch (error) {
				if (!response.headersSent) response.status(500).json({ code: 0, message: `Workflow Webhook Error: ${error.message}` });
				return;
			}
			if (result.workflowData === undefined) {
				if (!response.headersSent && !result.noWebhookResponse) response.status(200).json({ message: 'Webhook call received' });
				return;
			}
			if (!response.headersSent && !result.noWebhookResponse) response.status(200).json({ message: 'Workflow was started' });
			record.executed = true;
			await wf.execute(result.workflowData, 'webhook').catch((error) => {
				record.error = error.message;
			});
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		baseUrl: `${url}/webhook`,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

/** An emulator plus a credential store holding its PAT as credential "pat". */
export async function triggerFixture(options = {}) {
	const emu = await startEmulator({ port: 0, quiet: true, limits: false, ...options });
	const store = new CredentialStore({ pat: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
	/** A REST call to the emulator with the PAT (as another Keap user or app would make). */
	const keap = async (method, path, body) => {
		const res = await fetch(`${emu.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${PAT}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(10_000),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	};
	/** Calls the emulator counted for one route template since `before` (a counters() snapshot). */
	const callsTo = (route, before = { calls: {} }) => (emu.counters().calls[route] ?? 0) - (before.calls[route] ?? 0);
	return { emu, store, keap, callsTo, close: () => emu.close() };
}
