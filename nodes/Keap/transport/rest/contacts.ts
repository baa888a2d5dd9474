/**
 * Contacts over REST: v2 for every call but the create-or-update, which takes v1's
 * `PUT /contacts` where v1 can express the match (see `upsert`). The mappings are beside this
 * file: contactsV2.ts and contactsV1.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import { touchesCollections, type Contact, type ContactInput, type ContactQuery, type DuplicateOption } from '../../model/contact';
import type { ContactsApi } from '../client';
import { filterListRuns, nextPageToken, RestClient, V1, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { contactFromV1, contactToV1 } from './contactsV1';
import { contactFromV2, contactToV2, V2_CONTACT_FIELDS } from './contactsV2';

function withRaw(raw: IDataObject): WithRaw<Contact> {
	return { value: contactFromV2(raw), raw };
}

export class RestContacts implements ContactsApi {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async create(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>> {
		if (duplicateOption) return await this.upsert(input, duplicateOption, itemIndex);
		const { body } = contactToV2(input);
		// Not idempotent: a retry after a lost response would make a second contact.
		const res = await this.rest.json('POST', `${V2}/contacts`, {
			qs: { fields: V2_CONTACT_FIELDS },
			body,
			idempotent: false,
			itemIndex,
		});
		return withRaw(res.body);
	}

	/**
	 * Create or update without erasing anything the input does not mention. v2's
	 * duplicate_option upsert replaces whole collections (EMAIL2/EMAIL3 of the matched contact
	 * would be lost), so: one v1 PUT /contacts, which updates "only the fields provided", when
	 * v1 can express the match (Email, EmailAndName) and the input has no addresses (v1's
	 * upsert mishandles address regions); otherwise a look-up by email and a merging update or
	 * a create (two calls).
	 */
	private async upsert(input: ContactInput, duplicateOption: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>> {
		if (duplicateOption !== 'EmailAndNameAndCompany' && !input.addresses) {
			const res = await this.rest.json('PUT', `${V1}/contacts`, {
				body: { ...contactToV1(input), duplicate_option: duplicateOption },
				idempotent: true, // sending it again matches the contact the first attempt made
				itemIndex,
			});
			return { value: contactFromV1(res.body), raw: res.body };
		}
		const email = input.email_addresses?.find((e) => e.field === 'EMAIL1')?.email;
		if (!email) throw new Error('Create or Update needs the primary email');
		const same = (a?: string | null, b?: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
		const match = (await this.findByEmail(email, itemIndex))
			.filter(({ value: c }) => {
				if (duplicateOption === 'Email') return true;
				const names = same(c.given_name, input.given_name) && same(c.family_name, input.family_name);
				return duplicateOption === 'EmailAndName' ? names : names && same(c.company_id, input.company_id);
			})
			.sort((a, b) => Number(a.value.id) - Number(b.value.id))[0];
		if (!match) return await this.create(input, undefined, itemIndex);
		return await this.patch(match.value.id, input, match.value, itemIndex);
	}

	async update(id: string, input: ContactInput, itemIndex?: number) {
		let existing: Contact | undefined;
		// v2 replaces a collection it is sent: writing one needs the current contact first.
		if (touchesCollections(input)) {
			const current = await this.get(id, itemIndex);
			if (!current) throw new Error(`Keap has no contact with ID ${id}`);
			existing = current.value;
		}
		return await this.patch(id, input, existing, itemIndex);
	}

	/** PATCH with update_mask; collections are merged into `existing` first (v2 replaces them whole). */
	private async patch(id: string, input: ContactInput, existing: Contact | undefined, itemIndex?: number) {
		const { body, updateMask } = contactToV2(input, existing);
		const res = await this.rest.json('PATCH', `${V2}/contacts/${encodeURIComponent(id)}`, {
			qs: { update_mask: updateMask, fields: V2_CONTACT_FIELDS },
			body,
			idempotent: true,
			itemIndex,
		});
		return withRaw(res.body);
	}

	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', `${V2}/contacts/${encodeURIComponent(id)}`, {
			qs: { fields: V2_CONTACT_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		if (res.status === 404) return null;
		return withRaw(res.body);
	}

	async findByEmail(email: string, itemIndex?: number) {
		const res = await this.rest.json('GET', `${V2}/contacts`, {
			qs: { filter: v2Filter([['email', email]]), fields: V2_CONTACT_FIELDS, page_size: 100 },
			itemIndex,
		});
		return ((res.body.contacts as IDataObject[]) ?? []).map(withRaw);
	}

	/** Runs of ids whose `list({ ids })` request line stays within Keap's gateway limit (issue 15, defect 2). */
	idBatches(ids: string[]): string[][] {
		return filterListRuns(`${V2}/contacts`, { fields: V2_CONTACT_FIELDS, page_size: this.maxPageSize }, 'ids', ids, this.maxPageSize);
	}

	async list(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>> {
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
		const res = await this.rest.json('GET', `${V2}/contacts`, { qs });
		return { items: ((res.body.contacts as IDataObject[]) ?? []).map(withRaw), next: nextPageToken(res.body) };
	}

	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', `${V2}/contacts/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}
}
