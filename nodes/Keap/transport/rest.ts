/**
 * KeapClient over REST: v2 for everything it offers (Keap labels it "Active"), v1 only where v2
 * has no equivalent. The only file that knows REST paths, query syntax and paging tokens.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	contactFromV1,
	contactFromV2,
	contactToV1,
	contactToV2,
	touchesCollections,
	V2_CONTACT_FIELDS,
} from '../model/contact';
import type {
	AppliedTag,
	Contact,
	ContactInput,
	ContactQuery,
	CustomFieldDefinition,
	DuplicateOption,
	NamedOption,
	Page,
	Tag,
	TagQuery,
	TagResultMap,
} from '../model/types';
import type { KeapClient, WithRaw } from './client';
import type { KeapHttp } from './http';

const V1 = '/crm/rest/v1';
const V2 = '/crm/rest/v2';

/** A v2 `filter` value: `field==value` clauses joined by `;`. Keap has no escape for `;`. */
export function v2Filter(clauses: Array<[string, string | undefined]>, op = '=='): string | undefined {
	const parts: string[] = [];
	for (const [field, value] of clauses) {
		if (value === undefined || value === '') continue;
		if (value.includes(';')) throw new Error(`The ${field} filter cannot contain ";" (Keap uses it to separate filters)`);
		parts.push(`${field}${op}${value}`);
	}
	return parts.length ? parts.join(';') : undefined;
}

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

function nextToken(body: IDataObject): string | undefined {
	const t = body.next_page_token;
	return typeof t === 'string' && t !== '' ? t : undefined;
}

export class RestClient implements KeapClient {
	readonly api = 'rest' as const;
	readonly maxPageSize = 1000;
	readonly maxTagBatch = 1000;

	constructor(private readonly http: KeapHttp) {}

	private async json(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
		path: string,
		opts: { qs?: IDataObject; body?: IDataObject; acceptStatus?: number[]; idempotent?: boolean; itemIndex?: number } = {},
	) {
		const res = await this.http.request(
			{ method, path, qs: opts.qs, body: opts.body, acceptStatus: opts.acceptStatus, idempotent: opts.idempotent },
			opts.itemIndex,
		);
		return { status: res.status, body: (res.body ?? {}) as IDataObject };
	}

	async createContact(
		input: ContactInput,
		duplicateOption?: DuplicateOption,
		itemIndex?: number,
	): Promise<WithRaw<Contact>> {
		if (duplicateOption) return await this.upsertContact(input, duplicateOption, itemIndex);
		const { body } = contactToV2(input);
		// Not idempotent: a retry after a lost response would make a second contact.
		const res = await this.json('POST', `${V2}/contacts`, { qs: { fields: V2_CONTACT_FIELDS }, body, idempotent: false, itemIndex });
		return { value: contactFromV2(res.body), raw: res.body };
	}

	/**
	 * Create or update without erasing anything the input does not mention. v2's
	 * duplicate_option upsert replaces whole collections (EMAIL2/EMAIL3 of the matched contact
	 * would be lost), so: one v1 PUT /contacts, which updates "only the fields provided", when
	 * v1 can express the match (Email, EmailAndName) and the input has no addresses (v1's
	 * upsert mishandles address regions); otherwise a look-up by email and a merging update or
	 * a create (two calls).
	 */
	private async upsertContact(
		input: ContactInput,
		duplicateOption: DuplicateOption,
		itemIndex?: number,
	): Promise<WithRaw<Contact>> {
		if (duplicateOption !== 'EmailAndNameAndCompany' && !input.addresses) {
			const res = await this.json('PUT', `${V1}/contacts`, {
				body: { ...contactToV1(input), duplicate_option: duplicateOption },
				idempotent: true, // sending it again matches the contact the first attempt made
				itemIndex,
			});
			return { value: contactFromV1(res.body), raw: res.body };
		}
		const email = input.email_addresses?.find((e) => e.field === 'EMAIL1')?.email;
		if (!email) throw new Error('Create or Update needs the primary email');
		const same = (a?: string | null, b?: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
		const match = (await this.findContactsByEmail(email, itemIndex))
			.filter(({ value: c }) => {
				if (duplicateOption === 'Email') return true;
				const names = same(c.given_name, input.given_name) && same(c.family_name, input.family_name);
				return duplicateOption === 'EmailAndName' ? names : names && same(c.company_id, input.company_id);
			})
			.sort((a, b) => Number(a.value.id) - Number(b.value.id))[0];
		if (!match) return await this.createContact(input, undefined, itemIndex);
		return await this.patchContact(match.value.id, input, match.value, itemIndex);
	}

	async updateContact(id: string, input: ContactInput, itemIndex?: number) {
		let existing: Contact | undefined;
		if (touchesCollections(input)) {
			const current = await this.getContact(id, itemIndex);
			if (!current) throw new Error(`Keap has no contact with ID ${id}`);
			existing = current.value;
		}
		return await this.patchContact(id, input, existing, itemIndex);
	}

	/** PATCH with update_mask; collections are merged into `existing` first (v2 replaces them whole). */
	private async patchContact(id: string, input: ContactInput, existing: Contact | undefined, itemIndex?: number) {
		const { body, updateMask } = contactToV2(input, existing);
		const res = await this.json('PATCH', `${V2}/contacts/${encodeURIComponent(id)}`, {
			qs: { update_mask: updateMask, fields: V2_CONTACT_FIELDS },
			body,
			idempotent: true,
			itemIndex,
		});
		return { value: contactFromV2(res.body), raw: res.body };
	}

	async getContact(id: string, itemIndex?: number) {
		const res = await this.json('GET', `${V2}/contacts/${encodeURIComponent(id)}`, {
			qs: { fields: V2_CONTACT_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		if (res.status === 404) return null;
		return { value: contactFromV2(res.body), raw: res.body };
	}

	async findContactsByEmail(email: string, itemIndex?: number) {
		const res = await this.json('GET', `${V2}/contacts`, {
			qs: { filter: v2Filter([['email', email]]), fields: V2_CONTACT_FIELDS, page_size: 100 },
			itemIndex,
		});
		return ((res.body.contacts as IDataObject[]) ?? []).map((raw) => ({ value: contactFromV2(raw), raw }));
	}

	async listContacts(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>> {
		const qs: IDataObject = { fields: V2_CONTACT_FIELDS, page_size: pageSize };
		const filter = v2Filter([
			['email', query.email],
			['given_name', query.given_name],
			['family_name', query.family_name],
			['start_update_time', query.updated_since],
			['end_update_time', query.updated_until],
			['ids', query.ids?.join(',')],
		]);
		if (filter) qs.filter = filter;
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const res = await this.json('GET', `${V2}/contacts`, { qs });
		const items = ((res.body.contacts as IDataObject[]) ?? []).map((raw) => ({ value: contactFromV2(raw), raw }));
		return { items, next: nextToken(res.body) };
	}

	async listTaggedContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>> {
		const qs: IDataObject = { page_size: pageSize };
		if (cursor) qs.page_token = cursor;
		const res = await this.json('GET', `${V2}/tags/${encodeURIComponent(tagId)}/contacts`, { qs });
		return { items: ((res.body.contacts as IDataObject[]) ?? []).map((c) => String(c.id)), next: nextToken(res.body) };
	}

	async deleteContact(id: string, itemIndex?: number) {
		const res = await this.json('DELETE', `${V2}/contacts/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	async listTags(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>> {
		const qs: IDataObject = { page_size: pageSize };
		const filter = v2Filter([
			['name', query.name],
			['category_id', query.category_id],
		]);
		if (filter) qs.filter = filter;
		if (cursor) qs.page_token = cursor;
		const res = await this.json('GET', `${V2}/tags`, { qs });
		const items = ((res.body.tags as IDataObject[]) ?? []).map((raw) => ({ value: tagFromV2(raw), raw }));
		return { items, next: nextToken(res.body) };
	}

	async createTag(tag: { name: string; description?: string; category_id?: string }, itemIndex?: number) {
		const body: IDataObject = { name: tag.name };
		if (tag.description) body.description = tag.description;
		if (tag.category_id) body.category = { id: tag.category_id };
		const res = await this.json('POST', `${V2}/tags`, { body, itemIndex });
		return { value: tagFromV2(res.body), raw: res.body };
	}

	async applyTag(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		const res = await this.json('POST', `${V2}/tags/${encodeURIComponent(tagId)}/contacts:applyTags`, {
			body: { contact_ids: contactIds },
			idempotent: true, // applying a tag twice only reports DUPLICATE
		});
		const results = (res.body.results as Record<string, string> | undefined) ?? {};
		const out: TagResultMap = {};
		for (const id of contactIds) out[id] = results[id] ?? 'SUCCESS';
		return out;
	}

	async removeTag(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		await this.json('POST', `${V2}/tags/${encodeURIComponent(tagId)}/contacts:removeTags`, {
			body: { contact_ids: contactIds },
			idempotent: true,
		});
		// v2 answers 204 with no per-contact detail.
		return Object.fromEntries(contactIds.map((id) => [id, 'SUCCESS']));
	}

	async listContactTags(contactId: string, itemIndex?: number) {
		const out: Array<WithRaw<AppliedTag>> = [];
		let cursor: string | undefined;
		do {
			const qs: IDataObject = { page_size: 1000 };
			if (cursor) qs.page_token = cursor;
			const res = await this.json('GET', `${V2}/contacts/${encodeURIComponent(contactId)}/tags`, { qs, itemIndex });
			for (const raw of (res.body.tags as IDataObject[]) ?? []) {
				const tag = tagFromV2((raw.tag as IDataObject) ?? {});
				out.push({ value: { ...tag, applied_time: (raw.applied_time as string | undefined) ?? null }, raw });
			}
			cursor = nextToken(res.body);
		} while (cursor);
		return out;
	}

	async getCustomFields(): Promise<CustomFieldDefinition[]> {
		const res = await this.json('GET', `${V2}/contacts/model`);
		return ((res.body.custom_fields as IDataObject[]) ?? []).map((f) => ({
			id: String(f.id),
			label: String(f.label ?? f.field_name ?? f.id),
			field_type: String(f.field_type ?? 'TEXT'),
			field_name: f.field_name !== undefined ? String(f.field_name) : undefined,
			options: ((f.options as IDataObject[]) ?? []).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
		}));
	}

	private async allPages(path: string, key: string, qs: IDataObject = {}): Promise<IDataObject[]> {
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const res = await this.json('GET', path, { qs: { ...qs, page_size: 1000, ...(cursor ? { page_token: cursor } : {}) } });
			out.push(...((res.body[key] as IDataObject[]) ?? []));
			cursor = nextToken(res.body);
		} while (cursor);
		return out;
	}

	async listUsers(): Promise<NamedOption[]> {
		const users = await this.allPages(`${V2}/users`, 'users');
		return users.map((u) => ({
			id: String(u.id),
			name: [u.given_name, u.family_name].filter(Boolean).join(' ') || String(u.id),
		}));
	}

	async listLeadSources(): Promise<NamedOption[]> {
		const sources = await this.allPages(`${V2}/leadSources`, 'lead_sources');
		return sources.map((s) => ({ id: String(s.id), name: String(s.name ?? s.id) }));
	}

	async listContactTypes(): Promise<string[]> {
		const res = await this.json('GET', `${V2}/settings/contactOptionTypes`);
		return ((res.body.option_types as unknown[]) ?? []).map(String);
	}
}
