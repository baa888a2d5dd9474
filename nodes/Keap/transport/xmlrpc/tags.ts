/**
 * Tags over XML-RPC: the ContactGroup table, ContactGroupAssign for who has them, and
 * ContactService.addToGroup / removeFromGroup, one call per contact (XML-RPC has no batch
 * call). A contact's tags are ContactGroupAssign pages plus one ContactGroup load per tag this
 * client has not seen yet.
 */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { AppliedTag, Tag, TagInput, TagQuery, TagResultMap } from '../../model/tag';
import type { TagsApi } from '../client';
import { decodeCursor, FAN_OUT, idOf, mapLimit, xmlRpcToJson, type Struct, type XmlRpcClient } from './client';
import { xmlInstant } from './contactTable';

const TAG_FIELDS = ['Id', 'GroupName', 'GroupCategoryId', 'GroupDescription'];

export class XmlRpcTags implements TagsApi {
	readonly maxPageSize = 1000;
	/** XML-RPC tags one contact per call; apply loops over the contacts it is given. */
	readonly maxBatch = 1000;
	/** One tag's loop at a time (the legacy throttle faults a 4th waiting call). */
	readonly batchConcurrency = 1;

	/** Tags seen by this client (list, create, loads), for listForContact. */
	private tagCache = new Map<string, WithRaw<Tag>>();

	constructor(private readonly rpc: XmlRpcClient) {}

	private tagFrom(raw: Struct): WithRaw<Tag> {
		const category = raw.GroupCategoryId;
		const tag: Tag = {
			id: idOf(raw.Id),
			name: String(raw.GroupName ?? ''),
			description: raw.GroupDescription === undefined || raw.GroupDescription === '' ? null : String(raw.GroupDescription),
			category_id: category === undefined || category === null || category === 0 || category === '' ? null : String(category),
			// ContactGroup has no category name; REST v2 does not send one either.
			category_name: null,
		};
		const value = { value: tag, raw: xmlRpcToJson(raw) as IDataObject };
		this.tagCache.set(tag.id, value);
		return value;
	}

	async list(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>> {
		const { page, size } = decodeCursor(cursor, pageSize);
		const q: Struct = {};
		if (query.name) q.GroupName = query.name;
		if (query.category_id) q.GroupCategoryId = Number(query.category_id);
		const rows = await this.rpc.query('ContactGroup', size, page, q, TAG_FIELDS, 'Id', true);
		return { items: rows.map((r) => this.tagFrom(r)), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}

	async create(tag: TagInput, itemIndex?: number) {
		const data: Struct = { GroupName: tag.name };
		if (tag.description) data.GroupDescription = tag.description;
		if (tag.category_id) data.GroupCategoryId = Number(tag.category_id);
		const id = await this.rpc.call('DataService.add', ['ContactGroup', data], { itemIndex });
		const loaded = await this.load(idOf(id), itemIndex);
		return loaded ?? this.tagFrom({ Id: id, ...data });
	}

	private async load(id: string, itemIndex?: number): Promise<WithRaw<Tag> | undefined> {
		const r = await this.rpc.invoke('DataService.load', ['ContactGroup', Number(id), TAG_FIELDS], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return undefined;
			throw this.rpc.faultError('DataService.load', r.fault, itemIndex);
		}
		const raw = (r.value && typeof r.value === 'object' ? r.value : {}) as Struct;
		return this.tagFrom({ Id: Number(id), ...raw });
	}

	/**
	 * One ContactService.addToGroup / removeFromGroup per contact. true -> SUCCESS; false from
	 * addToGroup -> DUPLICATE (the tag was already there, as community reports say); false from
	 * removeFromGroup is not taken as done (issue 15, defect 6): the contact's Groups are read,
	 * NOT_APPLIED when the tag is not among them (as REST reports it), else NOT_REMOVED. [RecordNotFound] -> CONTACT_NOT_FOUND once
	 * the tag is known to exist; an unknown tag fails the whole call, as REST's 404 does.
	 */
	private async tagEach(method: 'ContactService.addToGroup' | 'ContactService.removeFromGroup', tagId: string, contactIds: string[]) {
		const out: TagResultMap = {};
		let missing = false;
		await mapLimit(contactIds, FAN_OUT, async (contactId) => {
			const r = await this.rpc.invoke(method, [Number(contactId), Number(tagId)], { idempotent: true });
			if ('fault' in r) {
				if (r.fault.name !== 'RecordNotFound') throw this.rpc.faultError(method, r.fault);
				missing = true;
				out[contactId] = 'CONTACT_NOT_FOUND';
				return;
			}
			const refused = r.value === false || r.value === 0;
			if (!refused) out[contactId] = 'SUCCESS';
			else if (method === 'ContactService.addToGroup') out[contactId] = 'DUPLICATE';
			else out[contactId] = (await this.hasTag(contactId, tagId)) ? 'NOT_REMOVED' : 'NOT_APPLIED';
		});
		if (missing && !(await this.load(tagId))) {
			throw new NodeApiError(this.rpc.getNode(), { message: `No tag ${tagId}` } as JsonObject, {
				message: `Keap has no tag with ID ${tagId}`,
				description: `${method} -> [RecordNotFound]`,
			});
		}
		return out;
	}

	/** Whether the contact's Groups list (ContactService.load) holds the tag. */
	private async hasTag(contactId: string, tagId: string): Promise<boolean> {
		const r = await this.rpc.invoke('ContactService.load', [Number(contactId), ['Groups']], { idempotent: true });
		if ('fault' in r) throw this.rpc.faultError('ContactService.load', r.fault);
		const groups = (r.value && typeof r.value === 'object' ? (r.value as Struct).Groups : undefined) ?? '';
		return String(groups).split(',').map((g) => g.trim()).includes(tagId);
	}

	async apply(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		return await this.tagEach('ContactService.addToGroup', tagId, contactIds);
	}

	async remove(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		return await this.tagEach('ContactService.removeFromGroup', tagId, contactIds);
	}

	async listForContact(contactId: string, itemIndex?: number) {
		const rows: Struct[] = [];
		for (let page = 0; ; page++) {
			const chunk = await this.rpc.query(
				'ContactGroupAssign',
				1000,
				page,
				{ ContactId: Number(contactId) },
				['GroupId', 'ContactGroup', 'DateCreated'],
				'GroupId',
				true,
				itemIndex,
			);
			rows.push(...chunk);
			if (chunk.length < 1000) break;
		}
		const missing = [...new Set(rows.map((r) => idOf(r.GroupId)))].filter((id) => !this.tagCache.has(id));
		await mapLimit(missing, FAN_OUT, async (id) => await this.load(id, itemIndex));
		return rows.map((raw): WithRaw<AppliedTag> => {
			const id = idOf(raw.GroupId);
			const tag = this.tagCache.get(id)?.value ?? { id, name: String(raw.ContactGroup ?? ''), description: null, category_id: null, category_name: null };
			return { value: { ...tag, applied_time: xmlInstant(raw.DateCreated) }, raw: xmlRpcToJson(raw) as IDataObject };
		});
	}

	async listContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>> {
		const { page, size } = decodeCursor(cursor, pageSize);
		const rows = await this.rpc.query('ContactGroupAssign', size, page, { GroupId: Number(tagId) }, ['ContactId'], 'ContactId', true);
		return { items: rows.map((r) => idOf(r.ContactId)), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}
}
