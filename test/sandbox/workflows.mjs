// The sandbox's credentials and demo workflows (plain n8n JSON), for the emulator or a real
// Keap account. Used by sandbox.mjs; the browser test reads the names and ids from here.

export const NODE = 'n8n-nodes-keap.keapCrm';
export const TRIGGER = 'n8n-nodes-keap.keapCrmTrigger';

/** Fixed ids (n8n allows up to 21 characters) and names of what the sandbox imports. */
export const CREDENTIALS = {
	apiKey: { id: 'sandboxKeapApiKey', name: 'Keap API key (sandbox)', type: 'keapCrmApiKeyApi', auth: 'apiKey' },
	oauth2: { id: 'sandboxKeapOAuth2', name: 'Keap OAuth2 (sandbox)', type: 'keapCrmOAuth2Api', auth: 'oAuth2' },
	tokenPair: { id: 'sandboxKeapTokenPair', name: 'Keap token pair (sandbox)', type: 'keapCrmTokenPairApi', auth: 'tokenPair' },
};

export const WORKFLOWS = {
	webhook: { id: 'keapDemoWebhook', name: 'Keap demo 1: Webhook → create or update a contact and tag it', path: 'keap-demo/contact' },
	trigger: { id: 'keapDemoTrigger', name: 'Keap demo 2: new Keap contact → apply the "Welcome Series" tag' },
	keepAlive: { id: 'keapDemoKeepAlive', name: 'Keap demo 3: weekly credential keep-alive' },
};

/** The tag workflow 2 applies to every new contact (created on first use). */
export const WELCOME_TAG = 'Welcome Series';
/** The tags workflow 1 applies. */
export const WEBHOOK_TAGS = ['Lead', 'Newsletter'];

/**
 * The value of a "Tag Names or IDs" parameter. With the tag ids known (the emulator), the ids:
 * the editor then shows the tags' names from its list. Otherwise (a real account) the names
 * in an expression; the node resolves names and creates missing ones where allowed.
 */
export function tagsParameter(names, idsByName) {
	if (idsByName && names.every((n) => idsByName.has(n))) return names.map((n) => idsByName.get(n));
	return `={{ ${JSON.stringify(names)} }}`;
}

const ref = (cred) => ({ [cred.type]: { id: cred.id, name: cred.name } });

/**
 * The credentials to import. `keap` describes where they point:
 *   { emulator: { url, clientId, clientSecret, pat, tokens, pairTokens } }  or
 *   { real: { baseUrl?, apiKey?, clientId?, clientSecret?, refreshToken?, accessToken? } }
 * Returns [{ id, name, type, data }] for the credentials that can be built.
 */
export function buildCredentials(keap) {
	const out = [];
	if (keap.emulator) {
		const e = keap.emulator;
		out.push({ ...pick(CREDENTIALS.apiKey), data: { apiKey: e.pat, baseUrl: e.url } });
		out.push({
			...pick(CREDENTIALS.oauth2),
			data: {
				// n8n 2.x takes the authorize/token URLs of an OAuth2 type from its defaults (Keap's
				// production hosts) or from CREDENTIALS_OVERWRITE_DATA, which the sandbox sets; the
				// values here are for the editor's form and for n8n 1.x.
				grantType: 'authorizationCode',
				authUrl: `${e.url}/app/oauth/authorize`,
				accessTokenUrl: `${e.url}/token`,
				clientId: e.clientId,
				clientSecret: e.clientSecret,
				scope: 'full',
				authQueryParameters: '',
				authentication: 'header',
				baseUrl: e.url,
				oauthTokenData: e.tokens,
			},
		});
		out.push({
			...pick(CREDENTIALS.tokenPair),
			data: {
				clientId: e.clientId,
				clientSecret: e.clientSecret,
				refreshToken: e.pairTokens.refresh_token,
				accessToken: e.pairTokens.access_token,
				tokenUrl: `${e.url}/token`,
				baseUrl: e.url,
			},
		});
		return out;
	}
	const r = keap.real;
	const base = r.baseUrl ? { baseUrl: r.baseUrl } : {};
	if (r.apiKey) out.push({ ...pick(CREDENTIALS.apiKey), data: { apiKey: r.apiKey, ...base } });
	if (r.clientId && r.clientSecret) {
		// Not connected yet: the user clicks "Connect my account" in the editor.
		out.push({
			...pick(CREDENTIALS.oauth2),
			data: { clientId: r.clientId, clientSecret: r.clientSecret, scope: 'full', authentication: 'header', ...base },
		});
		if (r.refreshToken) {
			out.push({
				...pick(CREDENTIALS.tokenPair),
				data: {
					clientId: r.clientId,
					clientSecret: r.clientSecret,
					refreshToken: r.refreshToken,
					...(r.accessToken ? { accessToken: r.accessToken } : {}),
					...base,
				},
			});
		}
	}
	return out;
}

function pick(cred) {
	return { id: cred.id, name: cred.name, type: cred.type };
}

/** The credential the action and trigger demos use: the API key if there is one. */
export function mainCredential(imported) {
	const types = new Set(imported.map((c) => c.type));
	return [CREDENTIALS.apiKey, CREDENTIALS.oauth2, CREDENTIALS.tokenPair].find((c) => types.has(c.type));
}

function keapNode({ name, cred, position, parameters }) {
	return {
		id: `${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: NODE,
		typeVersion: 1,
		position,
		parameters: { authentication: cred.auth, api: 'rest', ...parameters },
		credentials: ref(cred),
	};
}

/** The email check of demo 1: the Keap CRM node's own rule (nodes/Keap/model/validate.ts). */
export const EMAIL_PATTERN = '^[^\\s@<>(),;:"]+@[^\\s@<>(),;:"]+\\.[^\\s@<>(),;:"]{2,}$';

/**
 * 1: POST /webhook/keap-demo/contact {email, first_name, last_name} → "Valid Email?" → Create or
 * Update (tagged WEBHOOK_TAGS) → Respond to Webhook with the contact; a request without a valid
 * email → "Reject Bad Input": HTTP 400 {"error": what is wrong, "field": "email"}.
 * `idsByName`: tag name → id, when known. `customFieldSchema`: the custom-field columns the
 * node's mapper would fetch (see sandbox.mjs): stored with the node, opening it in the editor
 * changes nothing, so the published workflow stays published.
 */
export function webhookWorkflow(cred, idsByName, { customFieldSchema } = {}) {
	const w = WORKFLOWS.webhook;
	const email = '$json.body?.email';
	const nodes = [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
			parameters: { httpMethod: 'POST', path: w.path, responseMode: 'responseNode', options: {} },
		},
		{
			id: 'valid-email',
			name: 'Valid Email?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [220, 0],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'email-matches',
							leftValue: `={{ String(${email} ?? '').trim() }}`,
							rightValue: EMAIL_PATTERN,
							operator: { type: 'string', operation: 'regex' },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		},
		keapNode({
			name: 'Create or Update Contact',
			cred,
			position: [460, -100],
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				matchOn: 'Email',
				email: '={{ $json.body.email }}',
				// A real account may not have the demo's tags yet: create them on first use.
				createMissingTags: true,
				additionalFields: {
					given_name: '={{ $json.body.first_name ?? "" }}',
					family_name: '={{ $json.body.last_name ?? "" }}',
					tags: tagsParameter(WEBHOOK_TAGS, idsByName),
				},
				...(customFieldSchema ? { customFields: customFieldsValue(customFieldSchema) } : {}),
				output: 'normalized',
			},
		}),
		{
			id: 'respond',
			name: 'Respond to Webhook',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [700, -100],
			parameters: { respondWith: 'firstIncomingItem', options: {} },
		},
		{
			id: 'reject',
			name: 'Reject Bad Input',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [460, 120],
			parameters: {
				respondWith: 'json',
				responseBody:
					`={{ { error: String(${email} ?? '').trim() === ''` +
					` ? 'The request has no "email". Send JSON such as {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}'` +
					` : '"' + ${email} + '" is not a valid email address', field: 'email' } }}`,
				options: { responseCode: 400 },
			},
		},
	];
	const wf = workflow(w, nodes, false);
	const to = (node, index = 0) => ({ node, type: 'main', index });
	wf.connections = {
		Webhook: { main: [[to('Valid Email?')]] },
		'Valid Email?': { main: [[to('Create or Update Contact')], [to('Reject Bad Input')]] },
		'Create or Update Contact': { main: [[to('Respond to Webhook')]] },
	};
	// Sample request for runs from the editor ("Execute workflow" / "Execute step"): n8n uses
	// pinned data only in manual runs; calls to the production webhook use the real request.
	wf.pinData = { Webhook: [{ json: { headers: {}, params: {}, query: {}, body: SAMPLE_REQUEST } }] };
	return wf;
}

/**
 * The value n8n's resource mapper gives the Custom Fields parameter once it has fetched the
 * columns and nothing is set: every column present and removed, no values.
 */
function customFieldsValue(schema) {
	return {
		mappingMode: 'defineBelow',
		value: {},
		matchingColumns: [],
		schema: schema.map((field) => ({ ...field, removed: true })),
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** The Webhook's pinned sample request body (workflow 1, manual runs only). */
export const SAMPLE_REQUEST = { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper' };

/** 2: Keap CRM Trigger (Contact: Added) → Tag > Apply "Welcome Series" to the new contacts (created if missing). */
export function triggerWorkflow(cred, idsByName) {
	const w = WORKFLOWS.trigger;
	const nodes = [
		{
			id: 'keap-trigger',
			name: 'New Keap Contact',
			type: TRIGGER,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '7c2a3b4c-5d6e-4f70-8a1b-2c3d4e5f6a7b',
			parameters: { authentication: cred.auth, event: 'contact.add', output: 'full' },
			credentials: ref(cred),
		},
		keapNode({
			name: 'Apply Welcome Tag',
			cred,
			position: [260, 0],
			parameters: {
				resource: 'tag',
				operation: 'apply',
				contactIds: '={{ $json.id }}',
				tags: tagsParameter([WELCOME_TAG], idsByName),
				createMissing: true,
			},
		}),
	];
	return workflow(w, nodes);
}

/** 3: Schedule Trigger (Mondays 09:00) → Account > Keep Credential Alive, one node per refreshing credential. */
export function keepAliveWorkflow(creds) {
	const w = WORKFLOWS.keepAlive;
	const nodes = [
		{
			id: 'schedule',
			name: 'Every Monday',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 0],
			parameters: { rule: { interval: [{ field: 'weeks', triggerAtDay: [1], triggerAtHour: 9 }] } },
		},
		...creds.map((cred, i) =>
			keapNode({
				name: `Keep ${cred.auth === 'oAuth2' ? 'OAuth2' : 'Token Pair'} Alive`,
				cred,
				position: [260, i * 180 - (creds.length - 1) * 90],
				parameters: { resource: 'account', operation: 'keepAlive' },
			}),
		),
	];
	const w2 = workflow(w, nodes, false);
	w2.connections = { 'Every Monday': { main: [nodes.slice(1).map((n) => ({ node: n.name, type: 'main', index: 0 }))] } };
	return w2;
}

function workflow({ id, name }, nodes, chain = true) {
	const connections = {};
	if (chain) {
		for (let i = 0; i + 1 < nodes.length; i++) {
			connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
		}
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}
