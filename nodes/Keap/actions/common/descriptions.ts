/** Parameter descriptions shared by the Keap CRM node and both triggers. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The three credential types, each shown for its value of the Authentication parameter. */
export const keapCredentials: INodeCredentialDescription[] = [
	{ name: 'keapCrmApiKeyApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
	{ name: 'keapCrmOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	{ name: 'keapCrmTokenPairApi', required: true, displayOptions: { show: { authentication: ['tokenPair'] } } },
];

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'API Key (PAT / SAK)',
			value: 'apiKey',
			description: 'Personal Access Token or Service Account Key: no refresh, best for servers and queue mode',
		},
		{ name: 'OAuth2', value: 'oAuth2', description: 'Connect through Keap’s sign-in page' },
		{
			name: 'Token Pair',
			value: 'tokenPair',
			description: 'Client ID/secret and refresh token from Keap’s developer API Access page',
		},
	],
	default: 'apiKey',
};

/** "Return All" and "Limit", as every Get Many has them. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Picking one tag: from a searchable list, by ID, or by name. */
export function tagLocator(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTags', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '123',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap tag ID is a whole number' } }],
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'VIP Customer' },
		],
	};
}

/** The tag reference (ID or name) in a tag locator's value, or a plain string from older parameters. */
export function tagRef(value: unknown): string {
	if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value ?? '').trim();
	return String(value ?? '').trim();
}
