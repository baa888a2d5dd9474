// Issue 16, credentials and secrets under faults: the Keap CRM node (Contact > Get Many) run by
// n8n-core's engine, with the fault proxy between it and the emulator for the API and for the
// token URL, and the two triggers for the echo pages of defect 8. Defects 6, 7 and 8 are fixed
// (the token pair in credentials/common/tokenPair.ts, the node's side in
// nodes/Keap/transport/auth/ and transport/http.ts). Black-box: the node's public parameters, a
// credential store standing in for n8n's database, the proxy, the emulator's counters.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { CredentialStore } from './harness.mjs';
import { activate, poll, triggerWorkflow } from './trigger-harness.mjs';
import { allText, captureLog, CLIENT_ID, CLIENT_SECRET, faultFixture, known, PAT, SAK } from './fault-fixture.mjs';

let fx;
let logLines;
beforeAll(async () => {
	fx = await faultFixture({ emulator: { seed: 'demo' } });
	logLines = captureLog();
});
afterAll(async () => {
	await fx?.close();
});
beforeEach(() => {
	fx.reset();
	logLines.length = 0;
});

const getMany = (opts) => fx.keap({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 1 }, [{}], opts);
const shown = (error) => `${error?.message ?? ''}\n${error?.description ?? ''}`;
const FIREWALL_PAGE = '<html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1><p>Your request was blocked by the web application firewall.</p></body></html>';

/** Spends a refresh token the way another system would, straight at the emulator. */
async function spendElsewhere(refreshToken) {
	const res = await fetch(`${fx.emu.url}/token`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
		},
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
	});
	return { status: res.status, body: await res.json() };
}

/** A credential database whose first `failures` writes fail, as a locked or unreachable database does. */
class FailingStore extends CredentialStore {
	constructor(entries, failures) {
		super(entries);
		this.failures = failures;
	}

	async _write(...args) {
		if (this.failures > 0) {
			this.failures--;
			throw new Error('SQLITE_BUSY: database is locked');
		}
		return await super._write(...args);
	}
}

// ---------------------------------------------------------------------------------------------
describe('defect 6: only Keap rejects a refresh token; its rejection is remembered per client secret', () => {
	for (const [label, rule] of [
		['an HTML firewall page with 403', { fault: 'html', status: 403, body: FIREWALL_PAGE }],
		['a gateway 401 without an OAuth error', { fault: 'status', status: 401, body: { fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } } }],
		['a plain-text 400 from a proxy', { fault: 'status', status: 400, body: 'Bad Request' }],
	]) {
		test(`defect 6: ${label} from the token URL is not taken for a rejected refresh token`, async () => {
			const store = fx.store();
			const original = store.data('pair').refreshToken;
			fx.proxy.setRules({ method: 'POST', path: '/token', ...rule });
			const failed = await getMany({ credential: 'pair', store });
			assert.ok(failed.error, 'no token, no call');
			assert.doesNotMatch(shown(failed.error), /paste a new token pair/i);
			assert.match(shown(failed.error), /not answering/);
			assert.equal(store.data('pair').refreshToken, original, 'the credential was not changed');
			assert.equal(fx.emu.counters().refreshAttempts, 0, 'nothing reached Keap');
			// The foreign answer is not remembered: the same stored token works once the path is clear.
			fx.proxy.clearRules();
			const again = await getMany({ credential: 'pair', store });
			assert.equal(again.error, undefined, again.error?.message);
			assert.notEqual(store.data('pair').refreshToken, original, 'refreshed and saved');
		});
	}

	test('defect 6: after a wrong client secret is corrected, the refresh is tried again (not the remembered rejection)', async () => {
		const store = fx.store({ pair: { clientSecret: 'not-the-secret' } });
		const failed = await getMany({ credential: 'pair', store });
		assert.ok(failed.error);
		assert.match(shown(failed.error), /Client ID \/ Client Secret|Client Secret/);
		assert.doesNotMatch(allText(failed.error), /not-the-secret/, 'the wrong secret is not quoted either');
		store.patch('pair', { clientSecret: CLIENT_SECRET });
		const fixed = await getMany({ credential: 'pair', store });
		assert.equal(fixed.error, undefined, fixed.error?.message);
		assert.equal(fx.emu.counters().refreshes, 1);
	});

	test('defect 6: invalid_client names the Client ID / Client Secret, spends nothing, and is not held against the refresh token', async () => {
		const store = fx.store({ pair: { clientSecret: 'an-old-secret' } });
		const original = store.data('pair').refreshToken;
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'status', status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' }, count: 1 });
		const failed = await getMany({ credential: 'pair', store });
		assert.match(shown(failed.error), /did not accept the Client ID \/ Client Secret/);
		assert.doesNotMatch(shown(failed.error), /paste a new token pair/);
		assert.equal(store.data('pair').refreshToken, original);
		store.patch('pair', { clientSecret: CLIENT_SECRET });
		const fixed = await getMany({ credential: 'pair', store });
		assert.equal(fixed.error, undefined, fixed.error?.message);
	});

	test('defect 6: OAuth2, a firewall page from the token URL is not "must be reconnected"', async () => {
		const store = fx.store();
		assert.equal((await getMany({ credential: 'oauth', store })).error, undefined);
		fx.emu.expireAccessTokens();
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'html', status: 403, body: FIREWALL_PAGE });
		const failed = await getMany({ credential: 'oauth', store });
		assert.ok(failed.error, 'no token, no call');
		assert.doesNotMatch(shown(failed.error), /must be reconnected|rejected its refresh token/i);
		fx.proxy.clearRules();
		assert.equal((await getMany({ credential: 'oauth', store })).error, undefined, 'the same stored token works once the path is clear');
	});

	test("defect 6 (guard): Keap's own invalid_grant is still remembered: one rejection per process, not one per run", async () => {
		const store = fx.store();
		assert.equal((await spendElsewhere(store.data('pair').refreshToken)).status, 200);
		const first = await getMany({ credential: 'pair', store });
		assert.match(shown(first.error), /paste a new token pair/);
		const second = await getMany({ credential: 'pair', store });
		assert.match(shown(second.error), /paste a new token pair/);
		assert.equal(fx.emu.counters().rejectedRefreshes, 1, 'the rejected token was not sent again');
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 7: the token pair says what is known about a refresh, and its save', () => {
	test('defect 7: the answer to a granted refresh is lost: the retry\'s rejection is explained as that, not as a stale pair', async () => {
		const store = fx.store();
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'dropAfter', nth: 1 });
		const res = await getMany({ credential: 'pair', store });
		assert.ok(res.error);
		const text = shown(res.error);
		assert.match(text, /no usable answer|answer .*lost|was lost/i, text);
		assert.match(text, /paste a new token pair/i, 'the pair is gone: the user has to paste a new one');
		assert.doesNotMatch(text, /not spent/i);
		assert.equal(fx.emu.counters().refreshes, 1, 'Keap granted the first refresh');
	});

	test('defect 7: every answer of the token endpoint is lost: the error does not claim the token was not spent', async () => {
		const store = fx.store();
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'dropAfter' });
		const res = await getMany({ credential: 'pair', store });
		const text = shown(res.error);
		assert.doesNotMatch(text, /not spent|was not processed|processed none/i, text);
		assert.match(text, /may have been spent|not known/i, text);
	});

	test('defect 7: three 503s from the token endpoint: "may have been spent", the next run tries the same token', async () => {
		const store = fx.store();
		const original = store.data('pair').refreshToken;
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'status', status: 503 });
		const res = await getMany({ credential: 'pair', store });
		assert.match(shown(res.error), /not answering/);
		assert.doesNotMatch(shown(res.error), /was not spent/);
		assert.equal(store.data('pair').refreshToken, original);
		fx.proxy.clearRules();
		assert.equal((await getMany({ credential: 'pair', store })).error, undefined);
	});

	test('defect 7: OAuth2, every answer of the token endpoint is lost: the error does not claim the token was not spent', async () => {
		const store = fx.store();
		assert.equal((await getMany({ credential: 'oauth', store })).error, undefined);
		fx.emu.expireAccessTokens();
		fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'dropAfter' });
		const res = await getMany({ credential: 'oauth', store });
		assert.ok(res.error, 'no token, no call');
		const text = shown(res.error);
		assert.match(text, /not answering/, text);
		assert.match(text, /not known/, text);
		assert.doesNotMatch(text, /not spent|must be reconnected/i, text);
	});

	test('defect 7 (guard): a token endpoint that cannot be reached at all: "not spent" is true and said', async () => {
		const store = fx.store({ pair: { tokenUrl: 'http://127.0.0.1:9/token' } });
		const res = await getMany({ credential: 'pair', store });
		assert.match(shown(res.error), /not spent/);
	});

	test('defect 7 (guard): the rotated pair is saved before the request that needed it, even when that request fails', async () => {
		const store = fx.store();
		const original = store.data('pair').refreshToken;
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/contacts', fault: 'status', status: 500, body: { message: 'boom' } });
		const res = await getMany({ credential: 'pair', store });
		assert.ok(res.error);
		const saved = store.data('pair').refreshToken;
		assert.notEqual(saved, original, 'the new refresh token is in the credential');
		assert.equal((await spendElsewhere(saved)).status, 200, 'and it is the live one');
	});

	test('defect 7: a failing save of the rotated pair is reported as a failed save, not as "got no response"', async () => {
		const base = fx.store();
		const store = new FailingStore(Object.fromEntries(base.entries), Infinity);
		const res = await getMany({ credential: 'pair', store });
		assert.ok(res.error, 'the save failed');
		const text = shown(res.error);
		assert.doesNotMatch(text, /got no response/i, text);
		assert.match(text, /sav|stor|persist/i, text);
		assert.match(text, /database is locked/, 'with the reason');
	});

	test('defect 7: a save that failed once is tried again by the next run: the tokens Keap granted are saved, nothing is refreshed twice', async () => {
		const base = fx.store();
		const store = new FailingStore(Object.fromEntries(base.entries), 1);
		const original = store.data('pair').refreshToken;
		const first = await getMany({ credential: 'pair', store });
		assert.match(shown(first.error), /could not save/, shown(first.error));
		assert.equal(store.data('pair').refreshToken, original, 'nothing was saved');
		const second = await getMany({ credential: 'pair', store });
		assert.equal(second.error, undefined, second.error?.message);
		const saved = store.data('pair').refreshToken;
		assert.notEqual(saved, original, 'the rotated pair is in the credential now');
		assert.equal(fx.emu.counters().refreshes, 1, 'one refresh: the second run saved the tokens the first obtained');
		assert.equal((await spendElsewhere(saved)).status, 200, 'and the saved refresh token is the live one');
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 8: no secret in any message, description, output or log line, even when Keap echoes it', () => {
	/** Everything n8n could show, save or log from a run. */
	const everything = (res) => [allText(res.error), JSON.stringify(res.runData ?? {}), ...res.items.map((i) => allText(i.json)), ...logLines].join('\n');
	const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

	function assertClean(text, secrets) {
		for (const secret of secrets.filter((s) => s && s.length >= 6)) {
			assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 8)}…) leaked: …${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 20)}…`);
		}
		assert.doesNotMatch(text, /\b(Bearer|Basic)\s+(?!\*)[A-Za-z0-9._~+/=-]{8,}/, 'an Authorization value leaked');
	}

	test('defect 8 (guard): the token endpoint echoes the refresh request: no client secret, refresh token or Basic value', async () => {
		const store = fx.store();
		const refreshToken = store.data('pair').refreshToken;
		for (const status of [400, 401, 200, 502]) {
			fx.proxy.setRules({ method: 'POST', path: '/token', fault: 'echo', status });
			const res = await getMany({ credential: 'pair', store, continueOnFail: true });
			assertClean(everything(res), [CLIENT_SECRET, refreshToken, basic]);
		}
	});

	for (const [credential, format, secretOf] of [
		['pat', 'json', () => [PAT]],
		['sak', 'html', () => [SAK]],
		['pair', 'text', (store) => [store.data('pair').sessionAccessToken, store.data('pair').refreshToken, CLIENT_SECRET]],
		['oauth', 'json', (store) => [store.data('oauth').oauthTokenData.access_token, store.data('oauth').oauthTokenData.refresh_token, CLIENT_SECRET]],
	]) {
		test(`defect 8: an API answer echoing the request (${format}) with the ${credential} credential leaks no secret`, async () => {
			const store = fx.store();
			// A first call without faults, so the token pair has its session (the token to protect).
			assert.equal((await getMany({ credential, store })).error, undefined);
			fx.proxy.setRules({ path: '/crm/**', fault: 'echo', format, status: 400 });
			for (const continueOnFail of [false, true]) {
				const res = await getMany({ credential, store, continueOnFail });
				assert.ok(res.error || res.items[0]?.json.error, 'the echo page is an error');
				assertClean(everything(res), secretOf(store));
			}
		});
	}

	// The triggers call Keap through the same error builder: their error paths are checked too.
	const TRIGGER_CREDENTIALS = {
		pat: ['apiKey', 'keapCrmApiKeyApi'],
		pair: ['tokenPair', 'keapCrmTokenPairApi'],
		oauth: ['oAuth2', 'keapCrmOAuth2Api'],
	};
	/** A trigger workflow signed with `credential` of `store` (the harness names the API key one). */
	function triggerWith(type, parameters, credential, store) {
		const [authentication, credentialType] = TRIGGER_CREDENTIALS[credential];
		const wf = triggerWorkflow({ type, parameters: { ...parameters, authentication }, credentialId: credential, store });
		wf.node.credentials = { [credentialType]: { id: credential, name: credential } };
		return wf;
	}
	async function failureOf(run) {
		try {
			await run();
		} catch (error) {
			return error;
		}
		return undefined;
	}

	for (const [credential, format, secretOf] of [
		['pat', 'html', () => [PAT]],
		['pair', 'json', (store) => [store.data('pair').sessionAccessToken, store.data('pair').refreshToken, CLIENT_SECRET]],
		['oauth', 'text', (store) => [store.data('oauth').oauthTokenData.access_token, store.data('oauth').oauthTokenData.refresh_token, CLIENT_SECRET]],
	]) {
		test(`defect 8: the polling trigger, a poll answered by an echo page (${format}) with the ${credential} credential: no secret in its error or the log`, async () => {
			const store = fx.store();
			const wf = triggerWith('keapCrmPollingTrigger', { event: 'contactCreated' }, credential, store);
			assert.equal(await failureOf(() => poll(wf)), undefined, 'the first poll (no faults) sets the cursor');
			fx.proxy.setRules({ path: '/crm/**', fault: 'echo', format, status: 400 });
			const error = await failureOf(() => poll(wf));
			assert.ok(error, 'the echo page fails the poll');
			assert.ok(fx.proxy.stats().byFault.echo > 0, 'the echo page was served');
			assertClean([allText(error), ...logLines].join('\n'), secretOf(store));
		});

		test(`defect 8: the webhook trigger, its activation answered by an echo page (${format}) with the ${credential} credential: no secret in its error or the log`, async () => {
			for (const rule of [
				{ path: '/crm/**', fault: 'echo', format, status: 400 }, // the look-up of existing hooks
				{ method: 'POST', path: '/crm/rest/v1/hooks', fault: 'echo', format, status: 400 }, // the hook's creation
			]) {
				const store = fx.store();
				// One call without faults first, so the token pair has its session (the token to protect).
				assert.equal((await getMany({ credential, store })).error, undefined);
				fx.proxy.setRules(rule);
				const wf = triggerWith('keapCrmTrigger', { event: 'contact.add' }, credential, store);
				const error = await failureOf(() => activate(wf));
				assert.ok(error, 'the echo page fails the activation');
				assert.ok(fx.proxy.stats().byFault.echo > 0, 'the echo page was served');
				assertClean([allText(error), ...logLines].join('\n'), secretOf(store));
				fx.proxy.clearRules();
			}
		});
	}
});
