// The REST-hook trigger's pure parts on their own: event names, the apiUrl check, and the
// planning of record reads (id runs by request-line length, id clusters for range reads), with
// generated inputs (fast-check) for the two planners: every id read once, no line too long,
// never more calls than one per id.
import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { eventName, eventOptions, FALLBACK_EVENT_KEYS, parseDelivery } from '../../dist/nodes/KeapCrmTrigger/events.js';
import { apiUrlProblem } from '../../dist/nodes/Keap/transport/rest/hooks.js';
import { idClusters, idRuns } from '../../dist/nodes/Keap/transport/rest/records.js';
import { requestLineBytes } from '../../dist/nodes/Keap/transport/rest/client.js';

describe('event names', () => {
	test('grouped by object, every key once', () => {
		assert.equal(eventName('contact.add'), 'Contact: Added');
		assert.equal(eventName('invoice.payment.delete'), 'Invoice Payment: Deleted');
		assert.equal(eventName('opportunity.stage_move'), 'Opportunity: Stage Moved');
		assert.equal(eventName('webform.submitted'), 'Webform: Submitted', 'a key Keap adds later');
		const options = eventOptions([...FALLBACK_EVENT_KEYS, 'contact.add']);
		assert.equal(options.length, FALLBACK_EVENT_KEYS.length);
		assert.equal(FALLBACK_EVENT_KEYS.length, 46);
		for (const key of ['note.edit', 'order.delete', 'task.delete', 'user.edit']) assert.ok(FALLBACK_EVENT_KEYS.includes(key), key);
	});
});

describe('apiUrl check', () => {
	const base = 'http://127.0.0.1:8099';
	test("Keap's hosts or the credential's base URL, under /crm/rest/, naming the object's own id", () => {
		assert.equal(apiUrlProblem('https://api.infusionsoft.com/crm/rest/v1/contacts/12', '12', 'contact', base), undefined);
		assert.equal(apiUrlProblem(`${base}/crm/rest/v1/orders/4001`, '5001', 'invoice', base), undefined, "an invoice's order");
		assert.equal(apiUrlProblem('', '12', 'contact', base), undefined, 'none for deletes');
		assert.match(apiUrlProblem('https://attacker.example/crm/rest/v1/contacts/12', '12', 'contact', base), /host/);
		assert.match(apiUrlProblem('http://api.infusionsoft.com/crm/rest/v1/contacts/12', '12', 'contact', base), /host/, 'plain http is not Keap');
		assert.match(apiUrlProblem(`${base}/crm/rest/v1/contacts/13`, '12', 'contact', base), /another object/);
		assert.match(apiUrlProblem(`${base}/crm/rest/v1/tags/13`, '12', 'contactGroup', base), /another object/);
		assert.match(apiUrlProblem(`${base}/elsewhere/12`, '12', 'contact', base), /REST URL/);
	});

	test('a delivery naming more than 1000 distinct contacts is refused', () => {
		const entries = Array.from({ length: 2 }, (_, k) => ({ id: 101, contactDetails: Array.from({ length: 600 }, (_, i) => ({ id: k * 600 + i + 1 })) }));
		const res = parseDelivery({ event_key: 'contactGroup.applied', object_type: 'contactGroup', object_keys: entries }, 'contactGroup.applied', base);
		assert.match(res.error, /1000 contacts/);
	});
});

describe('read planning', () => {
	test('id runs: each id once, in order, every request line within 7,168 bytes less the reserve', () => {
		fc.assert(
			fc.property(fc.array(fc.bigInt({ min: 1n, max: 10n ** 18n }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 1000 }), (nums, max) => {
				const ids = nums.map(String);
				const path = '/crm/rest/v2/orders';
				const qs = { page_size: 1000 };
				const runs = idRuns(path, qs, 'ids==', ids, max);
				assert.deepEqual(runs.flat(), ids);
				for (const run of runs) {
					assert.ok(run.length <= max);
					assert.ok(requestLineBytes('GET', path, { ...qs, filter: `ids==${run.join(',')}` }) <= 7168 - 512);
				}
			}),
			{ numRuns: 200 },
		);
	});

	test('id clusters: each id once, and never more calls than one per id', () => {
		fc.assert(
			fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 1500 }), (nums) => {
				const clusters = idClusters(nums.map(String));
				assert.deepEqual(clusters.flat().map(Number).sort((a, b) => a - b), [...nums].sort((a, b) => a - b));
				const calls = clusters.reduce((n, c) => n + (c.length === 1 ? 1 : Math.ceil((Number(c.at(-1)) - Number(c[0]) + 1) / 1000)), 0);
				assert.ok(calls <= nums.length, `${calls} calls for ${nums.length} ids`);
			}),
			{ numRuns: 200 },
		);
		assert.deepEqual(idClusters(['5001', '5002', '5003', '999999']), [['5001', '5002', '5003'], ['999999']]);
		assert.equal(idClusters(Array.from({ length: 1000 }, (_, i) => String(5001 + i))).length, 1, '1000 dense ids: one range');
	});
});
