/** Keap CRM Key (PAT / SAK): nothing expires or rotates, so the request is sent as it is. */
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { secretsOf } from './redact';
import {
	baseUrlOf,
	decrypted,
	readCredentials,
	resolveRequest,
	send,
	type KeapAuthContext,
	type KeapCredentialType,
} from './request';

export async function apiKeyRequest(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const credentials = await readCredentials(ctx, credentialType);
	return await send(ctx, credentialType, resolveRequest(baseUrlOf(credentials), options), secretsOf(credentials), {
		credentialsDecrypted: decrypted(ctx.getNode(), credentialType, credentials),
	});
}
