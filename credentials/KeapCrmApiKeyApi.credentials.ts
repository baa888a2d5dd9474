import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { KEAP_API_BASE_URL, KEAP_API_KEY_HEADER, KEAP_REST_V1_PATH } from './common/keap';

// A Keap Personal Access Token (PAT) or Service Account Key (SAK), sent as X-Keap-API-Key on
// REST v1, REST v2 and XML-RPC. Nothing expires or rotates, so nothing can be lost to a race:
// the right choice for server-to-server use and for queue-mode / multi-main n8n, where
// refreshes in different processes cannot be coordinated.
export class KeapCrmApiKeyApi implements ICredentialType {
	name = 'keapCrmApiKeyApi';

	displayName = 'Keap CRM Key (PAT / SAK) API';

	icon: Icon = { light: 'file:keap.svg', dark: 'file:keap.dark.svg' };

	documentationUrl = 'https://developer.infusionsoft.com/pat-and-sak/';

	properties: INodeProperties[] = [
		{
			displayName:
				'Recommended for server-to-server use and for queue-mode or multi-main n8n: a key never expires and never needs a refresh. In Keap, open Settings → API Settings (admins: Service Account Keys; any user: Personal Access Tokens), create a key and copy it at once: Keap shows it only once. A PAT acts with its user\'s permissions; a SAK has admin access to all data.',
			name: 'keapSetupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'KeapAK-… or KeapPAT-…',
			description:
				'A Personal Access Token or Service Account Key from Keap → Settings → API Settings',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'hidden',
			default: KEAP_API_BASE_URL,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				[KEAP_API_KEY_HEADER]: '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: `${KEAP_REST_V1_PATH}/contacts`,
			method: 'GET',
			qs: { limit: 1 },
		},
	};
}
