// OAuth2 (authorization code + refresh token), PAT/SAK keys and API-call authentication.
import { randomToken } from './util.mjs';
import { CLIENT_ID, CLIENT_SECRET, PAT, SAK } from './store.mjs';

const DAY = 86_400_000;

export class OAuth {
	constructor(emu) {
		this.emu = emu;
		this.reset();
	}

	reset() {
		this.clients = new Map([[CLIENT_ID, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }]]);
		this.keys = new Map([
			[PAT, { kind: 'pat', userId: 1 }],
			[SAK, { kind: 'sak', userId: 1 }],
		]);
		this.codes = new Map();
		this.access = new Map();
		this.refresh = new Map();
	}

	get config() {
		return this.emu.config;
	}

	now() {
		return this.emu.now();
	}

	/** Issues a token pair as if a code exchange happened. */
	issueTokens({ clientId = CLIENT_ID, userId = 1 } = {}) {
		const now = this.now();
		const accessToken = randomToken('emu-at-');
		const refreshToken = randomToken('emu-rt-');
		const ttl = this.config.accessTokenTtlMs;
		this.access.set(accessToken, { clientId, userId, expiresAt: now + ttl, revoked: false });
		this.refresh.set(refreshToken, { clientId, userId, expiresAt: now + this.config.refreshTokenTtlMs, used: false, accessToken });
		return {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: Math.round(ttl / 1000),
			refresh_token: refreshToken,
			scope: `full|${this.config.appHost}`,
		};
	}

	expireAccessTokens() {
		const past = this.now() - 1;
		for (const t of this.access.values()) t.expiresAt = Math.min(t.expiresAt, past);
	}

	// ---- GET /app/oauth/authorize ----------------------------------------------------------------
	authorize(query) {
		const clientId = query.get('client_id');
		const redirectUri = query.get('redirect_uri');
		const state = query.get('state');
		if (!redirectUri) return { status: 400, body: { error: 'invalid_request', error_description: 'redirect_uri is required' } };
		let target;
		try {
			target = new URL(redirectUri);
		} catch {
			return { status: 400, body: { error: 'invalid_request', error_description: 'redirect_uri is not a valid URL' } };
		}
		if (!this.clients.has(clientId)) return { status: 400, body: { error: 'invalid_client', error_description: 'Unknown client_id' } };
		if (query.get('response_type') !== 'code') {
			return { status: 400, body: { error: 'unsupported_response_type', error_description: 'response_type must be code' } };
		}
		const scope = query.get('scope');
		if (scope !== null && scope !== 'full') return { status: 400, body: { error: 'invalid_scope', error_description: 'scope must be full' } };
		if (this.config.authorizeDeny) {
			target.searchParams.set('state', state ?? '');
			target.searchParams.set('error', 'access_denied');
			target.searchParams.set('error_uri', '');
			target.searchParams.set('error_description', 'User denied access to resource');
		} else {
			const code = randomToken('emu-code-', 12);
			this.codes.set(code, { clientId, redirectUri, expiresAt: this.now() + 10 * 60_000, used: false });
			target.searchParams.set('code', code);
			if (state !== null) target.searchParams.set('state', state);
			this.emu.stats.authorizations++;
		}
		return { status: 302, headers: { location: target.toString() }, body: null };
	}

	// ---- POST /token -------------------------------------------------------------------------------
	token(headers, rawBody) {
		const c = this.emu.stats;
		const fail = (status, error, description, isRefresh) => {
			c.token.rejected++;
			if (isRefresh) c.rejectedRefreshes++;
			return { status, body: { error, error_description: description } };
		};
		const ctype = String(headers['content-type'] ?? '');
		if (!ctype.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
			return { ...fail(400, 'invalid_request', 'response_type or grant_type is required'), credential: null };
		}
		const form = new URLSearchParams(rawBody.toString('utf8'));
		const grant = form.get('grant_type');
		const badClient = (isRefresh) => fail(401, 'invalid_grant', 'Unable to authenticate username and password', isRefresh);

		if (grant === 'authorization_code') {
			// Keap documents client credentials in the body here. HTTP Basic: switch oauthExchangeBasic.
			const basic = parseBasic(headers.authorization);
			const mode = this.config.oauthExchangeBasic;
			let clientId = form.get('client_id');
			let secret = form.get('client_secret');
			const auth = authOf(basic, clientId !== null || secret !== null);
			if (clientId === null && secret === null && basic && mode === 'accept') {
				clientId = basic.user;
				secret = basic.pass;
			}
			const out = (r) => ({ ...r, credential: clientId ?? basic?.user ?? null, auth });
			if (mode === 'reject-header' && headers.authorization !== undefined) return out(badClient(false));
			const client = this.clients.get(clientId);
			if (!client || secret !== client.clientSecret) return out(badClient(false));
			const code = this.codes.get(form.get('code') ?? '');
			if (!code || code.used || code.expiresAt <= this.now() || code.clientId !== clientId) {
				return out(fail(400, 'invalid_grant', 'Invalid authorization code'));
			}
			if (form.get('redirect_uri') !== code.redirectUri) return out(fail(400, 'invalid_grant', 'Invalid redirect_uri'));
			code.used = true;
			c.token.authorization_code++;
			return out({ status: 200, body: this.issueTokens({ clientId }) });
		}

		if (grant === 'refresh_token') {
			c.refreshAttempts++;
			// Keap shows HTTP Basic; body credentials (what n8n sends) unless switch oauthRefreshCredentials is 'basic-only'.
			const basic = parseBasic(headers.authorization);
			let clientId = basic?.user;
			let secret = basic?.pass;
			const inBody = form.get('client_id') !== null || form.get('client_secret') !== null;
			const auth = authOf(basic, inBody);
			if (!basic && inBody && this.config.oauthRefreshCredentials !== 'basic-only') {
				clientId = form.get('client_id');
				secret = form.get('client_secret');
			}
			const out = (r) => ({ ...r, credential: clientId ?? form.get('client_id') ?? null, auth });
			const client = this.clients.get(clientId);
			if (!client || secret !== client.clientSecret) return out(badClient(true));
			const rt = this.refresh.get(form.get('refresh_token') ?? '');
			if (!rt || rt.used || rt.expiresAt <= this.now() || rt.clientId !== clientId) {
				return out(
					this.config.refreshErrorVariant === 'invalid_request'
						? fail(400, 'invalid_request', 'Invalid Refresh Token', true)
						: fail(400, 'invalid_grant', 'Invalid refresh token', true),
				);
			}
			rt.used = true;
			if (this.config.revokeAccessTokenOnRefresh) {
				const old = this.access.get(rt.accessToken);
				if (old) old.revoked = true;
			}
			c.token.refresh_token++;
			c.refreshes++;
			return out({ status: 200, body: this.issueTokens({ clientId, userId: rt.userId }) });
		}
		return { ...fail(400, 'invalid_request', 'response_type or grant_type is required'), credential: null };
	}

	// ---- API-call authentication -------------------------------------------------------------------
	/**
	 * Resolves the credential of an API call. Returns
	 *   { ok: true, cred: { kind: 'oauth'|'pat'|'sak', clientId?, userId, via } }
	 *   { ok: false, errorcode, via }   (via: 'bearer' | 'apiKey' | 'query' | 'none')
	 */
	authenticate(headers, query) {
		const apiKey = headers['x-keap-api-key'];
		if (apiKey !== undefined) {
			const k = this.keys.get(String(apiKey).trim());
			if (k) return { ok: true, cred: { kind: k.kind, userId: k.userId, via: 'apiKey' } };
			return { ok: false, errorcode: 'keymanagement.service.invalid_access_token', via: 'apiKey' };
		}
		const authz = headers.authorization;
		if (authz !== undefined) {
			const m = /^Bearer\s+(.+)$/i.exec(String(authz).trim());
			if (!m) return { ok: false, errorcode: 'oauth.v2.InvalidAccessToken', via: /^basic/i.test(authz) ? 'basic' : 'none' };
			return this.resolveToken(m[1].trim(), 'bearer');
		}
		const qt = query.get('access_token');
		if (qt) return this.resolveToken(qt, 'query');
		return { ok: false, errorcode: 'oauth.v2.InvalidAccessToken', via: 'none' };
	}

	resolveToken(token, via) {
		const k = this.keys.get(token);
		if (k) return { ok: true, cred: { kind: k.kind, userId: k.userId, via } };
		const t = this.access.get(token);
		if (t && !t.revoked && t.expiresAt > this.now()) {
			return { ok: true, cred: { kind: 'oauth', clientId: t.clientId, userId: t.userId, via } };
		}
		return { ok: false, errorcode: 'keymanagement.service.invalid_access_token', via };
	}
}

/** How a /token request carried client credentials: 'basic', 'body', 'basic+body' or 'none'. */
function authOf(basic, inBody) {
	if (basic && inBody) return 'basic+body';
	return basic ? 'basic' : inBody ? 'body' : 'none';
}

export function parseBasic(header) {
	const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(String(header ?? ''));
	if (!m) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const i = decoded.indexOf(':');
	if (i < 0) return null;
	return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

export const OAUTH_DEFAULTS = {
	accessTokenTtlMs: DAY,
	refreshTokenTtlMs: 45 * DAY,
};
