import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { KeapSession } from '../../transport';
import { reverify } from '../../transport/hookHandshake';
import { RestHooks } from '../../transport/rest/hooks';

const properties: INodeProperties[] = [
	{
		displayName: 'Re-Verify Inactive Hooks',
		name: 'reverifyInactive',
		type: 'boolean',
		default: true,
		description:
			'Whether to ask Keap to verify each Inactive hook again: Keap calls the hook URL, and a Keap CRM Trigger that is still published answers, making the hook Verified again',
	},
	{
		displayName:
			'Keap makes a hook Inactive after four failed deliveries (or one 410 answer) and then drops its events. Run this from a Schedule Trigger (e.g. hourly) to keep the triggers of this Keap account alive.',
		name: 'getHooksNotice',
		type: 'notice',
		default: '',
	},
];

const displayOptions = { show: { resource: ['account'], operation: ['getHooks'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** This account's REST hooks (one item each) with their status; Inactive ones re-verified when asked. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const again = this.getNodeParameter('reverifyInactive', 0, true) as boolean;
	const hooks = await new RestHooks(session.rest).list();
	const out: IDataObject[] = [];
	for (const hook of hooks) {
		// The hook URL is the trigger's only secret: its origin only.
		let origin: string | null = null;
		try {
			origin = new URL(hook.hookUrl).origin;
		} catch {
			origin = null;
		}
		const row: IDataObject = { key: hook.key, event_key: hook.eventKey, status: hook.status, hook_url_origin: origin };
		if (again && hook.status === 'Inactive') {
			const after = await reverify(session.rest, hook);
			row.status_before = hook.status;
			row.status = after.status;
			row.reverified = after.status === 'Verified';
		}
		out.push(row);
	}
	// One execution, one list: the hooks are the output whatever the number of input items.
	return out.map((json) => ({ json, pairedItem: { item: 0 } }));
}
