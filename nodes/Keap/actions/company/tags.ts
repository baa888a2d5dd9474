/** Company > Apply Tags and Remove Tags: the shared parameters and flow. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Tag } from '../../model/tag';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { companyIdOf, companyLocator } from '../common/company';
import { runPerItem } from '../common/items';
import { idList } from '../common/tagging';

export function companyTagProperties(mode: 'apply' | 'remove'): INodeProperties[] {
	return [
		companyLocator('company', 'Company', `The company to ${mode} the tags ${mode === 'apply' ? 'to' : 'from'}: from the list, by ID or by exact name`, {
			required: true,
			byName: true,
		}),
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
		...(mode === 'apply'
			? [
					{
						displayName: 'Create Missing Tags',
						name: 'createMissing',
						type: 'boolean' as const,
						default: false,
						description: 'Whether to create a tag given by name that does not exist in Keap yet (otherwise the item fails)',
					},
				]
			: []),
	];
}

/**
 * Applies or removes the item's tags on its company: the company's current tags are read first,
 * so a tag already there (apply) or absent (remove) is reported, not sent (Keap answers those
 * with 409 / 404). Output: `{ company_id, tags: [{id, name}], results: { <tag id>: SUCCESS |
 * DUPLICATE | NOT_APPLIED } }`.
 */
export async function tagCompanies(ctx: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession, mode: 'apply' | 'remove') {
	const companies = new RestCompanies(session.rest);
	return await runPerItem(ctx, items.length, async (i) => {
		const refs = idList(ctx.getNodeParameter('tags', i));
		if (!refs.length) throw new InputError('Tag Names or IDs', 'at least one tag is required');
		const createMissing = mode === 'apply' && (ctx.getNodeParameter('createMissing', i, false) as boolean);
		const companyId = await companyIdOf(ctx, session, i);
		const tags: Tag[] = [];
		for (const ref of refs) {
			const tag = await session.resolveTag(ref, createMissing);
			if (!tag) {
				const hint = mode === 'apply' ? ' (turn on "Create Missing Tags" to create it)' : '';
				throw new NodeOperationError(ctx.getNode(), `Keap has no tag named "${ref}"${hint}`, { itemIndex: i });
			}
			if (!tags.some((t) => t.id === tag.id)) tags.push(tag);
		}
		const current = await companies.tagIds(companyId, i);
		if (!current) throw new NodeOperationError(ctx.getNode(), `Keap has no company with ID ${companyId}`, { itemIndex: i });
		const ids = tags.map((t) => t.id);
		const results = mode === 'apply' ? await companies.applyTags(companyId, ids, current, i) : await companies.removeTags(companyId, ids, current, i);
		return { company_id: companyId, tags: tags.map((t) => ({ id: t.id, name: session.tagName(t.id) ?? t.name ?? null })), results };
	});
}
