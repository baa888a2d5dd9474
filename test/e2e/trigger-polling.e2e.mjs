// The Keap CRM Polling Trigger in a real n8n: an active workflow polling "Every Minute" (the
// shortest interval n8n 2.41.1 accepts: activation refuses a sub-minute cron with "The polling
// interval is too short"). Changes made at the emulator between polls, several of them in the
// same second (and millisecond run) as the cursor, each reach exactly one execution: nothing
// missed, nothing twice. Executions are read back through n8n's REST API. A second workflow
// polls companies (Object: Company, Created or Updated) in the same n8n, on the same minutes.
// Takes about 4-5 minutes (one poll a minute). Runs once per version in N8N_E2E_VERSIONS.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { PAT, SAK, startEmulator } from '../emulator/index.mjs';
import { createN8nInstance, e2eVersions, packPackage } from './harness.mjs';
import { eventually, ownerSession } from './trigger-helpers.mjs';

const WORKFLOW_ID = 'e2eKeapPollTrig01';
const COMPANY_WORKFLOW_ID = 'e2eKeapPollTrig02';
const TRIGGER = 'Keap CRM Polling Trigger';
const LIST = 'GET /crm/rest/v2/contacts';
const COMPANY_LIST = 'GET /crm/rest/v2/companies';
const POLL_WAIT = { timeoutMs: 150_000, intervalMs: 500 };

function pollingWorkflow(credential, { id = WORKFLOW_ID, parameters = { event: 'contactUpdated' } } = {}) {
	return {
		id,
		name: `Keap polling trigger e2e ${id}`,
		active: false,
		nodes: [
			{
				id: 'e2e-poll-trigger',
				name: TRIGGER,
				type: 'n8n-nodes-keap.keapCrmPollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: 'apiKey', ...parameters, output: 'full', pollTimes: { item: [{ mode: 'everyMinute' }] } },
				credentials: { keapCrmApiKeyApi: credential },
			},
			{ id: 'e2e-poll-noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: {},
		pinData: {},
	};
}

for (const version of e2eVersions()) {
	describe(`n8n ${version}: the Keap CRM Polling Trigger`, () => {
		let emu;
		let n8n;
		let session;
		const cred = { id: 'e2ePollApiKey0001', name: 'Keap PAT (polling e2e)' };
		const keap = async (method, path, body) => {
			const res = await fetch(`${emu.url}${path}`, {
				method,
				headers: { authorization: `Bearer ${SAK}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			assert.ok(res.ok, `${method} ${path}: HTTP ${res.status}`);
			return await res.json();
		};
		let n = 0;
		const createContact = async (name) =>
			(await keap('POST', '/crm/rest/v2/contacts', { given_name: name, email_addresses: [{ email: `${name.toLowerCase()}-${++n}@example.com`, field: 'EMAIL1' }] })).id;
		const rename = async (id, name) => await keap('PATCH', `/crm/rest/v2/contacts/${id}?update_mask=given_name`, { given_name: name });
		const createCompany = async (name) => (await keap('POST', '/crm/rest/v2/companies', { company_name: name })).id;
		const renameCompany = async (id, name) => await keap('PATCH', `/crm/rest/v2/companies/${id}?update_mask=company_name`, { company_name: name });
		const polls = () => emu.counters().calls[LIST] ?? 0;
		/** Items of every successful execution of a workflow, oldest execution first. */
		const runs = async (workflowId = WORKFLOW_ID) => {
			const list = await session.executions(workflowId);
			assert.ok(list.every((e) => e.status === 'success' || e.status === 'running' || e.status === 'new'), JSON.stringify(list));
			const out = [];
			for (const e of list.filter((x) => x.status === 'success')) out.push((await session.executionItems(e.id, TRIGGER)).items);
			return out;
		};
		const waitForRuns = async (count, workflowId = WORKFLOW_ID) =>
			await eventually(async () => {
				const r = await runs(workflowId);
				return r.length >= count ? r : null;
			}, { ...POLL_WAIT, what: `${count} execution(s) of ${workflowId}` });

		beforeAll(async () => {
			const tarball = await packPackage();
			emu = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true });
			n8n = await createN8nInstance({ version, packageTarball: tarball });
			await n8n.importCredentials([{ ...cred, type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } }]);
			await n8n.importWorkflow(pollingWorkflow(cred));
			await n8n.publish(WORKFLOW_ID);
			await n8n.importWorkflow(pollingWorkflow(cred, { id: COMPANY_WORKFLOW_ID, parameters: { object: 'company', event: 'companyUpdated' } }));
			await n8n.publish(COMPANY_WORKFLOW_ID);
		}, 12 * 60_000);

		afterAll(async () => {
			await n8n?.cleanup();
			await emu?.close();
		}, 12 * 60_000);

		test('several polls with interleaved changes: every change in exactly one execution', async () => {
			await createContact('Before');
			const oldCo = await createCompany('Before Co');
			// Activation polls at once: the newest record, then its overlap window (2 list calls each).
			const companyPolls = () => emu.counters().calls[COMPANY_LIST] ?? 0;
			const server = await n8n.start({ timeoutMs: 180_000, ready: async () => polls() >= 2 && companyPolls() >= 2 });
			session = await ownerSession(server.url);
			assert.deepEqual(await runs(), [], 'the activation poll emits nothing: what was there is the past');
			assert.deepEqual(await runs(COMPANY_WORKFLOW_ID), []);

			// Keap's clock stands still: every write lands in the same second as the cursor.
			emu.freezeClock();
			const a = await createContact('Ann');
			const b = await createContact('Bob');
			const acme = await createCompany('Acme');
			await renameCompany(oldCo, 'Before Co 2');
			let r = await waitForRuns(1);
			assert.deepEqual(r.map((items) => items.map((i) => i.given_name)), [['Ann', 'Bob']]);
			assert.match(JSON.stringify(r[0][0]), /ann-\d+@example\.com/, 'full records');
			let co = await waitForRuns(1, COMPANY_WORKFLOW_ID);
			assert.deepEqual(co.map((items) => items.map((i) => [i.id, i.company_name])), [[[acme, 'Acme'], [oldCo, 'Before Co 2']]]);
			await renameCompany(acme, 'Acme 2');

			await rename(a, 'Ann2');
			const c = await createContact('Cy');
			await rename(b, 'Bob2');
			r = await waitForRuns(2);
			assert.deepEqual(r[1].map((i) => i.given_name), ['Ann2', 'Cy', 'Bob2']);
			co = await waitForRuns(2, COMPANY_WORKFLOW_ID);
			assert.deepEqual(co[1].map((i) => i.company_name), ['Acme 2']);

			// A poll with no change starts no execution.
			const seen = polls();
			await eventually(() => polls() > seen, { ...POLL_WAIT, what: 'an idle poll' });
			await new Promise((res) => setTimeout(res, 3_000));
			assert.equal((await runs()).length, 2);

			// Keap's clock runs again, 90 s further on.
			emu.unfreezeClock();
			emu.advanceClock(90_000);
			await rename(c, 'Cy2');
			const d = await createContact('Dee');
			r = await waitForRuns(3);
			assert.deepEqual(r[2].map((i) => [i.id, i.given_name]), [
				[c, 'Cy2'],
				[d, 'Dee'],
			]);

			const all = r.flat().map((i) => `${i.id}@${i.update_time}`);
			assert.equal(new Set(all).size, all.length, `no duplicates: ${all}`);
			assert.equal(all.length, 7);
			const companies = (await runs(COMPANY_WORKFLOW_ID)).flat().map((i) => `${i.id}@${i.update_time}`);
			assert.equal(companies.length, 3, `each company change once: ${companies}`);
			assert.equal(new Set(companies).size, 3);
			await server.stop();
		}, 12 * 60_000);
	});
}
