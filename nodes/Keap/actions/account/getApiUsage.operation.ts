import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import type { QuotaWindow } from '../../transport/quota';
import { RestAccount } from '../../transport/rest/account';

const properties: INodeProperties[] = [];

const displayOptions = { show: { resource: ['account'], operation: ['getApiUsage'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function window(w: QuotaWindow | undefined): IDataObject | null {
	if (!w) return null;
	return {
		limit: w.limit ?? null,
		used: w.used ?? null,
		available: w.available ?? null,
		time_unit: w.timeUnit ?? null,
		interval: w.interval ?? null,
		resets_at: w.resetsAt ?? null,
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	// One cheap authenticated call; its response carries the quota headers.
	const quota = await new RestAccount(session.rest).apiUsage();
	if (!quota) {
		throw new NodeOperationError(this.getNode(), 'Keap sent no quota headers with its answer', {
			description: 'Keap adds x-keap-product-* headers to API answers; none came back this time. Try again later.',
		});
	}
	const json: IDataObject = {
		credential_type: session.http.credentialType,
		daily_quota: window(quota.productQuota),
		throttle: window(quota.productThrottle),
		tenant_throttle: quota.tenantThrottle.map((w) => window(w)),
		pacing: session.http.pacer.windows.map((w) => ({ limit: w.limit, per_seconds: w.perMs / 1000 })),
	};
	return items.map((_, i) => ({ json, pairedItem: { item: i } }));
}
