// Keap CRM node, User resource and the user pickers, run by n8n-core's engine against the
// emulator (REST v2) with its OpenAPI request validation on. Keap's v2 `GET /users` takes
// page_size 1..100: the Owner option list used to ask for 1000, which Keap refuses.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { callMethod } from './editor-methods.mjs';
import { jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture({ limits: false });
	// 150 more active users: more than one page of 100.
	for (let n = 0; n < 150; n++) {
		const id = 1000 + n;
		fx.emu.store.users.push({
			...fx.emu.store.users[0],
			id,
			global_user_id: `g${id}`,
			given_name: `Extra${String(n).padStart(3, '0')}`,
			family_name: 'Staff',
			email: `extra${n}@emulator.example`,
			admin: false,
			status: 'Active',
		});
	}
});
afterAll(async () => {
	const rejects = fx.emu.counters().validationRejects ?? 0;
	await fx.close();
	assert.equal(rejects, 0, 'the emulator rejected a request as invalid');
});

/** page_size of every `GET /users` since log entry `mark`. */
const userPageSizes = (mark) =>
	fx.emu
		.log()
		.slice(mark)
		.filter((e) => e.method === 'GET' && e.path === '/crm/rest/v2/users')
		.map((e) => Number(e.query.page_size));

const user = (params, items, options) => fx.keap({ resource: 'user', ...params }, items, options);

describe('user pickers', () => {
	test('the Owner option list reads every active user, 100 per page (Keap refuses more)', async () => {
		const mark = fx.emu.log().length;
		const options = await callMethod(fx.emu.url, 'loadOptions', 'getOwners');
		assert.equal(options.length, 152, 'the 2 active fixture users and the 150 added');
		assert.ok(options.some((o) => o.name === 'Sam Seller' && o.value === '3'));
		assert.ok(!options.some((o) => o.value === '5'), 'the inactive user is not offered');
		assert.deepEqual(userPageSizes(mark), [100, 100]);
	});

	test('the user search: a page of 100 with a token, or every user whose name or email contains the text', async () => {
		const first = await callMethod(fx.emu.url, 'listSearch', 'searchUsers', {}, '', undefined);
		assert.equal(first.results.length, 100);
		assert.ok(first.paginationToken, 'a next page');
		const second = await callMethod(fx.emu.url, 'listSearch', 'searchUsers', {}, '', first.paginationToken);
		assert.equal(second.results.length, 52);
		assert.equal(new Set([...first.results, ...second.results].map((r) => r.value)).size, 152);
		const hits = await callMethod(fx.emu.url, 'listSearch', 'searchUsers', {}, 'seller');
		assert.deepEqual(hits.results.map((r) => r.value), ['3']);
		assert.match(hits.results[0].name, /^Sam Seller <.+@.+>$/);
		assert.equal(hits.paginationToken, undefined);
		const byMail = await callMethod(fx.emu.url, 'listSearch', 'searchUsers', {}, 'EXTRA14');
		assert.deepEqual(byMail.results.map((r) => r.value).sort(), ['1014', ...Array.from({ length: 10 }, (_, k) => String(1140 + k))].sort());
	});
});

describe('user: get', () => {
	test('by ID, from the list and by email; simplified output', async () => {
		const [byId] = jsonOf(await user({ operation: 'get', user: { __rl: true, mode: 'id', value: '3' } }));
		assert.equal(byId.id, '3');
		assert.equal(byId.name, 'Sam Seller');
		assert.equal(byId.status, 'ACTIVE');
		const [fromList] = jsonOf(await user({ operation: 'get', user: { __rl: true, mode: 'list', value: '1' } }));
		assert.equal(fromList.given_name, 'Avery');
		const [byEmail] = jsonOf(await user({ operation: 'get', user: { __rl: true, mode: 'email', value: byId.email }, output: 'simplified' }));
		assert.deepEqual(Object.keys(byEmail).sort(), ['admin', 'email', 'id', 'name', 'status']);
		assert.equal(byEmail.id, '3');
		const [inactive] = jsonOf(await user({ operation: 'get', user: { __rl: true, mode: 'id', value: '5' }, output: 'raw' }));
		assert.equal(inactive.status, 'INACTIVE', 'raw: the record as Keap sent it');
	});

	test('continue on fail: an unknown user, a bad ID and an unknown email are one error item each', async () => {
		const res = await user(
			{ operation: 'get', user: { __rl: true, mode: '={{ $json.mode }}', value: '={{ $json.v }}' } },
			[
				{ mode: 'id', v: '3' },
				{ mode: 'id', v: '999999' },
				{ mode: 'id', v: 'abc' },
				{ mode: 'email', v: 'nobody@example.com' },
			],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 4);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2, 3]);
		assert.equal(res.items[0].json.id, '3');
		assert.match(res.items[1].json.error, /no user with ID 999999/);
		assert.match(res.items[2].json.error, /^Item 2, User: "abc" is not a Keap ID/);
		assert.match(res.items[3].json.error, /No Keap user has the email nobody@example.com/);
	});
});

describe('user: get many', () => {
	test('Return All reads 100 per page; Limit stops early; filters and sort', async () => {
		let mark = fx.emu.log().length;
		const all = jsonOf(await user({ operation: 'getAll', returnAll: true }));
		assert.equal(all.length, 152);
		assert.deepEqual(userPageSizes(mark), [100, 100]);

		mark = fx.emu.log().length;
		const some = jsonOf(await user({ operation: 'getAll', returnAll: false, limit: 120 }));
		assert.equal(some.length, 120);
		assert.deepEqual(userPageSizes(mark), [100, 20]);

		const withInactive = jsonOf(await user({ operation: 'getAll', returnAll: true, filters: { include_inactive: true } }));
		assert.equal(withInactive.length, 153);
		const byName = jsonOf(await user({ operation: 'getAll', returnAll: true, filters: { given_name: 'Sam' } }));
		assert.deepEqual(byName.map((u) => u.id), ['3']);
		const sorted = jsonOf(
			await user({ operation: 'getAll', returnAll: false, limit: 3, sort: { order_by: 'email', order_direction: 'desc' }, output: 'selected', selectedFields: 'email' }),
		);
		const emails = sorted.map((u) => u.email);
		assert.deepEqual(emails, [...emails].sort().reverse());
		assert.deepEqual(Object.keys(sorted[0]), ['email']);
	});

	test('a bad email filter fails before any call, naming the field', async () => {
		const before = fx.calls();
		const res = await user({ operation: 'getAll', returnAll: true, filters: { email: 'not-mail' } });
		assert.match(res.error?.message ?? '', /^Item 0, Filters > Email: "not-mail" is not a valid email address/);
		assert.equal(fx.calls(), before);
	});
});
