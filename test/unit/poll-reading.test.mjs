// The polling trigger's ways of reading a listing (reading.ts) over hand-made pages: by time
// (each next query from the newest time read), by id ("id after the last one read") and newest
// first down to the cursor.
import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';

import { readByIdAfter, readByTimeAfter, readNewestFirst } from '../../dist/nodes/KeapCrmPollingTrigger/reading.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (s) => new Date(T0 + s * 1000).toISOString();

describe('readByTimeAfter', () => {
	/** A listing at or after `from`, oldest first, `size` a page; tokens are offsets into that query. */
	const listing = (records, size, asked) => async (from, token) => {
		asked.push([from, token]);
		const match = records.filter((r) => Date.parse(r.time) >= Date.parse(from)).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
		const offset = token ? Number(token) : 0;
		return { items: match.slice(offset, offset + size), next: offset + size < match.length ? String(offset + size) : undefined };
	};

	test('each next page is a new query from the newest time read; records read twice come once', async () => {
		const records = [1, 2, 3, 4, 5, 6, 7].map((s) => ({ id: String(s), time: at(s) }));
		const asked = [];
		const got = await readByTimeAfter(listing(records, 3, asked), (r) => r.time, (r) => r.id, at(0));
		assert.deepEqual(got.map((r) => r.id), ['1', '2', '3', '4', '5', '6', '7']);
		assert.deepEqual(asked, [[at(0), undefined], [at(3), undefined], [at(5), undefined]]);
	});

	test('a record deleted from an earlier page while the poll reads does not hide a later one', async () => {
		const records = [1, 2, 3, 4, 5, 6].map((s) => ({ id: String(s), time: at(s) }));
		const asked = [];
		const list = listing(records, 3, asked);
		const got = await readByTimeAfter(
			async (from, token) => {
				const res = await list(from, token);
				if (asked.length === 1) records.splice(0, 1); // after the first page
				return res;
			},
			(r) => r.time,
			(r) => r.id,
			at(0),
		);
		assert.deepEqual(got.map((r) => r.id), ['1', '2', '3', '4', '5', '6']);
	});

	test('a whole page at one instant: the page token moves on', async () => {
		const records = [...[1, 2, 3, 4, 5].map((i) => ({ id: String(i), time: at(9) })), { id: '6', time: at(10) }];
		const asked = [];
		const got = await readByTimeAfter(listing(records, 2, asked), (r) => r.time, (r) => r.id, at(9));
		assert.deepEqual(got.map((r) => r.id).sort(), ['1', '2', '3', '4', '5', '6']);
		assert.deepEqual(asked.slice(0, 3), [[at(9), undefined], [at(9), '2'], [at(9), '4']]);
	});
});

describe('readByIdAfter', () => {
	test('asks for the ids after the last one read, and stops on the page without a next token', async () => {
		const records = Array.from({ length: 7 }, (_, i) => ({ id: String(10 + i * 3) }));
		const asked = [];
		const page = async (after) => {
			asked.push(after);
			const rest = records.filter((r) => after === undefined || Number(r.id) > Number(after));
			return { items: rest.slice(0, 3), next: rest.length > 3 ? 'token-ignored' : undefined };
		};
		const got = await readByIdAfter(page, (r) => r.id);
		assert.deepEqual(got.map((r) => r.id), records.map((r) => r.id));
		assert.deepEqual(asked, [undefined, '16', '25']);
	});

	test('a listing that does not move forward is an error, not an endless loop', async () => {
		const page = async () => ({ items: [{ id: '5' }], next: 'again' });
		await assert.rejects(readByIdAfter(page, (r) => r.id), /did not move past id 5/);
	});
});

describe('readNewestFirst', () => {
	const listing = (times, size) => async (token) => {
		const from = token ? Number(token) : 0;
		const items = times.slice(from, from + size).map((t, i) => ({ id: String(from + i), time: t }));
		return { items, next: from + size < times.length ? String(from + size) : undefined };
	};

	test('reads pages until one holds a record older than since; ties with since are kept', async () => {
		const times = [at(50), at(40), at(30), at(30), at(30), at(20), at(10), at(5)];
		const got = await readNewestFirst(listing(times, 3), (r) => r.time, at(30));
		assert.deepEqual(got.map((r) => r.time), times.slice(0, 6), 'the page holding 20 s is the last one read');
	});

	test('records with the same time across a page boundary: the next page is read', async () => {
		const times = [at(9), at(9), at(9), at(9), at(9), at(1)];
		const got = await readNewestFirst(listing(times, 2), (r) => r.time, at(9));
		assert.equal(got.length, 6);
	});

	test('records without a time do not stop the reading', async () => {
		const times = [null, null, at(9), at(8), at(1)];
		const got = await readNewestFirst(listing(times, 2), (r) => r.time, at(5));
		assert.equal(got.length, 5);
	});
});
