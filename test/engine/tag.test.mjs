// Keap CRM node, Tag resource, through n8n-core's engine against the emulator.
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

const newContacts = async (n) =>
	jsonOf(
		await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.e}}', output: 'simplified' },
			Array.from({ length: n }, (_, i) => ({ e: email(`t${i}`) })),
		),
	).map((c) => c.id);

const callsTo = (fragment) =>
	Object.entries(fx.emu.counters().calls ?? {})
		.filter(([k]) => k.includes(fragment))
		.reduce((n, [, v]) => n + v, 0);

describe('tag', () => {
	test('create, then get many by name', async () => {
		const name = `Created ${Date.now()}`;
		const [tag] = jsonOf(await fx.keap({ resource: 'tag', operation: 'create', name, additionalFields: { description: 'from a test' } }));
		assert.match(tag.id, /^\d+$/);
		assert.equal(tag.name, name);
		const found = jsonOf(await fx.keap({ resource: 'tag', operation: 'getAll', returnAll: true, filters: { name } }));
		assert.deepEqual(found.map((t) => t.id), [tag.id]);
		const limited = jsonOf(await fx.keap({ resource: 'tag', operation: 'getAll', returnAll: false, limit: 1 }));
		assert.equal(limited.length, 1);
	});

	test('apply by name to many items uses one call per tag, then remove', async () => {
		const ids = await newContacts(30);
		const a = `Batch A ${Date.now()}`;
		const b = `Batch B ${Date.now()}`;
		const before = callsTo(':applyTags');
		const applied = jsonOf(
			await fx.keap(
				{ resource: 'tag', operation: 'apply', contactIds: '={{$json.id}}', tags: [a, b], createMissing: true },
				ids.map((id) => ({ id })),
			),
		);
		assert.equal(applied.length, 30);
		assert.equal(callsTo(':applyTags') - before, 2, 'one applyTags call per tag for all 30 items');
		assert.deepEqual(Object.values(applied[0].results[ids[0]]), ['SUCCESS', 'SUCCESS']);
		const tags = jsonOf(await fx.keap({ resource: 'tag', operation: 'getForContact', contact: { mode: 'id', value: ids[5] } }));
		assert.deepEqual(tags.map((t) => t.name).sort(), [a, b].sort());
		const removed = jsonOf(await fx.keap({ resource: 'tag', operation: 'remove', contactIds: ids.join(','), tags: [a] }));
		assert.equal(removed.length, 1);
		const after = jsonOf(await fx.keap({ resource: 'tag', operation: 'getForContact', contact: { mode: 'id', value: ids[5] } }));
		assert.deepEqual(after.map((t) => t.name), [b]);
	});

	test('an unknown tag name fails the item unless Create Missing Tags is on', async () => {
		const [id] = await newContacts(1);
		const res = await fx.keap(
			{ resource: 'tag', operation: 'apply', contactIds: id, tags: [`Nope ${Date.now()}`] },
			[{}],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 1);
		assert.match(res.items[0].json.error, /no tag named/);
	});

	test('a contact that does not exist is reported on its item, not dropped', async () => {
		const name = `Exists ${Date.now()}`;
		jsonOf(await fx.keap({ resource: 'tag', operation: 'create', name }));
		const [good] = await newContacts(1);
		const res = await fx.keap(
			{ resource: 'tag', operation: 'apply', contactIds: '={{$json.id}}', tags: [name] },
			[{ id: good }, { id: '99999999' }],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 2);
		assert.ok(res.items[0].json.results, 'the existing contact got its tag');
		assert.match(res.items[1].json.error, /99999999/);
	});
});
