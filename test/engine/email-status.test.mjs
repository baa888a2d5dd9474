// Keap CRM node, Email Address Status resource, and the Email Opt-Out Reason of the contact
// writes (REST and XML-RPC contacts; the status itself always over REST v2), run by n8n-core's
// engine against the emulator with its OpenAPI request validation on.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture({ limits: false });
});
afterAll(async () => {
	const rejects = fx.emu.counters().validationRejects ?? 0;
	await fx.close();
	assert.equal(rejects, 0, 'the emulator rejected a request as invalid');
});

const status = (params, items, options) => fx.keap({ resource: 'emailStatus', ...params }, items, options);
const storedStatus = (address) => fx.emu.store.emailStatusOf(address).status;

async function contactWith(address) {
	const [c] = jsonOf(await fx.keap({ resource: 'contact', operation: 'create', email: address }));
	return c;
}

describe('email address status: get and set', () => {
	test('a new address is not marketable; opt in with a reason, opt out, opt in again', async () => {
		const address = email('status');
		await contactWith(address);
		const [first] = jsonOf(await status({ operation: 'get', email: address }));
		assert.equal(first.email, address);
		assert.equal(first.opted_in, false);
		assert.equal(first.status, 'NON_MARKETABLE');
		assert.match(first.create_time, /^\d{4}-\d{2}-\d{2}T/);

		const [inn] = jsonOf(await status({ operation: 'set', email: address, status: 'optIn', reason: 'Signed up on the form' }));
		assert.deepEqual([inn.opted_in, inn.status], [true, 'SINGLE_OPT_IN']);
		assert.equal(fx.emu.store.emailStatusOf(address).reason, 'Signed up on the form', 'Keap kept the reason');
		const [out] = jsonOf(await status({ operation: 'set', email: address, status: 'optOut', reason: 'Asked to stop' }));
		assert.deepEqual([out.opted_in, out.status], [false, 'MANUAL']);
		const [again] = jsonOf(await status({ operation: 'set', email: address, status: 'optIn', reason: 'Asked to resume' }));
		assert.equal(again.status, 'SINGLE_OPT_IN', 'a manual opt-out can be opted in again');
		const [raw] = jsonOf(await status({ operation: 'get', email: address, output: 'raw' }));
		assert.equal(raw.status, 'SINGLE_OPT_IN');
	});

	test('an opt-in does not override a bounce: the output shows the status Keap kept', async () => {
		const address = email('bounced');
		await contactWith(address);
		fx.emu.store.emailStatus.set(address.toLowerCase(), { status: 'HardBounce', reason: 'bounced', time: fx.emu.now() });
		const [res] = jsonOf(await status({ operation: 'set', email: address, status: 'optIn', reason: 'Try again' }));
		assert.deepEqual([res.opted_in, res.status], [false, 'HARD_BOUNCE']);
	});

	test('continue on fail: an unknown address, a bad address and a missing reason, one error item each', async () => {
		const address = email('known');
		await contactWith(address);
		const before = fx.calls();
		const res = await status(
			{ operation: 'set', email: '={{ $json.e }}', status: 'optOut', reason: '={{ $json.r }}' },
			[
				{ e: address, r: 'Bounced twice' },
				{ e: 'nobody-at-all@example.com', r: 'x' },
				{ e: 'not an email', r: 'x' },
				{ e: address, r: '  ' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2, 3]);
		assert.equal(res.items[0].json.status, 'MANUAL');
		assert.match(res.items[1].json.error, /Keap knows no email address nobody-at-all@example\.com/);
		assert.match(res.items[2].json.error, /^Item 2, Email: "not an email" is not a valid email address/);
		assert.match(res.items[3].json.error, /^Item 3, Reason: Keap needs a reason/);
		assert.equal(fx.calls() - before, 2, 'the bad items sent nothing');
	});

	test('with Keap reading unknown addresses as non-marketable (the emulator switch), Get answers for them too', async () => {
		fx.emu.setConfig({ emailStatusUnknownAddress: 'nonMarketable' });
		try {
			const [res] = jsonOf(await status({ operation: 'get', email: 'stranger@example.com' }));
			assert.deepEqual([res.opted_in, res.status], [false, 'NON_MARKETABLE']);
		} finally {
			fx.emu.setConfig({ emailStatusUnknownAddress: '404' });
		}
	});
});

describe('contact writes: Email Opt-Out Reason', () => {
	for (const api of ['rest', 'xmlrpc']) {
		test(`create, create or update and update opt the primary email out (${api})`, async () => {
			const a = email(`optout-${api}`);
			const [created] = jsonOf(
				await fx.keap({ api, resource: 'contact', operation: 'create', email: a, additionalFields: { opt_out_reason: 'Unsubscribed by phone' } }),
			);
			assert.equal(storedStatus(a), 'Manual');
			assert.equal(fx.emu.store.emailStatusOf(a).reason, 'Unsubscribed by phone');
			assert.equal(created.email_addresses[0].opt_status, 'MANUAL', 'the output shows the new status');

			await fx.keap({ resource: 'emailStatus', operation: 'set', email: a, status: 'optIn', reason: 'Came back' });
			assert.equal(storedStatus(a), 'SingleOptIn');
			jsonOf(await fx.keap({ api, resource: 'contact', operation: 'upsert', matchOn: 'Email', email: a, additionalFields: { opt_out_reason: 'Again' } }));
			assert.equal(storedStatus(a), 'Manual');

			await fx.keap({ resource: 'emailStatus', operation: 'set', email: a, status: 'optIn', reason: 'Came back' });
			const [u] = jsonOf(
				await fx.keap({
					api,
					resource: 'contact',
					operation: 'update',
					contact: { __rl: true, mode: 'id', value: created.id },
					updateFields: { job_title: 'Gone', opt_out_reason: 'Left the company' },
				}),
			);
			assert.equal(u.job_title, 'Gone');
			assert.equal(storedStatus(a), 'Manual');
		});
	}

	test('opt-in and opt-out reasons together, or an opt-out without an email, fail before any call', async () => {
		const before = fx.calls();
		const both = await fx.keap({
			resource: 'contact',
			operation: 'create',
			email: email('both'),
			additionalFields: { opt_in_reason: 'yes', opt_out_reason: 'no' },
		});
		assert.match(both.error?.message ?? '', /^Item 0, Email Opt-Out Reason: an email cannot be opted in and out in one write/);
		const noEmail = await fx.keap({
			resource: 'contact',
			operation: 'create',
			additionalFields: { opt_out_reason: 'no' },
			phones: { phone: [{ field: 'PHONE1', number: '555 0100' }] },
		});
		assert.match(noEmail.error?.message ?? '', /^Item 0, Email Opt-Out Reason: opting out needs the contact’s Email/);
		assert.equal(fx.calls(), before);
	});

	test('an update of a contact that has no email says the contact was written but not opted out', async () => {
		const [c] = jsonOf(await fx.keap({ resource: 'contact', operation: 'create', phones: { phone: [{ field: 'PHONE1', number: '555 0101' }] } }));
		const res = await fx.keap(
			{ resource: 'contact', operation: 'update', contact: { __rl: true, mode: 'id', value: c.id }, updateFields: { job_title: 'X', opt_out_reason: 'no' } },
			[{}],
			{ continueOnFail: true },
		);
		assert.match(res.items[0].json.error, new RegExp(`Contact ${c.id} was written, but it has no email address to opt out`));
	});
});
