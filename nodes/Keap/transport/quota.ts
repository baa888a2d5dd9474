/**
 * Keap's quota: the header parser (pacing/headers.ts), the pacer of each credential in this
 * process (pacing/pacer.ts), and the one place a request takes its slot: `paceRequest`, called
 * by the credential door (auth.ts) right before each request goes out, so that every call, the
 * resend after a 401 and every call released when a refresh completes included, is paced.
 */
import type { INode } from 'n8n-workflow';

import { availableOf, lowerCaseHeaders, parseQuotaHeaders } from './pacing/headers';
import { Pacer, type CredentialKind, type DailyBucket } from './pacing/pacer';

export {
	availableOf,
	lowerCaseHeaders,
	parseQuotaHeaders,
	retryAfterMs,
	usedOf,
	type QuotaState,
	type QuotaWindow,
} from './pacing/headers';
export { KEAP_DOCUMENTED_LIMITS, Pacer, RECOVER_AFTER_MS, type PacerClock, type RateWindow, type Ticket } from './pacing/pacer';

const pacers = new Map<string, Pacer>();

export function credentialKind(credentialType: string): CredentialKind {
	return credentialType === 'keapCrmApiKeyApi' ? 'key' : 'oauth';
}

/** The key of a credential's pacer: its id (else its name, else the node's name). */
export function pacerKey(node: INode, credentialType: string): string {
	const ref = node.credentials?.[credentialType];
	return `${credentialType}:${ref?.id ?? ref?.name ?? node.name}`;
}

/** The pacer of one credential in this process (created on first use). */
export function pacerFor(key: string, kind: CredentialKind): Pacer {
	let pacer = pacers.get(key);
	if (!pacer) pacers.set(key, (pacer = new Pacer(kind)));
	return pacer;
}

/** Told about each call a context makes (KeapHttp keeps its run's counts with it). */
export interface PacingListener {
	sent(waitedMs: number): void;
	answered(status: number | undefined, headers: Record<string, string>): void;
}

const listeners = new WeakMap<object, PacingListener>();

/** Routes the pacing of every request made with `ctx` to `listener` as well. */
export function listenToPacing(ctx: object, listener: PacingListener) {
	listeners.set(ctx, listener);
}

/** Hands back what Keap answered to a paced request (status undefined: no answer). */
export type PacedAnswer = (status?: number, headers?: unknown) => void;

/**
 * Waits for a slot of the credential's pacer; call the returned function with Keap's answer.
 * The slot is taken here, right before the request is sent.
 */
export async function paceRequest(ctx: { getNode(): INode }, credentialType: string): Promise<PacedAnswer> {
	const pacer = pacerFor(pacerKey(ctx.getNode(), credentialType), credentialKind(credentialType));
	const ticket = await pacer.acquire();
	const listener = listeners.get(ctx);
	listener?.sent(ticket.waitedMs);
	return (status, headers) => {
		const lower = lowerCaseHeaders(headers);
		pacer.settle(ticket, status, lower);
		listener?.answered(status, lower);
	};
}

/** The run's outlook on the daily bucket: whether it will run out before the run's calls do. */
export interface DailyShortfall extends DailyBucket {
	/** Calls this run still needs, at least. */
	needed: number;
}

export function dailyShortfall(pacer: Pacer, callsStillNeeded: number): DailyShortfall | undefined {
	const daily = pacer.dailyLeft();
	if (!daily || callsStillNeeded <= daily.available) return undefined;
	return { ...daily, needed: callsStillNeeded };
}

/**
 * When a 429's headers say the daily bucket is empty: the time it resets (ISO), or '' when
 * Keap did not say. Retrying before then only spends time.
 */
export function dailyBucketEmpty(headers: Record<string, string>): string | undefined {
	const { productQuota } = parseQuotaHeaders(headers);
	const available = availableOf(productQuota);
	if (available === undefined || available > 0) return undefined;
	return productQuota?.resetsAt ?? '';
}

/**
 * One run's share of the pacing (one KeapHttp): the calls it sent (every attempt, resends after
 * a 401 included), the time they waited for a slot, and its outlook on the daily bucket.
 */
export class RunPacing implements PacingListener {
	calls = 0;
	pacedMs = 0;
	private plan?: { calls: number; onShortfall: (s: DailyShortfall) => void; told: boolean };

	constructor(readonly pacer: Pacer) {}

	/** The run will make at least `calls` calls: tell `onShortfall` (once) if the daily bucket cannot hold them. */
	expect(calls: number, onShortfall: (s: DailyShortfall) => void) {
		this.plan = { calls, onShortfall, told: false };
	}

	sent(waitedMs: number) {
		this.calls++;
		this.pacedMs += waitedMs;
	}

	answered() {
		const plan = this.plan;
		if (!plan || plan.told) return;
		const shortfall = dailyShortfall(this.pacer, plan.calls - this.calls);
		if (shortfall) {
			plan.told = true;
			plan.onShortfall(shortfall);
		}
	}
}
