// Keap CRM node, User resource and the user pickers, run by n8n-core's engine against the
// emulator (REST v2) with its OpenAPI request validation on. Keap's v2 `GET /users` takes
// page_size 1..100: the Owner option list used to ask for 1000, which Keap refuses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { callMethod } from './editor-methods.mjs';
import { jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
before(async () => {
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
after(async () => {
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
});
