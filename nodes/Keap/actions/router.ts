import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KeapSession } from '../transport';
import type { DailyShortfall } from '../transport/quota';
import { resources } from './resources';

type Operation = {
	execute: (this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) => Promise<INodeExecutionData[]>;
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources.find((r) => r.resource.value === resource) as Record<string, unknown> | undefined;
	const op = module?.[operation] as Operation | undefined;
	if (!op || typeof op.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	const session = new KeapSession(this);
	// Every operation but the account ones makes at least one call per item.
	if (resource !== 'account') session.http.paced.expect(items.length, (s) => warnDailyShortfall(this, s, items.length));
	const output = await op.execute.call(this, items, session);
	reportPacing(this, session);
	return [output];
}

function hint(ctx: IExecuteFunctions, message: string, type: 'info' | 'warning') {
	if (type === 'warning') ctx.logger.warn(message);
	else ctx.logger.info(message);
	if (typeof ctx.addExecutionHints === 'function') ctx.addExecutionHints({ message, type, location: 'outputPane' });
}

/** Tells the user when Keap's quota, not the work, set the pace of this run, and which limits did. */
function reportPacing(ctx: IExecuteFunctions, session: KeapSession) {
	const { calls, pacedMs, throttled, throttledRecovered, gaveUpThrottled, pacer } = session.http;
	if (pacedMs < 1000 && throttled === 0) return;
	const [second, minute] = pacer.windows;
	const others = pacer.othersPerMinute();
	const limits =
		`${minute.limit} calls per minute${pacer.throttle.reported ? ' as Keap reports it' : ''}` +
		(others > 0 ? `, of which others on the same quota (other workers or apps) used about ${others} in the last minute` : '') +
		`, and ${second.limit} per second` +
		(pacer.unmeteredRefusals ? ' (lowered after Keap refused calls above it)' : '');
	const message =
		`Keap's quota for this credential (${limits}) paced this run: ${calls} calls waited ${(pacedMs / 1000).toFixed(1)} s in all` +
		(throttled ? `, and Keap answered 429 "Quota Exceeded" ${throttled} time(s): ${throttleOutcome(throttledRecovered, gaveUpThrottled)}` : '') +
		(session.http.credentialType === 'keapCrmApiKeyApi' ? '. An OAuth2 credential allows 1500 calls per minute.' : '.');
	hint(ctx, message, 'info');
}

/** Says, before the calls are spent, that Keap's daily bucket will run out during this run. */
function warnDailyShortfall(ctx: IExecuteFunctions, s: DailyShortfall, items: number) {
	const resets = s.resetsAt ? ` until ${s.resetsAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
	const message =
		`Keap's daily quota for this credential will run out during this run: ${s.available} calls are left${resets}` +
		(s.limit ? ` (of ${s.limit} a day)` : '') +
		`, and this run needs at least ${s.needed} more (${items} items, one call or more each). ` +
		`Calls past the quota will fail with 429 "Quota Exceeded" until it resets.`;
	hint(ctx, message, 'warning');
}

/** What became of the calls Keap throttled: retried with success, or given up (their items failed). */
function throttleOutcome(recovered: number, gaveUp: number): string {
	const parts: string[] = [];
	if (recovered) parts.push(`${recovered} call(s) went through on a retry`);
	if (gaveUp) parts.push(`${gaveUp} call(s) gave up after their retries ran out (their items failed)`);
	return parts.join(', ') || 'the calls were retried';
}
