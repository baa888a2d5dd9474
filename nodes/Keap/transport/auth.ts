// The one door every Keap HTTP request goes through: picks the credential's base URL, signs
// the request the credential's way (through n8n's httpRequestWithAuthentication) and keeps the
// credential alive. Callers get the full response for every HTTP status and decide what an
// error is; this module throws only when no response arrived or the credential cannot be
// refreshed, and its errors never carry a token, key or secret.
//
// Refresh design (why no refresh token is lost inside one n8n process, on n8n 1.x and 2.x):
//
// Every request is sent with `ignoreHttpStatusErrors`, so n8n's own "401 -> refresh -> resend"
// paths never run: on n8n 1.x those refresh with no coordination at all (two executions that
// meet an expired token both spend the single-use refresh token; the second gets
// invalid_grant and the credential is dead). A 401 comes back here instead, and:
//
// - OAuth2 (keapCrmOAuth2Api): per credential (keyed by its id) at most one refresh runs in
//   this process. A request that meets a 401, or finds the stored token within a few minutes
//   of its known expiry (`oauthTokenData.n8n_expires_at`, written by n8n 2.x), joins the
//   refresh in flight or starts it; requests that arrive while a refresh runs wait for it
//   before sending. After it settles they re-read the stored credential (n8n reads the
//   database on every getCredentials) and resend with the new token. The refresh itself
//   re-reads the credential first and skips if the access token already changed. It is
//   performed by n8n: `helpers.refreshOAuth2Token` where it exists (n8n 2.x: coordinated,
//   persisted); otherwise (n8n 1.x) by one probe request (GET userinfo) that n8n signs with
//   a value that is not the access token (`oauth2.property: 'token_type'`), so Keap answers
//   401 and n8n's own 1.x code refreshes once, saves the new tokens and resends the probe.
// - Token pair (keapCrmTokenPairApi): the credential's refresh engine
//   (credentials/common/tokenPair.ts) does a per-process single flight keyed by the refresh
//   token being spent, plus a memo "old refresh token -> newest tokens". A request whose stored
//   access token is missing, expired or near expiry (`sessionExpiresAt`) or just answered 401
//   asks that engine for a session (clear errors, bounded retries), then sends the request
//   with the credential's expirable field emptied (`credentialsDecrypted`), which makes n8n
//   call the credential's preAuthentication - answered from the memo, no second refresh - and
//   persist the new access token, the rotated refresh token and the expiry on its normal path.
// - API key (keapCrmApiKeyApi): nothing expires; the request is sent as it is.
//
// Across processes (queue mode workers, several mains) none of the above is shared; n8n >= 2.29
// coordinates OAuth2 refreshes across processes itself (a Redis lease in queue mode). What is
// left is handled the way Keap recommends: when Keap rejects a refresh (invalid_grant /
// invalid_request) the refresh token may simply have been rotated by another process, so the
// stored credential is read again (getCredentials reads the database), a few times with a
// short backoff to cover the moment between the other process's refresh and its save. If it
// now holds another refresh token or a usable access token (token pair), or another access
// token (OAuth2), the request goes round again with it; only if it never moves on does the
// rejection reach the user. Bounded: at most MAX_RECOVERIES such recoveries per request.
import type {
	IAdditionalCredentialOptions,
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	KEAP_API_BASE_URL,
	KEAP_REFRESH_MARGIN_MS,
	KEAP_USERINFO_PATH,
	trimBaseUrl,
} from '../../../credentials/common/keap';
import {
	isAccessTokenDead,
	isFresh,
	KeapTokenRefreshError,
	markAccessTokenDead,
	refreshTokenPair,
	TOKEN_PAIR,
	tokenId,
	tokenPairPreAuthentication,
} from '../../../credentials/common/tokenPair';

export type KeapCredentialType = 'keapCrmOAuth2Api' | 'keapCrmTokenPairApi' | 'keapCrmApiKeyApi';

export const KEAP_CREDENTIAL_TYPES: readonly KeapCredentialType[] = [
	'keapCrmOAuth2Api',
	'keapCrmTokenPairApi',
	'keapCrmApiKeyApi',
];

/**
 * Any n8n function context that can make authenticated requests: IExecuteFunctions,
 * ILoadOptionsFunctions, IHookFunctions, IWebhookFunctions, IPollFunctions, ...
 */
export type KeapAuthContext = IAllExecuteFunctions;

const MAX_AUTH_ROUNDS = 3;
const OAUTH_REFRESH_ATTEMPTS = 3;
const RETRY_BASE_DELAY_MS = 300;
/** Re-reads of the stored credential after a rejected refresh: waits 0, 150, 300, 600, 1200 ms. */
const RECOVERY_READS = 5;
const RECOVERY_BASE_DELAY_MS = 150;
/** Rejected refreshes one request may recover from by using what another process stored. */
const MAX_RECOVERIES = 2;

/** Fields whose values must never appear in an error. */
const SECRET_FIELDS = [
	'apiKey',
	'clientSecret',
	TOKEN_PAIR.refreshToken,
	TOKEN_PAIR.accessToken,
	TOKEN_PAIR.session,
];

/** Per-credential OAuth2 refreshes in flight in this process (the gate). */
const oauthRefreshes = new Map<string, Promise<void>>();

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function credentialKey(node: INode, credentialType: string): string {
	const ref = node.credentials?.[credentialType];
	return `${credentialType}:${ref?.id ?? ref?.name ?? node.name}`;
}

function credentialLabel(node: INode, credentialType: string): string {
	const name = node.credentials?.[credentialType]?.name;
	return name ? `"${name}"` : `of type "${credentialType}"`;
}

async function readCredentials(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<ICredentialDataDecryptedObject> {
	return (await ctx.getCredentials(credentialType)) as ICredentialDataDecryptedObject;
}

function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	const values = SECRET_FIELDS.map((field) => str(credentials[field]));
	const tokenData = credentials.oauthTokenData as IDataObject | undefined;
	if (tokenData && typeof tokenData === 'object') {
		values.push(str(tokenData.access_token), str(tokenData.refresh_token));
	}
	return values.filter((value) => value.length >= 4);
}

/** Replaces every secret of the credential in `text` with a fixed mask. */
export function redactSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) out = out.split(secret).join('***');
	return out
		.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
		.replace(/(refresh_token|access_token|client_secret)=[^&\s"']+/gi, '$1=***');
}

/** The base URL requests of this credential go to (no trailing slash). */
export async function getKeapBaseUrl(
	this: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<string> {
	const credentials = await readCredentials(this, credentialType);
	return trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
}

function resolveRequest(baseUrl: string, options: IHttpRequestOptions): IHttpRequestOptions {
	const url = str(options.url);
	const absolute = /^https?:\/\//i.test(url) || options.baseURL !== undefined;
	return {
		...options,
		url: absolute ? url : `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}`,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
}

/** A fresh copy per attempt: n8n's signing writes into the options object it is given. */
function copyRequest(request: IHttpRequestOptions): IHttpRequestOptions {
	return { ...request, headers: { ...(request.headers ?? {}) }, qs: request.qs ? { ...request.qs } : undefined };
}

/**
 * Sends one request through n8n's httpRequestWithAuthentication. Resolves with the full
 * response for any HTTP status; a request that got no response becomes a NodeOperationError
 * whose text has the credential's secrets removed.
 */
async function send(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	request: IHttpRequestOptions,
	secrets: string[],
	additional?: IAdditionalCredentialOptions,
): Promise<IN8nHttpFullResponse> {
	try {
		return (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			copyRequest(request),
			additional,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		const refreshError = findRefreshError(error);
		if (refreshError) throw refreshErrorToNodeError(ctx.getNode(), credentialType, refreshError);
		throw noResponseError(ctx.getNode(), request, error, secrets);
	}
}

function noResponseError(
	node: INode,
	request: IHttpRequestOptions,
	error: unknown,
	secrets: string[],
): NodeOperationError {
	const code = str((error as { code?: unknown })?.code) || str(findInChain(error, 'code'));
	const message = redactSecrets(str((error as Error)?.message) || 'no response', secrets);
	let host = 'Keap';
	try {
		host = new URL(str(request.url), str(request.baseURL) || undefined).host;
	} catch {
		// keep the generic name when the URL cannot be parsed
	}
	// The code goes in the description: n8n rewrites messages that contain one (ECONNREFUSED...)
	// into a generic sentence, which would drop the host.
	const noResponse = new NodeOperationError(node, `The request to ${host} got no response`, {
		description: code && !message.includes(code) ? `${code}: ${message}` : message,
	});
	// Marks a transport failure (as opposed to a credential failure), so the caller may retry
	// an idempotent request.
	noResponse.context.keapNoResponse = code || 'NO_RESPONSE';
	return noResponse;
}

/** Walks error -> cause -> errorResponse -> reason, returning the first value of `key`. */
function findInChain(error: unknown, key: string): unknown {
	const seen = new Set<unknown>();
	const queue: unknown[] = [error];
	while (queue.length > 0) {
		const current = queue.shift();
		if (!current || typeof current !== 'object' || seen.has(current)) continue;
		seen.add(current);
		const record = current as Record<string, unknown>;
		if (record[key] !== undefined && record[key] !== null && record[key] !== '') return record[key];
		queue.push(record.cause, record.errorResponse, record.reason, record.error);
	}
	return undefined;
}

function findRefreshError(error: unknown): KeapTokenRefreshError | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		if (current instanceof KeapTokenRefreshError) return current;
		seen.add(current);
		const record = current as Record<string, unknown>;
		current = record.cause ?? record.errorResponse;
	}
	return undefined;
}

function refreshErrorToNodeError(
	node: INode,
	credentialType: KeapCredentialType,
	error: KeapTokenRefreshError,
): NodeOperationError {
	return new NodeOperationError(node, `Keap credential ${credentialLabel(node, credentialType)}: ${error.message}`, {
		description: error.description,
		level: error.kind === 'transient' ? 'warning' : 'error',
	});
}

/**
 * Makes one authenticated request to Keap. `options.url` may be relative to the credential's
 * base URL. Resolves with the full response (status, headers, body) whatever the status.
 */
export async function keapAuthenticatedRequest(
	this: KeapAuthContext,
	credentialType: KeapCredentialType,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	switch (credentialType) {
		case 'keapCrmApiKeyApi': {
			const credentials = await readCredentials(this, credentialType);
			const baseUrl = trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
			return await send(this, credentialType, resolveRequest(baseUrl, options), secretsOf(credentials), {
				credentialsDecrypted: decrypted(this.getNode(), credentialType, credentials),
			});
		}
		case 'keapCrmTokenPairApi':
			return await tokenPairRequest(this, credentialType, options);
		case 'keapCrmOAuth2Api':
			return await oauth2Request(this, credentialType, options);
		default:
			throw new NodeOperationError(this.getNode(), `Unknown Keap credential type "${str(credentialType)}"`);
	}
}

function decrypted(node: INode, credentialType: KeapCredentialType, data: ICredentialDataDecryptedObject) {
	const ref = node.credentials?.[credentialType];
	return { id: str(ref?.id), name: str(ref?.name), type: credentialType, data };
}

// ---------------------------------------------------------------------------------------
// Token pair

function httpHelper(ctx: KeapAuthContext) {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => await ctx.helpers.httpRequest(options),
		},
	};
}

/** The stored access token, when it can be used as it is. */
function usableSession(credentials: ICredentialDataDecryptedObject): string | undefined {
	const session = str(credentials[TOKEN_PAIR.session]);
	if (session === '' || isAccessTokenDead(session)) return undefined;
	if (str(credentials[TOKEN_PAIR.sessionFor]) !== tokenId(str(credentials[TOKEN_PAIR.refreshToken]))) {
		return undefined;
	}
	const expiresAt = str(credentials[TOKEN_PAIR.expiresAt]);
	if (expiresAt !== '' && !isFresh(expiresAt, KEAP_REFRESH_MARGIN_MS)) return undefined;
	return session;
}

function tokenPairError(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	credentials: ICredentialDataDecryptedObject,
	error: unknown,
): NodeOperationError {
	if (error instanceof KeapTokenRefreshError) {
		return refreshErrorToNodeError(ctx.getNode(), credentialType, error);
	}
	return new NodeOperationError(
		ctx.getNode(),
		`Keap credential ${credentialLabel(ctx.getNode(), credentialType)} could not be refreshed`,
		{ description: redactSecrets(str((error as Error)?.message), secretsOf(credentials)) },
	);
}

async function tokenPairSession(
	ctx: KeapAuthContext,
	credentials: ICredentialDataDecryptedObject,
	force: boolean,
) {
	return force
		? await refreshTokenPair(httpHelper(ctx), credentials)
		: await tokenPairPreAuthentication(httpHelper(ctx), credentials);
}

function isRejection(error: unknown): boolean {
	return error instanceof KeapTokenRefreshError && error.kind === 'rejected';
}

/**
 * After Keap rejected a refresh of `stale`'s refresh token: whether the stored credential has
 * moved on since `stale` was read (another process refreshed and saved), i.e. it holds another
 * refresh token, or an access token other than `stale`'s that is not known dead and not
 * known expired. Reads the credential up to RECOVERY_READS times with a short backoff, to
 * cover the moment between the other process's refresh and its save.
 */
async function storedPairMovedOn(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	stale: ICredentialDataDecryptedObject,
): Promise<boolean> {
	const staleRefresh = str(stale[TOKEN_PAIR.refreshToken]);
	const staleSession = str(stale[TOKEN_PAIR.session]);
	for (let read = 0; read < RECOVERY_READS; read++) {
		if (read > 0) await sleep(RECOVERY_BASE_DELAY_MS * 2 ** (read - 1));
		const current = await readCredentials(ctx, credentialType);
		if (str(current[TOKEN_PAIR.refreshToken]) !== staleRefresh) return true;
		const session = usableSession(current);
		if (session !== undefined && session !== staleSession) return true;
	}
	return false;
}

async function tokenPairRequest(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const node = ctx.getNode();
	let response: IN8nHttpFullResponse | undefined;
	let unauthorizedRounds = 0;
	let recoveries = 0;
	while (unauthorizedRounds < MAX_AUTH_ROUNDS) {
		const credentials = await readCredentials(ctx, credentialType);
		const secrets = secretsOf(credentials);
		const baseUrl = trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
		const request = resolveRequest(baseUrl, options);
		let usedToken = usableSession(credentials);
		if (usedToken !== undefined) {
			response = await send(ctx, credentialType, request, secrets, {
				credentialsDecrypted: decrypted(node, credentialType, credentials),
			});
		} else {
			let session;
			try {
				session = await tokenPairSession(ctx, credentials, false);
			} catch (error) {
				// Rejected: maybe another process rotated the pair first. Go round with what it stored.
				if (
					isRejection(error) &&
					recoveries < MAX_RECOVERIES &&
					(await storedPairMovedOn(ctx, credentialType, credentials))
				) {
					recoveries++;
					continue;
				}
				throw tokenPairError(ctx, credentialType, credentials, error);
			}
			usedToken = session.sessionAccessToken;
			secrets.push(session.sessionAccessToken, session.refreshToken);
			// Emptying the expirable field makes n8n run preAuthentication (answered from the
			// memo filled just now) and persist its output before sending.
			response = await send(ctx, credentialType, request, secrets, {
				credentialsDecrypted: decrypted(node, credentialType, {
					...credentials,
					[TOKEN_PAIR.session]: '',
				}),
			});
		}
		if (response.statusCode !== 401) return response;
		markAccessTokenDead(usedToken);
		unauthorizedRounds++;
	}
	return response as IN8nHttpFullResponse;
}

// ---------------------------------------------------------------------------------------
// OAuth2

function oauthTokenData(credentials: ICredentialDataDecryptedObject): IDataObject | undefined {
	const data = credentials.oauthTokenData;
	return data && typeof data === 'object' ? (data as IDataObject) : undefined;
}

/** ms epoch of the access token's expiry, when n8n recorded it (n8n 2.x `n8n_expires_at`). */
function oauthExpiresAt(tokenData: IDataObject | undefined): number | undefined {
	const at = Number(tokenData?.n8n_expires_at);
	return Number.isFinite(at) && at > 0 ? at : undefined;
}

function notConnectedError(node: INode, credentialType: KeapCredentialType): NodeOperationError {
	return new NodeOperationError(
		node,
		`Keap credential ${credentialLabel(node, credentialType)} is not connected`,
		{ description: 'Open the credential and click "Connect my account" to sign in to Keap.' },
	);
}

function reconnectError(node: INode, credentialType: KeapCredentialType, detail: string): NodeOperationError {
	return new NodeOperationError(
		node,
		`Keap credential ${credentialLabel(node, credentialType)} must be reconnected: Keap rejected its refresh token`,
		{
			description: `Keap's token endpoint answered ${detail}. The refresh token was already used, lapsed after 45 days without use, or was revoked. Open the credential and click "Reconnect" (sign in to Keap again). To keep an idle credential alive, run the Keap CRM node's "Account > Keep Credential Alive" operation weekly from a Schedule Trigger.`,
		},
	);
}

type RefreshFailure = { rejected: boolean; detail: string };

const REJECTION_CODES = ['invalid_grant', 'invalid_request', 'invalid_client', 'unauthorized_client'];

/** Tells a refresh Keap rejected (reconnect needed) from a transient failure (retry). */
function classifyOAuthRefreshFailure(error: unknown): RefreshFailure {
	const body = findInChain(error, 'body') as IDataObject | undefined;
	const bodyError = body && typeof body === 'object' ? str(body.error) : '';
	if (REJECTION_CODES.includes(bodyError)) return { rejected: true, detail: bodyError };
	const texts: string[] = [];
	const seen = new Set<unknown>();
	const queue: unknown[] = [error];
	let status: number | undefined;
	while (queue.length > 0) {
		const current = queue.shift();
		if (!current || typeof current !== 'object' || seen.has(current)) continue;
		seen.add(current);
		const record = current as Record<string, unknown>;
		texts.push(str(record.message), str(record.description));
		const response = record.response as { status?: unknown } | undefined;
		const candidate = Number(record.status ?? response?.status);
		if (status === undefined && Number.isFinite(candidate) && candidate > 0) status = candidate;
		queue.push(record.cause, record.errorResponse, record.reason, record.error);
	}
	const text = texts.join(' ');
	const code = REJECTION_CODES.find((c) => text.includes(c));
	if (code) return { rejected: true, detail: code };
	if (/needs to be reconnected|invalid refresh token|no refresh token/i.test(text)) {
		return { rejected: true, detail: 'that the grant is no longer valid' };
	}
	if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
		return { rejected: true, detail: `HTTP ${status}` };
	}
	const network = str(findInChain(error, 'code'));
	return { rejected: false, detail: status !== undefined ? `HTTP ${status}` : network || 'no response' };
}

/**
 * After a rejected OAuth2 refresh: whether the stored access token changes from
 * `staleAccessToken` within a few short re-reads (another process refreshed and saved).
 */
async function storedOAuthTokenMovedOn(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	staleAccessToken: string,
): Promise<boolean> {
	for (let read = 1; read < RECOVERY_READS; read++) {
		await sleep(RECOVERY_BASE_DELAY_MS * 2 ** (read - 1));
		const current = oauthTokenData(await readCredentials(ctx, credentialType));
		const accessToken = str(current?.access_token);
		if (accessToken !== '' && accessToken !== staleAccessToken) return true;
	}
	return false;
}

/** Has n8n refresh the OAuth2 token once (see the design note at the top of this file). */
async function forceOAuth2Refresh(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	baseUrl: string,
): Promise<void> {
	const helpers = ctx.helpers as { refreshOAuth2Token?: (type: string) => Promise<unknown> };
	if (typeof helpers.refreshOAuth2Token === 'function') {
		await helpers.refreshOAuth2Token.call(ctx, credentialType);
		return;
	}
	// n8n 1.x: no refresh helper. Sign the probe with `token_type` instead of the access token:
	// Keap answers 401, n8n refreshes (once, this call), saves and resends the probe.
	await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		credentialType,
		{ method: 'GET', url: `${baseUrl}${KEAP_USERINFO_PATH}`, json: true },
		{ oauth2: { property: 'token_type' } },
	);
}

/**
 * Refreshes the credential's OAuth2 token unless the stored access token already differs
 * from `staleAccessToken`. One refresh per credential at a time in this process; concurrent
 * callers join it. Retries transient failures a bounded number of times.
 */
async function refreshOAuth2Once(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	staleAccessToken: string,
): Promise<void> {
	const node = ctx.getNode();
	const key = credentialKey(node, credentialType);
	const running = oauthRefreshes.get(key);
	if (running) return await running;
	const flight = (async () => {
		let last: RefreshFailure = { rejected: false, detail: 'no response' };
		for (let attempt = 1; attempt <= OAUTH_REFRESH_ATTEMPTS; attempt++) {
			const current = await readCredentials(ctx, credentialType);
			const tokenData = oauthTokenData(current);
			if (!tokenData || !str(tokenData.access_token)) throw notConnectedError(node, credentialType);
			if (str(tokenData.access_token) !== staleAccessToken) return;
			try {
				await forceOAuth2Refresh(
					ctx,
					credentialType,
					trimBaseUrl(str(current.baseUrl).trim() || KEAP_API_BASE_URL),
				);
				return;
			} catch (error) {
				const after = oauthTokenData(await readCredentials(ctx, credentialType));
				if (str(after?.access_token) !== staleAccessToken) return;
				last = classifyOAuthRefreshFailure(error);
				if (last.rejected) {
					// Another process (a queue-mode worker on an n8n without coordinated refreshes)
					// may have spent the refresh token first and be about to save its new tokens.
					if (await storedOAuthTokenMovedOn(ctx, credentialType, staleAccessToken)) return;
					throw reconnectError(node, credentialType, last.detail);
				}
				if (attempt < OAUTH_REFRESH_ATTEMPTS) await sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
			}
		}
		throw new NodeOperationError(
			node,
			`Keap credential ${credentialLabel(node, credentialType)}: Keap's token endpoint is not answering`,
			{
				description: `The token refresh failed ${OAUTH_REFRESH_ATTEMPTS} times (last: ${last.detail}). The stored tokens were not changed; the next run will try again.`,
				level: 'warning',
			},
		);
	})();
	oauthRefreshes.set(key, flight);
	try {
		await flight;
	} finally {
		oauthRefreshes.delete(key);
	}
}

async function oauth2Request(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const node = ctx.getNode();
	const key = credentialKey(node, credentialType);
	let response: IN8nHttpFullResponse | undefined;
	for (let round = 0; round < MAX_AUTH_ROUNDS; round++) {
		// The gate: while this credential is being refreshed, nothing else is sent with it.
		const running = oauthRefreshes.get(key);
		if (running) await running;
		const credentials = await readCredentials(ctx, credentialType);
		const tokenData = oauthTokenData(credentials);
		const accessToken = str(tokenData?.access_token);
		if (!accessToken) throw notConnectedError(node, credentialType);
		const expiresAt = oauthExpiresAt(tokenData);
		if (expiresAt !== undefined && expiresAt - Date.now() <= KEAP_REFRESH_MARGIN_MS) {
			await refreshOAuth2Once(ctx, credentialType, accessToken);
			const after = oauthTokenData(await readCredentials(ctx, credentialType));
			// Refreshed (or someone else did): go round with the new token. If the token is
			// unchanged but still valid, send it rather than loop.
			if (str(after?.access_token) !== accessToken) continue;
		}
		const baseUrl = trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
		response = await send(ctx, credentialType, resolveRequest(baseUrl, options), secretsOf(credentials));
		if (response.statusCode !== 401 || round === MAX_AUTH_ROUNDS - 1) return response;
		await refreshOAuth2Once(ctx, credentialType, accessToken);
	}
	return response as IN8nHttpFullResponse;
}

// ---------------------------------------------------------------------------------------
// Keep-alive

/**
 * Forces a refresh now, so a dormant refresh token never reaches Keap's 45-day lapse. The
 * Keap node exposes this as its "Account > Keep Credential Alive" operation, meant to run weekly from a
 * Schedule Trigger. For the API key credential there is nothing to refresh.
 */
export async function refreshKeapCredentialNow(
	this: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<{ refreshed: boolean; expiresAt?: string }> {
	const node = this.getNode();
	if (credentialType === 'keapCrmApiKeyApi') return { refreshed: false };
	const credentials = await readCredentials(this, credentialType);
	const baseUrl = trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
	if (credentialType === 'keapCrmTokenPairApi') {
		let session;
		try {
			session = await tokenPairSession(this, credentials, true);
		} catch (error) {
			// Another process refreshed the pair a moment ago: the stored credential is alive.
			if (isRejection(error) && (await storedPairMovedOn(this, credentialType, credentials))) {
				const stored = await readCredentials(this, credentialType);
				return { refreshed: true, expiresAt: str(stored[TOKEN_PAIR.expiresAt]) || undefined };
			}
			throw tokenPairError(this, credentialType, credentials, error);
		}
		// Persist through n8n: the emptied expirable field makes it run preAuthentication,
		// which returns the tokens just obtained, and save them.
		await send(
			this,
			credentialType,
			resolveRequest(baseUrl, { method: 'GET', url: KEAP_USERINFO_PATH, json: true }),
			[...secretsOf(credentials), session.sessionAccessToken, session.refreshToken],
			{ credentialsDecrypted: decrypted(node, credentialType, { ...credentials, [TOKEN_PAIR.session]: '' }) },
		);
		const stored = await readCredentials(this, credentialType);
		const persisted = str(stored[TOKEN_PAIR.refreshToken]) === session.refreshToken;
		return { refreshed: persisted, expiresAt: session.sessionExpiresAt || undefined };
	}
	const before = oauthTokenData(credentials);
	const accessToken = str(before?.access_token);
	if (!accessToken) throw notConnectedError(node, credentialType);
	await refreshOAuth2Once(this, credentialType, accessToken);
	const after = oauthTokenData(await readCredentials(this, credentialType));
	const refreshed = str(after?.access_token) !== accessToken;
	const at = oauthExpiresAt(after);
	const expiresIn = Number(after?.expires_in);
	const expiresAt =
		at !== undefined
			? new Date(at).toISOString()
			: refreshed && Number.isFinite(expiresIn) && expiresIn > 0
				? new Date(Date.now() + expiresIn * 1000).toISOString()
				: undefined;
	return { refreshed, expiresAt };
}
