/**
 * Keap CRM OAuth2: n8n's own OAuth2 credential, with the refresh gated here. Per credential
 * (keyed by its id) at most one refresh runs in this process. A request that meets a 401, or
 * finds the stored token within a few minutes of its known expiry
 * (`oauthTokenData.n8n_expires_at`, written by n8n 2.x), joins the refresh in flight or
 * starts it; requests that arrive while a refresh runs wait for it before sending. After it
 * settles they re-read the stored credential (n8n reads the database on every getCredentials)
 * and resend with the new token. The refresh itself re-reads the credential first and skips
 * if the access token already changed. It is performed by n8n: `helpers.refreshOAuth2Token`
 * where it exists (n8n 2.x: coordinated, persisted); otherwise (n8n 1.x) by one probe request
 * (GET userinfo) that n8n signs with a value that is not the access token
 * (`oauth2.property: 'token_type'`), so Keap answers 401 and n8n's own 1.x code refreshes
 * once, saves the new tokens and resends the probe. A rejected refresh may be another
 * process's: see recovery.ts.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { KEAP_REFRESH_MARGIN_MS, KEAP_USERINFO_PATH } from '../../../../credentials/common/keap';
import { paceRequest } from '../quota';
import { storedCredentialMovesOn } from './recovery';
import { secretsOf } from './redact';
import {
	baseUrlOf,
	credentialKey,
	credentialLabel,
	findInChain,
	MAX_AUTH_ROUNDS,
	readCredentials,
	resolveRequest,
	send,
	str,
	type KeapAuthContext,
	type KeapCredentialType,
} from './request';

const OAUTH_REFRESH_ATTEMPTS = 3;
const RETRY_BASE_DELAY_MS = 300;

/** Per-credential OAuth2 refreshes in flight in this process (the gate). */
const oauthRefreshes = new Map<string, Promise<void>>();

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

/** `maybeSpent`: the request may have reached Keap and its answer was lost (a reset, a timeout, a 5xx). */
type RefreshFailure = { rejected: boolean; detail: string; maybeSpent?: boolean };

/** Network error codes meaning the request never reached the token endpoint. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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
	// A status without Keap's OAuth error (a firewall's 403 page, a proxy's 401) is not Keap's
	// verdict on the refresh token: transient, and nothing is concluded from it.
	const network = str(findInChain(error, 'code'));
	const spent = status === undefined ? !NEVER_SENT_CODES.has(network) : status >= 500 || status === 408;
	return {
		rejected: false,
		detail: status !== undefined ? `HTTP ${status}${status < 500 && status !== 429 ? " without Keap's OAuth error (a proxy, firewall or gateway page?)" : ''}` : network || 'no response',
		maybeSpent: spent,
	};
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
	return await storedCredentialMovesOn(
		ctx,
		credentialType,
		(current) => {
			const accessToken = str(oauthTokenData(current)?.access_token);
			return accessToken !== '' && accessToken !== staleAccessToken;
		},
		false,
	);
}

/** Has n8n refresh the OAuth2 token once (see the note at the top of this file). */
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
	// Keap answers 401, n8n refreshes (once, this call), saves and resends the probe (the one
	// call that counts: paced).
	const answered = await paceRequest(ctx, credentialType);
	try {
		await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			{ method: 'GET', url: `${baseUrl}${KEAP_USERINFO_PATH}`, json: true },
			{ oauth2: { property: 'token_type' } },
		);
	} finally {
		answered();
	}
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
		let lostAnswer = '';
		for (let attempt = 1; attempt <= OAUTH_REFRESH_ATTEMPTS; attempt++) {
			const current = await readCredentials(ctx, credentialType);
			const tokenData = oauthTokenData(current);
			if (!tokenData || !str(tokenData.access_token)) throw notConnectedError(node, credentialType);
			if (str(tokenData.access_token) !== staleAccessToken) return;
			try {
				await forceOAuth2Refresh(ctx, credentialType, baseUrlOf(current));
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
				if (last.maybeSpent && !lostAnswer) lostAnswer = last.detail;
				if (attempt < OAUTH_REFRESH_ATTEMPTS) await sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
			}
		}
		throw new NodeOperationError(
			node,
			`Keap credential ${credentialLabel(node, credentialType)}: Keap's token endpoint is not answering`,
			{
				description: lostAnswer
					? `The token refresh failed ${OAUTH_REFRESH_ATTEMPTS} times (first lost answer: ${lostAnswer}; last: ${last.detail}). The stored tokens were not changed and the next run tries again. Whether Keap processed one of these refreshes is not known: if it did, the refresh token is spent, that next try is rejected and the credential has to be reconnected.`
					: `The token refresh failed ${OAUTH_REFRESH_ATTEMPTS} times (last: ${last.detail}). None of these answers came from Keap's token service, so the refresh token was most likely not spent: the stored tokens were not changed and the next run tries again.`,
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

export async function oauth2Request(
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
		response = await send(ctx, credentialType, resolveRequest(baseUrlOf(credentials), options), secretsOf(credentials));
		if (response.statusCode !== 401 || round === MAX_AUTH_ROUNDS - 1) return response;
		await refreshOAuth2Once(ctx, credentialType, accessToken);
	}
	return response as IN8nHttpFullResponse;
}

/** Refreshes the token now, so a dormant refresh token never lapses (Keep Credential Alive). */
export async function refreshOAuth2Now(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<{ refreshed: boolean; expiresAt?: string }> {
	const node = ctx.getNode();
	const credentials = await readCredentials(ctx, credentialType);
	const before = oauthTokenData(credentials);
	const accessToken = str(before?.access_token);
	if (!accessToken) throw notConnectedError(node, credentialType);
	await refreshOAuth2Once(ctx, credentialType, accessToken);
	const after = oauthTokenData(await readCredentials(ctx, credentialType));
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
