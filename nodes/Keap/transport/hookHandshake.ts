/**
 * When the REST-hook trigger may answer Keap's X-Hook-Secret handshake: only while one of its
 * hooks is being created or verified. Whoever asks Keap to create or verify a hook (the
 * trigger's activation, the Account > Get Hooks operation) opens a window for that hook URL
 * in this n8n process for as long as Keap's call takes; the trigger's webhook answers a
 * handshake only inside a window (or, from another process, when Keap itself lists the hook
 * as not verified: see the trigger).
 */
import { RestHooks, type RestHook } from './rest/hooks';
import type { RestClient } from './rest/client';

/** Longest a window stays open if the call that opened it never returns (Keap times out at 30 s). */
const WINDOW_MS = 60_000;

const open = new Map<string, { until: number; count: number }>();

/** Opens the window for `hookUrl`, runs `call`, closes it. */
export async function whileHandshaking<T>(hookUrl: string, call: () => Promise<T>): Promise<T> {
	const w = open.get(hookUrl) ?? { until: 0, count: 0 };
	w.count++;
	w.until = Date.now() + WINDOW_MS;
	open.set(hookUrl, w);
	try {
		return await call();
	} finally {
		w.count--;
		if (w.count <= 0) open.delete(hookUrl);
	}
}

/** Whether a handshake for this URL (or a URL holding this webhook id) is expected now. */
export function handshakeExpected(hookUrl: string, webhookId?: string): boolean {
	const now = Date.now();
	for (const [url, w] of open) {
		if (w.until < now) {
			open.delete(url);
			continue;
		}
		if (url === hookUrl || (webhookId && url.includes(webhookId))) return true;
	}
	return false;
}

/**
 * Re-verifies a hook (POST /v1/hooks/{key}/verify) with its handshake window open: Keap's
 * answer says whether the hook is Verified again.
 */
export async function reverify(rest: RestClient, hook: RestHook): Promise<RestHook> {
	return await whileHandshaking(hook.hookUrl, async () => await new RestHooks(rest).verify(hook.key));
}
