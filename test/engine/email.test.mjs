// Keap CRM node, Email resource, through n8n-core's engine against the emulator (REST v2 /emails
// with Keap's document as the request schema): Send (HTML and plain text as Base64, from a user or
// an address, attachments from binary properties) and Send Template batched across items (100
// contacts per call, the emulator's emailSendContactsMax), Create Record, Get, Get Many, Delete,
// Continue On Fail, the email record picker and the template list.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { runWorkflow } from './harness.mjs';
import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

/** A node that turns `{ b64, fileName, prop }` items into binary data with n8n's helpers. */
class BinaryMaker {
	description = {
		displayName: 'Binary Maker',
		name: 'binaryMaker',
		group: ['transform'],
		version: 1,
		description: 'Makes binary data',
		defaults: { name: 'Binary' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute() {
		const out = [];
		for (const item of this.getInputData()) {
			const { files = [], ...json } = item.json;
			const binary = {};
			for (const f of files) binary[f.prop] = await this.helpers.prepareBinaryData(Buffer.from(f.b64, 'base64'), f.fileName);
			out.push({ json, binary });
		}
		return [out];
	}
}

let fx;
let provoked = 0;
let ids;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
	const seeded = fx.emu.seed({
		contacts: Array.from({ length: 150 }, (_, n) => ({
			given_name: `Mail${n}`,
			email_addresses: [{ email: `mail${n}@example.com`, field: 'EMAIL1' }],
			opt_in_reason: 'Signed up',
		})),
	});
	ids = seeded.contacts.map(String);
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, provoked, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const email = (parameters, items, options) => fx.keap({ resource: 'email', ...parameters }, items, options);
const calls = (method, fragment) => fx.emu.log().filter((e) => e.method === method && e.path.endsWith(fragment));
const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const recordsWith = (subject) => [...fx.emu.store.emails.values()].filter((e) => e.subject === subject);

describe('email', () => {
	test('send: the same email for 150 contacts over 2 items in 2 calls of at most 100; another email in its own call', async () => {
		const before = calls('POST', '/v2/emails:send').length;
		const subject = `Spring news ${Date.now()}`;
		const res = jsonOf(
			await email(
				{
					operation: 'send',
					contactIds: '={{ $json.ids }}',
					user: byId('1'),
					subject: '={{ $json.subject }}',
					htmlContent: '<p>Hello ~Contact.FirstName~ — ünïcode ✓</p>',
					plainContent: 'Hello ~Contact.FirstName~',
				},
				[
					{ ids: ids.slice(0, 90), subject },
					{ ids: ids.slice(90).join(','), subject },
					{ ids: [ids[0]], subject: `${subject} (other)` },
				],
			),
		);
		const made = calls('POST', '/v2/emails:send').slice(before);
		assert.equal(made.length, 3, '2 calls for the shared email, 1 for the other');
		assert.ok(made.every((c) => c.status === 202 && c.body.contacts.length <= 100));
		assert.equal(made[0].body.html_content, b64('<p>Hello ~Contact.FirstName~ — ünïcode ✓</p>'), 'Base64 of the UTF-8 text');
		assert.equal(made[0].body.user_id, '1');
		assert.deepEqual(res.map((r) => [r.sent, r.contact_ids.length, r.calls]), [
			[true, 90, 1],
			[true, 60, 2],
			[true, 1, 1],
		]);
		assert.equal(recordsWith(subject).length, 150, 'every contact got it once');
		assert.equal(recordsWith(`${subject} (other)`).length, 1);
		const [one] = recordsWith(subject);
		assert.equal(Buffer.from(one.plain_content, 'base64').toString(), 'Hello ~Contact.FirstName~');
		assert.equal(one.sent_from_address, 'avery.admin@emulator.example');
	});

	test('send from an address, to the second email field, with attachments from binary properties', async () => {
		const subject = `Invoice ${Date.now()}`;
		const result = await runWorkflow({
			nodes: [
				{ name: 'Binary', type: 'binaryMaker' },
				{
					name: 'Keap',
					type: 'keapCrm',
					parameters: {
						authentication: 'apiKey',
						resource: 'email',
						operation: 'send',
						contactIds: ids[5],
						fromType: 'address',
						fromAddress: 'sam.seller@emulator.example',
						subject,
						plainContent: 'See attached',
						options: { attachments: 'invoice, notes' },
					},
					credentials: { keapCrmApiKeyApi: 'pat' },
				},
			],
			connections: { Binary: { main: [[{ node: 'Keap', type: 'main', index: 0 }]] } },
			startItems: [
				{
					files: [
						{ prop: 'invoice', b64: Buffer.from('%PDF-1.4 fake').toString('base64'), fileName: 'invoice.pdf' },
						{ prop: 'notes', b64: b64('a note'), fileName: 'notes.txt' },
					],
				},
			],
			store: fx.newStore(),
			nodeTypes: { binaryMaker: new BinaryMaker() },
		});
		assert.equal(result.runData.Keap[0].error, undefined);
		const call = calls('POST', '/v2/emails:send').at(-1);
		assert.equal(call.body.from_address, 'sam.seller@emulator.example');
		assert.deepEqual(call.body.attachments.map((a) => [a.file_name, Buffer.from(a.file_data, 'base64').toString()]), [
			['invoice.pdf', '%PDF-1.4 fake'],
			['notes.txt', 'a note'],
		]);
		assert.deepEqual(recordsWith(subject)[0].attachments, ['invoice.pdf', 'notes.txt']);

		const before = fx.calls();
		const bad = await runWorkflow({
			nodes: [
				{ name: 'Binary', type: 'binaryMaker' },
				{
					name: 'Keap',
					type: 'keapCrm',
					parameters: {
						authentication: 'apiKey',
						resource: 'email',
						operation: 'send',
						contactIds: ids[5],
						user: byId('1'),
						subject: 'x',
						plainContent: 'x',
						options: { attachments: '={{ $json.names }}' },
					},
					credentials: { keapCrmApiKeyApi: 'pat' },
					onError: 'continueRegularOutput',
				},
			],
			connections: { Binary: { main: [[{ node: 'Keap', type: 'main', index: 0 }]] } },
			startItems: [
				{ names: 'run', files: [{ prop: 'run', b64: b64('#!'), fileName: 'run.exe' }] },
				{ names: 'big', files: [{ prop: 'big', b64: Buffer.alloc(1_000_001).toString('base64'), fileName: 'big.pdf' }] },
			],
			store: fx.newStore(),
			nodeTypes: { binaryMaker: new BinaryMaker() },
		});
		const items = bad.runData.Keap[0].data.main[0];
		assert.deepEqual(items.map((i) => i.json.error), [
			'Item 0, Options > Attachment Binary Properties > run: Keap does not accept attachments named "run.exe" (its extension is not one Keap lists)',
			'Item 1, Options > Attachment Binary Properties > big: "big.pdf" has 1000001 bytes; Keap takes attachments of at most 1 MB (1000000 bytes)',
		]);
		assert.equal(fx.calls(), before, 'nothing sent');
	});

	test('send template: batched too; the template list', async () => {
		const templates = await runNodeMethod({ kind: 'loadOptions', method: 'getEmailTemplates', store: fx.newStore() });
		assert.deepEqual(templates.map((t) => [t.name, t.value]), [
			['Invoice reminder', '62'],
			['Welcome', '61'],
		]);
		const before = calls('POST', '/v2/emails/templates:send').length;
		const res = jsonOf(
			await email({ operation: 'sendTemplate', templateId: '61', contactIds: '={{ $json.ids }}', user: { __rl: true, mode: 'email', value: 'sam.seller@emulator.example' } }, [
				{ ids: ids.slice(0, 100) },
				{ ids: ids.slice(100, 110) },
			]),
		);
		const made = calls('POST', '/v2/emails/templates:send').slice(before);
		assert.equal(made.length, 2);
		assert.deepEqual(made.map((c) => c.body.contact_ids.length), [100, 10]);
		assert.equal(made[0].body.user_id, '3');
		assert.deepEqual(res.map((r) => [r.template_id, r.contact_ids.length]), [
			['61', 100],
			['61', 10],
		]);
	});

	test('create record, get (contents as text), get many, delete', async () => {
		const [created] = jsonOf(
			await email({
				operation: 'createRecord',
				sentToAddress: 'mail1@example.com',
				additionalFields: {
					contact_id: ids[1],
					subject: 'Logged from Gmail',
					sent_from_address: 'me@example.org',
					sent_to_cc_address_list: 'cc1@example.org, cc2@example.org',
					sent_time: '2025-03-01T10:00:00Z',
					html_content: '<b>Hi</b>',
					plain_content: 'Hi',
					original_provider: 'GOOGLE',
					original_provider_id: `gmail-${Date.now()}`,
				},
			}),
		);
		assert.match(created.id, /^\d+$/);
		assert.equal(created.html_content, '<b>Hi</b>');
		assert.deepEqual(created.sent_to_cc_address_list, ['cc1@example.org', 'cc2@example.org']);
		assert.equal(calls('POST', '/v2/emails').at(-1).body.plain_content, b64('Hi'));
		assert.equal(calls('POST', '/v2/emails').at(-1).body.sent_time, '2025-03-01T10:00:00.000Z');

		const [got] = jsonOf(await email({ operation: 'get', emailRecord: byId(created.id) }));
		assert.equal(got.plain_content, 'Hi');
		assert.equal(got.original_provider, 'GOOGLE');
		const [raw] = jsonOf(await email({ operation: 'get', emailRecord: byId(created.id), output: 'raw' }));
		assert.equal(raw.plain_content, b64('Hi'));
		const [simple] = jsonOf(await email({ operation: 'get', emailRecord: byId(created.id), output: 'simplified' }));
		assert.deepEqual(Object.keys(simple), ['id', 'subject', 'contact_id', 'sent_to_address', 'sent_from_address', 'sent_time', 'opened_time', 'clicked_time']);

		const mine = jsonOf(await email({ operation: 'getAll', returnAll: true, filters: { contact: byId(ids[1]) } }));
		assert.ok(mine.some((e) => e.id === created.id));
		assert.ok(mine.every((e) => e.contact_id === ids[1]));
		const toAddress = jsonOf(await email({ operation: 'getAll', returnAll: true, filters: { email: 'olivia.garcia@example.com' } }));
		assert.deepEqual(toAddress.map((e) => e.subject), ['Thanks for your order']);
		const newest = jsonOf(await email({ operation: 'getAll', returnAll: false, limit: 2, sort: { direction: 'desc' } }));
		assert.equal(newest.length, 2);
		assert.equal(newest[0].id, created.id);
		assert.equal(calls('GET', '/v2/emails').at(-1).query.order_by, 'created_time desc');
		const window = jsonOf(
			await email({ operation: 'getAll', returnAll: true, filters: { since: '2000-01-01T00:00:00Z', until: '2999-01-01T00:00:00Z', contact: byId(ids[1]) } }),
		);
		assert.ok(window.length >= 1);

		assert.deepEqual(jsonOf(await email({ operation: 'delete', emailRecord: byId(created.id) })), [{ deleted: true }]);
		const again = await email({ operation: 'get', emailRecord: byId(created.id) }, [{}], { continueOnFail: true });
		assert.equal(again.items[0].json.error, `Keap has no email record with ID ${created.id}`);
	});

	test('bad input fails its item before anything is sent (Continue On Fail)', async () => {
		const before = fx.calls();
		const res = await email(
			{
				operation: 'send',
				contactIds: '={{ $json.ids }}',
				fromType: '={{ $json.from }}',
				fromAddress: '={{ $json.address }}',
				user: byId('1'),
				subject: '={{ $json.subject }}',
				plainContent: '={{ $json.text }}',
			},
			[
				{ ids: '', from: 'user', subject: 's', text: 't' },
				{ ids: '1001', from: 'user', subject: '', text: 't' },
				{ ids: '1001', from: 'user', subject: 's', text: '' },
				{ ids: '1001', from: 'address', address: 'nobody', subject: 's', text: 't' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.json.error), [
			'Item 0, Contact IDs: at least one contact ID is required',
			'Item 1, Subject: an email needs a subject',
			'Item 2, HTML Content: give the HTML content, the plain text content, or both',
			'Item 3, From Address: "nobody" is not a valid email address',
		]);
		const record = await email({ operation: 'createRecord', sentToAddress: 'x@example.com', additionalFields: { sent_time: 'yesterday' } }, [{}], {
			continueOnFail: true,
		});
		assert.match(record.items[0].json.error, /Item 0, Additional Fields > Sent Time: "yesterday" is not a valid date and time/);
		assert.equal(fx.calls(), before, 'nothing sent');

		// Keap's refusal of one call fails the items that call carried, and only those.
		const rejected = fx.emu.counters().validationRejects ?? 0;
		const mixed = await email(
			{ operation: 'send', contactIds: '={{ $json.ids }}', fromType: 'address', fromAddress: '={{ $json.from }}', subject: 's', plainContent: 't' },
			[
				{ ids: ids[7], from: 'stranger@example.org' },
				{ ids: ids[8], from: 'avery.admin@emulator.example' },
			],
			{ continueOnFail: true },
		);
		assert.match(mixed.items[0].json.error, /stranger@example\.org is not an authenticated sender/);
		assert.equal(mixed.items[1].json.sent, true);
		assert.equal((fx.emu.counters().validationRejects ?? 0) - rejected, 1);
		provoked++;
	});

	test('email record picker: newest first; an address lists what was sent to it', async () => {
		const store = fx.newStore();
		const all = await runNodeMethod({ kind: 'listSearch', method: 'searchEmails', store, args: [] });
		assert.ok(all.results.length >= 1);
		const olivia = await runNodeMethod({ kind: 'listSearch', method: 'searchEmails', store, args: ['olivia.garcia@example.com'] });
		assert.deepEqual(olivia.results, [{ name: '#8001 Thanks for your order → olivia.garcia@example.com · 2025-01-15', value: '8001' }]);
	});
});
