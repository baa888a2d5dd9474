import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { refreshKeapCredentialNow } from '../../transport/auth';
import type { KeapSession } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName:
			'Keap refresh tokens lapse after 45 days unused. Run this from a Schedule Trigger once a week to keep a credential that is rarely used alive. API-key (PAT/SAK) credentials need no refresh.',
		name: 'keepAliveNotice',
		type: 'notice',
		default: '',
	},
];

const displayOptions = { show: { resource: ['account'], operation: ['keepAlive'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	// One refresh per execution, however many items arrive: refreshing more often only spends tokens.
	const result = await refreshKeapCredentialNow.call(this, session.http.credentialType);
	return items.map((_, i) => ({
		json: { credential_type: session.http.credentialType, ...result },
		pairedItem: { item: i },
	}));
}
