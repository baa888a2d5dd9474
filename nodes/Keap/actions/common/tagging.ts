/**
 * Tag application across items: names are resolved once per execution, and every tag is
 * applied (or removed) with one call per up to `tags.maxBatch` contacts, whatever the number of
 * items that asked for it. Results go back to the items that asked; a failed batch fails only
 * the items it contained.
 */
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
			const ids: string[] = [];
			for (const ref of req.tagRefs) {
				const tag = await session.resolveTag(ref, createMissing && mode === 'apply');
				if (!tag) throw new Error(`Keap has no tag named "${ref}" (turn on "Create Missing Tags" to create it)`);
				if (!ids.includes(tag.id)) {
					ids.push(tag.id);
					outcome.tags.push({ id: tag.id, name: session.tagName(tag.id) ?? tag.name });
				}
			}
			tagIdsByItem.set(req.itemIndex, ids);
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
	// 3. One call per tag per batch; distribute the statuses.
	const batch = session.client.tags.maxBatch;
	for (const [tagId, group] of contactsByTag) {
		for (let start = 0; start < group.contacts.length; start += batch) {
			const chunk = group.contacts.slice(start, start + batch);
			const inChunk = new Set(chunk);
			const affected = requests.filter(
				(r) => group.items.has(r.itemIndex) && r.contactIds.some((c) => inChunk.has(c)),
			);
			try {
				const statuses =
					mode === 'apply' ? await session.client.tags.apply(tagId, chunk) : await session.client.tags.remove(tagId, chunk);
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
			} catch (error) {
				for (const req of affected) {
					const outcome = outcomes.get(req.itemIndex)!;
					outcome.error ??= error as Error;
				}
			}
		}
	}
	return outcomes;
}

/** A list of ids from a parameter that may be a number, "1,2,3", or an array. */
export function idList(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value ?? '').split(',');
	return raw.map((v) => String(v).trim()).filter(Boolean);
}
