/**
 * Keap CRM Token Pair: the credential's refresh engine (credentials/common/tokenPair.ts) does
 * a per-process single flight keyed by the refresh token being spent, plus a memo "old refresh
 * token -> newest tokens". A request whose stored access token is missing, expired or near
 * expiry (`sessionExpiresAt`) or just answered 401 asks that engine for a session (clear
 * errors, bounded retries), then sends the request with the credential's expirable field
 * emptied (`credentialsDecrypted`), which makes n8n call the credential's preAuthentication -
 * answered from the memo, no second refresh - and persist the new access token, the rotated
 * refresh token and the expiry on its normal path. A rejected refresh may be another
 * process's rotation: see recovery.ts.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KEAP_REFRESH_MARGIN_MS, KEAP_USERINFO_PATH } from '../../../../credentials/common/keap';
import {
	isAccessTokenDead,
	isFresh,
	KeapTokenRefreshError,
	markAccessTokenDead,
	refreshTokenPair,
	TOKEN_PAIR,
	tokenId,
	tokenPairPreAuthentication,
	type TokenPairSession,
} from '../../../../credentials/common/tokenPair';
import { MAX_RECOVERIES, storedCredentialMovesOn } from './recovery';
import { redactSecrets, secretsOf } from './redact';
import {
	baseUrlOf,
	credentialLabel,
	decrypted,
	MAX_AUTH_ROUNDS,
	readCredentials,
	refreshErrorToNodeError,
	resolveRequest,
	send,
	str,
	type KeapAuthContext,
	type KeapCredentialType,
} from './request';

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

/**
 * A send that was to persist `session` (the expirable field emptied, so n8n runs
 * preAuthentication and saves its output before the request leaves) failed. n8n saves before
 * it sends, so if the stored credential still holds the refresh token it had (`before`)
 * rather than the new one, the save itself failed (the database, not the network): that is
 * reported as what it is, with its reason and what it means for the new tokens. Otherwise the
 * original error stands (the save happened and the request then got no answer, or another
 * process saved newer tokens).
 */
async function saveFailureOr(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	before: ICredentialDataDecryptedObject,
	session: TokenPairSession,
	secrets: string[],
	error: unknown,
): Promise<unknown> {
	let stored: ICredentialDataDecryptedObject;
	try {
		stored = await readCredentials(ctx, credentialType);
	} catch {
		return error;
	}
	const storedRefreshToken = str(stored[TOKEN_PAIR.refreshToken]);
	if (storedRefreshToken === session.refreshToken || storedRefreshToken !== str(before[TOKEN_PAIR.refreshToken])) {
		return error;
	}
	const node = ctx.getNode();
	const reason =
		(error instanceof NodeOperationError ? str(error.description) : '') || str((error as Error)?.message) || 'unknown error';
	return new NodeOperationError(
		node,
		`Keap credential ${credentialLabel(node, credentialType)}: n8n could not save the new tokens Keap granted`,
		{
			description: `Keap rotated the token pair (the old refresh token is spent), but saving the new pair to the credential failed: ${redactSecrets(reason, secrets)}. The request was not sent. The new tokens are kept in this n8n process's memory and every request with this credential tries to save them again; if n8n restarts before one save succeeds they are lost, and a new token pair has to be pasted into the credential.`,
		},
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
 * known expired.
 */
async function storedPairMovedOn(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	stale: ICredentialDataDecryptedObject,
): Promise<boolean> {
	const staleRefresh = str(stale[TOKEN_PAIR.refreshToken]);
	const staleSession = str(stale[TOKEN_PAIR.session]);
	return await storedCredentialMovesOn(
		ctx,
		credentialType,
		(current) => {
			if (str(current[TOKEN_PAIR.refreshToken]) !== staleRefresh) return true;
			const session = usableSession(current);
			return session !== undefined && session !== staleSession;
		},
		true,
	);
}

export async function tokenPairRequest(
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
		const request = resolveRequest(baseUrlOf(credentials), options);
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
			try {
				response = await send(ctx, credentialType, request, secrets, {
					credentialsDecrypted: decrypted(node, credentialType, {
						...credentials,
						[TOKEN_PAIR.session]: '',
					}),
				});
			} catch (error) {
				throw await saveFailureOr(ctx, credentialType, credentials, session, secrets, error);
			}
		}
		if (response.statusCode !== 401) return response;
		markAccessTokenDead(usedToken);
		unauthorizedRounds++;
	}
	return response as IN8nHttpFullResponse;
}

/** Refreshes the pair now and has n8n persist the rotated tokens (Keep Credential Alive). */
export async function refreshTokenPairNow(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<{ refreshed: boolean; expiresAt?: string }> {
	const node = ctx.getNode();
	const credentials = await readCredentials(ctx, credentialType);
	let session;
	try {
		session = await tokenPairSession(ctx, credentials, true);
	} catch (error) {
		// Another process refreshed the pair a moment ago: the stored credential is alive.
		if (isRejection(error) && (await storedPairMovedOn(ctx, credentialType, credentials))) {
			const stored = await readCredentials(ctx, credentialType);
			return { refreshed: true, expiresAt: str(stored[TOKEN_PAIR.expiresAt]) || undefined };
		}
		throw tokenPairError(ctx, credentialType, credentials, error);
	}
	// Persist through n8n: the emptied expirable field makes it run preAuthentication,
	// which returns the tokens just obtained, and save them.
	const secrets = [...secretsOf(credentials), session.sessionAccessToken, session.refreshToken];
	try {
		await send(
			ctx,
			credentialType,
			resolveRequest(baseUrlOf(credentials), { method: 'GET', url: KEAP_USERINFO_PATH, json: true }),
			secrets,
			{ credentialsDecrypted: decrypted(node, credentialType, { ...credentials, [TOKEN_PAIR.session]: '' }) },
		);
	} catch (error) {
		throw await saveFailureOr(ctx, credentialType, credentials, session, secrets, error);
	}
	const stored = await readCredentials(ctx, credentialType);
	const persisted = str(stored[TOKEN_PAIR.refreshToken]) === session.refreshToken;
	return { refreshed: persisted, expiresAt: session.sessionExpiresAt || undefined };
}
