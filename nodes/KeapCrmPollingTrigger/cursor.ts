/**
 * The polling cursor: nothing missed, nothing emitted twice. Every time in it is a time Keap
 * wrote on a record (never this machine's clock), so a clock difference between Keap and n8n
 * does not matter. Keap filters on update time with second-or-coarser reliability and may
 * commit a change with a slightly older timestamp, so each poll asks again from OVERLAP_MS
 * before the newest time seen, and skips the records already emitted in that window
 * (remembered as id@time, pruned as the window moves on).
 */
export const OVERLAP_MS = 60_000;

export interface PollCursor {
	/** Where the next query starts (ISO date-time), OVERLAP_MS before `newest`, never before 1970. */
	since: string;
	/** Newest event time seen so far (1970-01-01 while nothing was seen: an empty account). */
	newest: string;
	/** id@time (time in epoch ms) of the records seen at or after `since`. */
	seen: string[];
}

export interface Found {
	id: string;
	/** The record's event time as Keap wrote it (ISO date-time); records without one are ignored. */
	time: string;
}

/**
 * Adds one poll's answer to the cursor. `fresh` holds the records not emitted before, oldest
 * first (ties by numeric id); the same record changed again later (a new time) is fresh again.
 * Without a cursor every record is fresh (the caller decides whether to emit them).
 */
export function advanceCursor<T extends Found>(
	cursor: PollCursor | undefined,
	found: T[],
): { cursor: PollCursor; fresh: T[] } {
	const seen = new Set(cursor?.seen ?? []);
	const fresh: T[] = [];
	const sorted = found.filter((f) => f.time && Number.isFinite(Date.parse(f.time)));
	sorted.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || Number(a.id) - Number(b.id));
	let newest = cursor ? Date.parse(cursor.newest) : -Infinity;
	// Records older than the window are either emitted already (and pruned from `seen`) or
	// older than the start: a coarse filter at Keap may still return them.
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
	const since = Math.max(0, newest - OVERLAP_MS);
	const kept = [...seen].filter((k) => Number(k.slice(k.lastIndexOf('@') + 1)) >= since);
	return {
		cursor: { since: new Date(since).toISOString(), newest: new Date(newest).toISOString(), seen: kept },
		fresh,
	};
}
