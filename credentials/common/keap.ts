// Keap (Infusionsoft) constants shared by the credential types and the Keap node.
// One place for hosts, token URL and API paths, so a credential and the node that uses it
// can never disagree about where Keap lives.

/** Production API host. REST lives under `/crm/rest/v1|v2`, XML-RPC under `/crm/xmlrpc/v1`. */
export const KEAP_API_BASE_URL = 'https://api.infusionsoft.com';

/** OAuth2 authorization (sign-in) page, authorization-code grant, on Keap's accounts host. */
export const KEAP_SIGN_IN_PATH = '/app/oauth/authorize';
export const KEAP_AUTHORIZE_URL = `https://accounts.infusionsoft.com${KEAP_SIGN_IN_PATH}`;

/** OAuth2 token endpoint: code exchange and refresh-token grant (form-encoded POST). */
export const KEAP_TOKEN_PATH = '/token';
export const KEAP_TOKEN_URL = `${KEAP_API_BASE_URL}${KEAP_TOKEN_PATH}`;

/** Keap accepts exactly one scope. */
export const KEAP_OAUTH_SCOPE = 'full';

export const KEAP_REST_V1_PATH = '/crm/rest/v1';
export const KEAP_REST_V2_PATH = '/crm/rest/v2';
export const KEAP_XMLRPC_PATH = '/crm/xmlrpc/v1';

/** Identity of the token's user: a cheap authenticated GET used by credential tests. */
export const KEAP_USERINFO_PATH = `${KEAP_REST_V1_PATH}/oauth/connect/userinfo`;

/** Header that carries a Personal Access Token or Service Account Key. */
export const KEAP_API_KEY_HEADER = 'X-Keap-API-Key';

/** Keap's lifetimes (per Keap's API engineers): access token 24 h (refresh token: 45 days unused). */
export const KEAP_ACCESS_TOKEN_LIFETIME_SECONDS = 86_400;

/** Refresh this long before a known expiry, so a long execution never meets a 401 mid-batch. */
export const KEAP_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Removes a trailing slash so `${baseUrl}${path}` never doubles it. */
export function trimBaseUrl(baseUrl: string): string {
	return baseUrl.replace(/\/+$/, '');
}
