/**
 * Calls that take many contacts at once (emails:send, a sequence's :addContacts /
 * :removeContacts): the contacts of all input items that make the same call are sent together,
 * in as few calls of at most `max` contacts as Keap allows. A contact two items both name is
 * sent once per item (a later call), never merged away. Every input item yields one output item
 * or, with Continue On Fail, one error item; a failed call fails the items it carried, and the
 * error of an item whose other contacts went through in an earlier call names those contacts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError, checkId } from '../../model/validate';
import { errorItem, itemError } from './items';
import { idList } from './tagging';

/** What one item asks for: the call it makes (`key` equal = same call) and its contacts. */
export interface BatchedItem<G> {
	key: string;
	group: G;
	contactIds: string[];
}

interface Batch<G> {
	group: G;
	contactIds: string[];
	items: Set<number>;
}

/** The contact IDs of a parameter (a number, "1, 2, 3" or a list), checked, each once. */
export function contactIdsOf(field: string, value: unknown): string[] {
	const ids = [...new Set(idList(value).map((id) => checkId(field, id)))];
	if (!ids.length) throw new InputError(field, 'at least one contact ID is required');
	return ids;
}

/** Splits the items' contacts into calls: per key, runs of at most `max` distinct contacts. */
export function planBatches<G>(prepared: Map<number, BatchedItem<G>>, max: number): Batch<G>[] {
	const byKey = new Map<string, Array<Batch<G> & { seen: Set<string> }>>();
	const out: Batch<G>[] = [];
	for (const [itemIndex, req] of prepared) {
		let batches = byKey.get(req.key);
		if (!batches) byKey.set(req.key, (batches = []));
		for (const id of req.contactIds) {
			let batch = batches.find((b) => b.contactIds.length < max && !b.seen.has(id));
			if (!batch) {
				batch = { group: req.group, contactIds: [], items: new Set(), seen: new Set() };
				batches.push(batch);
				out.push(batch);
			}
			batch.contactIds.push(id);
			batch.seen.add(id);
			batch.items.add(itemIndex);
		}
	}
	return out.map(({ group, contactIds, items }) => ({ group, contactIds, items }));
}

/**
 * Prepares every item (bad input fails that item before anything is sent), sends the planned
 * calls one after the other, and builds each item's output from the answers of the calls that
 * carried its contacts.
 */
export async function runContactBatches<G, R>(
	ctx: IExecuteFunctions,
	count: number,
	max: number,
	prepare: (i: number) => Promise<BatchedItem<G>>,
	call: (group: G, contactIds: string[], itemIndex: number) => Promise<R>,
	output: (i: number, req: BatchedItem<G>, answers: R[]) => IDataObject,
): Promise<INodeExecutionData[]> {
	const slots: INodeExecutionData[][] = Array.from({ length: count }, () => []);
	const fail = (i: number, error: unknown) => {
		const err = itemError(ctx, error, i);
		if (!ctx.continueOnFail()) throw err;
		slots[i] = [errorItem(err, i)];
	};
	const prepared = new Map<number, BatchedItem<G>>();
	for (let i = 0; i < count; i++) {
		try {
			prepared.set(i, await prepare(i));
		} catch (error) {
			fail(i, error);
		}
	}
	const answers = new Map<number, R[]>();
	const sent = new Map<number, Set<string>>();
	const failed = new Set<number>();
	for (const batch of planBatches(prepared, max)) {
		const live = [...batch.items].filter((i) => !failed.has(i));
		if (!live.length) continue;
		try {
			const answer = await call(batch.group, batch.contactIds, live[0]);
			for (const i of live) {
				(answers.get(i) ?? answers.set(i, []).get(i)!).push(answer);
				const mine = prepared.get(i)!.contactIds.filter((id) => batch.contactIds.includes(id));
				for (const id of mine) (sent.get(i) ?? sent.set(i, new Set()).get(i)!).add(id);
			}
		} catch (error) {
			for (const i of live) {
				failed.add(i);
				fail(i, partly(ctx, error, i, [...(sent.get(i) ?? [])]));
			}
		}
	}
	for (const [i, req] of prepared) {
		if (failed.has(i)) continue;
		slots[i] = [{ json: output(i, req, answers.get(i) ?? []), pairedItem: { item: i } }];
	}
	return slots.flat();
}

/** The error of an item some of whose contacts Keap already took: says which, so none is lost from view. */
function partly(ctx: IExecuteFunctions, error: unknown, i: number, done: string[]): unknown {
	if (!done.length) return error;
	const base = itemError(ctx, error, i);
	const shown = done.length > 20 ? `${done.slice(0, 20).join(', ')}, … (${done.length} in all)` : done.join(', ');
	return new NodeOperationError(ctx.getNode(), `${base.message} (an earlier call already took contact(s) ${shown} of this item)`, {
		itemIndex: i,
		description: base.description ?? undefined,
	});
}
