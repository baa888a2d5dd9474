import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	KEAP_API_BASE_URL,
	KEAP_AUTHORIZE_URL,
	KEAP_OAUTH_SCOPE,
	KEAP_SIGN_IN_PATH,
	KEAP_TOKEN_PATH,
	KEAP_TOKEN_URL,
	KEAP_USERINFO_PATH,
} from './common/keap';

/** The credential's base URL without trailing slashes, as an n8n expression. */
const BASE_URL = 'String($self["baseUrl"] || "").trim().replace(/\\/+$/, "")';

/** An n8n expression: `production` for Keap's production API host (or none), else base URL + `path`. */
function fromBaseUrl(production: string, path: string): string {
	return `={{ [${JSON.stringify(KEAP_API_BASE_URL)}, ""].includes(${BASE_URL}) ? ${JSON.stringify(production)} : ${BASE_URL} + ${JSON.stringify(path)} }}`;
}

// OAuth2 (authorization code) for Keap, handled by n8n's own OAuth2 machinery: the Connect
// button, the code exchange and the refresh after a 401. `authentication: 'body'`: n8n sends
// the client id and secret in the form body on both the code exchange and the refresh. Keap
// documents body credentials for the code exchange (its SDKs strip an Authorization header
// there; with 'header' n8n sends HTTP Basic only and Keap's exchange fails); for the refresh
// Keap's pages show HTTP Basic, and n8n's built-in Keap credential has refreshed with body
// credentials against real Keap for years. The Keap node adds what n8n lacks, in
// nodes/Keap/transport/auth/:
// one refresh at a time per credential on every n8n version, refresh ahead of expiry where the
// expiry is known, and a keep-alive operation.
//
// The authorization and token URLs follow the hidden `baseUrl`: Keap's production hosts when
// it is the production API host (or empty), `${baseUrl}/app/oauth/authorize` and
// `${baseUrl}/token` otherwise (a sandbox, a proxy, the test emulator). They are expressions
// on purpose: n8n 2.x drops stored values of an OAuth2 credential's hidden `authUrl` /
// `accessTokenUrl` and always uses the type's defaults, resolved against the credential's own
// data (`$self`), as n8n's Salesforce credential derives its URLs from its environment.
export class KeapCrmOAuth2Api implements ICredentialType {
	name = 'keapCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Keap CRM OAuth2 API';

	icon: Icon = { light: 'file:keap.svg', dark: 'file:keap.dark.svg' };

	documentationUrl = 'https://developer.infusionsoft.com/getting-started-oauth-keys/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create an app on Keap\'s developer portal (keys.developer.keap.com → Apps → New App), enable its API, and copy its Client ID (the "Key") and Client Secret (the "Secret") here. Then add the OAuth Redirect URL shown above to the app and click Connect. Keap refresh tokens lapse after 45 days without use: if this credential may sit idle that long, schedule the Keap CRM node\'s "Account > Keep Credential Alive" operation weekly.',
			name: 'keapSetupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: fromBaseUrl(KEAP_AUTHORIZE_URL, KEAP_SIGN_IN_PATH),
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: fromBaseUrl(KEAP_TOKEN_URL, KEAP_TOKEN_PATH),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: KEAP_OAUTH_SCOPE,
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'hidden',
			default: KEAP_API_BASE_URL,
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: KEAP_USERINFO_PATH,
			method: 'GET',
		},
	};
}
