// Shared set-up of the fault tests (issue 16): the Keap emulator, the fault proxy in front of it
// (test/faults/proxy.mjs), credentials whose base URL (and token URL) is the proxy, and a
// `keap(parameters, items)` call that runs the real Keap CRM node through n8n-core's engine.
// Black-box on purpose: the tests use the node's public parameters, the proxy and the
// emulator's store and log, never the package's internal modules, so a restructured node keeps
// them valid.
//
// Tests of defects that are not fixed yet are marked with `known(n, why)`
// (`withOptions(test)(name, known(n, why), fn)`, test/jest/node-options.mjs): they run and are
// reported as TODO (a failure does not fail the run). KEAP_FAULTS_STRICT=1 makes them ordinary
// tests, which is how the fix of defect n is checked.
import { createRequire } from 'node:module';

import { CLIENT_ID, CLIENT_SECRET, PAT, SAK, startEmulator } from '../emulator/index.mjs';
import { startFaultProxy } from '../faults/proxy.mjs';
import { CredentialStore, runNode } from './harness.mjs';

export { CLIENT_ID, CLIENT_SECRET, PAT, SAK };

const require = createRequire(import.meta.url);
const { LoggerProxy } = require('n8n-workflow');

export const STRICT = process.env.KEAP_FAULTS_STRICT === '1';

/** Test options for a test of a defect not fixed yet (see the note at the top). */
export function known(defect, why) {
	return STRICT ? {} : { todo: `issue 16 defect ${defect}: ${why}` };
}

/** Every n8n log line (LoggerProxy) from now on, for secret checks. */
export function captureLog() {
	const lines = [];
	const record = (level) => (message, meta) => {
		let text = String(message);
		if (meta !== undefined) {
			try {
				text += ` ${JSON.stringify(meta)}`;
			} catch {
				text += ` ${String(meta)}`;
			}
		}
		lines.push(`${level}: ${text}`);
	};
	LoggerProxy.init({
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		verbose: record('verbose'),
		scoped: () => LoggerProxy,
	});
	return lines;
}

/**
 * Every string reachable from a value (an error with its description, context, cause chain,
 * output items...), joined: what n8n could show, log or save from it.
 */
export function allText(value) {
	const parts = [];
	const seen = new Set();
	const walk = (v, depth) => {
		if (v === null || v === undefined || depth > 12) return;
		if (typeof v === 'string') return void parts.push(v);
		if (typeof v !== 'object' && typeof v !== 'function') return void parts.push(String(v));
		if (seen.has(v)) return;
		seen.add(v);
		if (Buffer.isBuffer(v)) return void parts.push(v.toString('utf8'));
		for (const key of Object.getOwnPropertyNames(v)) {
			if (key === 'node' || key === 'workflow') continue; // the node's parameters, not the error
			let child;
			try {
				child = v[key];
			} catch {
				continue;
			}
			walk(child, depth + 1);
		}
	};
	walk(value, 0);
	return parts.join('\n');
}

/** The text of a run's error (message, description, everything under it) and its error items. */
export function runText(result) {
	return [allText(result.error), ...result.items.map((i) => allText(i.json))].join('\n');
}

/** Integers a message names, with ranges "3-5" / "3–5" expanded (for "items 0-4 and 7"). */
export function integersIn(text) {
	const out = new Set();
	for (const m of text.matchAll(/(\d+)\s*[-–]\s*(\d+)|(\d+)/g)) {
		if (m[3] !== undefined) out.add(Number(m[3]));
		else {
			const [a, b] = [Number(m[1]), Number(m[2])];
			if (b >= a && b - a <= 10_000) for (let k = a; k <= b; k++) out.add(k);
			else out.add(a).add(b);
		}
	}
	return out;
}

let emailCounter = 0;
/** A fresh address; `tag` says which test made it. */
export const freshEmail = (tag) => `${tag}-${Date.now().toString(36)}-${++emailCounter}@example.com`;

/**
 * Starts the emulator (limits off unless `emulator.limits` says otherwise) and the proxy.
 * Returns helpers:
 *   keap(parameters, items, { continueOnFail, credential: 'pat' | 'sak' | 'pair' | 'oauth', store })
 *   store()                 a credential store: pat, sak (API keys), pair (token pair, session empty:
 *                           the first call refreshes) and oauth, all pointing at the proxy
 *   contactsWithEmail(e)    contacts in the emulator's store holding that email
 *   tagsNamed(name)         tags in the emulator's store with that name (case-insensitive)
 *   requestsSince(mark)     the emulator's log entries after mark = fx.emu.log().length
 */
export async function faultFixture({ emulator = {}, seed = 16 } = {}) {
	const emu = await startEmulator({ port: 0, quiet: true, limits: false, ...emulator });
	const proxy = await startFaultProxy({ target: emu.url, seed });

	const pairData = (tokens, extra = {}) => ({
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		refreshToken: tokens.refresh_token,
		accessToken: '',
		sessionAccessToken: '',
		sessionExpiresAt: '',
		sessionRefreshTokenId: '',
		tokenUrl: `${proxy.url}/token`,
		baseUrl: proxy.url,
		...extra,
	});
	const oauthData = (tokens) => ({
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		grantType: 'authorizationCode',
		authUrl: `${proxy.url}/app/oauth/authorize`,
		accessTokenUrl: `${proxy.url}/token`,
		scope: 'full',
		authQueryParameters: '',
		authentication: 'header',
		baseUrl: proxy.url,
		oauthTokenData: { ...tokens },
	});
	const store = ({ pair = {} } = {}) =>
		new CredentialStore({
			pat: { type: 'keapCrmApiKeyApi', name: 'Keap PAT', data: { apiKey: PAT, baseUrl: proxy.url } },
			sak: { type: 'keapCrmApiKeyApi', name: 'Keap SAK', data: { apiKey: SAK, baseUrl: proxy.url } },
			pair: { type: 'keapCrmTokenPairApi', name: 'Keap pair', data: pairData(emu.issueTokens(), pair) },
			oauth: { type: 'keapCrmOAuth2Api', name: 'Keap OAuth', data: oauthData(emu.issueTokens()) },
		});
	const CREDENTIALS = {
		pat: ['apiKey', { keapCrmApiKeyApi: 'pat' }],
		sak: ['apiKey', { keapCrmApiKeyApi: 'sak' }],
		pair: ['tokenPair', { keapCrmTokenPairApi: 'pair' }],
		oauth: ['oAuth2', { keapCrmOAuth2Api: 'oauth' }],
	};
	const keap = async (parameters, items = [{}], { continueOnFail = false, credential = 'pat', store: given } = {}) => {
		const [authentication, credentials] = CREDENTIALS[credential];
		const result = await runNode({
			type: 'keapCrm',
			parameters: { authentication, ...parameters },
			credentials,
			items,
			store: given ?? store(),
			continueOnFail,
		});
		result.hints = result.runData?.Node?.[0]?.hints ?? [];
		return result;
	};
	const contactsWithEmail = (email) =>
		[...emu.store.contacts.values()].filter((c) =>
			(c.email_addresses ?? []).some((e) => String(e.email).toLowerCase() === email.toLowerCase()),
		);
	const tagsNamed = (name) => [...emu.store.tags.values()].filter((t) => String(t.name).toLowerCase() === name.toLowerCase());
	const requestsSince = (mark) => emu.log().slice(mark);
	return {
		emu,
		proxy,
		keap,
		store,
		pairData,
		contactsWithEmail,
		tagsNamed,
		requestsSince,
		reset() {
			emu.reset();
			proxy.reset({ seed });
		},
		async close() {
			await proxy.close();
			await emu.close();
		},
	};
}
