/**
 * How a poll reads everything that changed since its cursor, in one of the ways Keap's v2
 * documents allow per object. Both read every page before the poll emits anything (the cursor
 * only moves when the whole answer was read and rendered, see the node's `poll`).
 *
 * - `readByIdAfter`: for listings Keap filters on a time ("updated on or after") but does not
 *   order by that time, only by id, and whose ids it compares (`company_id>`, `id>`). Each next
 *   query asks again with "id after the last one read" instead of Keap's page token. A page
 *   token is a position: a record deleted while the poll reads would shift the next one, of any
 *   time, behind the reader, and the cursor would move past it for good. An id does not move.
 *   (Listings ordered by the filtered time itself, oldest first, as the contact ones, are safe
 *   with page tokens: what a shift skips is newer than everything read, so the cursor stays
 *   before it.)
 * - `readNewestFirst`: for listings Keap lets us order by a time but documents no filter on it
 *   (opportunities, tasks). Newest first, page after page, until a page reaches records older
 *   than `since`.
 */
import type { Page } from '../Keap/model/common';

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
