// The emulator's named limit options for what Keap does not document: sliding second/minute
// windows (`limits.window: 'sliding'`) and per-key-kind limits (`limits.sak`, `limits.pat`).
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, PAT, SAK } from './helpers.mjs';

describe('limit options', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true });
	});
	afterAll(() => emu.close());
	beforeEach(() => {
		emu.reset();
		// the middle of a UTC minute: a fixed window would reset 30 s from here
		emu.freezeClock(Math.ceil(Date.now() / 60_000) * 60_000 + 30_000);
	});

	test("window: 'sliding' counts the last 60 s across the UTC minute edge; Retry-After is when a call leaves", async () => {
		emu.setConfig({ limits: { window: 'sliding', oauth: { perMinute: 3 } } });
		const t = emu.issueTokens();
		const url = `${emu.url}/crm/rest/v1/contacts`;
		for (let i = 0; i < 3; i++) {
			const r = await call(url, { auth: t.access_token });
			assert.equal(r.status, 200);
			assert.equal(r.headers.get('x-keap-product-throttle-available'), String(2 - i));
			assert.equal(r.headers.get('x-keap-product-throttle-used'), String(i + 1));
			emu.advanceClock(10_000); // calls at +30 s, +40 s, +50 s of the minute
		}
		// +60 s: a new UTC minute, but the last 60 s still hold 3 calls
		const limited = await call(url, { auth: t.access_token });
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('retry-after'), '30', 'the first call (at +30 s) leaves the window at +90 s');
		assert.equal(limited.headers.get('x-keap-product-throttle-available'), '0');
		emu.advanceClock(29_999);
		assert.equal((await call(url, { auth: t.access_token })).status, 429);
		emu.advanceClock(1);
		const ok = await call(url, { auth: t.access_token });
		assert.equal(ok.status, 200);
		assert.equal(ok.headers.get('x-keap-product-throttle-used'), '3');
		// the day bucket stays the UTC day: every counted call is in it
		assert.equal(ok.headers.get('x-keap-product-quota-used'), '4');
	});

	test("the default window is fixed: the UTC minute edge empties the minute bucket", async () => {
		emu.setConfig({ limits: { oauth: { perMinute: 3 } } });
		const t = emu.issueTokens();
		const url = `${emu.url}/crm/rest/v1/contacts`;
		for (let i = 0; i < 3; i++) {
			assert.equal((await call(url, { auth: t.access_token })).status, 200);
			emu.advanceClock(10_000);
		}
		const r = await call(url, { auth: t.access_token });
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('x-keap-product-throttle-used'), '1');
	});

	test("window: 'sliding' per second: the 11th PAT call within 1000 ms is refused, even across a second edge", async () => {
		emu.setConfig({ limits: { window: 'sliding' } });
		const url = `${emu.url}/crm/rest/v2/contacts`;
		emu.advanceClock(500);
		for (let i = 0; i < 10; i++) {
			assert.equal((await call(url, { auth: PAT })).status, 200, `call ${i}`);
			emu.advanceClock(50); // 10 calls in 500 ms, crossing the UTC second at the middle
		}
		assert.equal((await call(url, { auth: PAT })).status, 429);
		emu.advanceClock(500); // the first call is 1000 ms old now
		assert.equal((await call(url, { auth: PAT })).status, 200);
	});

	test('sak: { perSecond: 5 } limits service account keys only (PATs keep 10/s); no header tells', async () => {
		emu.setConfig({ limits: { sak: { perSecond: 5 } } });
		const url = `${emu.url}/crm/rest/v2/contacts`;
		for (let i = 0; i < 5; i++) assert.equal((await call(url, { auth: SAK })).status, 200);
		const refused = await call(url, { auth: SAK });
		assert.equal(refused.status, 429);
		assert.equal(refused.headers.get('x-keap-product-throttle-limit'), '240');
		assert.notEqual(refused.headers.get('x-keap-product-throttle-available'), '0', 'the minute bucket has room: only a 429 tells');
		for (let i = 0; i < 10; i++) assert.equal((await call(url, { auth: PAT })).status, 200, `PAT call ${i}`);
	});
});
