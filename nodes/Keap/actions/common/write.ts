/**
 * Create, Create or Update and Update share this flow: each item's tags are resolved and its
 * contact written (a bounded number of items at a time), then the tags of every written
 * contact are applied in batched calls, and only then is one output (or error) item emitted
 * per input item.
 *
 * Without Continue On Fail the first failure stops the run: no new item is started, the
 * contacts already written still get their tags, and the error names the failing item and
 * every item that was written (and whether it was tagged), so nothing written goes unsaid.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Contact } from '../../model/contact';
import type { KeapSession } from '../../transport';
import { formatContact } from './contact';
import { errorItem, itemError } from './items';
import { resolveTagRefs, tagContactsBatched, type TagOutcome, type TagRequest } from './tagging';

/**
 * Contact writes in flight at once. REST: enough that Keap's quota, not the round trip, sets
 * the pace (OAuth2's 25 calls a second with round trips up to about 300 ms on a busy n8n; the
 * pacer spaces them). XML-RPC: 4, as before (its legacy throttle queues few waiting calls).
 */
const WRITE_CONCURRENCY = { rest: 8, xmlrpc: 4 } as const;

type NodeError = NodeApiError | NodeOperationError;

export interface ContactWrite {
	contact: WithRaw<Contact>;
	/** Ids of the tags to apply to it (resolved before the write: contactTagIds). */
	tagIds: string[];
}

/** The "Create Missing Tags" parameter of the contact writes. */
export const createMissingTagsProperty: INodeProperties = {
	displayName: 'Create Missing Tags',
	name: 'createMissingTags',
	type: 'boolean',
	default: false,
	description:
		'Whether to create the tags given by name in Tag Names or IDs that Keap does not have yet. Off: such a name fails the item before its contact is written.',
};

/**
 * The tags item i asks for (names or IDs), resolved to Keap tag ids before its contact is
 * written: a name Keap does not have fails the item unless Create Missing Tags is on, an
 * unknown ID always does.
 */
export async function contactTagIds(ctx: IExecuteFunctions, session: KeapSession, i: number, refs: string[]): Promise<string[]> {
	if (!refs.length) return [];
	const createMissing = ctx.getNodeParameter('createMissingTags', i, false) === true;
	return (await resolveTagRefs(session, 'Tag Names or IDs', refs, createMissing)).map((t) => t.id);
}

/** "0-4, 6, 9" */
function ranges(numbers: number[]): string {
	const sorted = [...new Set(numbers)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let k = 0; k < sorted.length; k++) {
		const start = sorted[k];
		while (k + 1 < sorted.length && sorted[k + 1] === sorted[k] + 1) k++;
		parts.push(start === sorted[k] ? String(start) : `${start}-${sorted[k]}`);
	}
	return parts.join(', ');
}

/** "items 0-2 (contacts 1001, 1002, 1003)" */
function itemsAndContacts(indexes: number[], written: Array<ContactWrite | undefined>): string {
	const ids = indexes.map((i) => written[i]!.contact.value.id);
	const shown = ids.length > 50 ? `${ids.slice(0, 50).join(', ')}, …` : ids.join(', ');
	return `item${indexes.length === 1 ? '' : 's'} ${ranges(indexes)} (contact${ids.length === 1 ? '' : 's'} ${shown})`;
}

function appendDescription(error: NodeError, text: string): NodeError {
	error.description = [error.description?.replace(/\.?\s*$/, ''), text].filter(Boolean).join('. ');
	return error;
}

export async function writeContacts(
	ctx: IExecuteFunctions,
	session: KeapSession,
	count: number,
	write: (i: number) => Promise<ContactWrite>,
): Promise<INodeExecutionData[]> {
	const stopOnError = !ctx.continueOnFail();
	const written: Array<ContactWrite | undefined> = new Array(count);
	const failed = new Map<number, NodeError>();

	// Phase 1: the writes, WRITE_CONCURRENCY at a time; without Continue On Fail the first
	// failure starts no new item (the ones in flight finish and count as written).
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const i = next++;
			try {
				written[i] = await write(i);
			} catch (error) {
				failed.set(i, itemError(ctx, error, i));
				if (stopOnError) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(WRITE_CONCURRENCY[session.client.api], count)) }, worker));

	// Phase 2: the tags of every written contact, grouped across items (also when stopping).
	const requests: TagRequest[] = [];
	written.forEach((w, i) => {
		if (w?.tagIds.length) requests.push({ itemIndex: i, contactIds: [w.contact.value.id], tagRefs: w.tagIds });
	});
	const tagOutcomes: Map<number, TagOutcome> = requests.length
		? await tagContactsBatched(session, requests, 'apply', false)
		: new Map();
	const untagged = requests.map((r) => r.itemIndex).filter((i) => tagOutcomes.get(i)?.error);

	if (stopOnError && (failed.size || untagged.length)) throw stopError(ctx, written, failed, tagOutcomes, untagged);

	// Phase 3: one output item per input item, in order.
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < count; i++) {
		const w = written[i];
		if (!w) {
			out.push(errorItem(failed.get(i)!, i));
			continue;
		}
		const outcome = tagOutcomes.get(i);
		if (outcome?.error) {
			const err = itemError(ctx, outcome.error, i);
			appendDescription(err, `Contact ${w.contact.value.id} was written, but its tags were not applied`);
			out.push(errorItem(err, i));
			continue;
		}
		// The write's answer predates the tagging: show the tags now on the contact.
		for (const t of outcome?.tags ?? []) if (!w.contact.value.tag_ids.includes(t.id)) w.contact.value.tag_ids.push(t.id);
		try {
			out.push({ json: await formatContact(ctx, session, i, w.contact), pairedItem: { item: i } });
		} catch (error) {
			const err = itemError(ctx, error, i);
			if (stopOnError) throw stopError(ctx, written, new Map([[i, err]]), tagOutcomes, untagged);
			out.push(errorItem(err, i));
		}
	}
	return out;
}

/**
 * The error of a run stopped by a failure: the failing item's own error (the first failed
 * item, or the first whose tags failed), its description telling which items were written
 * to Keap before the run stopped and whether their tags were applied.
 */
function stopError(
	ctx: IExecuteFunctions,
	written: Array<ContactWrite | undefined>,
	failed: Map<number, NodeError>,
	tagOutcomes: Map<number, TagOutcome>,
	untagged: number[],
): NodeError {
	const done = written.flatMap((w, i) => (w ? [i] : []));
	const first = failed.size ? Math.min(...failed.keys()) : untagged[0];
	const error = failed.get(first) ?? itemError(ctx, tagOutcomes.get(first)!.error, first);
	const parts = [failed.size ? `Item ${first} failed and stopped the run` : `Applying the tags of item ${first} failed`];
	const alsoFailed = [...failed.keys()].filter((i) => i !== first);
	if (alsoFailed.length) parts.push(`Also failed: item${alsoFailed.length === 1 ? '' : 's'} ${ranges(alsoFailed)}`);
	if (!done.length) parts.push('No contact was written to Keap');
	else {
		const tagged = done.filter((i) => written[i]!.tagIds.length && !untagged.includes(i));
		parts.push(`Written to Keap (not undone): ${itemsAndContacts(done, written)}`);
		if (tagged.length) parts.push(`Tags applied to ${itemsAndContacts(tagged, written)}`);
		if (untagged.length) parts.push(`Tags NOT applied to ${itemsAndContacts(untagged, written)}`);
	}
	if (done.length || untagged.length) ctx.logger.warn(`Keap CRM: ${parts.join('; ')}`);
	return appendDescription(error, parts.join('. '));
}

export function hasIdentity(input: IDataObject): boolean {
	return Boolean(
		(input.email_addresses as unknown[] | undefined)?.length ||
			(input.phone_numbers as unknown[] | undefined)?.length ||
			(input.addresses as unknown[] | undefined)?.length,
	);
}
