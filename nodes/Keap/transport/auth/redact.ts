/**
 * No token, key or secret of a credential ever appears in an error this node reports: every
 * message, description, error body and log line built from something Keap, a gateway, n8n or
 * the network said goes through `redactSecrets` (text) or `redactDeep` (an error body) with the
 * secrets of the credential in use. Two layers: every value the credential holds (API key,
 * client secret, access and refresh tokens, and the tokens this process rotated them into) is
 * masked wherever it appears; and whatever looks like a credential is masked even when it is
 * none of those (an Authorization or API-key header a gateway page quotes, a token in a query
 * string, form or JSON, a Keap key by its prefix).
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { newestKnownSession, TOKEN_PAIR } from '../../../../credentials/common/tokenPair';

/** Fields whose values must never appear in an error. */
const SECRET_FIELDS = [
	'apiKey',
	'clientSecret',
	TOKEN_PAIR.refreshToken,
	TOKEN_PAIR.accessToken,
	TOKEN_PAIR.session,
];

export const MASK = '***';

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The secrets a credential holds (API key, client secret, tokens), for `redactSecrets`. */
export function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	const values = SECRET_FIELDS.map((field) => str(credentials[field]));
	const tokenData = credentials.oauthTokenData as IDataObject | undefined;
	if (tokenData && typeof tokenData === 'object') {
		values.push(str(tokenData.access_token), str(tokenData.refresh_token));
	}
	// A token pair this process rotated (saved or not yet): the tokens it is using now.
	const refreshToken = str(credentials[TOKEN_PAIR.refreshToken]);
	const newer = refreshToken ? newestKnownSession(refreshToken) : undefined;
	if (newer) values.push(newer.sessionAccessToken, newer.refreshToken);
	return [...new Set(values.map((value) => value.trim()).filter((value) => value.length >= 4))];
}

/** A credential-looking value: what follows the names below up to a quote, space, `&`, `<` or `,`. */
const VALUE = `[^\\s"'&<>,;]+`;

/** What looks like a credential, whoever's it is; each keeps its name and loses its value. */
const PATTERNS: Array<[RegExp, string]> = [
	// Authorization values: Bearer x / Basic x (in a header line, a JSON string, an HTML page...)
	[/\b(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9._~+/=-]{4,}/gi, `$1$2${MASK}`],
	// Header lines a gateway page quotes whose whole value is a credential, to the end of the line.
	[/\b((?:proxy-)?authorization|cookie|set-cookie)(["']?\s*:\s*["']?)(?![\s"']*(?:Bearer|Basic)\s+\*\*\*)[^\r\n"'<>]+/gi, `$1$2${MASK}`],
	// Key headers and fields, in header lines, query strings, forms and JSON:
	// "X-Keap-API-Key: x", access_token=x, "refresh_token":"x", client_secret=x...
	[
		new RegExp(
			`\\b(x-keap-api-key|x-api-key|api-key|apikey|api_key|x-hook-secret|access_token|refresh_token|client_secret|id_token|private_?key|password|sessionAccessToken|refreshToken|accessToken|clientSecret)(["']?\\s*[:=]\\s*["']?)${VALUE}`,
			'gi',
		),
		`$1$2${MASK}`,
	],
	// Keap keys by their prefix (service account keys start with KeapAK-).
	[/\bKeap(AK|PAT)-[A-Za-z0-9._~+/=-]+/g, `Keap$1-${MASK}`],
];

/** Masks every secret of the credential and everything that looks like a credential in `text`. */
export function redactSecrets(text: string, secrets: string[] = []): string {
	let out = text;
	// Longest first, so a secret containing another one is masked whole.
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(MASK);
	}
	for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
	return out;
}

/** A copy of `value` (an error body: object, array, text) with every string redacted. */
export function redactDeep<T>(value: T, secrets: string[] = [], depth = 0): T {
	if (typeof value === 'string') return redactSecrets(value, secrets) as T;
	if (!value || typeof value !== 'object' || depth > 20) return value;
	if (Buffer.isBuffer(value)) return redactSecrets(value.toString('utf8'), secrets) as T;
	if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, secrets, depth + 1)) as T;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		out[redactSecrets(key, secrets)] = redactDeep(v, secrets, depth + 1);
	}
	return out as T;
}
