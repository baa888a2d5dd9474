// What the trigger e2e files need beyond harness.mjs: a logged-in session on n8n's own REST
// API (owner set-up on the fresh instance, then its auth cookie) to read executions with their
// run data and to deactivate a workflow the way the editor does.

const BROWSER_ID = 'n8n-nodes-keap-e2e';

/**
 * n8n keeps an execution's run data in "flatted" form: a JSON array whose first element is the
 * root; inside objects and arrays every string is the index of another element; strings at the
 * top level are the string values themselves.
 */
export function unflatten(text) {
	const table = JSON.parse(text);
	const done = new Map();
	const resolve = (index) => {
		const value = table[index];
		if (value === null || typeof value !== 'object') return value;
		if (done.has(index)) return done.get(index);
		const out = Array.isArray(value) ? [] : {};
		done.set(index, out);
		for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? resolve(Number(v)) : v;
		return out;
	};
	return resolve(0);
}

/** Sets up the owner of a fresh n8n (started at `url`) and returns a REST session. */
export async function ownerSession(url) {
	const headers = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Password-1' }),
		signal: AbortSignal.timeout(30_000),
	});
	if (res.status !== 200) throw new Error(`owner setup: HTTP ${res.status} ${await res.text()}`);
	const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')])
		.filter(Boolean)
		.map((c) => c.split(';')[0])
		.join('; ');
	if (!/n8n-auth=/.test(cookie)) throw new Error(`owner setup returned no auth cookie: ${cookie}`);

	async function rest(method, path, body) {
		const r = await fetch(`${url}/rest${path}`, {
			method,
			headers: { ...headers, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await r.text();
		if (!r.ok) throw new Error(`${method} /rest${path}: HTTP ${r.status} ${text}`);
		return JSON.parse(text).data;
	}

	return {
		rest,
		/** Executions of a workflow, oldest first: [{ id, status, finished, mode }]. */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const data = await rest('GET', `/executions?filter=${filter}&limit=100`);
			return [...data.results].sort((a, b) => Number(a.id) - Number(b.id));
		},
		/** The first-output items (json) of `nodeName` in an execution, and its status. */
		async executionItems(id, nodeName) {
			const data = await rest('GET', `/executions/${id}`);
			const run = unflatten(data.data);
			const items = run.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
			return { status: data.status, error: run.resultData?.error, items: items.map((i) => i.json) };
		},
		/** Unpublishes (deactivates) a workflow like the editor's toggle. */
		async deactivate(workflowId) {
			return await rest('POST', `/workflows/${workflowId}/deactivate`, {});
		},
	};
}

/** Waits until `check()` returns a truthy value (returned), polling every `intervalMs`. */
export async function eventually(check, { timeoutMs = 60_000, intervalMs = 250, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
