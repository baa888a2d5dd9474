/**
 * The HTTP step every Keap call takes: authentication (through auth/), retries of what is
 * safe to retry, and conversion of Keap's error bodies into NodeApiErrors. Nothing above this
 * file sees a status code; nothing below it knows what a contact is.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { keapAuthenticatedRequest, keapCredentialSecrets, redactDeep, redactSecrets, type KeapCredentialType } from './auth';
import {
	credentialKind,
	dailyBucketEmpty,
	listenToPacing,
	pacerFor,
	pacerKey,
	parseQuotaHeaders,
	RunPacing,
	type Pacer,
	type QuotaState,
} from './quota';

export type KeapFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| IPollFunctions;

export interface KeapRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. /crm/rest/v2/contacts. */
	path: string;
	qs?: IDataObject;
	/** JSON (an object), text (XML-RPC), or bytes sent as they are (a multipart upload, with its Content-Type header). */
	body?: IDataObject | string | Buffer;
	headers?: IDataObject;
	/** Safe to send again after a 5xx or a dropped connection (GET, PUT, DELETE are by default). */
	idempotent?: boolean;
	/** Treat this status as a normal answer instead of an error (e.g. 404 on a look-up). */
	acceptStatus?: number[];
	/** Response is text (XML-RPC), not JSON. */
	text?: boolean;
}

export interface KeapResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

export interface RetryPolicy {
	/** Attempts after the first, for 429s and transient failures. */
	maxRetries: number;
	/** First back-off, doubled each retry. */
	baseDelayMs: number;
	/** Upper bound of any single wait, including Retry-After. */
	maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const TRANSIENT_CODES = new Set([
	'NO_RESPONSE',
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'EPIPE',
	'ECONNABORTED',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
]);

/** What we could learn from a failed call, whichever layer of n8n wrapped it. */
interface HttpFailure {
	status?: number;
	headers: Record<string, string>;
	body: unknown;
	code?: string;
	message: string;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
			if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
		}
	}
	return out;
}

/** Digs the HTTP response out of an error thrown by n8n's request helpers (axios underneath). */
function describeFailure(error: unknown): HttpFailure {
	const seen = new Set<unknown>();
	let current: unknown = error;
	let code: string | undefined;
	let message = error instanceof Error ? error.message : String(error);
	let status: number | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as {
			response?: { status?: number; statusCode?: number; headers?: unknown; data?: unknown; body?: unknown };
			code?: unknown;
			cause?: unknown;
			errorResponse?: unknown;
			httpCode?: unknown;
			message?: string;
		};
		if (typeof e.code === 'string' && !code) code = e.code;
		if (e.response && (e.response.status || e.response.statusCode)) {
			return {
				status: e.response.status ?? e.response.statusCode,
				headers: lowerCaseHeaders(e.response.headers),
				body: e.response.data ?? e.response.body,
				code,
				message: e.message ?? message,
			};
		}
		if (typeof e.message === 'string' && e.message) message = e.message;
		if (!status && typeof e.httpCode === 'string' && /^\d{3}$/.test(e.httpCode)) status = Number(e.httpCode);
		current = e.cause ?? e.errorResponse;
	}
	return { status, headers: {}, body: undefined, code, message };
}

/** Seconds (or an HTTP date) in Retry-After, else Keap's throttle headers, else back-off. */
function retryDelayMs(headers: Record<string, string>, attempt: number, policy: RetryPolicy, nowMs: number): number {
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const retryAfter = headers['retry-after'];
	if (retryAfter) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.min(policy.maxDelayMs, Math.max(0, seconds * 1000));
		const at = Date.parse(retryAfter);
		if (Number.isFinite(at)) return Math.min(policy.maxDelayMs, Math.max(0, at - nowMs));
	}
	return backoff;
}

/** Keap's message from any of its error shapes (v2, v1, gateway fault, OAuth). */
function keapErrorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') {
		try {
			return keapErrorMessage(JSON.parse(body));
		} catch {
			return body.trim() ? body.trim().slice(0, 300) : undefined;
		}
	}
	if (!body || typeof body !== 'object') return undefined;
	const b = body as {
		message?: unknown;
		fault?: { faultstring?: unknown };
		error_description?: unknown;
		error?: unknown;
		details?: unknown;
	};
	if (typeof b.message === 'string' && b.message) return b.message;
	if (b.fault && typeof b.fault.faultstring === 'string') return b.fault.faultstring;
	if (typeof b.error_description === 'string') return b.error_description;
	if (typeof b.error === 'string') return b.error;
	return undefined;
}

const STATUS_HINTS: Record<number, string> = {
	400: 'Keap rejected the request as invalid',
	401: 'Keap did not accept the credential (expired, revoked or wrong key)',
	403: 'The credential is valid but its Keap user lacks permission for this',
	404: 'Keap has no such record',
	409: 'Keap reported a conflict',
	429: 'Keap throttled the request: the quota of this credential is used up for now',
};

export class KeapHttp {
	/** Paces calls to the credential's quota; shared by every execution using the credential. */
	readonly pacer: Pacer;
	/** This client's calls as the pacer saw them (the credential door takes each slot). */
	readonly paced: RunPacing;

	constructor(
		private readonly ctx: KeapFunctions,
		readonly credentialType: KeapCredentialType,
		private readonly policy: RetryPolicy = DEFAULT_RETRY,
	) {
		this.pacer = pacerFor(pacerKey(ctx.getNode(), credentialType), credentialKind(credentialType));
		this.paced = new RunPacing(this.pacer);
		listenToPacing(ctx, this.paced);
	}

	/** Calls sent for this client (every attempt, resends after a 401 included), for hints and benchmarks. */
	get calls() {
		return this.paced.calls;
	}
	/** Time this client's calls waited for the pacer. */
	get pacedMs() {
		return this.paced.pacedMs;
	}
	retries = 0;
	/** 429 answers (every attempt counts). */
	throttled = 0;
	/** Calls that got a 429 and then went through on a retry. */
	throttledRecovered = 0;
	/** Calls that gave up after their retries ran out with a 429 (their items failed). */
	gaveUpThrottled = 0;
	/** Quota state from the newest response that carried Keap's headers. */
	lastQuota?: QuotaState;

	async request(req: KeapRequest, itemIndex?: number): Promise<KeapResponse> {
		const idempotent = req.idempotent ?? ['GET', 'PUT', 'DELETE', 'HEAD'].includes(req.method);
		let throttledBefore = false;
		for (let attempt = 0; ; attempt++) {
			const options: IHttpRequestOptions = {
				method: req.method,
				url: req.path,
				qs: req.qs,
				headers: { Accept: req.text ? 'text/xml' : 'application/json', ...(req.headers ?? {}) },
				returnFullResponse: true,
				json: !req.text,
				arrayFormat: 'repeat',
			};
			if (req.body !== undefined) options.body = req.body;
			if (req.text) options.encoding = 'text';
			let failure: HttpFailure;
			try {
				// auth/ answers every HTTP status with the full response (it throws only when no
				// response arrived or the credential cannot be refreshed).
				const res = await keapAuthenticatedRequest.call(this.ctx, this.credentialType, options);
				const status = res.statusCode;
				this.observe(res.headers);
				if (status >= 200 && status < 300) {
					if (throttledBefore) this.throttledRecovered++;
					return { status, headers: lowerCaseHeaders(res.headers), body: res.body };
				}
				failure = { status, headers: lowerCaseHeaders(res.headers), body: res.body, message: `HTTP ${status}` };
			} catch (error) {
				const noResponse = error instanceof NodeOperationError ? error.context.keapNoResponse : undefined;
				// Credential trouble is never retried here (NodeOperationError hands back the same error).
				if (error instanceof NodeOperationError && !noResponse) throw new NodeOperationError(this.ctx.getNode(), error);
				failure = noResponse
					? { headers: {}, body: undefined, code: String(noResponse), message: error.message }
					: describeFailure(error);
			}
			if (failure.status !== undefined && req.acceptStatus?.includes(failure.status)) {
				if (throttledBefore) this.throttledRecovered++;
				return { status: failure.status, headers: failure.headers, body: failure.body };
			}
			const throttled = failure.status === 429;
			const transient =
				(failure.status !== undefined && TRANSIENT_STATUS.has(failure.status)) ||
				(failure.status === undefined && failure.code !== undefined && TRANSIENT_CODES.has(failure.code));
			// A 429 was refused before Keap did anything, so any call may be sent again; a 5xx or a
			// dropped connection may have been processed, so only idempotent calls are.
			if (throttled) this.throttled++;
			throttledBefore ||= throttled;
			// An empty daily bucket stays empty until it resets: no retry would get through.
			const dailyEmpty = throttled ? dailyBucketEmpty(failure.headers) : undefined;
			if (attempt < this.policy.maxRetries && dailyEmpty === undefined && (throttled || (transient && idempotent))) {
				this.retries++;
				// After a 429 the pacer (told by the credential door) holds every caller back.
				const delay = retryDelayMs(failure.headers, attempt, this.policy, Date.now());
				await sleep(delay);
				continue;
			}
			if (throttled) this.gaveUpThrottled++;
			throw await this.toNodeError(failure, req, itemIndex, dailyEmpty);
		}
	}

	private observe(headers: unknown) {
		const state = parseQuotaHeaders(lowerCaseHeaders(headers));
		if (state.productQuota || state.productThrottle || state.tenantThrottle.length) {
			this.lastQuota = state;
		}
	}

	/**
	 * The error of a call that failed for good. Everything in it that came from the answer or
	 * the network (Keap's message, the body n8n keeps with the error, the failure's text) is
	 * redacted first: a gateway page that echoes the request quotes its Authorization header.
	 */
	private async toNodeError(failure: HttpFailure, req: KeapRequest, itemIndex?: number, dailyEmptyUntil?: string): Promise<NodeApiError> {
		const secrets = await keapCredentialSecrets.call(this.ctx, this.credentialType);
		const clean = (text: string) => redactSecrets(text, secrets);
		const body: unknown = redactDeep(failure.body, secrets);
		const rawMessage = keapErrorMessage(body);
		const keapMessage = rawMessage === undefined ? undefined : clean(rawMessage);
		const failureMessage = clean(failure.message);
		const status = failure.status;
		const hint =
			dailyEmptyUntil !== undefined
				? `Keap's daily quota for this credential is used up${dailyEmptyUntil ? ` until ${dailyEmptyUntil}` : ''}`
				: status
					? STATUS_HINTS[status] ?? `Keap answered HTTP ${status}`
					: 'The request to Keap failed';
		const message = keapMessage ? `${hint}: ${keapMessage}` : `${hint}${status ? '' : `: ${failureMessage}`}`;
		const errorBody: JsonObject =
			body && typeof body === 'object' ? (body as JsonObject) : { message: keapMessage ?? failureMessage };
		return new NodeApiError(this.ctx.getNode(), errorBody, {
			message,
			description: clean(`${req.method} ${req.path}${status ? ` -> HTTP ${status}` : ''}${failure.code ? ` (${failure.code})` : ''}`),
			httpCode: status ? String(status) : undefined,
			itemIndex,
		});
	}
}
