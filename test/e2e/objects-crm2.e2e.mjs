// Tasks, opportunities and opportunity stages of the Keap CRM node inside a real n8n (the packed
// package installed as a community package), against the emulator with its OpenAPI request
// validation on and the demo data set (users, a six-stage pipeline). One workflow per object,
// run with `n8n execute`: a chain of Keap CRM nodes in the order a user would call them
// (create, get, update, complete / move to stage, get many, delete), each reading the record ID
// from the node before. Every node's output is checked, and what it did in the emulator's data;
// the emulator must reject nothing.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, manualWorkflow, packPackage } from './harness.mjs';

const PAT = 'KeapPAT-emulator-pat';
const rl = (mode, value) => ({ __rl: true, mode, value });
const mapper = (value) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] });
const previousId = '={{ $json.id }}';
const createdId = (node) => `={{ $('${node}').item.json.id }}`;

const TASK_NODES = [
	[
		'Create task',
		{
			resource: 'task',
			operation: 'create',
			title: 'E2E call',
			assignedTo: rl('id', '1'),
			additionalFields: {
				contact: rl('email', 'olivia.garcia@example.com'),
				due_time: '2031-05-05T09:30:00Z',
				priority: 'CRITICAL',
				type: 'Call',
				remind_time_mins: 60,
			},
			customFields: mapper({ 26: 'Voicemail' }),
		},
	],
	['Get task', { resource: 'task', operation: 'get', task: rl('id', previousId) }],
	[
		'Update task',
		{
			resource: 'task',
			operation: 'update',
			task: rl('id', previousId),
			updateFields: { title: 'E2E call, renamed' },
			customFields: mapper({ 28: true }),
		},
	],
	['Complete task', { resource: 'task', operation: 'complete', task: rl('id', previousId) }],
	[
		'Tasks due in May',
		{
			resource: 'task',
			operation: 'getAll',
			returnAll: true,
			filters: { contact: rl('id', '1001'), dueAfter: '2031-05-01T00:00:00Z', dueBefore: '2031-05-31T00:00:00Z' },
			output: 'simplified',
		},
	],
	['Delete task', { resource: 'task', operation: 'delete', task: rl('id', createdId('Create task')) }],
];

const OPPORTUNITY_NODES = [
	['Stages', { resource: 'opportunityStage', operation: 'getAll', returnAll: false, limit: 1, output: 'selected', selectedFields: 'id, name' }],
	[
		'Create opportunity',
		{
			resource: 'opportunity',
			operation: 'create',
			title: 'E2E deal',
			contact: rl('id', '1002'),
			stage: rl('name', 'Qualified'),
			additionalFields: { assignedTo: rl('id', '3'), projected_revenue_low: 1000, projected_revenue_high: 2500 },
			customFields: mapper({ 22: 'E2E' }),
		},
	],
	['Get opportunity', { resource: 'opportunity', operation: 'get', opportunity: rl('id', previousId) }],
	[
		'Update opportunity',
		{
			resource: 'opportunity',
			operation: 'update',
			opportunity: rl('id', previousId),
			updateFields: { opportunity_title: 'E2E deal, renamed', next_action_notes: 'Call Tuesday' },
		},
	],
	['Move to Won', { resource: 'opportunity', operation: 'moveToStage', opportunity: rl('id', previousId), stage: rl('name', 'Won') }],
	[
		'Deals of the contact',
		{ resource: 'opportunity', operation: 'getAll', returnAll: true, filters: { contact: rl('id', '1002'), stage: rl('name', 'Won') } },
	],
	['Delete opportunity', { resource: 'opportunity', operation: 'delete', opportunity: rl('id', createdId('Create opportunity')) }],
];

for (const version of e2eVersions()) {
	describe(`n8n ${version}: tasks, opportunities and stages`, () => {
		let emu;
		let n8n;
		const cred = { id: 'e2eCrm2ApiKey0001', name: 'Keap PAT (crm objects e2e)' };
		const flow = async (id, nodes) =>
			await n8n.importWorkflow(
				manualWorkflow({
					id: `${id}${version.replaceAll('.', '')}`.slice(0, 21),
					nodes: nodes.map(([name, parameters]) => ({
						name,
						type: 'n8n-nodes-keap.keapCrm',
						typeVersion: 1,
						parameters: { authentication: 'apiKey', ...parameters },
						credentials: { keapCrmApiKeyApi: cred },
					})),
				}),
			);
		let tasksFlow;
		let opportunitiesFlow;

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, seed: 'demo' });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			tasksFlow = await flow('e2eCrm2Tasks', TASK_NODES);
			opportunitiesFlow = await flow('e2eCrm2Opps', OPPORTUNITY_NODES);
		}, 10 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 10 * 60_000);

		test('tasks: create, get, update, complete, get many by due range, delete', async () => {
			const run = await n8n.execute(tasksFlow);
			assert.ok(run.ok, `the workflow failed: ${run.error?.message ?? ''}\n${run.log()}`);
			const [created] = run.outputOf('Create task');
			assert.match(created.id, /^\d+$/);
			assert.equal(created.contact_id, '1001');
			assert.equal(created.due_time, '2031-05-05T09:30:00.000Z');
			assert.deepEqual(created.custom_fields, { 'Call Outcome': 'Voicemail', 'Follow Up': null });
			assert.deepEqual(run.outputOf('Get task').map((t) => [t.id, t.title]), [[created.id, 'E2E call']]);
			const [updated] = run.outputOf('Update task');
			assert.equal(updated.title, 'E2E call, renamed');
			assert.deepEqual(updated.custom_fields, { 'Call Outcome': 'Voicemail', 'Follow Up': true }, 'the other custom field was kept');
			const [done] = run.outputOf('Complete task');
			assert.equal(done.completed, true);
			assert.ok(done.completion_time);
			assert.deepEqual(run.outputOf('Tasks due in May').map((t) => t.id), [created.id], 'Olivia’s one task due in May 2031');
			assert.deepEqual(run.outputOf('Delete task'), [{ deleted: true }]);
			assert.equal(emu.store.tasks.get(Number(created.id)), undefined);
			const writes = emu.log().filter((e) => e.path.startsWith('/crm/rest/v2/tasks') && e.method !== 'GET');
			assert.deepEqual(
				writes.map((e) => e.method),
				['POST', 'PATCH', 'PATCH', 'DELETE'],
				'create, update, complete (a PATCH), delete',
			);
		}, 10 * 60_000);

		test('opportunities and stages: stages, create, get, update, move to stage, get many, delete', async () => {
			const run = await n8n.execute(opportunitiesFlow);
			assert.ok(run.ok, `the workflow failed: ${run.error?.message ?? ''}\n${run.log()}`);
			assert.deepEqual(run.outputOf('Stages'), [{ id: '21', name: 'New Opportunity' }]);
			const [created] = run.outputOf('Create opportunity');
			assert.match(created.id, /^\d+$/);
			assert.deepEqual([created.stage_name, created.user_id, created.contact_id], ['Qualified', '3', '1002']);
			assert.deepEqual(created.custom_fields, { 'Deal Source': 'E2E', 'Renewal Date': null });
			assert.equal(run.outputOf('Get opportunity')[0].opportunity_title, 'E2E deal');
			const [updated] = run.outputOf('Update opportunity');
			assert.equal(updated.opportunity_title, 'E2E deal, renamed');
			assert.equal(updated.next_action_notes, 'Call Tuesday');
			assert.equal(updated.projected_revenue_high, 2500, 'fields not set were kept');
			const [moved] = run.outputOf('Move to Won');
			assert.deepEqual([moved.stage_id, moved.stage_name], ['25', 'Won']);
			const moves = [...emu.store.stageMoves.values()].filter((m) => m.opportunity_id === Number(created.id));
			assert.deepEqual(moves.map((m) => [m.from_stage_id, m.to_stage_id]), [[0, 22], [22, 25]]);
			assert.deepEqual(run.outputOf('Deals of the contact').map((o) => o.id), [created.id]);
			assert.deepEqual(run.outputOf('Delete opportunity'), [{ deleted: true }]);
			assert.equal(emu.store.opportunities.get(Number(created.id)), undefined);
		}, 10 * 60_000);

		test('nothing was rejected by Keap’s schemas', () => {
			assert.ok(emu.log().length > 0);
			assert.equal(emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request');
			for (const entry of emu.log()) assert.notEqual(entry.status, 400, `${entry.method} ${entry.path} -> 400`);
		}, 10 * 60_000);
	});
}
