// The Email, File, Campaign (Automation) and Affiliate resources of the Keap CRM node inside a
// real n8n (the packed package installed as a community package), against the emulator with its
// OpenAPI request validation on: every operation, as chains of nodes in four workflows run by
// `n8n execute`. The file workflow makes a file with n8n's own nodes (Edit Fields, Convert to
// File), uploads it, downloads it and reads it back (Extract from File): the bytes must be the
// ones made. What the nodes did is checked in their output and in the emulator's data; the
// emulator must reject nothing.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, manualWorkflow, packPackage } from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
const VERIFY_KEY = 'KeapAK-emulator-sak';
const byId = (value) => ({ __rl: true, mode: 'id', value });
const idOf = (node) => `={{ $('${node}').first().json.id }}`;

function keapNode(cred, name, parameters) {
	return {
		name,
		type: 'n8n-nodes-keap.keapCrm',
		typeVersion: 1,
		parameters: { authentication: 'apiKey', ...parameters },
		credentials: { keapCrmApiKeyApi: cred },
	};
}
const keapNodes = (cred, steps) => steps.map(([name, parameters]) => keapNode(cred, name, parameters));

const emailSteps = (stamp) => [
	[
		'Create Record',
		{
			resource: 'email',
			operation: 'createRecord',
			sentToAddress: 'olivia.garcia@example.com',
			additionalFields: { contact_id: '1001', subject: `E2E logged ${stamp}`, plain_content: 'Logged from n8n', sent_time: '2025-04-01T08:00:00Z' },
		},
	],
	['Get Email', { resource: 'email', operation: 'get', emailRecord: byId(idOf('Create Record')) }],
	[
		'Send Email',
		{
			resource: 'email',
			operation: 'send',
			contactIds: '1001, 1003',
			user: byId('1'),
			subject: `E2E send ${stamp}`,
			htmlContent: '<p>Hello from n8n</p>',
			plainContent: 'Hello from n8n',
		},
	],
	['Send Template', { resource: 'email', operation: 'sendTemplate', templateId: '61', contactIds: '1001', user: byId('3') }],
	['Delete Email', { resource: 'email', operation: 'delete', emailRecord: byId(idOf('Create Record')) }],
	['Find Emails', { resource: 'email', operation: 'getAll', returnAll: true, filters: { contact: byId('1001') } }],
];

const campaignSteps = () => [
	['Get Campaign', { resource: 'campaign', operation: 'get', campaign: byId('21') }],
	['Add To Sequence', { resource: 'campaign', operation: 'addToSequence', campaign: byId('21'), sequence: byId('32'), contactIds: '1002, 1004' }],
	['Remove From Sequence', { resource: 'campaign', operation: 'removeFromSequence', campaign: byId('21'), sequence: byId('32'), contactIds: '1004' }],
	['Achieve Goal', { resource: 'campaign', operation: 'achieveGoal', integration: 'emulator', callName: 'signup', contactIds: '1005' }],
	['Find Campaigns', { resource: 'campaign', operation: 'getAll', returnAll: true }],
];

const affiliateSteps = (stamp) => [
	['Create Affiliate', { resource: 'affiliate', operation: 'create', contact: byId('1006'), code: `E2E${stamp}`.toUpperCase(), additionalFields: { status: 'ACTIVE' } }],
	['Get Affiliate', { resource: 'affiliate', operation: 'get', affiliate: byId(idOf('Create Affiliate')) }],
	['Find Affiliates', { resource: 'affiliate', operation: 'getAll', returnAll: true, filters: { code: `E2E${stamp}`.toUpperCase() } }],
];

function fileWorkflow(id, cred, b64) {
	return manualWorkflow({
		id,
		nodes: [
			{
				name: 'Make Data',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: { mode: 'manual', assignments: { assignments: [{ id: 'b64', name: 'b64', value: b64, type: 'string' }] }, options: {} },
			},
			{
				name: 'To File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				parameters: { operation: 'toBinary', sourceProperty: 'b64', options: { fileName: 'e2e-report.pdf', mimeType: 'application/pdf' } },
			},
			keapNode(cred, 'Upload File', { resource: 'file', operation: 'upload', association: 'CONTACT', contact: byId('1001') }),
			keapNode(cred, 'Download File', { resource: 'file', operation: 'download', file: byId(idOf('Upload File')), binaryPropertyName: 'report' }),
			{
				name: 'Read Back',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1.1,
				parameters: { operation: 'binaryToPropery', binaryPropertyName: 'report', destinationKey: 'b64', options: {} },
			},
			keapNode(cred, 'Delete File', { resource: 'file', operation: 'delete', file: byId(idOf('Upload File')) }),
			keapNode(cred, 'Find Files', { resource: 'file', operation: 'getAll', returnAll: true, filters: { contact: byId('1001') } }),
		],
	});
}

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the Email, File, Campaign and Affiliate resources of the Keap CRM node`, () => {
		let emu;
		let n8n;
		const cred = { id: 'e2eCom2ApiKey00001', name: 'Keap PAT (com2 e2e)' };
		const stamp = `${version.replaceAll('.', '')}${Date.now().toString(36)}`;
		const bytes = randomBytes(200_000);
		const ids = {};

		const verify = async (path) => {
			const res = await fetch(`${emu.url}/crm/rest/v2${path}`, { headers: { 'X-Keap-API-Key': VERIFY_KEY } });
			return { status: res.status, body: res.status === 204 ? null : await res.json() };
		};

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, seed: 'demo' });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			const v = version.replaceAll('.', '');
			ids.emails = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom2Mail${v}`, nodes: keapNodes(cred, emailSteps(stamp)) }));
			ids.files = await n8n.importWorkflow(fileWorkflow(`e2eCom2File${v}`, cred, bytes.toString('base64')));
			ids.campaigns = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom2Camp${v}`, nodes: keapNodes(cred, campaignSteps()) }));
			ids.affiliates = await n8n.importWorkflow(manualWorkflow({ id: `e2eCom2Aff${v}`, nodes: keapNodes(cred, affiliateSteps(stamp)) }));
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		const run = async (id) => {
			const res = await n8n.execute(id);
			assert.ok(res.ok, `execution failed: ${JSON.stringify(res.error)}\n${res.log()}`);
			return res;
		};

		test('file: a file made in n8n is uploaded for a contact, downloaded byte-identical with its name and MIME type, deleted', async () => {
			const res = await run(ids.files);
			const [uploaded] = res.outputOf('Upload File');
			assert.equal(uploaded.file_name, 'e2e-report.pdf');
			assert.equal(uploaded.file_size, bytes.length);
			assert.equal(uploaded.contact_id, '1001');
			const downloaded = res.runData['Download File'].at(-1).data.main[0][0];
			assert.equal(downloaded.json.id, uploaded.id);
			assert.equal(downloaded.binary.report.fileName, 'e2e-report.pdf');
			assert.equal(downloaded.binary.report.mimeType, 'application/pdf');
			const [readBack] = res.outputOf('Read Back');
			assert.equal(Buffer.from(readBack.b64, 'base64').equals(bytes), true, 'downloaded bytes are the uploaded ones');
			assert.deepEqual(res.outputOf('Delete File'), [{ deleted: true }]);
			assert.equal((await verify(`/files/${uploaded.id}`)).status, 404);
			assert.ok(res.outputOf('Find Files').every((f) => f.contact_id === '1001' && f.id !== uploaded.id));
		}, 10 * 60_000);

		test('email: create record, get, send, send template, delete, get many', async () => {
			const res = await run(ids.emails);
			const [created] = res.outputOf('Create Record');
			assert.equal(res.outputOf('Get Email')[0].plain_content, 'Logged from n8n');
			assert.deepEqual(res.outputOf('Send Email'), [{ sent: true, contact_ids: ['1001', '1003'], subject: `E2E send ${stamp}`, calls: 1 }]);
			assert.deepEqual(res.outputOf('Send Template'), [{ sent: true, template_id: '61', contact_ids: ['1001'], calls: 1 }]);
			assert.deepEqual(res.outputOf('Delete Email'), [{ deleted: true }]);
			assert.equal((await verify(`/emails/${created.id}`)).status, 404);
			const subjects = res.outputOf('Find Emails').map((e) => e.subject);
			assert.ok(subjects.includes(`E2E send ${stamp}`), 'the sent email is in the contact’s history');
			assert.ok(subjects.includes('Welcome aboard'), 'the template too');
		}, 10 * 60_000);

		test('campaign: get with sequences and goals, add to and remove from a sequence, achieve an API goal, get many', async () => {
			const res = await run(ids.campaigns);
			const [campaign] = res.outputOf('Get Campaign');
			assert.deepEqual(campaign.sequences.map((s) => s.id), ['31', '32']);
			assert.deepEqual(res.outputOf('Add To Sequence')[0].results, { 1002: 'SUCCESS', 1004: 'SUCCESS' });
			assert.deepEqual(res.outputOf('Remove From Sequence')[0].results, { 1004: 'SUCCESS' });
			assert.equal(res.outputOf('Achieve Goal')[0].results[0].achieved, true);
			assert.deepEqual(res.outputOf('Find Campaigns').map((c) => c.id).sort(), ['21', '22']);
			const stored = emu.store.snapshot().automations.find((a) => a.id === '21');
			assert.deepEqual(stored.sequences.find((s) => s.id === 32).contact_ids, [1002]);
			assert.deepEqual(stored.sequences.find((s) => s.id === 31).contact_ids, [1005]);
		}, 10 * 60_000);

		test('affiliate: create, get, get many', async () => {
			const res = await run(ids.affiliates);
			const [created] = res.outputOf('Create Affiliate');
			assert.equal(created.contact_id, '1006');
			assert.equal(created.status, 'ACTIVE');
			assert.equal(res.outputOf('Get Affiliate')[0].code, created.code);
			assert.deepEqual(res.outputOf('Find Affiliates').map((a) => a.id), [created.id]);
			assert.equal((await verify(`/affiliates/${created.id}`)).body.code, created.code);
		}, 10 * 60_000);

		test('nothing was rejected by Keap’s schemas', () => {
			assert.equal(emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request');
			for (const entry of emu.log()) assert.notEqual(entry.status, 400, `${entry.method} ${entry.path} -> 400`);
		}, 10 * 60_000);
	});
}
