/**
 * Keap's legacy XML-RPC throttle (KEAP-API.md section 6, from the 2012 API docs'
 * rate_limiting.html): a credit bank per application, one credit per idle 500 ms, one per call.
 * With the bank empty each call is held until a credit is earned, and "if there are 3 threads
 * throttled and a 4th attempts to access the API – and there still isn't a credit available,
 * the 4th will be rejected with an error message": an XML-RPC fault with HTTP 200.
 *
 * So (issue 15, defect 9): this process sends at most XMLRPC_THREADS calls at once per
 * credential, across every execution and fan-out that uses it, and a throttle rejection (sent
 * by another client of the same application) is sent again after a pause. A rejected call
 * never ran, so any call may be sent again. The fault's wording is not documented: a fault
 * whose message speaks of throttling or too many threads is taken for it.
 */
import { sleep } from 'n8n-workflow';

import type { XmlRpcFault } from './codec';

/** Calls at once per credential: the throttle holds 3 and rejects a 4th. */
export const XMLRPC_THREADS = 3;

/** Pauses before sending a rejected call again (about 32 s in all: the bank earns 2 credits a second). */
export const THROTTLE_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000];

/** Whether a fault is the legacy throttle turning a call away. */
export function isThrottleRejection(fault: XmlRpcFault): boolean {
	return /throttl|too many (api )?threads/i.test(`${fault.name ?? ''} ${fault.message} ${fault.string}`);
}

/** A counting semaphore: `run` waits for one of `size` slots, first come first served. */
export class Slots {
	private busy = 0;
	private readonly queue: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.busy >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
		else this.busy++;
		try {
			return await task();
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.busy--;
		}
	}
}

/** The slots of one credential, shared by every client of it in this process (keyed by its pacer, one per credential). */
const slotsByCredential = new WeakMap<object, Slots>();

export function xmlRpcSlotsFor(credentialKey: object): Slots {
	let slots = slotsByCredential.get(credentialKey);
	if (!slots) slotsByCredential.set(credentialKey, (slots = new Slots(XMLRPC_THREADS)));
	return slots;
}

/** Waits before the `attempt`-th resend of a rejected call; false when no resend is left. */
export async function waitAfterRejection(attempt: number): Promise<boolean> {
	const delay = THROTTLE_RETRY_DELAYS_MS[attempt];
	if (delay === undefined) return false;
	await sleep(delay);
	return true;
}
