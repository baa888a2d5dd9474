import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KeapSession } from '../transport';
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
	const output = await op.execute.call(this, items, session);
	reportPacing(this, session);
	return [output];
}

/** Tells the user when Keap's quota, not the work, set the pace of this run. */
function reportPacing(ctx: IExecuteFunctions, session: KeapSession) {
	const { calls, pacedMs, throttled, throttledRecovered, gaveUpThrottled, pacer } = session.http;
	if (pacedMs < 1000 && throttled === 0) return;
	const limits = pacer.windows.map((w) => `${w.limit} per ${w.perMs >= 60_000 ? 'minute' : 'second'}`).join(' and ');
	const message =
		`Keap's quota for this credential (${limits}) paced this run: ${calls} calls waited ${(pacedMs / 1000).toFixed(1)} s in all` +
		(throttled ? `, and Keap answered 429 "Quota Exceeded" ${throttled} time(s): ${throttleOutcome(throttledRecovered, gaveUpThrottled)}` : '') +
		(session.http.credentialType === 'keapCrmApiKeyApi' ? '. An OAuth2 credential allows 1500 calls per minute.' : '.');
	ctx.logger.info(message);
	if (typeof ctx.addExecutionHints === 'function') ctx.addExecutionHints({ message, location: 'outputPane' });
}

/** What became of the calls Keap throttled: retried with success, or given up (their items failed). */
function throttleOutcome(recovered: number, gaveUp: number): string {
	const parts: string[] = [];
	if (recovered) parts.push(`${recovered} call(s) went through on a retry`);
	if (gaveUp) parts.push(`${gaveUp} call(s) gave up after their retries ran out (their items failed)`);
	return parts.join(', ') || 'the calls were retried';
}
