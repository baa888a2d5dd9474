// A throw-away certificate authority for the benchmark, made with the openssl CLI at bench time:
// a CA certificate (handed to n8n through NODE_EXTRA_CA_CERTS) and a server certificate it
// signed for Keap's hosts (and 127.0.0.1), which the emulator serves on 127.0.0.1:443 so that
// n8n's built-in Keap node, whose URLs are fixed to https://api.infusionsoft.com, reaches it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The hosts n8n's built-in Keap node and credential use (API, token and sign-in pages). */
export const KEAP_HOSTS = ['api.infusionsoft.com', 'accounts.infusionsoft.com', 'signin.infusionsoft.com'];

function openssl(args, cwd) {
	const res = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 30_000 });
	if (res.error) throw new Error(`openssl ${args[0]} could not run: ${res.error.message}`);
	if (res.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}`);
	return res.stdout;
}

/** true when the openssl CLI is on PATH. */
export function hasOpenssl() {
	const res = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 });
	return !res.error && res.status === 0;
}

/**
 * Creates a CA and a server certificate for `hosts` (plus 127.0.0.1 and localhost) in a new temp
 * folder. Returns PEM strings and file paths; `remove()` deletes the folder.
 * @returns {{ dir: string, caCertPath: string, caCert: string, key: string, cert: string, remove: () => void }}
 */
export function makeLocalCa(hosts = KEAP_HOSTS) {
	const dir = mkdtempSync(join(tmpdir(), 'keap-bench-ca-'));
	try {
		openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt',
			'-subj', '/CN=n8n-nodes-keap bench CA', '-addext', 'basicConstraints=critical,CA:TRUE',
			'-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
		openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
			'-subj', `/CN=${hosts[0]}`], dir);
		const san = [...hosts.map((h) => `DNS:${h}`), 'DNS:localhost', 'IP:127.0.0.1'].join(',');
		writeFileSync(join(dir, 'server.ext'), [
			'basicConstraints=CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${san}`,
			'',
		].join('\n'));
		openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
			'-days', '2', '-sha256', '-extfile', 'server.ext', '-out', 'server.crt'], dir);
		return {
			dir,
			caCertPath: join(dir, 'ca.crt'),
			caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
			key: readFileSync(join(dir, 'server.key'), 'utf8'),
			cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
			remove: () => rmSync(dir, { recursive: true, force: true }),
		};
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}
