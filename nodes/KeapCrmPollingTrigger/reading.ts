/**
 * How a poll reads everything that changed since its cursor, in one of the ways Keap's v2
 * documents allow per object. Each reads every page before the poll emits anything (the cursor
 * only moves when the whole answer was read and rendered, see the node's `poll`).
 *
 * Keap's page token is a position. A record deleted (or leaving the filter, or moving to the
 * end) while a poll reads shifts the next one behind the reader, and the poll never sees it;
 * when the poll reads on to newer records, the cursor moves past it for good. So where Keap
 * documents a way, the next page is asked as a new query that starts after what was read:
 * - `readByTimeAfter`: listings filtered on a time and ordered by it, oldest first (contacts,
 *   a tag's applications): the next query starts at the newest time read (records at that very
 *   instant come again and are dropped here). Only when a whole page holds one instant does the
 *   page token move on.
 * - `readByIdAfter`: listings filtered on a time but ordered by id only, whose ids Keap compares
 *   (`company_id>`, `id>`): the next query asks for the ids after the last one read.
 * - `readNewestFirst`: listings Keap orders by a time but documents no filter on (opportunities,
 *   tasks): newest first, by page token, down to the first page reaching past `since`. A record
 *   deleted while such a poll reads more than one page can hide one older record from it.
 */
import type { Page } from '../Keap/model/common';

/**
 * Every record of a listing filtered on a time (`page(from)` asks for records at or after
 * `from`) and ordered by it, oldest first. `keyOf` tells a record read twice (at the instant a
 * query starts again) from another.
 */
export async function readByTimeAfter<T>(
	page: (from: string, token?: string) => Promise<Page<T>>,
	timeOf: (record: T) => string | null | undefined,
	keyOf: (record: T) => string,
	since: string,
): Promise<T[]> {
	const out = new Map<string, T>();
	let from = since;
	let token: string | undefined;
	for (;;) {
		const res = await page(from, token);
		for (const r of res.items) out.set(keyOf(r), r);
		if (!res.next || !res.items.length) return [...out.values()];
		const newest = res.items.reduce((max, r) => Math.max(max, Date.parse(timeOf(r) ?? '') || -Infinity), -Infinity);
		if (newest > Date.parse(from)) {
			from = new Date(newest).toISOString();
			token = undefined;
		} else {
			token = res.next; // a whole page at one instant: only the position moves on
		}
	}
}

/** Every record of a listing filtered on the cursor's time, read in id order. */
export async function readByIdAfter<T>(page: (afterId?: string) => Promise<Page<T>>, idOf: (record: T) => string): Promise<T[]> {
	const out: T[] = [];
	let after: string | undefined;
	for (;;) {
		const res = await page(after);
		out.push(...res.items);
		if (!res.next || !res.items.length) return out;
		const last = res.items.reduce((max, r) => Math.max(max, Number(idOf(r))), -Infinity);
		if (!Number.isFinite(last) || (after !== undefined && last <= Number(after))) {
			throw new Error(`Keap's listing did not move past id ${after ?? '(start)'}: it is not ordered by id`);
		}
		after = String(last);
	}
}

/**
 * The records of a listing ordered newest first, down to the first page that holds one older
 * than `since` (records without a time are kept and left to the cursor, which ignores them).
 */
export async function readNewestFirst<T>(
	page: (token?: string) => Promise<Page<T>>,
	timeOf: (record: T) => string | null | undefined,
	since: string,
): Promise<T[]> {
	const floor = Date.parse(since);
	const out: T[] = [];
	let token: string | undefined;
	do {
		const res = await page(token);
		out.push(...res.items);
		const older = res.items.some((r) => {
			const t = Date.parse(timeOf(r) ?? '');
			return Number.isFinite(t) && t < floor;
		});
		if (older) break;
		token = res.next;
	} while (token);
	return out;
}
