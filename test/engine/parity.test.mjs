// Parity: the same sequence of contact and tag operations, run by the Keap CRM node through
// n8n-core's engine once with API = REST and once with API = XML-RPC, each against its own
// fresh emulator (same seed, so the same ids come out when the same records are made in the
// same order), gives equal normalized outputs.
//
// Compared after removing, and only these:
// - create_time, update_time (contacts) and applied_time (contact tags): moments, which differ
//   between two runs; XML-RPC dates also carry whole seconds only.
// - email_addresses[].opt_status: REST reports each address's marketing status; XML-RPC's
//   Contact table has no such column (the opt-in itself is compared through the store below).
// - source_type: REST has it (and Keap sets API on REST creates); the Contact table has no
//   such column, so XML-RPC output leaves the property out.
// Everything else — ids, every field, custom fields, tag ids and names, per-contact tag results,
// error messages, item pairing — must be equal, and so must what each emulator stored.
// One difference found this way (v1 addresses without region_code) is fixed and tested at the end.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { OPEN_DEFECTS } from '../open-defects.mjs';

import { keapFixture } from './keap-helpers.mjs';

const APIS = ['rest', 'xmlrpc'];
const fixtures = {};
beforeAll(async () => {
	for (const api of APIS) fixtures[api] = await keapFixture();
});
afterAll(async () => {
	for (const api of APIS) {
		if (!fixtures[api]) continue;
		assert.equal(fixtures[api].emu.counters().validationRejects ?? 0, 0, `${api}: the emulator rejected a request as invalid`);
		await fixtures[api].close();
	}
});

const TIMES = new Set(['create_time', 'update_time', 'applied_time']);

/** A node output with the excluded properties removed (see the header). */
function comparable(value, parentKey) {
	if (Array.isArray(value)) return value.map((v) => comparable(v, parentKey));
	if (value && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) {
			if (TIMES.has(k) || k === 'source_type') continue;
			if (k === 'opt_status' && parentKey === 'email_addresses') continue;
			out[k] = comparable(v, k);
		}
		return out;
	}
	return value;
}

/** One step's result: the items' json (errors included) and their pairing. */
function outcome(res) {
	if (res.error) return { error: res.error.message };
	return res.items.map((i) => ({ json: i.json, item: i.pairedItem?.item }));
}

const ADDR = 'parity.ada@example.com';
const FAMILY = 'Parity';

/** The sequence, as [label, parameters, items?, options?]; `$id(n)` refers to step n's first id. */
const STEPS = [
	['tag create', { resource: 'tag', operation: 'create', name: 'Parity A', additionalFields: { description: 'first tag' } }],
	[
		'contact create (all fields)',
		{
			resource: 'contact',
			operation: 'create',
			email: ADDR,
			createMissingTags: true, // 'Parity B' is new
			additionalFields: {
				given_name: 'Ada',
				middle_name: 'King',
				family_name: FAMILY,
				prefix: 'Dr.',
				suffix: 'Jr',
				preferred_name: 'Countess',
				spouse_name: 'William',
				job_title: 'Analyst',
				website: 'https://ada.example.com',
				time_zone: 'Europe/London',
				preferred_locale: 'en_GB',
				contact_type: 'Customer',
				owner_id: '3',
				lead_source_id: '9',
				birthday: '1815-12-10',
				anniversary: '1835-07-08',
				email_2: 'ada.second@example.com',
				opt_in_reason: 'Parity sign-up',
				tags: ['Parity A', 'Parity B'],
			},
			phones: { phone: [{ field: 'PHONE1', number: '+1 555 010 0001', extension: '7', type: 'Work' }, { field: 'PHONE2', number: '555 010 0002', type: 'Mobile' }] },
			addresses: {
				address: [
					{ field: 'BILLING', line1: '1 Main St', line2: 'Unit 4', locality: 'Phoenix', region_code: 'US-AZ', country_code: 'USA', postal_code: '85001', zip_four: '0001' },
					{ field: 'SHIPPING', line1: '2 Side St', locality: 'Austin', region_code: 'US-TX', country_code: 'USA', postal_code: '73301' },
				],
			},
			customFields: { mappingMode: 'defineBelow', value: { 6: 'Blue', 8: 'Silver', 10: '2024-01-31', 12: 99.5, 14: 4, 16: false } },
		},
	],
	[
		'contact create (second, few fields)',
		{ resource: 'contact', operation: 'create', email: 'parity.bob@example.com', additionalFields: { given_name: 'Bob', family_name: FAMILY, email_2: 'bob.two@example.com' } },
	],
	[
		'upsert matching an existing contact',
		{ resource: 'contact', operation: 'upsert', matchOn: 'Email', email: 'parity.bob@example.com', additionalFields: { job_title: 'Lead', email_3: 'bob.third@example.com' } },
	],
	[
		'upsert making a new contact (email and name)',
		{ resource: 'contact', operation: 'upsert', matchOn: 'EmailAndName', email: 'parity.cy@example.com', additionalFields: { given_name: 'Cy', family_name: 'Other' } },
	],
	[
		'update by id',
		{
			resource: 'contact',
			operation: 'update',
			contact: { mode: 'id', value: '1001' },
			updateFields: { given_name: 'Augusta', email_2: 'ada.new2@example.com' },
			phones: { phone: [{ field: 'PHONE2', number: '555 010 0022' }] },
			addresses: { address: [{ field: 'OTHER', line1: '3 Far Rd', locality: 'Albany', region_code: 'US-NY', country_code: 'USA', postal_code: '12207' }] },
			customFields: { mappingMode: 'defineBelow', value: { 8: 'Gold', 16: true } },
		},
	],
	['update by email', { resource: 'contact', operation: 'update', contact: { mode: 'email', value: 'parity.bob@example.com' }, updateFields: { job_title: 'Builder', email_3: 'bob.3@example.com' } }],
	['get by id', { resource: 'contact', operation: 'get', contact: { mode: 'id', value: '1001' } }],
	['get by email, simplified', { resource: 'contact', operation: 'get', contact: { mode: 'email', value: 'parity.bob@example.com' }, output: 'simplified' }],
	['get many by last name', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { family_name: FAMILY } }],
	['get many by email prefix, newest first, limit 2', { resource: 'contact', operation: 'getAll', returnAll: false, limit: 2, filters: { email: 'parity.*' }, sort: { order_by: 'id', order_direction: 'desc' } }],
	['get many by first-name prefix', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { given_name: 'Au*' } }],
	['get many by tag', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { tag: 'Parity B' } }],
	['tag get many by prefix', { resource: 'tag', operation: 'getAll', returnAll: true, filters: { name: 'Parity*' } }],
	[
		'tag apply to three contacts, by item',
		{ resource: 'tag', operation: 'apply', contactIds: '={{$json.id}}', tags: ['Parity A', 'Parity C'], createMissing: true },
		[{ id: '1001' }, { id: '1002' }, { id: '1003' }],
	],
	['tag remove', { resource: 'tag', operation: 'remove', contactIds: '1001, 1002', tags: ['Parity B'] }],
	['contact tags', { resource: 'tag', operation: 'getForContact', contact: { mode: 'id', value: '1001' } }],
	['get many by tag after changes', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { tag: 'Parity C' } }],
	['delete', { resource: 'contact', operation: 'delete', contact: { mode: 'id', value: '1002' } }],
	['get the deleted contact', { resource: 'contact', operation: 'get', contact: { mode: 'id', value: '1002' } }, [{}], { continueOnFail: true }],
	['get many after delete', { resource: 'contact', operation: 'getAll', returnAll: true, filters: { family_name: FAMILY } }],
];

/**
 * The store as both APIs must have left it: moments removed, and two storage details of the
 * emulator that no API shows evened out (empty properties absent vs null; a US ZIP written
 * over XML-RPC kept as zip_code, over REST as postal_code: both read back as postal_code).
 */
function storedState(emu) {
	const s = emu.store.snapshot();
	const omit = new Set(['date_created', 'last_updated', 'source_type']);
	const clean = (v) => {
		if (Array.isArray(v)) return v.map(clean);
		if (v && typeof v === 'object') {
			const out = {};
			for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined && !omit.has(k)) out[k] = clean(x);
			return out;
		}
		return v;
	};
	const contacts = s.contacts.map((c) => {
		const addresses = c.addresses.map(({ zip_code, postal_code, ...a }) => ({ ...a, postal_code: postal_code ?? zip_code }));
		return clean({ ...c, addresses });
	});
	return {
		contacts,
		tags: s.tags.map(({ id, name, description, category_id }) => ({ id, name, description, category_id })),
		// which tags each contact has, not the order they were applied in (REST sends a run's tag
		// batches several at a time)
		applied: s.applied.map(({ contactId, tagId }) => [contactId, tagId]).sort((a, b) => a[0] - b[0] || a[1] - b[1]),
		emailStatus: Object.fromEntries(Object.entries(s.emailStatus).map(([k, v]) => [k, [v.status, v.reason]])),
	};
}

describe('parity: REST and XML-RPC give the same results', () => {
	test('the same contact and tag sequence, step by step', async () => {
		const results = {};
		for (const api of APIS) {
			results[api] = [];
			for (const [label, params, items, opts] of STEPS) {
				const res = await fixtures[api].keap({ api, ...params }, items ?? [{}], opts ?? {});
				results[api].push([label, outcome(res)]);
			}
		}
		for (let i = 0; i < STEPS.length; i++) {
			const [label, rest] = results.rest[i];
			// REST's tag prefix search sends name==X* to /v2/tags, a wildcard Keap documents for
			// contacts only: the strict emulator finds nothing (issue 15, defect 4, tested in
			// contract.test.mjs). Compared again once defect 4 is fixed.
			if (label === 'tag get many by prefix' && OPEN_DEFECTS.has(4)) continue;
			// Removing a tag the contact may not have: XML-RPC's removeFromGroup answers false, REST's
			// 204 says nothing; both read the contact and say NOT_APPLIED (issue 15, defect 6).
			if (label === 'tag remove' && OPEN_DEFECTS.has(6)) continue;
			const [, xml] = results.xmlrpc[i];
			assert.ok(!('error' in rest) || label.includes('deleted'), `${label}: REST failed: ${rest.error}`);
			assert.deepEqual(comparable(xml), comparable(rest), `step "${label}" differs between REST and XML-RPC`);
		}
		// The runs did real work (a sequence that produced nothing would compare equal too).
		const byLabel = Object.fromEntries(results.rest);
		assert.equal(byLabel['get many by last name'].length, 2);
		assert.deepEqual(
			byLabel['upsert matching an existing contact'][0].json.email_addresses.map((e) => e.field),
			['EMAIL1', 'EMAIL2', 'EMAIL3'],
			'the upsert kept the email it was not given',
		);
		assert.equal(byLabel['contact create (all fields)'][0].json.custom_fields['Membership Level'], 'Silver');
		assert.deepEqual(byLabel['contact tags'].map((t) => t.json.name).sort(), ['Parity A', 'Parity C']);
		assert.match(byLabel['get the deleted contact'][0].json.error, /no contact with ID 1002/);
		// Both APIs left the same records behind, opt-in included.
		assert.deepEqual(storedState(fixtures.xmlrpc.emu), storedState(fixtures.rest.emu));
		assert.equal(storedState(fixtures.rest.emu).emailStatus[ADDR][0], 'SingleOptIn');
		// And each run used only its own API (XML-RPC reads custom field definitions from REST, see the client).
		const restCalls = Object.keys(fixtures.rest.emu.counters().calls);
		assert.ok(restCalls.every((k) => k.includes('/crm/rest/')), restCalls.join(', '));
		const xmlCalls = Object.keys(fixtures.xmlrpc.emu.counters().calls);
		assert.deepEqual(xmlCalls.filter((k) => !k.includes('/crm/xmlrpc/')), [], 'the XML-RPC run made no REST call');
	});
});

describe('parity: upsert onto a contact with addresses', () => {
	// REST answers an upsert through v1 (PUT), whose addresses carry the region by name; the v1
	// mapping derives the ISO 3166-2 code, as XML-RPC does from the State column.
	test(
		'returns the same addresses over both APIs',
		async () => {
			const out = {};
			for (const api of APIS) {
				const run = (params) => fixtures[api].keap({ api, resource: 'contact', ...params });
				const address = { field: 'BILLING', line1: '9 Todo St', locality: 'Phoenix', region_code: 'US-AZ', country_code: 'USA', postal_code: '85001' };
				await run({ operation: 'create', email: 'todo.dee@example.com', addresses: { address: [address] } });
				const res = await run({ operation: 'upsert', matchOn: 'Email', email: 'todo.dee@example.com', additionalFields: { job_title: 'X' } });
				out[api] = res.items[0].json.addresses;
			}
			assert.equal(out.xmlrpc[0].region_code, 'US-AZ');
			assert.deepEqual(out.rest, out.xmlrpc);
		},
	);
});
