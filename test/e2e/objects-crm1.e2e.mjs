// Companies, notes, users, email address status and custom fields through the Keap CRM node
// inside a real n8n (the packed package installed as a community package), against the
// emulator with its OpenAPI request validation on: one Webhook-triggered workflow per
// operation on one started n8n, called in the order a user would (create, get, update, delete).
// What the node did is checked in the emulator's data, and the emulator must reject nothing.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, packPackage, webhookWorkflow } from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
const b = (field) => `={{ $json.body.${field} }}`;
const rl = (mode, field) => ({ __rl: true, mode, value: b(field) });

/** One workflow per operation: path -> Keap CRM parameters (values may read the webhook body). */
const OPERATIONS = {
	'co-create': {
		resource: 'company',
		operation: 'create',
		companyName: b('name'),
		additionalFields: { email: b('email'), locality: 'Phoenix', line1: '12 Pipe Rd', owner_id: { __rl: true, mode: 'list', value: '3' } },
		customFields: { mappingMode: 'defineBelow', value: { Industry: 'Services' } },
	},
	'co-get': { resource: 'company', operation: 'get', company: rl('name', 'name') },
	'co-update': { resource: 'company', operation: 'update', company: rl('id', 'id'), updateFields: { locality: b('city') } },
	'co-upsert': { resource: 'company', operation: 'upsert', companyName: b('name'), additionalFields: { notes: b('notes') } },
	'co-tag': { resource: 'company', operation: 'applyTags', company: rl('id', 'id'), tags: ['={{ $json.body.tag }}'], createMissing: true },
	'co-getall': { resource: 'company', operation: 'getAll', returnAll: true, filters: { name: b('prefix') }, output: 'simplified' },
	'co-delete': { resource: 'company', operation: 'delete', company: rl('id', 'id') },
	'contact-create': {
		resource: 'contact',
		operation: 'create',
		email: b('email'),
		additionalFields: { company_id: rl('id', 'company'), opt_out_reason: 'Asked by phone' },
	},
	'note-create': {
		resource: 'note',
		operation: 'create',
		contact: rl('id', 'contact'),
		user: { __rl: true, mode: 'list', value: '1' },
		title: b('title'),
		additionalFields: { type: 'Call' },
	},
	'note-get': { resource: 'note', operation: 'get', note: rl('id', 'id') },
	'note-update': { resource: 'note', operation: 'update', note: rl('id', 'id'), updateFields: { text: b('text') } },
	'note-getall': { resource: 'note', operation: 'getAll', scope: 'contact', contact: rl('id', 'contact'), returnAll: true },
	'note-delete': { resource: 'note', operation: 'delete', note: rl('id', 'id') },
	'user-get': { resource: 'user', operation: 'get', user: rl('id', 'id') },
	'user-getall': { resource: 'user', operation: 'getAll', returnAll: true },
	'status-get': { resource: 'emailStatus', operation: 'get', email: b('email') },
	'status-set': { resource: 'emailStatus', operation: 'set', email: b('email'), status: 'optIn', reason: b('reason') },
	'field-getall': { resource: 'customField', operation: 'getAll', object: 'contact', returnAll: true },
	'field-create': { resource: 'customField', operation: 'create', object: 'contact', label: b('label'), fieldType: 'TEXT' },
};

for (const version of e2eVersions()) {
	describe(`n8n ${version}: companies, notes, users, email status and custom fields`, () => {
		let emu;
		let n8n;
		const cred = { id: 'e2eCrm1ApiKey0001', name: 'Keap PAT (crm1 objects e2e)' };

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			let n = 0;
			for (const [path, parameters] of Object.entries(OPERATIONS)) {
				const id = await n8n.importWorkflow(
					webhookWorkflow({
						id: `e2eCrm1${String(++n).padStart(2, '0')}${version.replaceAll('.', '')}`.slice(0, 21),
						path,
						nodes: [
							{
								name: 'Keap CRM',
								type: 'n8n-nodes-keap.keapCrm',
								typeVersion: 1,
								parameters: { authentication: 'apiKey', ...parameters },
								credentials: { keapCrmApiKeyApi: cred },
							},
						],
					}),
				);
				await n8n.publish(id);
			}
			await n8n.start();
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		const call = async (path, body) => {
			const res = await n8n.callWebhook(path, body);
			assert.equal(res.status, 200, `${path}: ${res.text}`);
			assert.ok(Array.isArray(res.body), `${path}: ${res.text}`);
			return res.body;
		};

		test('create, get, update and delete each object, with nothing rejected by Keap’s schemas', async () => {
			const stamp = `${version.replaceAll('.', '-')}-${Date.now()}`;

			// Companies
			const name = `E2E Plumbing ${stamp}`;
			const [co] = await call('co-create', { name, email: `office-${stamp}@example.com` });
			assert.match(co.id, /^\d+$/);
			assert.equal(co.owner_id, '3');
			assert.deepEqual(co.custom_fields, { Industry: 'Services' });
			const [got] = await call('co-get', { name: name.toLowerCase() });
			assert.equal(got.id, co.id, 'found by name');
			const [moved] = await call('co-update', { id: co.id, city: 'Tempe' });
			assert.equal(moved.address.locality, 'Tempe');
			assert.equal(moved.address.line1, '12 Pipe Rd', 'the street is kept');
			const [up] = await call('co-upsert', { name, notes: 'matched' });
			assert.equal(up.id, co.id, 'Create or Update matched the name');
			assert.equal(up.notes, 'matched');
			const [tagged] = await call('co-tag', { id: co.id, tag: `E2E Company Tag ${stamp}` });
			assert.deepEqual(Object.values(tagged.results), ['SUCCESS']);
			const many = await call('co-getall', { prefix: `E2E Plumbing ${stamp}*` });
			assert.deepEqual(many.map((c) => [c.id, c.city, c.tag_ids.length]), [[co.id, 'Tempe', 1]]);

			// A contact of the company, opted out; its notes
			const contactEmail = `crm1-${stamp}@example.com`;
			const [contact] = await call('contact-create', { email: contactEmail, company: co.id });
			assert.equal(contact.company_id, co.id);
			assert.equal(emu.store.emailStatusOf(contactEmail).status, 'Manual', 'opted out');
			const [note] = await call('note-create', { contact: contact.id, title: 'Intro call' });
			assert.equal(note.contact_id, contact.id);
			assert.equal(note.type, 'Call');
			const [noteGot] = await call('note-get', { id: note.id });
			assert.equal(noteGot.title, 'Intro call');
			const [noteUp] = await call('note-update', { id: note.id, text: 'Left a voicemail' });
			assert.equal(noteUp.text, 'Left a voicemail');
			assert.equal(noteUp.user_id, '1');
			const notes = await call('note-getall', { contact: contact.id });
			assert.deepEqual(notes.map((n) => n.id), [note.id]);
			assert.deepEqual(await call('note-delete', { id: note.id }), [{ deleted: true }]);
			assert.equal(emu.store.notes.has(Number(note.id)), false);

			// Email address status
			const [status] = await call('status-get', { email: contactEmail });
			assert.deepEqual([status.opted_in, status.status], [false, 'MANUAL']);
			const [opted] = await call('status-set', { email: contactEmail, reason: 'Signed up again' });
			assert.deepEqual([opted.opted_in, opted.status], [true, 'SINGLE_OPT_IN']);

			// Users and custom fields
			const [sam] = await call('user-get', { id: '3' });
			assert.equal(sam.name, 'Sam Seller');
			const users = await call('user-getall', {});
			assert.deepEqual(users.map((u) => u.id).sort(), ['1', '3']);
			const fields = await call('field-getall', {});
			assert.ok(fields.some((f) => f.label === 'Membership Level' && f.field_type === 'DROPDOWN'));
			const [field] = await call('field-create', { label: `E2E Field ${stamp}` });
			assert.equal(field.field_type, 'TEXT');
			assert.ok(emu.store.customFields.some((f) => String(f.id) === field.id), 'the contact model has the new field');

			assert.deepEqual(await call('co-delete', { id: co.id }), [{ deleted: true }]);
			assert.equal(emu.store.companies.has(Number(co.id)), false);

			assert.equal(emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request');
			for (const entry of emu.log()) assert.notEqual(entry.status, 400, `${entry.method} ${entry.path} -> 400`);
		}, 10 * 60_000);
	});
}
