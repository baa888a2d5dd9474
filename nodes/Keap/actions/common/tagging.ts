/**
 * Tag application across items: names are resolved once per execution, and every tag is
 * applied (or removed) with one call per up to `tags.maxBatch` contacts, whatever the number of
 * items that asked for it. Results go back to the items that asked; a failed batch fails only
 * the items it contained. Tag references (names or IDs) are read and resolved here too, for
 * Tag > Apply / Remove and for the contact writes (which resolve them before writing).
 */
import { TAG_NAME_LENGTH } from '../../model/lengths';
import type { Tag } from '../../model/tag';
import { checkText, excerpt, InputError, kindOf } from '../../model/validate';
import type { KeapSession } from '../../transport';

export interface TagRequest {
	itemIndex: number;
	contactIds: string[];
	tagRefs: string[];
}

export interface TagOutcome {
	/** contactId -> tagId -> Keap's status (SUCCESS, DUPLICATE, ...). */
	results: Record<string, Record<string, string>>;
	tags: Array<{ id: string; name?: string }>;
	error?: Error;
}

/**
 * The tag names or IDs of a parameter: a list (from the picker or an expression), a number, or
 * comma-separated text. Each one is text of at most Keap's 255 characters; an object or a list
 * inside the list is refused, never read as "[object Object]".
 */
export function readTagRefs(field: string, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	let parts: unknown[];
	if (Array.isArray(value)) parts = value;
	else if (typeof value === 'string') parts = value.split(',');
	else if (typeof value === 'number') parts = [value];
	else throw new InputError(field, `expected tag names or IDs (a list, or text separated by commas), got ${kindOf(value)}`);
	const refs: string[] = [];
	parts.forEach((part, n) => {
		if (part !== null && typeof part === 'object') {
			throw new InputError(field, `entry ${n + 1} of the list is ${kindOf(part)}, not a tag name or ID`);
		}
		const ref = checkText(field, part, Number.POSITIVE_INFINITY);
		if (ref === undefined) return;
		if (ref.length > TAG_NAME_LENGTH) {
			throw new InputError(field, `Keap keeps at most ${TAG_NAME_LENGTH} characters of a tag name, this one has ${ref.length}: ${excerpt(ref)}`);
		}
		if (!refs.includes(ref)) refs.push(ref);
	});
	return refs;
}

/** The error for a tag reference Keap does not have. */
function unknownTag(field: string, ref: string, canCreate: boolean): InputError {
	if (/^\d+$/.test(ref)) return new InputError(field, `Keap has no tag with ID ${ref}`);
	return new InputError(
		field,
		`Keap has no tag named ${excerpt(ref)}${canCreate ? ' (turn on "Create Missing Tags" to create it)' : ''}`,
	);
}

/**
 * Every reference resolved to a Keap tag (names case-insensitively, one tag list per
 * execution), or an InputError naming the first one Keap does not have. With `createMissing`,
 * a name Keap does not have is created (once per execution); `offerCreate` says whether the
 * error may point at the "Create Missing Tags" option.
 */
export async function resolveTagRefs(
	session: KeapSession,
	field: string,
	refs: string[],
	createMissing: boolean,
	offerCreate = true,
): Promise<Tag[]> {
	const tags: Tag[] = [];
	for (const ref of refs) {
		const tag = await session.resolveTag(ref, createMissing);
		if (!tag) throw unknownTag(field, ref, offerCreate);
		if (!tags.some((t) => t.id === tag.id)) tags.push({ ...tag, name: session.tagName(tag.id) ?? tag.name });
	}
	return tags;
}

/** Statuses that are no error: done, or nothing to do (applied already; remove: it was not applied). */
const OK_STATUSES = new Set(['SUCCESS', 'DUPLICATE', 'NOT_APPLIED']);

export async function tagContactsBatched(
	session: KeapSession,
	requests: TagRequest[],
	mode: 'apply' | 'remove',
	createMissing: boolean,
): Promise<Map<number, TagOutcome>> {
	const outcomes = new Map<number, TagOutcome>();
	// 1. Resolve every tag reference (one tag list read per execution).
	const tagIdsByItem = new Map<number, string[]>();
	for (const req of requests) {
		const outcome: TagOutcome = { results: {}, tags: [] };
		outcomes.set(req.itemIndex, outcome);
		try {
			const tags = await resolveTagRefs(session, 'Tag Names or IDs', req.tagRefs, createMissing && mode === 'apply', mode === 'apply');
			outcome.tags.push(...tags.map((t) => ({ id: t.id, name: t.name })));
			tagIdsByItem.set(req.itemIndex, tags.map((t) => t.id));
			for (const c of req.contactIds) outcome.results[c] = {};
		} catch (error) {
			outcome.error = error as Error;
		}
	}
	// 2. Group contacts by tag across items.
	const contactsByTag = new Map<string, { contacts: string[]; items: Set<number> }>();
	for (const req of requests) {
		const ids = tagIdsByItem.get(req.itemIndex);
		if (!ids) continue;
		for (const tagId of ids) {
			let group = contactsByTag.get(tagId);
			if (!group) contactsByTag.set(tagId, (group = { contacts: [], items: new Set() }));
			group.items.add(req.itemIndex);
			for (const c of req.contactIds) if (!group.contacts.includes(c)) group.contacts.push(c);
		}
	}
	// 3. One call per tag per batch, `tags.batchConcurrency` at a time (the pacer spaces them);
	// the statuses are distributed in batch order once all are back, so the first error an
	// item gets does not depend on which answer came first.
	const batch = session.client.tags.maxBatch;
	const jobs: Array<{ tagId: string; chunk: string[] }> = [];
	for (const [tagId, group] of contactsByTag) {
		for (let start = 0; start < group.contacts.length; start += batch) jobs.push({ tagId, chunk: group.contacts.slice(start, start + batch) });
	}
	const answers: Array<{ statuses?: Record<string, string>; error?: Error }> = new Array(jobs.length);
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const k = next++;
			const { tagId, chunk } = jobs[k];
			try {
				answers[k] = {
					statuses: mode === 'apply' ? await session.client.tags.apply(tagId, chunk) : await session.client.tags.remove(tagId, chunk),
				};
			} catch (error) {
				answers[k] = { error: error as Error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(session.client.tags.batchConcurrency, jobs.length) }, worker));
	jobs.forEach(({ tagId, chunk }, k) => {
		const group = contactsByTag.get(tagId)!;
		const inChunk = new Set(chunk);
		const affected = requests.filter((r) => group.items.has(r.itemIndex) && r.contactIds.some((c) => inChunk.has(c)));
		const { statuses, error } = answers[k];
		if (!statuses) {
			for (const req of affected) outcomes.get(req.itemIndex)!.error ??= error;
			return;
		}
		for (const req of affected) {
			const outcome = outcomes.get(req.itemIndex)!;
			for (const c of req.contactIds) {
				if (!inChunk.has(c)) continue;
				// A status Keap did not give is not a success (issue 15, defect 6).
				const status = statuses[c] ?? 'NO_STATUS';
				outcome.results[c][tagId] = status;
				if (!(OK_STATUSES.has(status) && (status !== 'NOT_APPLIED' || mode === 'remove')) && !outcome.error) {
					const name = session.tagName(tagId);
					outcome.error = new Error(
						`Keap did not ${mode} tag ${name ? `"${name}" (${tagId})` : tagId} ${mode === 'apply' ? 'to' : 'from'} contact ${c}: ${status}`,
					);
				}
			}
		}
	});
	return outcomes;
}

/** A list of ids from a parameter that may be a number, "1,2,3", or an array. */
export function idList(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value ?? '').split(',');
	return raw.map((v) => String(v).trim()).filter(Boolean);
}
