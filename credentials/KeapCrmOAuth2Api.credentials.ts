import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	KEAP_API_BASE_URL,
	KEAP_AUTHORIZE_URL,
	KEAP_OAUTH_SCOPE,
	KEAP_TOKEN_URL,
	KEAP_USERINFO_PATH,
} from './common/keap';

// OAuth2 (authorization code) for Keap, handled by n8n's own OAuth2 machinery: the Connect
// button, the code exchange and the refresh after a 401. Keap wants the client credentials in
// HTTP Basic on refresh, hence `authentication: 'header'` (n8n's built-in Keap credential
// sends them in the body). The Keap node adds what n8n lacks, in nodes/Keap/transport/auth.ts:
// one refresh at a time per credential on every n8n version, refresh ahead of expiry where the
// expiry is known, and a keep-alive operation.
export class KeapCrmOAuth2Api implements ICredentialType {
	name = 'keapCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Keap CRM OAuth2 API';

	icon: Icon = { light: 'file:keap.svg', dark: 'file:keap.dark.svg' };

	documentationUrl = 'https://developer.infusionsoft.com/getting-started-oauth-keys/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create an app on Keap\'s developer portal (keys.developer.keap.com → Apps → New App), enable its API, and copy its Client ID (the "Key") and Client Secret (the "Secret") here. Then add the OAuth Redirect URL shown above to the app and click Connect. Keap refresh tokens lapse after 45 days without use: if this credential may sit idle that long, schedule the Keap node\'s "Refresh Credential" operation weekly.',
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
			default: KEAP_AUTHORIZE_URL,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: KEAP_TOKEN_URL,
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
			default: 'header',
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
