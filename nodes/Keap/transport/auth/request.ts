/**
 * What every credential kind's request shares: reading the stored credential, resolving a
 * path against its base URL, and the one send through n8n's httpRequestWithAuthentication,
 * which answers every HTTP status and turns "no response" into an error without secrets.
 */
import type {
	IAdditionalCredentialOptions,
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KEAP_API_BASE_URL, trimBaseUrl } from '../../../../credentials/common/keap';
import { KeapTokenRefreshError } from '../../../../credentials/common/tokenPair';
import { paceRequest } from '../quota';
import { redactSecrets } from './redact';

export type KeapCredentialType = 'keapCrmOAuth2Api' | 'keapCrmTokenPairApi' | 'keapCrmApiKeyApi';

/**
 * Any n8n function context that can make authenticated requests: IExecuteFunctions,
 * ILoadOptionsFunctions, IHookFunctions, IWebhookFunctions, IPollFunctions, ...
 */
export type KeapAuthContext = IAllExecuteFunctions;

/** Sends of one request with a token Keap answers 401 (each followed by a refresh). */
export const MAX_AUTH_ROUNDS = 3;

export function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Identifies the credential across executions in this process (its id): the pacer's key. */
export { pacerKey as credentialKey } from '../quota';

/** The credential as error messages name it. */
export function credentialLabel(node: INode, credentialType: string): string {
	const name = node.credentials?.[credentialType]?.name;
	return name ? `"${name}"` : `of type "${credentialType}"`;
}

/** The stored credential, as n8n reads it (from its database, on every call). */
export async function readCredentials(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
): Promise<ICredentialDataDecryptedObject> {
	return (await ctx.getCredentials(credentialType)) as ICredentialDataDecryptedObject;
}

/** The base URL requests of this credential go to (no trailing slash). */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return trimBaseUrl(str(credentials.baseUrl).trim() || KEAP_API_BASE_URL);
}

/** The request with its path resolved against `baseUrl`, asking n8n for the full response of any status. */
export function resolveRequest(baseUrl: string, options: IHttpRequestOptions): IHttpRequestOptions {
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

/** The stored credential handed to n8n as it is, so n8n signs with exactly these values. */
export function decrypted(node: INode, credentialType: KeapCredentialType, data: ICredentialDataDecryptedObject) {
	const ref = node.credentials?.[credentialType];
	return { id: str(ref?.id), name: str(ref?.name), type: credentialType, data };
}

/**
 * Sends one request through n8n's httpRequestWithAuthentication. Resolves with the full
 * response for any HTTP status; a request that got no response becomes a NodeOperationError
 * whose text has the credential's secrets removed.
 */
export async function send(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	request: IHttpRequestOptions,
	secrets: string[],
	additional?: IAdditionalCredentialOptions,
): Promise<IN8nHttpFullResponse> {
	// The pacer slot is taken here, where the request goes out: resends after a 401 and calls
	// released by a refresh are paced like any other.
	const answered = await paceRequest(ctx, credentialType);
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			copyRequest(request),
			additional,
		)) as IN8nHttpFullResponse;
		answered(response.statusCode, response.headers);
		return response;
	} catch (error) {
		answered();
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
export function findInChain(error: unknown, key: string): unknown {
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

/** A refresh the token-pair engine gave up on, as the node error the user sees. */
export function refreshErrorToNodeError(
	node: INode,
	credentialType: KeapCredentialType,
	error: KeapTokenRefreshError,
): NodeOperationError {
	return new NodeOperationError(node, `Keap credential ${credentialLabel(node, credentialType)}: ${error.message}`, {
		description: error.description,
		level: error.kind === 'transient' ? 'warning' : 'error',
	});
}
