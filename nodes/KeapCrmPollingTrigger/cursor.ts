/**
 * The polling cursor: nothing missed, nothing emitted twice. Keap filters on update time with
 * second-or-coarser reliability and may commit a change with a slightly older timestamp, so
 * each poll asks again from OVERLAP_MS before the newest time seen, and skips the records
 * already emitted in that window (remembered as id@time, pruned as the window moves on).
 */
export const OVERLAP_MS = 60_000;

export interface PollCursor {
	/** Where the next query starts (ISO date-time), OVERLAP_MS before `newest`. */
	since: string;
	/** Newest event time seen so far. */
	newest: string;
	/** id@time of records emitted within the overlap window. */
	seen: string[];
}

export interface Found {
	id: string;
	time: string;
}

export function advanceCursor<T extends Found>(
	cursor: PollCursor | undefined,
	found: T[],
): { cursor: PollCursor; fresh: T[] } {
	const seen = new Set(cursor?.seen ?? []);
	const fresh: T[] = [];
	const sorted = [...found].filter((f) => f.time && Number.isFinite(Date.parse(f.time)));
	sorted.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || Number(a.id) - Number(b.id));
	let newest = cursor ? Date.parse(cursor.newest) : -Infinity;
	const floor = cursor ? Date.parse(cursor.since) : -Infinity;
	for (const f of sorted) {
		const t = Date.parse(f.time);
		const key = `${f.id}@${t}`;
		if (seen.has(key) || t < floor) continue;
		seen.add(key);
		fresh.push(f);
		if (t > newest) newest = t;
	}
	// Nothing seen yet (an empty account): start from the beginning, so the first records are new.
	if (!Number.isFinite(newest)) newest = 0;
	const since = newest - OVERLAP_MS;
	const kept = [...seen].filter((k) => Number(k.slice(k.lastIndexOf('@') + 1)) >= since);
	return {
		cursor: { since: new Date(since).toISOString(), newest: new Date(newest).toISOString(), seen: kept },
		fresh,
	};
}
