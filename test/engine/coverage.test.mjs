// Issue 15, "What to build": every call path of ours runs against the strict emulator. Two lists
// are enumerated, not written down, so that a new entry cannot be missed:
//
// - every editor method (listSearch, loadOptions, resourceMapping) of every node of the package,
//   read from the built node types, called as n8n's editor calls it (harness.mjs runNodeMethod:
//   n8n-core's LoadOptionsContext) with API = REST and API = XML-RPC;
// - every method of the Keap client's interfaces (transport/client.ts: ContactsApi, TagsApi,
//   CustomFieldsApi, LookupsApi), read from that source file, called through the session of a
//   probe node over REST and over XML-RPC. A method needs a line in CLIENT_CALLS saying how to
//   call it; a method without one fails the test.
//
// Each call must reach the emulator and pass its checks against Keap's OpenAPI documents: no
// request refused as invalid, none answered 501 (a route Keap documents that the emulator does
// not serve), none answered 414.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { PAT, startEmulator } from '../emulator/index.mjs';
import { CredentialStore, loadPackageTypes, runNode, runNodeMethod } from './harness.mjs';

const require = createRequire(import.meta.url);
const { KeapSession } = require('../../dist/nodes/Keap/transport/index.js');

const APIS = ['rest', 'xmlrpc'];

let emu;
let store;
beforeAll(async () => {
	emu = await startEmulator({ quiet: true, limits: false, seed: 'demo' });
	store = new CredentialStore({ pat: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
});
afterAll(async () => emu?.close());

/** Runs `fn` and returns what it returned with the emulator's log entries it caused and the refusals among them. */
async function watched(fn) {
	const rejectsBefore = emu.counters().validationRejects ?? 0;
	const from = emu.log().length;
	const value = await fn();
	const entries = emu.log().slice(from);
	const refused = entries.filter((e) => [400, 414, 501].includes(e.status) || e.fault).map((e) => `${e.method} ${e.path}${e.xmlrpcMethod ? ` ${e.xmlrpcMethod}` : ''} -> ${e.status}${e.fault ? ' fault' : ''}`);
	return { value, entries, refused, rejects: (emu.counters().validationRejects ?? 0) - rejectsBefore };
}

// ---- every editor method of every node -----------------------------------------------------------
/** [nodeType, kind, method] for every editor method the package's nodes declare. */
function editorMethods() {
	const out = [];
	for (const [type, nodeType] of loadPackageTypes().nodes) {
		const described = nodeType.nodeVersions ? Object.values(nodeType.nodeVersions) : [nodeType];
		for (const version of described) {
			for (const [kind, methods] of Object.entries(version.methods ?? {})) {
				for (const name of Object.keys(methods ?? {})) {
					if (!out.some(([t, k, m]) => t === type && k === kind && m === name)) out.push([type, kind, name]);
				}
			}
		}
	}
	return out;
}

/**
 * Parameters an editor method reads besides API and authentication (the record a picker lists
 * the children of). A method that needs one and is not listed here makes no call and fails.
 */
const METHOD_PARAMETERS = {
	searchSequences: { resource: 'campaign', operation: 'addToSequence', campaign: { __rl: true, mode: 'id', value: '21' } },
};

/** The credential parameter of each node that has editor methods. */
const CREDENTIAL = { keapCrmApiKeyApi: 'pat' };

function checkShape(kind, value, label) {
	if (kind === 'listSearch') {
		assert.ok(Array.isArray(value?.results), `${label}: { results: [...] }`);
		for (const r of value.results) assert.ok(typeof r.name === 'string' && r.value !== undefined && r.value !== '', `${label}: ${JSON.stringify(r)}`);
	} else if (kind === 'loadOptions') {
		assert.ok(Array.isArray(value), `${label}: a list of options`);
		for (const o of value) assert.ok(typeof o.name === 'string' && o.value !== undefined, `${label}: ${JSON.stringify(o)}`);
	} else if (kind === 'resourceMapping') {
		assert.ok(Array.isArray(value?.fields), `${label}: { fields: [...] }`);
		for (const f of value.fields) assert.ok(f.id && f.displayName && f.type, `${label}: ${JSON.stringify(f)}`);
	} else {
		assert.fail(`${label}: a method kind this test does not know (${kind}): teach it the shape`);
	}
}

describe('every editor method of every node, over REST and XML-RPC', () => {
	const methods = editorMethods();

	test('the package declares editor methods of every kind (this test enumerates them)', () => {
		const kinds = new Set(methods.map(([, k]) => k));
		for (const want of ['listSearch', 'loadOptions', 'resourceMapping']) assert.ok(kinds.has(want), `${want}: ${[...kinds]}`);
		assert.ok(methods.some(([t]) => t !== 'keapCrm'), 'the triggers\' methods are listed too');
	});

	for (const [type, kind, method] of methods) {
		for (const api of APIS) {
			test(`${type} ${kind}.${method} (API ${api})`, async () => {
				const label = `${type} ${kind}.${method} over ${api}`;
				const calls = kind === 'listSearch' ? [[''], ['a']] : [[]];
				for (const args of calls) {
					const { value, entries, refused, rejects } = await watched(() =>
						runNodeMethod({ type, kind, method, args, parameters: { ...METHOD_PARAMETERS[method], authentication: 'apiKey', api }, credentials: CREDENTIAL, store }),
					);
					checkShape(kind, value, `${label} (${JSON.stringify(args)})`);
					assert.ok(entries.length > 0, `${label}: no call reached the emulator`);
					assert.deepEqual(refused, [], `${label}: refused`);
					assert.equal(rejects, 0, `${label}: the emulator found a request Keap would refuse`);
				}
			});
		}
	}
});

// ---- every method of the Keap client -----------------------------------------------------------
/** The methods of each interface of transport/client.ts, from its source. */
function clientInterfaces() {
	const source = readFileSync(new URL('../../nodes/Keap/transport/client.ts', import.meta.url), 'utf8');
	const out = {};
	for (const [, name, body] of source.matchAll(/export interface (\w+Api) \{([\s\S]*?)\n\}/g)) {
		out[name] = [...body.matchAll(/^\t(\w+)\(/gm)].map((m) => m[1]);
	}
	return out;
}

/** KeapClient property holding each interface. */
const HOLDER = { ContactsApi: 'contacts', TagsApi: 'tags', CustomFieldsApi: 'customFields', LookupsApi: 'lookups' };

const stamp = Date.now().toString(36);
let counter = 0;
const fresh = (what) => `${what}-${stamp}-${++counter}`;

/**
 * How to call each client method: `(client, api) => result`, with the checks of its result.
 * Contacts and tags are made for the call, so each call has a known answer.
 */
const CLIENT_CALLS = {
	ContactsApi: {
		async create(c) {
			const address = `${fresh('cov')}@example.com`;
			const made = await c.contacts.create({ given_name: 'Cov', email_addresses: [{ field: 'EMAIL1', email: address }] });
			assert.ok(/^\d+$/.test(made.value.id));
			const again = await c.contacts.create({ given_name: 'Cov2', email_addresses: [{ field: 'EMAIL1', email: address }] }, 'Email');
			assert.equal(again.value.id, made.value.id, 'Create or Update matched the contact');
		},
		async update(c) {
			const { value } = await newContact(c);
			const u = await c.contacts.update(value.id, { job_title: 'Covered' });
			assert.equal(u.value.job_title, 'Covered');
		},
		async get(c) {
			const { value } = await newContact(c);
			assert.equal((await c.contacts.get(value.id)).value.id, value.id);
			assert.equal(await c.contacts.get('99999991'), null);
		},
		async findByEmail(c) {
			const { value, address } = await newContact(c);
			assert.deepEqual((await c.contacts.findByEmail(address)).map((x) => x.value.id), [value.id]);
		},
		async list(c) {
			const page = await c.contacts.list({}, 5);
			assert.equal(page.items.length, 5);
		},
		async idBatches(c) {
			const ids = Array.from({ length: 3 }, (_, i) => String(1001 + i));
			assert.deepEqual(c.contacts.idBatches(ids).flat(), ids);
		},
		async delete(c) {
			const { value } = await newContact(c);
			assert.equal(await c.contacts.delete(value.id), true);
			assert.equal(await c.contacts.get(value.id), null);
		},
	},
	TagsApi: {
		async list(c) {
			const page = await c.tags.list({}, 3);
			assert.equal(page.items.length, 3);
			const named = await c.tags.list({ name: 'VIP' }, 10);
			assert.deepEqual(named.items.map((t) => t.value.name), ['VIP']);
		},
		async create(c) {
			const name = fresh('Cov tag');
			assert.equal((await c.tags.create({ name })).value.name, name);
		},
		async apply(c) {
			const { contact, tag } = await contactAndTag(c);
			assert.equal((await c.tags.apply(tag, [contact]))[contact], 'SUCCESS');
		},
		async remove(c) {
			const { contact, tag } = await contactAndTag(c);
			await c.tags.apply(tag, [contact]);
			assert.equal((await c.tags.remove(tag, [contact]))[contact], 'SUCCESS');
		},
		async listForContact(c) {
			const { contact, tag } = await contactAndTag(c);
			await c.tags.apply(tag, [contact]);
			assert.deepEqual((await c.tags.listForContact(contact)).map((t) => t.value.id), [tag]);
		},
		async listContactIds(c) {
			const { contact, tag } = await contactAndTag(c);
			await c.tags.apply(tag, [contact]);
			assert.deepEqual((await c.tags.listContactIds(tag, 10)).items, [contact]);
		},
	},
	CustomFieldsApi: {
		async listContactFields(c) {
			assert.ok((await c.customFields.listContactFields()).some((f) => f.label === 'VIP'));
		},
	},
	LookupsApi: {
		async listUsers(c) {
			assert.ok((await c.lookups.listUsers()).length >= 2);
		},
		async listLeadSources(c) {
			assert.ok((await c.lookups.listLeadSources()).length >= 2);
		},
		async listContactTypes(c) {
			assert.ok((await c.lookups.listContactTypes()).includes('Lead'));
		},
	},
};

async function newContact(c) {
	const address = `${fresh('cov')}@example.com`;
	const made = await c.contacts.create({ given_name: 'Cov', email_addresses: [{ field: 'EMAIL1', email: address }] });
	return { ...made, address };
}

async function contactAndTag(c) {
	const { value } = await newContact(c);
	const tag = await c.tags.create({ name: fresh('Cov tag') });
	return { contact: value.id, tag: tag.value.id };
}

/** A node whose execution runs one CLIENT_CALLS entry on its session's client. */
class ClientCoverageProbe {
	description = {
		displayName: 'Keap Client Coverage Probe',
		name: 'keapClientCoverageProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls one method of the Keap client of the node’s session',
		defaults: { name: 'Keap Client Coverage Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'keapCrmApiKeyApi', required: true }],
		properties: [
			{ displayName: 'Authentication', name: 'authentication', type: 'string', default: 'apiKey' },
			{ displayName: 'API', name: 'api', type: 'string', default: 'rest' },
			{ displayName: 'Interface', name: 'iface', type: 'string', default: '' },
			{ displayName: 'Method', name: 'method', type: 'string', default: '' },
		],
	};

	async execute() {
		const session = new KeapSession(this);
		const iface = this.getNodeParameter('iface', 0);
		const method = this.getNodeParameter('method', 0);
		assert.equal(typeof session.client[HOLDER[iface]][method], 'function', `${iface}.${method} on the ${session.client.api} client`);
		await CLIENT_CALLS[iface][method](session.client, session.client.api);
		return [[{ json: { api: session.client.api }, pairedItem: { item: 0 } }]];
	}
}

describe('every method of the Keap client, over REST and XML-RPC', () => {
	const interfaces = clientInterfaces();

	test('transport/client.ts declares the four interfaces (this test reads them from the source)', () => {
		assert.deepEqual(Object.keys(interfaces).sort(), Object.keys(HOLDER).sort());
		for (const [name, list] of Object.entries(interfaces)) assert.ok(list.length > 0, `${name} has methods`);
	});

	for (const [iface, list] of Object.entries(interfaces)) {
		for (const method of list) {
			for (const api of APIS) {
				test(`${iface}.${method} (API ${api})`, async () => {
					assert.equal(typeof CLIENT_CALLS[iface]?.[method], 'function', `CLIENT_CALLS has no entry for ${iface}.${method}: add one`);
					const { value: res, refused, rejects, entries } = await watched(() =>
						runNode({
							type: 'keapClientCoverageProbe',
							nodeTypes: { keapClientCoverageProbe: new ClientCoverageProbe() },
							parameters: { authentication: 'apiKey', api, iface, method },
							credentials: CREDENTIAL,
							store,
						}),
					);
					if (res.error) throw res.error;
					assert.equal(res.items[0].json.api, api);
					if (method !== 'idBatches') {
						assert.ok(entries.length > 0, 'no call reached the emulator');
						if (api === 'xmlrpc' && !['listContactTypes'].includes(method)) {
							assert.ok(entries.some((e) => e.xmlrpcMethod), `${iface}.${method} over XML-RPC made no XML-RPC call`);
						}
					}
					// A get of a missing contact is a 404 / [RecordNotFound] on purpose.
					const expected = method === 'get' || method === 'delete' ? (r) => !/ -> 404$| fault$/.test(r) : () => true;
					assert.deepEqual(refused.filter(expected), [], 'refused');
					assert.equal(rejects, 0, 'the emulator found a request Keap would refuse');
				});
			}
		}
	}
});
