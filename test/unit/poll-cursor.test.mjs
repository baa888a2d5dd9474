// The polling trigger's cursor (advanceCursor) on its own: hand-made cases, then generated
// histories (fast-check) of a Keap that commits changes late and answers in any order,
// polled many times: nothing missed, nothing emitted twice.
import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { advanceCursor, OVERLAP_MS } from '../../dist/nodes/KeapCrmPollingTrigger/cursor.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (ms) => new Date(T0 + ms).toISOString();
const rec = (id, ms) => ({ id: String(id), time: at(ms) });
const ids = (list) => list.map((f) => `${f.id}@${f.time}`);

describe('advanceCursor', () => {
	test('an empty account starts at 1970, so the first records are all new', () => {
		const first = advanceCursor(undefined, []);
		assert.deepEqual(first.fresh, []);
		assert.deepEqual(first.cursor, { since: '1970-01-01T00:00:00.000Z', newest: '1970-01-01T00:00:00.000Z', seen: [] });
		const second = advanceCursor(first.cursor, [rec(2, 5), rec(1, 0)]);
		assert.deepEqual(ids(second.fresh), ids([rec(1, 0), rec(2, 5)]));
		assert.equal(second.cursor.newest, at(5));
		assert.equal(second.cursor.since, at(5 - OVERLAP_MS));
	});

	test('records updated in the same millisecond and second as the cursor are emitted, the cursor record is not', () => {
		const { cursor } = advanceCursor(advanceCursor(undefined, []).cursor, [rec(10, 0)]);
		// Keap answers "at or after since": the cursor's own record comes back with three others
		// of the same instant and one of the same second.
		const next = advanceCursor(cursor, [rec(10, 0), rec(11, 0), rec(9, 0), rec(12, 0), rec(13, 999)]);
		assert.deepEqual(ids(next.fresh), ids([rec(9, 0), rec(11, 0), rec(12, 0), rec(13, 999)]));
		// Asked again: nothing new.
		assert.deepEqual(advanceCursor(next.cursor, [rec(13, 999), rec(12, 0), rec(9, 0), rec(10, 0), rec(11, 0)]).fresh, []);
	});

	test('a record changed again (a new time) is fresh again; the same change is not', () => {
		let c = advanceCursor(undefined, []).cursor;
		let r = advanceCursor(c, [rec(1, 100)]);
		assert.equal(r.fresh.length, 1);
		r = advanceCursor(r.cursor, [rec(1, 100)]);
		assert.equal(r.fresh.length, 0);
		r = advanceCursor(r.cursor, [rec(1, 250)]);
		assert.deepEqual(ids(r.fresh), ids([rec(1, 250)]));
	});

	test('overlap window: a late-committed record up to OVERLAP_MS older than the newest is emitted once; older ones are skipped', () => {
		const base = advanceCursor(advanceCursor(undefined, []).cursor, [rec(1, 100_000)]).cursor;
		assert.equal(base.since, at(100_000 - OVERLAP_MS));
		const late = rec(2, 100_000 - OVERLAP_MS); // exactly at the window's start: inclusive
		const tooOld = rec(3, 100_000 - OVERLAP_MS - 1);
		const r = advanceCursor(base, [tooOld, late, rec(1, 100_000)]);
		assert.deepEqual(ids(r.fresh), ids([late]));
		assert.equal(r.cursor.newest, at(100_000), 'a late record does not move the cursor back');
		assert.deepEqual(advanceCursor(r.cursor, [late, rec(1, 100_000)]).fresh, []);
	});

	test('out-of-order answers are emitted oldest first (ties by numeric id)', () => {
		const c = advanceCursor(undefined, []).cursor;
		const r = advanceCursor(c, [rec(30, 7), rec(4, 3), rec(100, 3), rec(5, 1), rec(20, 7)]);
		assert.deepEqual(ids(r.fresh), ids([rec(5, 1), rec(4, 3), rec(100, 3), rec(20, 7), rec(30, 7)]));
	});

	test('records without a usable time are ignored', () => {
		const c = advanceCursor(undefined, []).cursor;
		const r = advanceCursor(c, [{ id: '1', time: '' }, { id: '2', time: 'not a date' }, rec(3, 1)]);
		assert.deepEqual(ids(r.fresh), ids([rec(3, 1)]));
	});

	test('pruning: only ids inside the window are remembered, however long it runs', () => {
		let c = advanceCursor(undefined, []).cursor;
		let emitted = 0;
		for (let i = 0; i < 500; i++) {
			// One record per 10 s, each poll seeing the whole window again.
			const window = [];
			for (let j = Math.max(0, i - 7); j <= i; j++) window.push(rec(j, j * 10_000));
			const r = advanceCursor(c, window);
			emitted += r.fresh.length;
			c = r.cursor;
			for (const key of c.seen) assert.ok(Number(key.split('@')[1]) >= Date.parse(c.since), `${key} is older than ${c.since}`);
			assert.ok(c.seen.length <= OVERLAP_MS / 10_000 + 1, `seen grew to ${c.seen.length}`);
		}
		assert.equal(emitted, 500);
	});

	test('does not modify its inputs', () => {
		const c = advanceCursor(advanceCursor(undefined, []).cursor, [rec(1, 0)]).cursor;
		const before = structuredClone(c);
		const found = [rec(3, 5), rec(2, 1)];
		advanceCursor(c, found);
		assert.deepEqual(c, before);
		assert.deepEqual(ids(found), ids([rec(3, 5), rec(2, 1)]));
	});
});

/**
 * A Keap account as seen through polls. `changes`: { id, t, delay } — contact `id` changed at
 * Keap time t, visible to queries from t + delay (delay < OVERLAP_MS: a late commit). A query
 * returns, for each contact, its newest visible change when that change's time is at or after
 * `since` (with `coarse`, Keap truncates `since` to the second and returns a little more), in
 * `shuffle` order.
 */
function keapAnswer(changes, pollAt, since, { coarse, order }) {
	const sinceMs = Date.parse(since);
	const from = coarse ? Math.floor(sinceMs / 1000) * 1000 : sinceMs;
	const latest = new Map();
	for (const c of changes) {
		if (c.t + c.delay > pollAt) continue;
		const prev = latest.get(c.id);
		if (!prev || c.t > prev.t) latest.set(c.id, c);
	}
	const out = [...latest.values()].filter((c) => T0 + c.t >= from).map((c) => rec(c.id, c.t));
	return order(out);
}

const historyArb = fc.record({
	changes: fc.array(
		fc.record({
			id: fc.integer({ min: 1, max: 12 }),
			// Many changes in the same millisecond and second; some far apart.
			step: fc.oneof(fc.constant(0), fc.constantFrom(1, 999, 1000, 1001), fc.integer({ min: 0, max: 90_000 })),
			delay: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: OVERLAP_MS - 1 })),
		}),
		{ maxLength: 60 },
	),
	pollSteps: fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 25 }),
	coarse: fc.boolean(),
	seed: fc.integer(),
});

describe('advanceCursor over generated histories', () => {
	test('no miss and no duplicate, whatever the timing, commit delays and answer order', () => {
		fc.assert(
			fc.property(historyArb, ({ changes: raw, pollSteps, coarse, seed }) => {
				let t = 1000;
				const changes = raw.map((c) => ({ id: c.id, t: (t += c.step), delay: c.delay }));
				let rnd = seed >>> 0;
				const order = (list) => {
					const out = [...list];
					for (let i = out.length - 1; i > 0; i--) {
						rnd = (rnd * 1103515245 + 12345) >>> 0;
						const j = rnd % (i + 1);
						[out[i], out[j]] = [out[j], out[i]];
					}
					return out;
				};
				// Polls at increasing Keap times, then one after every change is visible.
				const polls = [];
				let p = 0;
				for (const s of pollSteps) polls.push((p += s));
				const end = Math.max(p, ...changes.map((c) => c.t + c.delay)) + 1;
				polls.push(end);

				let cursor = advanceCursor(undefined, []).cursor; // an account empty at activation
				const emitted = [];
				const shouldEmit = new Set();
				for (const pollAt of polls) {
					const answer = keapAnswer(changes, pollAt, cursor.since, { coarse, order });
					// Everything visible at this poll must be emitted by now (at this poll or before).
					for (const r of keapAnswer(changes, pollAt, new Date(0).toISOString(), { coarse: false, order: (x) => x })) {
						shouldEmit.add(`${r.id}@${Date.parse(r.time)}`);
					}
					const r = advanceCursor(cursor, answer);
					const times = r.fresh.map((f) => Date.parse(f.time));
					assert.deepEqual(times, [...times].sort((a, b) => a - b), 'fresh is oldest first');
					emitted.push(...r.fresh.map((f) => `${f.id}@${Date.parse(f.time)}`));
					cursor = r.cursor;
					for (const key of cursor.seen) assert.ok(Number(key.split('@')[1]) >= Date.parse(cursor.since));
				}
				assert.equal(new Set(emitted).size, emitted.length, `duplicates: ${emitted}`);
				for (const key of shouldEmit) assert.ok(emitted.includes(key), `missed ${key}`);
				for (const key of emitted) assert.ok(shouldEmit.has(key), `emitted ${key}, which Keap never showed`);
			}),
			{ numRuns: 400 },
		);
	});

	test('the margin is real: a commit later than OVERLAP_MS can be missed (the documented limit)', () => {
		// Contact 2 changed at t=0 but became visible only after a poll had already seen a newer
		// change more than OVERLAP_MS later: the cursor has moved past it.
		const changes = [
			{ id: 1, t: OVERLAP_MS + 5_000, delay: 0 },
			{ id: 2, t: 0, delay: OVERLAP_MS + 10_000 },
		];
		let cursor = advanceCursor(undefined, []).cursor;
		const emitted = [];
		for (const pollAt of [OVERLAP_MS + 6_000, OVERLAP_MS + 20_000]) {
			const r = advanceCursor(cursor, keapAnswer(changes, pollAt, cursor.since, { coarse: false, order: (x) => x }));
			emitted.push(...r.fresh.map((f) => f.id));
			cursor = r.cursor;
		}
		assert.deepEqual(emitted, ['1']);
	});
});
