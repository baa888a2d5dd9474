/** Parameters and flow shared by Tag > Apply and Tag > Remove. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { errorItem, itemError } from '../common/items';
import { idList, readTagRefs, tagContactsBatched, type TagRequest } from '../common/tagging';

export function tagTargetProperties(mode: 'apply' | 'remove'): INodeProperties[] {
	return [
		{
			displayName: 'Contact IDs',
			name: 'contactIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: '12345, 12346',
			description: `One or more contact IDs (comma-separated, or an array from an expression) to ${mode} the tags ${mode === 'apply' ? 'to' : 'from'}`,
		},
		{
			displayName: 'Tag Names or IDs',
			name: 'tags',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getTags' },
			required: true,
			default: [],
			description:
				'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		},
	];
}

export async function tagContacts(
	ctx: IExecuteFunctions,
	count: number,
	session: KeapSession,
	mode: 'apply' | 'remove',
	createMissing: (i: number) => boolean,
): Promise<INodeExecutionData[]> {
	const out: Array<INodeExecutionData | undefined> = new Array(count);
	const fail = (i: number, error: unknown) => {
		const err = itemError(ctx, error, i);
		if (!ctx.continueOnFail()) throw err;
		out[i] = errorItem(err, i);
	};
	const byCreate = new Map<boolean, TagRequest[]>();
	for (let i = 0; i < count; i++) {
		try {
			const contactIds = idList(ctx.getNodeParameter('contactIds', i)).map((id) => checkId('Contact IDs', id));
			if (!contactIds.length) throw new InputError('Contact IDs', 'at least one contact ID is required');
			const tagRefs = readTagRefs('Tag Names or IDs', ctx.getNodeParameter('tags', i));
			if (!tagRefs.length) throw new InputError('Tag Names or IDs', 'at least one tag is required');
			const create = createMissing(i);
			if (!byCreate.has(create)) byCreate.set(create, []);
			byCreate.get(create)!.push({ itemIndex: i, contactIds, tagRefs });
		} catch (error) {
			fail(i, error);
		}
	}
	for (const [create, requests] of byCreate) {
		const outcomes = await tagContactsBatched(session, requests, mode, create);
		for (const req of requests) {
			const outcome = outcomes.get(req.itemIndex)!;
			if (outcome.error) {
				fail(req.itemIndex, outcome.error);
				continue;
			}
			const json: IDataObject = {
				contact_ids: req.contactIds,
				tags: outcome.tags.map((t) => ({ id: t.id, name: t.name ?? null })),
				results: outcome.results,
			};
			out[req.itemIndex] = { json, pairedItem: { item: req.itemIndex } };
		}
	}
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}
