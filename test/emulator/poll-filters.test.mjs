// The listings the polling trigger reads (nodes/KeapCrmPollingTrigger/sources.ts), served as
// Keap's v2 document has them and no kinder: the documented "since" filters and id comparisons
// work, combined with `;`; the undocumented neighbours a client could slip into (an update-time
// order for companies, a time filter for opportunities, a creation-time order for orders, `>` on
// a `==`-only time filter, a date without a time) are 400s; and a page token is a position (the
// stricter reading: the document does not say what a token holds), so a record deleted between
// two pages shifts the next one behind the reader.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { PAT, startEmulator } from './index.mjs';

let emu;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, quiet: true, limits: false, seed: 'demo', envSwitches: false });
});
afterAll(async () => {
	await emu?.close();
});
beforeEach(() => emu.reset());

const get = async (path) => {
	const res = await fetch(`${emu.url}/crm/rest/v2${path}`, { headers: { authorization: `Bearer ${PAT}` } });
	return { status: res.status, body: await res.json() };
};
const f = (filter) => `filter=${encodeURIComponent(filter)}`;
const PAST = '2000-01-01T00:00:00.000Z';

describe('the polling trigger\'s listings, per the v2 document', () => {
	test('documented: since filters with id comparisons, id and time orderings', async () => {
		const ok = [
			[`/contacts?${f(`start_update_time==${PAST}`)}&order_by=update_time%20asc`, 'contacts'],
			[`/companies?${f(`since_time==${PAST};company_id>5001`)}&order_by=id%20asc`, 'companies'],
			[`/companies?order_by=create_time%20desc&page_size=1`, 'companies'],
			[`/orders?${f(`created_since_time==${PAST};id>4001`)}&order_by=id%20asc`, 'orders'],
			[`/orders?${f(`modified_since_time==${PAST};id>4001`)}&order_by=id%20asc`, 'orders'],
			[`/orders?order_by=modification_time%20desc&page_size=1`, 'orders'],
			['/opportunities?order_by=created_time%20desc', 'opportunities'],
			['/opportunities?order_by=update_time%20desc', 'opportunities'],
			['/tasks?order_by=create_time%20desc', 'tasks'],
			['/tasks?order_by=update_time%20desc', 'tasks'],
		];
		for (const [path, key] of ok) {
			const r = await get(path);
			assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body).slice(0, 200)}`);
			assert.ok(Array.isArray(r.body[key]), path);
		}
		const companies = (await get(`/companies?${f(`since_time==${PAST};company_id>5002`)}&order_by=id%20asc`)).body.companies;
		assert.ok(companies.length > 0 && companies.every((c) => Number(c.id) > 5002), 'company_id> applies with since_time');
		const orders = (await get(`/orders?${f(`modified_since_time==${PAST};id>4001`)}&order_by=id%20asc`)).body.orders;
		assert.deepEqual(orders.map((o) => o.id), ['4002', '4003']);
	});

	test('undocumented: refused, not guessed', async () => {
		for (const path of [
			'/companies?order_by=update_time%20desc',
			`/companies?${f(`update_time==${PAST}`)}`,
			`/companies?${f(`since_time>${PAST}`)}`,
			`/companies?${f('since_time==2000-01-01')}`,
			`/opportunities?${f(`since_time==${PAST}`)}`,
			'/opportunities?order_by=create_time%20desc',
			'/tasks?order_by=modification_time%20desc',
			'/orders?order_by=creation_time%20asc',
			`/orders?${f('order_id>4001')}`,
		]) {
			assert.equal((await get(path)).status, 400, path);
		}
	});

	test('a page token is a position: a record deleted between two pages shifts the next one behind the reader', async () => {
		const first = await get('/companies?order_by=id%20asc&page_size=3');
		const ids = first.body.companies.map((c) => c.id);
		assert.ok(first.body.next_page_token);
		const all = (await get('/companies?order_by=id%20asc&page_size=1000')).body.companies.map((c) => c.id);
		const res = await fetch(`${emu.url}/crm/rest/v2/companies/${ids[0]}`, { method: 'DELETE', headers: { authorization: `Bearer ${PAT}` } });
		assert.equal(res.status, 204);
		const second = await get(`/companies?order_by=id%20asc&page_size=3&page_token=${first.body.next_page_token}`);
		assert.equal(second.body.companies[0].id, all[4], `the 4th company (${all[3]}) is skipped`);
	});
});
