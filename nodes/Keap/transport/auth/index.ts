// The one door every Keap HTTP request goes through: picks the credential's base URL, signs
// the request the credential's way (through n8n's httpRequestWithAuthentication) and keeps the
// credential alive. Callers get the full response for every HTTP status and decide what an
// error is; this door throws only when no response arrived or the credential cannot be
// refreshed, and its errors never carry a token, key or secret (redact.ts).
//
// Refresh design (why no refresh token is lost inside one n8n process, on n8n 1.x and 2.x):
// every request is sent with `ignoreHttpStatusErrors`, so n8n's own "401 -> refresh -> resend"
// paths never run: on n8n 1.x those refresh with no coordination at all (two executions that
// meet an expired token both spend the single-use refresh token; the second gets
// invalid_grant and the credential is dead). A 401 comes back here instead, and each
// credential kind has its module: apiKey.ts (nothing expires), oauth2.ts (one refresh per
// credential at a time, performed by n8n), tokenPair.ts (the credential's own refresh engine,
// persisted by n8n). Across processes: recovery.ts.
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiKeyRequest } from './apiKey';
import { oauth2Request, refreshOAuth2Now } from './oauth2';
import { secretsOf } from './redact';
import { readCredentials, str, type KeapAuthContext, type KeapCredentialType } from './request';
import { refreshTokenPairNow, tokenPairRequest } from './tokenPair';

export type { KeapAuthContext, KeapCredentialType } from './request';
export { redactDeep, redactSecrets } from './redact';

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
		case 'keapCrmApiKeyApi':
			return await apiKeyRequest(this, credentialType, options);
		case 'keapCrmTokenPairApi':
			return await tokenPairRequest(this, credentialType, options);
		case 'keapCrmOAuth2Api':
			return await oauth2Request(this, credentialType, options);
		default:
			throw new NodeOperationError(this.getNode(), `Unknown Keap credential type "${str(credentialType)}"`);
	}
}

/**
 * Forces a refresh now, so a dormant refresh token never reaches Keap's 45-day lapse. The
 * Keap node exposes this as its "Account > Keep Credential Alive" operation, meant to run weekly from a
 * Schedule Trigger. For the API key credential there is nothing to refresh.
 */
export async function refreshKeapCredentialNow(
	this: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<{ refreshed: boolean; expiresAt?: string }> {
	if (credentialType === 'keapCrmApiKeyApi') return { refreshed: false };
	if (credentialType === 'keapCrmTokenPairApi') return await refreshTokenPairNow(this, credentialType);
	return await refreshOAuth2Now(this, credentialType);
}

/**
 * The secrets of the credential in use (its key, secret and tokens, and the tokens this
 * process rotated them into), for redacting what an error quotes. None when the credential
 * cannot be read: the patterns of redactSecrets still apply.
 */
export async function keapCredentialSecrets(this: KeapAuthContext, credentialType: KeapCredentialType): Promise<string[]> {
	try {
		return secretsOf(await readCredentials(this, credentialType));
	} catch {
		return [];
	}
}
