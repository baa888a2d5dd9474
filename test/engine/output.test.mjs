// The Output parameter's Selected Fields mode (n8n's guideline for nodes used as AI tools), on
// contacts and tags, through n8n-core's engine against the emulator.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture();
});
afterAll(async () => {
	assert.equal(fx.emu.counters().validationRejects ?? 0, 0, 'the emulator rejected a request as invalid');
	await fx.close();
});

describe('output: selected fields', () => {
	test('a contact carries only the named fields (unknown names are left out)', async () => {
		const address = email('selected');
		const [created] = jsonOf(
			await fx.keap({
				resource: 'contact',
				operation: 'create',
				email: address,
				additionalFields: { given_name: 'Sel', family_name: 'Ected' },
				output: 'selected',
				selectedFields: 'id, given_name, email_addresses, nothing_here',
			}),
		);
		assert.deepEqual(Object.keys(created).sort(), ['email_addresses', 'given_name', 'id']);
		assert.equal(created.given_name, 'Sel');
		const [got] = jsonOf(
			await fx.keap({
				resource: 'contact',
				operation: 'get',
				contact: { mode: 'id', value: created.id },
				output: 'selected',
				selectedFields: 'family_name',
			}),
		);
		assert.deepEqual(got, { family_name: 'Ected' });
	});

	test('tags too, and an empty list of fields is an error naming the field', async () => {
		for (const name of ['Selected A', 'Selected B']) await fx.keap({ resource: 'tag', operation: 'create', name });
		const tags = jsonOf(
			await fx.keap({ resource: 'tag', operation: 'getAll', returnAll: false, limit: 2, output: 'selected', selectedFields: 'name' }),
		);
		assert.equal(tags.length, 2);
		for (const t of tags) assert.deepEqual(Object.keys(t), ['name']);
		const bad = await fx.keap({ resource: 'tag', operation: 'getAll', returnAll: false, limit: 1, output: 'selected', selectedFields: ' , ' });
		assert.match(bad.error?.message ?? '', /^Item 0, Fields: /);
	});
});
