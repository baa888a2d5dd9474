/** Tags over REST v2: listing, creating, applying and removing them, and who has them since when. */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { AppliedTag, Tag, TagApplication, TagInput, TagQuery, TagResultMap } from '../../model/tag';
import type { TagsApi } from '../client';
import { filterListRuns, nextPageToken, recordOf, recordsOf, RestClient, UnreadableAnswerError, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';

function tagFromV2(raw: IDataObject): Tag {
	const category = raw.category as IDataObject | undefined;
	return {
		id: String(raw.id),
		name: String(raw.name ?? ''),
		description: (raw.description as string | undefined) ?? null,
		category_id: category?.id !== undefined ? String(category.id) : null,
		category_name: (category?.name as string | undefined) ?? null,
	};
}

export class RestTags implements TagsApi {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;
	/**
	 * Contacts per applyTags / removeTags call. Keap's OpenAPI documents give no cap; Keap's own
	 * PHP SDK (infusionsoft/infusionsoft-php, src/Infusionsoft/Api/Rest/TagService.php,
	 * addContacts / removeContacts) refuses more than 100: "A maximum of 100 contact ids can be
	 * modified at once". That is the only cap shown anywhere (issue 15, defect 7).
	 */
	readonly maxBatch = 100;
	/** 1000 contacts and 2 tags are 20 calls: 4 at a time. */
	readonly batchConcurrency = 4;

	constructor(private readonly rest: RestClient) {}

	async list(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>> {
		const qs: IDataObject = { page_size: pageSize };
		const filter = v2Filter([
			['name', query.name],
			['category_id', query.category_id],
		]);
		if (filter) qs.filter = filter;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/tags`, { qs });
		const items = recordsOf(res, 'tags', 'tag').map((raw) => ({ value: tagFromV2(raw), raw }));
		return { items, next: nextPageToken(res.body) };
	}

	async create(tag: TagInput, itemIndex?: number) {
		const body: IDataObject = { name: tag.name };
		if (tag.description) body.description = tag.description;
		if (tag.category_id) body.category = { id: tag.category_id };
		const res = await this.rest.json('POST', `${V2}/tags`, { body, itemIndex });
		const raw = recordOf(res, 'tag');
		return { value: tagFromV2(raw), raw };
	}

	async apply(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		const res = await this.rest.json('POST', `${V2}/tags/${encodeURIComponent(tagId)}/contacts:applyTags`, {
			body: { contact_ids: contactIds },
			idempotent: true, // applying a tag twice only reports DUPLICATE
		});
		const given = res.body.results;
		// An answer without Keap's per-contact results is not an apply we can vouch for.
		if (!given || typeof given !== 'object' || Array.isArray(given)) {
			throw new UnreadableAnswerError(res.call, res.status, 'it holds no "results" of the contacts');
		}
		const results = given as Record<string, string>;
		const out: TagResultMap = {};
		for (const id of contactIds) if (results[id] !== undefined) out[id] = String(results[id]);
		// A contact Keap's answer leaves out has no status we saw (issue 15, defect 6): read it.
		const unreported = contactIds.filter((id) => out[id] === undefined);
		if (unreported.length) Object.assign(out, await this.observed(tagId, unreported));
		return out;
	}

	async remove(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		// v2 answers 204 with no per-contact detail, even for a contact that does not exist or
		// lacks the tag: what each contact had is read first (issue 15, defect 6).
		const before = await this.tagsOf(contactIds);
		await this.rest.json('POST', `${V2}/tags/${encodeURIComponent(tagId)}/contacts:removeTags`, {
			body: { contact_ids: contactIds },
			idempotent: true,
		});
		const out: TagResultMap = {};
		for (const id of contactIds) {
			const tags = before.get(id);
			out[id] = !tags ? 'CONTACT_NOT_FOUND' : tags.includes(tagId) ? 'SUCCESS' : 'NOT_APPLIED';
		}
		return out;
	}

	/**
	 * After an apply, each contact Keap's answer left out, as its record shows it:
	 * CONTACT_NOT_FOUND, SUCCESS when tag_ids has the tag, else NOT_APPLIED.
	 */
	private async observed(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		const after = await this.tagsOf(contactIds);
		const out: TagResultMap = {};
		for (const id of contactIds) {
			const tags = after.get(id);
			out[id] = !tags ? 'CONTACT_NOT_FOUND' : tags.includes(tagId) ? 'SUCCESS' : 'NOT_APPLIED';
		}
		return out;
	}

	/** contactId -> its tag ids, for the contacts Keap has (absent: no such contact). */
	private async tagsOf(contactIds: string[]): Promise<Map<string, string[]>> {
		const path = `${V2}/contacts`;
		const fields = 'id,tag_ids';
		const tagsOf = new Map<string, string[]>();
		for (const run of filterListRuns(path, { fields, page_size: V2_MAX_PAGE_SIZE }, 'ids', contactIds, V2_MAX_PAGE_SIZE)) {
			let cursor: string | undefined;
			do {
				const qs: IDataObject = { fields, page_size: V2_MAX_PAGE_SIZE, filter: `ids==${run.join(',')}` };
				if (cursor) qs.page_token = cursor;
				const res = await this.rest.json('GET', path, { qs });
				for (const c of (res.body.contacts as IDataObject[]) ?? []) {
					tagsOf.set(String(c.id), ((c.tag_ids as unknown[]) ?? []).map(String));
				}
				cursor = nextPageToken(res.body);
			} while (cursor);
		}
		return tagsOf;
	}

	async listForContact(contactId: string, itemIndex?: number) {
		const path = `${V2}/contacts/${encodeURIComponent(contactId)}/tags`;
		const rows = await this.rest.allPages(path, 'tags', {}, itemIndex);
		return rows.map((raw): WithRaw<AppliedTag> => {
			const given = raw.tag as IDataObject | undefined;
			if (!given || typeof given !== 'object' || given.id === undefined || given.id === null) {
				throw new UnreadableAnswerError(`GET ${path}`, 200, 'a tag of the contact has no id');
			}
			const tag = tagFromV2(given);
			return { value: { ...tag, applied_time: (raw.applied_time as string | undefined) ?? null }, raw };
		});
	}

	async listContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>> {
		const qs: IDataObject = { page_size: pageSize };
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/tags/${encodeURIComponent(tagId)}/contacts`, { qs });
		return { items: recordsOf(res, 'contacts', 'contact').map((c) => String(c.id)), next: nextPageToken(res.body) };
	}

	/**
	 * The contacts a tag was applied to, ordered by when (REST only: XML-RPC has no such
	 * listing), optionally only those applied at or after `since` (ISO; Keap's filter is
	 * inclusive). For the polling trigger's Tag Applied event.
	 */
	async listApplications(
		tagId: string,
		opts: { order: 'asc' | 'desc'; since?: string; pageSize: number; cursor?: string },
	): Promise<Page<TagApplication>> {
		const filter = v2Filter([['since_applied_time', opts.since]]);
		const res = await this.rest.json('GET', `${V2}/tags/${encodeURIComponent(tagId)}/contacts`, {
			qs: {
				page_size: opts.pageSize,
				order_by: `applied_time ${opts.order}`,
				...(filter ? { filter } : {}),
				...(opts.cursor ? { page_token: opts.cursor } : {}),
			},
		});
		const items = recordsOf(res, 'contacts', 'contact').map((c) => ({
			contact_id: String(c.id),
			applied_time: typeof c.applied_time === 'string' ? c.applied_time : null,
		}));
		return { items, next: nextPageToken(res.body) };
	}
}
