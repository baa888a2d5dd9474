#!/usr/bin/env node
// Starts the Keap emulator for manual use:  npm run emulator -- --port 8099 --seed demo
// Options: --port N (default 8099; 0 = any free port), --seed demo|none, --no-validate,
//          --no-limits, --quiet. Stops on Ctrl-C / SIGTERM.
import { startEmulator, CLIENT_ID, CLIENT_SECRET, PAT, SAK } from './index.mjs';

function parseArgs(argv) {
	const out = { port: 8099, seed: 'none', validate: true, limits: undefined, quiet: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--port') out.port = Number(next());
		else if (a.startsWith('--port=')) out.port = Number(a.slice(7));
		else if (a === '--seed') out.seed = next();
		else if (a.startsWith('--seed=')) out.seed = a.slice(7);
		else if (a === '--no-validate') out.validate = false;
		else if (a === '--no-limits') out.limits = false;
		else if (a === '--quiet') out.quiet = true;
		else if (a === '--help' || a === '-h') out.help = true;
		else throw new Error(`unknown option ${a}`);
	}
	if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535');
	if (!['demo', 'none'].includes(out.seed)) throw new Error('--seed must be demo or none');
	return out;
}

let args;
try {
	args = parseArgs(process.argv.slice(2));
} catch (e) {
	console.error(e.message);
	process.exit(2);
}
if (args.help) {
	console.log('Usage: node test/emulator/cli.mjs [--port 8099] [--seed demo|none] [--no-validate] [--no-limits] [--quiet]');
	process.exit(0);
}

const emu = await startEmulator({ port: args.port, host: '127.0.0.1', seed: args.seed, validate: args.validate, limits: args.limits, quiet: args.quiet });
const u = emu.url;
console.log(`Keap emulator listening on ${u}  (seed: ${args.seed}, validation: ${args.validate ? 'on' : 'off'}, limits: ${args.limits === false ? 'off' : 'on'})

Point the package's credentials at it:
  Base URL (API host) ......... ${u}
  OAuth2 authorize URL ........ ${u}/app/oauth/authorize
  OAuth2 token URL ............ ${u}/token
  OAuth2 client id ............ ${CLIENT_ID}
  OAuth2 client secret ........ ${CLIENT_SECRET}
  Personal Access Token ....... ${PAT}
  Service Account Key ......... ${SAK}

Endpoints: ${u}/crm/rest/v1/...  ${u}/crm/rest/v2/...  ${u}/crm/xmlrpc/v1
Admin:     ${u}/__admin/store  /__admin/log  /__admin/counters  (POST /__admin/reset, /__admin/seed, /__admin/clock ...)
Try:       curl -H 'X-Keap-API-Key: ${PAT}' '${u}/crm/rest/v2/contacts?page_size=3'

Ctrl-C stops it.`);

let stopping = false;
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping the Keap emulator`);
	await emu.close();
	process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
