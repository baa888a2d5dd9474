/**
 * Create, Create or Update and Update share this flow: write each item's contact (a bounded
 * number at a time), then apply the tags the items asked for in batched calls, and only then
 * emit one output (or error) item per input item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Contact } from '../../model/contact';
import type { KeapSession } from '../../transport';
import { errorItem, itemError, runPerItem } from './items';
import { formatContact } from './contact';
import { tagContactsBatched, type TagRequest } from './tagging';

const WRITE_CONCURRENCY = 4;

export async function writeContacts(
	ctx: IExecuteFunctions,
	session: KeapSession,
	count: number,
	write: (i: number) => Promise<{ contact: WithRaw<Contact>; tags: string[] }>,
): Promise<INodeExecutionData[]> {
	const written: Array<{ contact: WithRaw<Contact>; tags: string[] } | undefined> = new Array(count);
	// Phase 1: the writes. runPerItem gives error items (or stops) exactly as for any operation.
	const phase1 = await runPerItem(
		ctx,
		count,
		async (i) => {
			written[i] = await write(i);
			return {};
		},
		WRITE_CONCURRENCY,
	);
	// Phase 2: tags, grouped across items.
	const requests: TagRequest[] = [];
	for (let i = 0; i < count; i++) {
		const w = written[i];
		if (w && w.tags.length) requests.push({ itemIndex: i, contactIds: [w.contact.value.id], tagRefs: w.tags });
	}
	const tagOutcomes = requests.length ? await tagContactsBatched(session, requests, 'apply', true) : new Map();

	const out: INodeExecutionData[] = [];
	for (const item of phase1) {
		const i = (item.pairedItem as { item: number }).item;
		if (item.error || !written[i]) {
			out.push(item);
			continue;
		}
		const w = written[i]!;
		const outcome = tagOutcomes.get(i);
		try {
			if (outcome?.error) throw outcome.error;
			const contact = w.contact;
			if (outcome) {
				// The write's response predates the tagging: show the tags now on the contact.
				for (const t of outcome.tags) if (!contact.value.tag_ids.includes(t.id)) contact.value.tag_ids.push(t.id);
			}
			out.push({ json: await formatContact(ctx, session, i, contact), pairedItem: { item: i } });
		} catch (error) {
			const err = itemError(ctx, error, i);
			if (!ctx.continueOnFail()) throw err;
			out.push(errorItem(err, i));
		}
	}
	return out;
}

export function hasIdentity(input: IDataObject): boolean {
	return Boolean(
		(input.email_addresses as unknown[] | undefined)?.length ||
			(input.phone_numbers as unknown[] | undefined)?.length ||
			(input.addresses as unknown[] | undefined)?.length,
	);
}
