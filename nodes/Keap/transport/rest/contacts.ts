/**
 * Contacts over REST v2; the mapping is beside this file: contactsV2.ts. Create or Update is a
 * look-up and a merging update or a create (see `upsert`).
 *
 * Every answer is read strictly (client.ts: listOf, recordOf): a body that is not a Keap
 * contact or listing is an error, never a contact with no id or an empty list.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import { touchesCollections, type Contact, type ContactInput, type ContactQuery, type DuplicateOption } from '../../model/contact';
import type { ContactsApi } from '../client';
import { filterListRuns, nextPageToken, outcomeUnknown, recordOf, recordsOf, RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { contactFromV2, contactToV2, V2_CONTACT_FIELDS } from './contactsV2';

function withRaw(raw: IDataObject): WithRaw<Contact> {
	return { value: contactFromV2(raw), raw };
}

/**
 * How far Keap's clock may be behind ours when a lost create is looked up: a contact with the
 * same email created earlier than this before our call is someone else's, not ours.
 */
const CLOCK_SKEW_MS = 60_000;

/**
 * Whether a contact found by email after a lost create is the one that create made: created
 * since it was sent (give or take CLOCK_SKEW_MS) and holding the names it sent.
 */
function madeBy(input: ContactInput, sentAtMs: number) {
	return (c: Contact): boolean => {
		const at = c.create_time ? Date.parse(c.create_time) : NaN;
		if (!Number.isFinite(at) || at < sentAtMs - CLOCK_SKEW_MS) return false;
		return (['given_name', 'family_name'] as const).every((k) => input[k] === undefined || (c[k] ?? '') === input[k]);
	};
}

/**
 * Sends of one plain create whose outcome stayed unknown, each after a look-up by email found
 * nothing it made: the budget an idempotent call gets from the HTTP layer (1 + 5 retries), with
 * the same doubling back-off. A send is repeated only once Keap is seen not to hold its
 * contact, so the budget adds calls, never contacts.
 */
const MAX_CREATE_SENDS = 6;
const CREATE_RESEND_BASE_DELAY_MS = 500;

/** The address a created contact can be found by. */
function lookupEmail(input: ContactInput): string | undefined {
	return (input.email_addresses?.find((e) => e.field === 'EMAIL1') ?? input.email_addresses?.[0])?.email;
}

/** Rewords the error of a write whose outcome stays unknown (a NodeApiError keeps its status). */
function restate(error: unknown, message: string, note: string): Error {
	const err = error instanceof Error ? error : new Error(String(error));
	err.message = message;
	if (err instanceof NodeApiError) err.description = [err.description, note].filter(Boolean).join('. ');
	else err.message = `${message}. ${note}`;
	return err;
}

export class RestContacts implements ContactsApi {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async create(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>> {
		if (duplicateOption) return await this.upsert(input, duplicateOption, itemIndex);
		return await this.createOrFind(input, itemIndex, madeBy(input, Date.now()));
	}

	/**
	 * A plain create. It is not idempotent (sent twice, it makes two contacts), so when its
	 * outcome is unknown (no answer, a 5xx, an answer we cannot read) the contact is looked up
	 * by its email first: found (`isOurs`) is the contact this create made; absent, the create
	 * is sent again after a back-off, up to MAX_CREATE_SENDS sends. Without an email there is
	 * nothing to look up: the error says plainly that the contact may exist.
	 */
	private async createOrFind(
		input: ContactInput,
		itemIndex: number | undefined,
		isOurs: (c: Contact) => boolean,
	): Promise<WithRaw<Contact>> {
		const { body } = contactToV2(input);
		const email = lookupEmail(input);
		for (let attempt = 1; ; attempt++) {
			let lost: unknown;
			try {
				const res = await this.rest.json('POST', `${V2}/contacts`, {
					qs: { fields: V2_CONTACT_FIELDS },
					body,
					idempotent: false,
					itemIndex,
				});
				return withRaw(recordOf(res, 'contact'));
			} catch (error) {
				lost = error;
			}
			if (!outcomeUnknown(lost)) throw lost;
			const lostMessage = lost instanceof Error ? lost.message : String(lost);
			const unknown = (why: string) =>
				restate(
					lost,
					`The contact may exist in Keap: the create got no usable answer (${lostMessage})`,
					`${why}, so whether Keap wrote it is not known. Check Keap before running this item again`,
				);
			if (!email) throw unknown('The contact has no email to look it up by');
			let found: Array<WithRaw<Contact>>;
			try {
				found = (await this.findByEmail(email, itemIndex)).filter((c) => isOurs(c.value));
			} catch (lookupError) {
				throw unknown(`Looking it up by its email failed too (${lookupError instanceof Error ? lookupError.message : String(lookupError)})`);
			}
			if (found.length) return found.sort((a, b) => Number(b.value.id) - Number(a.value.id))[0];
			if (attempt >= MAX_CREATE_SENDS) {
				throw restate(
					lost,
					lostMessage,
					`Sent ${attempt} times; Keap holds no contact with ${email} made by it, so nothing was created and the item can be run again`,
				);
			}
			await sleep(CREATE_RESEND_BASE_DELAY_MS * 2 ** (attempt - 1));
		}
	}

	/**
	 * Create or update without erasing anything the input does not mention: a look-up by email,
	 * then a merging update of the match (v2 PATCH, sent the contact's collections with the
	 * input's entries merged in) or a create (two calls). Keap's upserts do not do for this:
	 * v2's duplicate_option upsert replaces whole collections (EMAIL2/EMAIL3 of the matched
	 * contact would be lost), and what v1's PUT /contacts does with the items of a list it is
	 * sent is undocumented (emulator switch v1PatchCollections: merge or replace); the path
	 * here is safe under either (issue 15, defect 5).
	 */
	private async upsert(input: ContactInput, duplicateOption: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>> {
		const email = input.email_addresses?.find((e) => e.field === 'EMAIL1')?.email;
		if (!email) throw new Error('Create or Update needs the primary email');
		const same = (a?: string | null, b?: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
		const matches = (c: Contact) => {
			if (duplicateOption === 'Email') return true;
			const names = same(c.given_name, input.given_name) && same(c.family_name, input.family_name);
			return duplicateOption === 'EmailAndName' ? names : names && same(c.company_id, input.company_id);
		};
		const match = (await this.findByEmail(email, itemIndex))
			.filter(({ value }) => matches(value))
			.sort((a, b) => Number(a.value.id) - Number(b.value.id))[0];
		// No match a moment ago: a match found after a lost create is the one it made.
		if (!match) return await this.createOrFind(input, itemIndex, matches);
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
		return withRaw(recordOf(res, 'contact'));
	}

	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', `${V2}/contacts/${encodeURIComponent(id)}`, {
			qs: { fields: V2_CONTACT_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		if (res.status === 404) return null;
		return withRaw(recordOf(res, 'contact'));
	}

	async findByEmail(email: string, itemIndex?: number) {
		const res = await this.rest.json('GET', `${V2}/contacts`, {
			qs: { filter: v2Filter([['email', email]]), fields: V2_CONTACT_FIELDS, page_size: 100 },
			itemIndex,
		});
		return recordsOf(res, 'contacts', 'contact').map(withRaw);
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
		return { items: recordsOf(res, 'contacts', 'contact').map(withRaw), next: nextPageToken(res.body) };
	}

	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', `${V2}/contacts/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}
}
