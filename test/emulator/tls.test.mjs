// The emulator's `tls` option: the same API over HTTPS (used by the benchmark to stand in for
// https://api.infusionsoft.com). A self-signed certificate for 127.0.0.1 is made with the
// openssl CLI; the client trusts exactly that certificate.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, PAT } from './helpers.mjs';

const hasOpenssl = (() => {
	const r = spawnSync('openssl', ['version'], { timeout: 10_000 });
	return !r.error && r.status === 0;
})();

function get(url, { ca, headers = {} }) {
	return new Promise((resolve, reject) => {
		const req = https.get(url, { ca, headers, timeout: 10_000 }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

((hasOpenssl ? false : 'no openssl CLI') ? describe.skip : describe)('emulator over HTTPS (tls option)', () => {
	let emu;
	let dir;
	let cert;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'keap-emu-tls-'));
		const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', 'key.pem',
			'-out', 'cert.pem', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, timeout: 30_000 });
		assert.equal(r.status, 0, String(r.stderr));
		cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
		emu = await startEmulator({ port: 0, quiet: true, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
	}, 60_000);

	afterAll(async () => {
		await emu?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}, 60_000);

	test('emu.url is https and the API answers with the quota headers', async () => {
		assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
		const res = await get(`${emu.url}/crm/rest/v2/contacts`, { ca: cert, headers: { 'X-Keap-API-Key': PAT } });
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(JSON.parse(res.text).contacts, []);
		assert.equal(res.headers['x-keap-product-throttle-limit'], '240');
		assert.equal(emu.counters().calls['GET /crm/rest/v2/contacts'], 1);
	}, 60_000);

	test('a client that does not trust the certificate is refused', async () => {
		await assert.rejects(get(`${emu.url}/crm/rest/v2/contacts`, { headers: { 'X-Keap-API-Key': PAT } }), /self-signed|certificate/i);
	}, 60_000);
});
