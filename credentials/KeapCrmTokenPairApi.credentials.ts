import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { KEAP_API_BASE_URL, KEAP_TOKEN_URL, KEAP_USERINFO_PATH } from './common/keap';
import { TOKEN_PAIR, tokenPairPreAuthentication } from './common/tokenPair';

// An OAuth2 token pair pasted from Keap's developer portal, without n8n's Connect flow.
// The hidden, expirable `sessionAccessToken` holds the access token in use; n8n calls
// `preAuthentication` when it is empty (and after a 401, and on every credential test) and
// persists every key it returns: the new access token, the rotated refresh token, the expiry
// and the id of the refresh token the session belongs to. The refresh itself, with its
// per-process single flight and "old token -> newest tokens" memo, lives in
// common/tokenPair.ts, shared with the Keap node's auth module.
//
// Credential tests: n8n's credentials tester always calls `preAuthentication` and persists
// its output to the saved credential (its temporary node carries the credential's id). To
// avoid spending the refresh token on every test, `preAuthentication` reuses a stored,
// unexpired access token that belongs to the current refresh token, and on first use an
// access token pasted by the user; a stale refresh token re-sent by the editor form after a
// rotation maps to the newest tokens through the memo.
export class KeapCrmTokenPairApi implements ICredentialType {
	name = 'keapCrmTokenPairApi';

	displayName = 'Keap CRM Token Pair API';

	icon: Icon = { light: 'file:keap.svg', dark: 'file:keap.dark.svg' };

	documentationUrl = 'https://developer.infusionsoft.com/getting-started-oauth-keys/';

	properties: INodeProperties[] = [
		{
			displayName:
				'For an app on Keap\'s developer portal (keys.developer.keap.com → Apps → your app → API Access). Every refresh replaces the refresh token, and this credential saves the new one itself: do not paste the old pair again. Unused refresh tokens lapse after 45 days: schedule the Keap CRM node\'s "Account > Keep Credential Alive" operation weekly if the credential may sit idle. For queue mode or several n8n mains, prefer the API Key (PAT / SAK) credential.',
			name: 'keapSetupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Client ID',
			name: TOKEN_PAIR.clientId,
			type: 'string',
			required: true,
			default: '',
			description: 'Your app\'s "Key" (Client ID) on Keap\'s developer portal → Apps → your app',
		},
		{
			displayName: 'Client Secret',
			name: TOKEN_PAIR.clientSecret,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your app\'s "Secret" (Client Secret) on Keap\'s developer portal → Apps → your app',
		},
		{
			displayName: 'Refresh Token',
			name: TOKEN_PAIR.refreshToken,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The refresh token generated on Keap\'s developer portal → Apps → your app → API Access. Single use: n8n stores each rotated token here automatically.',
		},
		{
			displayName: 'Access Token',
			name: TOKEN_PAIR.accessToken,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional: the access token generated together with the refresh token. If set, the first request uses it instead of spending the refresh token.',
		},
		{
			displayName: 'Session Access Token',
			name: TOKEN_PAIR.session,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Session Expires At',
			name: TOKEN_PAIR.expiresAt,
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Session Refresh Token ID',
			name: TOKEN_PAIR.sessionFor,
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Token URL',
			name: TOKEN_PAIR.tokenUrl,
			type: 'hidden',
			default: KEAP_TOKEN_URL,
		},
		{
			displayName: 'Base URL',
			name: TOKEN_PAIR.baseUrl,
			type: 'hidden',
			default: KEAP_API_BASE_URL,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const session = await tokenPairPreAuthentication(this, credentials);
		return { ...session };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.sessionAccessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: KEAP_USERINFO_PATH,
			method: 'GET',
		},
	};
}
