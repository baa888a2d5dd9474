// The refresh engine of the "Keap CRM Token Pair API" credential, shared by the credential's
// `preAuthentication` and by the node's auth module (nodes/Keap/transport/auth/tokenPair.ts).
//
// Keap refresh tokens are single use: every refresh returns a new refresh token and the old
// one then answers 400 invalid_grant. Two callers spending the same refresh token therefore
// lock the credential out. Inside one n8n process this module guarantees that cannot happen:
//
//  - Single flight: refreshes are keyed by an id (a SHA-256 prefix) of the refresh token being
//    spent. A second caller asking to spend the same refresh token while a refresh is in
//    flight awaits that refresh instead of starting its own.
//  - Memo "old refresh token -> newest result": after a refresh succeeds, the old token's id
//    maps to the result for MEMO_TTL_MS. A caller that read the credential before the rotated
//    token was saved (or an editor form that still holds the token the user pasted) gets the
//    new tokens instead of spending a dead one. Results chain: if the new refresh token was
//    itself spent later, a lookup follows the chain to the newest tokens.
//  - Retries: a token-endpoint failure without Keap's OAuth answer (5xx, 429, a dropped
//    connection, a timeout, an answer that is not Keap's: a firewall or proxy page, even with
//    status 400/401/403) is retried a bounded number of times with backoff. Whether such a
//    failure spent the token is said as it is known: a 429 or a connection that was never made
//    did not; a lost answer (reset, timeout) or a 5xx may have (Keap may have rotated the pair
//    and the answer never arrived), and a retry that Keap then rejects is reported as exactly
//    that. Only Keap's own OAuth rejection (an `error` of invalid_grant or its invalid_request
//    variant, or invalid_client / unauthorized_client for the app's id and secret) is not
//    retried: the caller gets a KeapTokenRefreshError of kind 'rejected'.
//  - Rejections are remembered per (client id, client secret, refresh token), so this process
//    never spends a rejected token twice, yet a corrected client secret is tried at once.
//  - Persisting: this module hands every session it obtains straight back to its caller, which
//    is n8n's preAuthentication (n8n saves the returned keys before it sends the request) or
//    the Keap node's auth module (which has n8n run preAuthentication - answered from the memo -
//    and save them before its next request leaves). Nothing is sent with a new token before
//    n8n has been asked to save it.
//
//  - A session token n8n hands back is checked, not trusted: n8n calls preAuthentication with
//    a non-empty session in two cases only, a credential test and its own "401 -> call
//    preAuthentication again -> resend once" path (the HTTP Request node with this credential
//    takes it). Nothing tells this code which of the two it is, and handing back the token
//    that just got the 401 makes the resend fail the same way. So a non-empty session is
//    first asked about with one GET userinfo (single flight per token): 401 marks it dead and
//    the caller gets a refresh; 2xx keeps it (a credential test spends nothing).
//
// Nothing here puts a token or secret in an error message or description.
// Across processes (queue mode workers, several mains) nothing here is shared. A process whose
// refresh Keap rejects because another process already rotated the pair recovers by reading
// the stored credential again (the Keap node does that: nodes/Keap/transport/auth/recovery.ts);
// the credential's own preAuthentication cannot read the database.
// Over 400 lines on purpose: the single flight, the memos and the probe share this module's
// process-wide state (the maps below), which a split would have to export to each part.
import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	KEAP_ACCESS_TOKEN_LIFETIME_SECONDS,
	KEAP_API_BASE_URL,
	KEAP_REFRESH_MARGIN_MS,
	KEAP_TOKEN_URL,
	KEAP_USERINFO_PATH,
	trimBaseUrl,
} from './keap';

/** Field names of the token-pair credential (visible ones first, then the hidden session). */
export const TOKEN_PAIR = {
	clientId: 'clientId',
	clientSecret: 'clientSecret',
	refreshToken: 'refreshToken',
	accessToken: 'accessToken',
	/** Hidden, expirable: the access token in use. Empty means "refresh before the next call". */
	session: 'sessionAccessToken',
	/** Hidden: ISO time the session access token expires ('' when unknown). */
	expiresAt: 'sessionExpiresAt',
	/** Hidden: id (hash prefix, not the token) of the refresh token the session belongs to. */
	sessionFor: 'sessionRefreshTokenId',
	tokenUrl: 'tokenUrl',
	baseUrl: 'baseUrl',
} as const;

/** What a refresh yields; exactly the keys n8n persists after `preAuthentication`. */
export interface TokenPairSession {
	sessionAccessToken: string;
	refreshToken: string;
	sessionExpiresAt: string;
	sessionRefreshTokenId: string;
}

export type RefreshFailureKind = 'rejected' | 'transient' | 'invalid';

export class KeapTokenRefreshError extends Error {
	readonly kind: RefreshFailureKind;

	readonly description: string;

	constructor(kind: RefreshFailureKind, message: string, description: string) {
		super(message);
		this.name = 'KeapTokenRefreshError';
		this.kind = kind;
		this.description = description;
	}
}

const MEMO_TTL_MS = 12 * 60 * 60 * 1000;
const MEMO_MAX_ENTRIES = 500;
const MAX_ATTEMPTS = 3;
const RETRY_BASE_DELAY_MS = 300;
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 15_000;

const inFlight = new Map<string, Promise<TokenPairSession>>();
/**
 * Refresh tokens Keap rejected, so this process never spends one twice (with several workers,
 * the first rejection is the race being lost; asking again only adds a second rejection while
 * the caller re-reads the stored credential for the token the winner saved).
 */
const rejected = new Map<string, { error: KeapTokenRefreshError; at: number }>();
/** OAuth `error` codes by which Keap rejects the refresh token itself. */
const TOKEN_REJECTIONS = new Set(['invalid_grant', 'invalid_request']);
/** OAuth `error` codes by which Keap rejects the app's Client ID / Client Secret. */
const CLIENT_REJECTIONS = new Set(['invalid_client', 'unauthorized_client']);
/** Network error codes meaning the request never reached the token endpoint. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const REJECTED_TTL_MS = 10 * 60 * 1000;
const memo = new Map<string, { result: TokenPairSession; at: number }>();
const deadAccessTokens = new Map<string, number>();
const probes = new Map<string, Promise<boolean | undefined>>();

/** A stable, non-secret id for a token: the first 24 hex digits of its SHA-256. */
export function tokenId(token: string): string {
	return createHash('sha256').update(token).digest('hex').slice(0, 24);
}

/** The key a rejection is remembered under: the refresh token together with the app's id and secret. */
function rejectionKey(clientId: string, clientSecret: string, refreshToken: string): string {
	return createHash('sha256').update(`${clientId}\u0000${clientSecret}\u0000${refreshToken}`).digest('hex').slice(0, 24);
}

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** True when `expiresAt` is a known time at least `marginMs` in the future. */
export function isFresh(expiresAt: unknown, marginMs = KEAP_REFRESH_MARGIN_MS): boolean {
	const at = Date.parse(str(expiresAt));
	return Number.isFinite(at) && at - Date.now() > marginMs;
}

/** Records that Keap answered 401 to this access token, so it is never offered again. */
export function markAccessTokenDead(accessToken: string): void {
	if (!accessToken) return;
	deadAccessTokens.set(tokenId(accessToken), Date.now());
	if (deadAccessTokens.size > MEMO_MAX_ENTRIES) {
		const oldest = deadAccessTokens.keys().next().value;
		if (oldest !== undefined) deadAccessTokens.delete(oldest);
	}
}

export function isAccessTokenDead(accessToken: string): boolean {
	return accessToken !== '' && deadAccessTokens.has(tokenId(accessToken));
}

function isUsable(session: TokenPairSession): boolean {
	return isFresh(session.sessionExpiresAt) && !isAccessTokenDead(session.sessionAccessToken);
}

/** The newest known result for a refresh token already spent in this process, if any. */
export function newestKnownSession(refreshToken: string): TokenPairSession | undefined {
	let id = tokenId(refreshToken);
	let found: TokenPairSession | undefined;
	for (let hops = 0; hops < 1000; hops++) {
		const entry = memo.get(id);
		if (!entry) break;
		if (Date.now() - entry.at > MEMO_TTL_MS) {
			memo.delete(id);
			break;
		}
		found = entry.result;
		if (entry.result.sessionRefreshTokenId === id) break;
		id = entry.result.sessionRefreshTokenId;
	}
	return found;
}

function remember(spentRefreshTokenId: string, result: TokenPairSession): void {
	memo.set(spentRefreshTokenId, { result, at: Date.now() });
	while (memo.size > MEMO_MAX_ENTRIES) {
		const oldest = memo.keys().next().value;
		if (oldest === undefined) break;
		memo.delete(oldest);
	}
}

/** The session values already stored in the credential, when they are usable as they are. */
function storedSession(credentials: ICredentialDataDecryptedObject): TokenPairSession | undefined {
	const refreshToken = str(credentials[TOKEN_PAIR.refreshToken]);
	const session = str(credentials[TOKEN_PAIR.session]);
	if (
		session !== '' &&
		str(credentials[TOKEN_PAIR.sessionFor]) === tokenId(refreshToken) &&
		isFresh(credentials[TOKEN_PAIR.expiresAt]) &&
		!isAccessTokenDead(session)
	) {
		return {
			sessionAccessToken: session,
			refreshToken,
			sessionExpiresAt: str(credentials[TOKEN_PAIR.expiresAt]),
			sessionRefreshTokenId: tokenId(refreshToken),
		};
	}
	return undefined;
}

/**
 * Asks Keap whether an access token still works (GET userinfo): true on 2xx, false on 401,
 * undefined when the answer says neither (no response, 5xx, 429...). One probe per token at a
 * time in this process; a 401 marks the token dead.
 */
export async function probeAccessToken(
	helpers: IHttpRequestHelper,
	baseUrl: string,
	accessToken: string,
): Promise<boolean | undefined> {
	if (accessToken === '') return false;
	if (isAccessTokenDead(accessToken)) return false;
	const id = tokenId(accessToken);
	const running = probes.get(id);
	if (running) return await running;
	const probe = (async () => {
		let status: number;
		try {
			const response = (await helpers.helpers.httpRequest({
				method: 'GET',
				url: `${trimBaseUrl(baseUrl || KEAP_API_BASE_URL)}${KEAP_USERINFO_PATH}`,
				headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: PROBE_TIMEOUT_MS,
			})) as IN8nHttpFullResponse;
			status = response.statusCode;
		} catch {
			return undefined;
		}
		if (status === 401) {
			markAccessTokenDead(accessToken);
			return false;
		}
		return status >= 200 && status < 300 ? true : undefined;
	})();
	probes.set(id, probe);
	try {
		return await probe;
	} finally {
		probes.delete(id);
	}
}

/**
 * The body of the credential's `preAuthentication`. n8n calls it when the hidden session
 * field is empty, after a 401 on n8n's own retry path, and on every credential test.
 * In order:
 *  0. n8n passed a non-empty session (a credential test, or the token just got a 401 - see
 *     the note at the top): unless a newer usable session is already known, ask Keap about
 *     it; alive and belonging to this refresh token -> keep it; 401 -> it is dead, go on;
 *  1. the refresh token was already spent in this process -> the newest tokens, no network;
 *  2. the stored session belongs to this refresh token and is unexpired -> reuse it, so a
 *     credential test does not spend the refresh token;
 *  3. first use ever, and the user pasted an access token -> use it (its expiry is unknown;
 *     a 401 then marks it dead and the next call refreshes);
 *  4. otherwise -> refresh (single flight).
 * A token marked dead in this process is never handed out again.
 */
export async function tokenPairPreAuthentication(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenPairSession> {
	const refreshToken = str(credentials[TOKEN_PAIR.refreshToken]);
	const incoming = str(credentials[TOKEN_PAIR.session]);
	if (incoming !== '' && !isAccessTokenDead(incoming)) {
		const newer = newestKnownSession(refreshToken);
		if (!(newer && isUsable(newer) && newer.sessionAccessToken !== incoming)) {
			const alive = await probeAccessToken(helpers, str(credentials[TOKEN_PAIR.baseUrl]).trim(), incoming);
			if (alive === true && str(credentials[TOKEN_PAIR.sessionFor]) === tokenId(refreshToken)) {
				return {
					sessionAccessToken: incoming,
					refreshToken,
					sessionExpiresAt: str(credentials[TOKEN_PAIR.expiresAt]),
					sessionRefreshTokenId: tokenId(refreshToken),
				};
			}
		}
	}
	const known = newestKnownSession(refreshToken);
	if (known && isUsable(known)) return known;
	if (!known) {
		const stored = storedSession(credentials);
		if (stored) return stored;
		const pasted = str(credentials[TOKEN_PAIR.accessToken]).trim();
		if (
			pasted !== '' &&
			!isAccessTokenDead(pasted) &&
			str(credentials[TOKEN_PAIR.sessionFor]) === '' &&
			str(credentials[TOKEN_PAIR.expiresAt]) === ''
		) {
			return {
				sessionAccessToken: pasted,
				refreshToken,
				sessionExpiresAt: '',
				sessionRefreshTokenId: tokenId(refreshToken),
			};
		}
	}
	return await refreshTokenPair(helpers, credentials);
}

/**
 * Spends the credential's refresh token (or the newest one this process knows it rotated
 * into) exactly once per process, however many callers ask at the same time.
 */
export async function refreshTokenPair(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenPairSession> {
	const clientId = str(credentials[TOKEN_PAIR.clientId]).trim();
	const clientSecret = str(credentials[TOKEN_PAIR.clientSecret]).trim();
	const tokenUrl = str(credentials[TOKEN_PAIR.tokenUrl]).trim() || KEAP_TOKEN_URL;
	let refreshToken = str(credentials[TOKEN_PAIR.refreshToken]).trim();
	if (!clientId || !clientSecret || !refreshToken) {
		throw new KeapTokenRefreshError(
			'invalid',
			'The Keap token pair credential is incomplete',
			'Client ID, Client Secret and Refresh Token are all required. Copy them from your app on Keap\'s developer portal ("API Access").',
		);
	}
	const known = newestKnownSession(refreshToken);
	if (known) {
		if (isUsable(known)) return known;
		refreshToken = known.refreshToken;
	}
	const id = tokenId(refreshToken);
	const running = inFlight.get(id);
	if (running) return await running;
	const deadKey = rejectionKey(clientId, clientSecret, refreshToken);
	const dead = rejected.get(deadKey);
	if (dead && Date.now() - dead.at < REJECTED_TTL_MS) throw dead.error;

	const flight = postRefreshWithRetries(helpers, tokenUrl, clientId, clientSecret, refreshToken).then(
		(result) => {
			remember(id, result);
			return result;
		},
		async (error: unknown) => {
			if (error instanceof KeapTokenRefreshError && error.kind === 'rejected') {
				rejected.set(deadKey, { error, at: Date.now() });
				while (rejected.size > MEMO_MAX_ENTRIES) rejected.delete(rejected.keys().next().value as string);
			}
			return await Promise.reject(error);
		},
	);
	inFlight.set(id, flight);
	try {
		return await flight;
	} finally {
		inFlight.delete(id);
	}
}

const NEW_PAIR_ADVICE =
	'Generate a new access/refresh token pair for your app on Keap\'s developer portal ("API Access") and paste it into the credential.';
const KEEP_ALIVE_ADVICE =
	'To keep a pair alive, run the Keap node\'s "Account > Keep Credential Alive" operation weekly from a Schedule Trigger.';

async function postRefreshWithRetries(
	helpers: IHttpRequestHelper,
	tokenUrl: string,
	clientId: string,
	clientSecret: string,
	refreshToken: string,
): Promise<TokenPairSession> {
	let lastProblem = '';
	/** The first attempt whose answer was lost or unreadable: Keap may have spent the token then. */
	let lostAnswer = '';
	/** Whether an answer came from something between n8n and Keap (a firewall's or proxy's page). */
	let foreign = false;
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const outcome = await postRefresh(helpers, tokenUrl, clientId, clientSecret, refreshToken);
		if ('session' in outcome) return outcome.session;
		if (outcome.kind === 'client') {
			throw new KeapTokenRefreshError(
				'rejected',
				'Keap did not accept the Client ID / Client Secret of this credential',
				`Keap's token endpoint answered ${outcome.problem}. Copy the Key (Client ID) and the Secret (Client Secret) again from your app on Keap's developer portal (Apps -> your app). The refresh token was not used.`,
			);
		}
		if (outcome.kind === 'rejected') {
			if (lostAnswer) {
				throw new KeapTokenRefreshError(
					'rejected',
					'Keap rejected the refresh token after an earlier refresh got no usable answer: paste a new token pair',
					`An earlier attempt of this refresh got ${lostAnswer}; the retry was answered ${outcome.problem}. Keap most likely granted that earlier refresh, which spent the refresh token, and its answer with the new tokens was lost on the way, so they are gone. ${NEW_PAIR_ADVICE}`,
				);
			}
			throw new KeapTokenRefreshError(
				'rejected',
				'Keap rejected the refresh token of this credential: paste a new token pair',
				`Keap's token endpoint answered ${outcome.problem}. The refresh token was already used, has lapsed (45 days unused) or was revoked, or the Client ID / Client Secret do not match it. ${NEW_PAIR_ADVICE} ${KEEP_ALIVE_ADVICE}`,
			);
		}
		lastProblem = outcome.problem;
		if (outcome.spent === 'maybe' && !lostAnswer) lostAnswer = outcome.problem;
		if (outcome.spent === 'unlikely') foreign = true;
		if (attempt < MAX_ATTEMPTS) await sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
	}
	if (lostAnswer) {
		throw new KeapTokenRefreshError(
			'transient',
			"Keap's token endpoint is not answering; the refresh token may have been spent",
			`The refresh failed ${MAX_ATTEMPTS} times (first: ${lostAnswer}; last: ${lastProblem}). Whether Keap processed one of these refreshes is not known: the credential still holds the refresh token it had, and the next run tries it again. If Keap did rotate it, that try is rejected and a new token pair has to be pasted.`,
		);
	}
	throw new KeapTokenRefreshError(
		'transient',
		"Keap's token endpoint is not answering; the credential was not changed",
		foreign
			? `The refresh failed ${MAX_ATTEMPTS} times (last: ${lastProblem}). These answers came from something between n8n and Keap (a firewall, proxy or gateway), not from Keap's token service, so the refresh token was most likely not spent: the next run tries it again. If this persists, check what stands between n8n and ${tokenUrl}.`
			: `The refresh failed ${MAX_ATTEMPTS} times (last: ${lastProblem}). Keap processed none of these requests (throttled, or never reached), so the refresh token was not spent and the next run can try again.`,
	);
}

type RefreshOutcome =
	| { session: TokenPairSession }
	| { kind: 'rejected'; problem: string }
	| { kind: 'client'; problem: string }
	| { kind: 'transient'; problem: string; spent: 'no' | 'unlikely' | 'maybe' };

/** What a token-endpoint answer without Keap's OAuth fields is, in a few words (no body text). */
function foreignAnswer(status: number, headers: unknown): string {
	const type = str((headers as Record<string, unknown> | undefined)?.['content-type']).split(';')[0].trim();
	return `HTTP ${status} without Keap's OAuth answer${type ? ` (${type}: a proxy, firewall or gateway page?)` : ''}`;
}

async function postRefresh(
	helpers: IHttpRequestHelper,
	tokenUrl: string,
	clientId: string,
	clientSecret: string,
	refreshToken: string,
): Promise<RefreshOutcome> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: tokenUrl,
		headers: {
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TOKEN_REQUEST_TIMEOUT_MS,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await helpers.helpers.httpRequest(options)) as IN8nHttpFullResponse;
	} catch (error) {
		// No response. A connection never made spent nothing; a reset or a timeout after the
		// request left may have been a refresh Keap granted.
		const code = str((error as { code?: unknown })?.code) || str((error as { cause?: { code?: unknown } })?.cause?.code);
		return {
			kind: 'transient',
			problem: `no answer (${code || 'network error'})`,
			spent: NEVER_SENT_CODES.has(code) ? 'no' : 'maybe',
		};
	}
	const status = response.statusCode;
	const body = parseBody(response.body);
	if (status >= 200 && status < 300) {
		const accessToken = str(body?.access_token);
		const newRefreshToken = str(body?.refresh_token) || refreshToken;
		if (!accessToken) {
			// A 2xx Keap may have meant (its body cut, or replaced on the way): the token may be spent.
			return { kind: 'transient', problem: `HTTP ${status} without an access token`, spent: 'maybe' };
		}
		const expiresIn = Number(body?.expires_in);
		const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : KEAP_ACCESS_TOKEN_LIFETIME_SECONDS;
		return {
			session: {
				sessionAccessToken: accessToken,
				refreshToken: newRefreshToken,
				sessionExpiresAt: new Date(Date.now() + lifetime * 1000).toISOString(),
				sessionRefreshTokenId: tokenId(newRefreshToken),
			},
		};
	}
	const error = str(body?.error);
	if (status >= 400 && status < 500 && TOKEN_REJECTIONS.has(error)) return { kind: 'rejected', problem: `${status} ${error}` };
	if (status >= 400 && status < 500 && CLIENT_REJECTIONS.has(error)) return { kind: 'client', problem: `${status} ${error}` };
	if (status === 429) return { kind: 'transient', problem: 'HTTP 429 (throttled)', spent: 'no' };
	// Anything else is not Keap's verdict on the token, and nothing is remembered from it: a 4xx
	// page from something in between (a firewall's 403, a proxy's 401: the request most likely
	// never reached Keap), or a 5xx (Keap may or may not have processed the refresh).
	const problem = error ? `HTTP ${status} ${error}` : foreignAnswer(status, response.headers);
	return { kind: 'transient', problem, spent: status >= 400 && status < 500 && !error ? 'unlikely' : 'maybe' };
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : str(body);
	if (!text) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
	} catch {
		const form = new URLSearchParams(text);
		return form.has('access_token') || form.has('error') ? Object.fromEntries(form) : undefined;
	}
}
