// Preloaded into the n8n process by the benchmark (NODE_OPTIONS=--require <this file>): makes
// Keap's production host names resolve to 127.0.0.1, where the emulator serves HTTPS with a
// certificate from the bench's own CA (trusted through NODE_EXTRA_CA_CERTS). n8n's built-in
// Keap node has https://api.infusionsoft.com written into it; this is how it reaches the
// emulator without any change to n8n. Other names resolve as usual.
'use strict';
const dns = require('node:dns');

const hosts = new Set(
	(process.env.KEAP_BENCH_HOSTS || 'api.infusionsoft.com,accounts.infusionsoft.com,signin.infusionsoft.com')
		.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean),
);
const ADDRESS = '127.0.0.1';

const originalLookup = dns.lookup;
dns.lookup = function keapBenchLookup(hostname, options, callback) {
	if (typeof options === 'function') {
		callback = options;
		options = {};
	} else if (typeof options === 'number') {
		options = { family: options };
	}
	if (typeof hostname === 'string' && hosts.has(hostname.toLowerCase()) && typeof callback === 'function') {
		if (options && options.all) process.nextTick(callback, null, [{ address: ADDRESS, family: 4 }]);
		else process.nextTick(callback, null, ADDRESS, 4);
		return {};
	}
	return originalLookup.call(this, hostname, options, callback);
};

const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function keapBenchPromiseLookup(hostname, options) {
	if (typeof hostname === 'string' && hosts.has(hostname.toLowerCase())) {
		const all = typeof options === 'object' && options !== null && options.all;
		return all ? [{ address: ADDRESS, family: 4 }] : { address: ADDRESS, family: 4 };
	}
	return await originalPromiseLookup.call(this, hostname, options);
};
