// The polling trigger's two ways of reading a listing (reading.ts) over hand-made pages: by id
// ("id after the last one read", never a page token) and newest first down to the cursor.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { readByIdAfter, readNewestFirst } from '../../dist/nodes/KeapCrmPollingTrigger/reading.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (s) => new Date(T0 + s * 1000).toISOString();

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
