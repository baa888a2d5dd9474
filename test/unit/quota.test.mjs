// The quota-header parser and the pacer, on their own.
import { test } from '@jest/globals';
import assert from 'node:assert/strict';

import { Pacer, parseQuotaHeaders } from '../../dist/nodes/Keap/transport/quota.js';

test('parses product quota, throttle and pipe-delimited tenant windows', () => {
	const s = parseQuotaHeaders({
		'x-keap-product-quota-limit': '150000',
		'x-keap-product-quota-used': '10',
		'x-keap-product-quota-available': '149990',
		'x-keap-product-quota-time-unit': 'day',
		'x-keap-product-quota-interval': '1',
		'x-keap-product-quota-expiry-time': '1798761600000',
		'x-keap-product-throttle-limit': '1500',
		'x-keap-product-throttle-available': '1499',
		'x-keap-product-throttle-used': '1',
		'x-keap-product-throttle-time-unit': 'minute',
		'x-keap-tenant-throttle-limit': '10000|250000',
		'x-keap-tenant-throttle-used': '3|40',
		'x-keap-tenant-throttle-available': '9997|249960',
		'x-keap-tenant-throttle-time-unit': 'minute|day',
		'x-keap-tenant-throttle-interval': '1|1',
	});
	assert.equal(s.productQuota.limit, 150000);
	assert.equal(s.productQuota.available, 149990);
	assert.equal(s.productQuota.resetsAt, '2027-01-01T00:00:00.000Z');
	assert.equal(s.productThrottle.limit, 1500);
	assert.equal(s.productThrottle.timeUnit, 'minute');
	assert.deepEqual(
		s.tenantThrottle.map((w) => [w.limit, w.used, w.available, w.timeUnit]),
		[
			[10000, 3, 9997, 'minute'],
			[250000, 40, 249960, 'day'],
		],
	);
});

test('tolerates missing, partial and junk headers', () => {
	assert.deepEqual(parseQuotaHeaders({}), { productQuota: undefined, productThrottle: undefined, tenantThrottle: [] });
	const s = parseQuotaHeaders({ 'x-keap-product-throttle-available': 'n/a', 'x-keap-product-throttle-limit': ' 240 ', 'x-keap-tenant-throttle-limit': '10000' });
	assert.equal(s.productThrottle.limit, 240);
	assert.equal(s.productThrottle.available, undefined);
	assert.equal(s.tenantThrottle.length, 1);
	assert.equal(s.productQuota, undefined);
	// expiry in seconds is read as seconds
	assert.equal(parseQuotaHeaders({ 'x-keap-product-quota-expiry-time': '1798761600' }).productQuota.resetsAt, '2027-01-01T00:00:00.000Z');
});

test('the pacer never lets a window hold more calls than its limit', async () => {
	const pacer = new Pacer([{ limit: 5, perMs: 200, slackMs: 10 }]);
	const times = [];
	await Promise.all(Array.from({ length: 15 }, async () => { await pacer.acquire(); times.push(Date.now()); }));
	times.sort((a, b) => a - b);
	for (let i = 5; i < times.length; i++) assert.ok(times[i] - times[i - 5] >= 200, `calls ${i - 5} and ${i} are ${times[i] - times[i - 5]} ms apart`);
	assert.ok(pacer.waitedMs > 0);
});

test('pause holds every caller back', async () => {
	const pacer = new Pacer([{ limit: 100, perMs: 1000, slackMs: 0 }]);
	pacer.pause(150);
	const t0 = Date.now();
	await pacer.acquire();
	assert.ok(Date.now() - t0 >= 140);
});
