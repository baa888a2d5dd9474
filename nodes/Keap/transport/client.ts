/**
 * The seam between operations and the Keap objects both wire formats serve: one interface per
 * object (contacts, tags, contact custom fields, the look-up lists), implemented over REST in
 * transport/rest/ and over XML-RPC in transport/xmlrpc/, and a `KeapClient` that holds one of
 * each for the API the node's parameter chose. Every method returns neutral shapes (model/),
 * listings with the raw record Keap sent (for "Raw" output).
 *
 * Keap objects only REST serves (companies, notes, tasks, ... : Keap retires XML-RPC on
 * 2026-12-31, so every object from now on) need no interface here: their module in
 * transport/rest/ is their client, built on the session's RestClient (`session.rest`).
 */
import type { Page, NamedOption, WithRaw } from '../model/common';
import type { Contact, ContactInput, ContactQuery, DuplicateOption } from '../model/contact';
import type { CustomFieldDefinition } from '../model/customField';
import type { AppliedTag, Tag, TagInput, TagQuery, TagResultMap } from '../model/tag';

export type KeapApi = 'rest' | 'xmlrpc';

export interface ContactsApi {
	/** Largest page the API serves in one call. */
	readonly maxPageSize: number;
	/** A create, or with `duplicateOption` a create-or-update that keeps what the input does not mention. */
	create(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>>;
	update(id: string, input: ContactInput, itemIndex?: number): Promise<WithRaw<Contact>>;
	/** null when Keap has no contact with this id. */
	get(id: string, itemIndex?: number): Promise<WithRaw<Contact> | null>;
	/** Contacts whose EMAIL1, EMAIL2 or EMAIL3 is this address (case-insensitive). */
	findByEmail(email: string, itemIndex?: number): Promise<Array<WithRaw<Contact>>>;
	list(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>>;
	/** `ids` split into runs that one `list({ ids })` call each can take (REST: by request-line length). */
	idBatches(ids: string[]): string[][];
	/** false when there was no such contact. */
	delete(id: string, itemIndex?: number): Promise<boolean>;
}

export interface TagsApi {
	/** Largest page the API serves in one call. */
	readonly maxPageSize: number;
	/** Contacts one apply/remove call takes. */
	readonly maxBatch: number;
	/** Apply/remove calls a run may have in flight at once (the pacer spaces them). */
	readonly batchConcurrency: number;
	list(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>>;
	create(tag: TagInput, itemIndex?: number): Promise<WithRaw<Tag>>;
	/** Applies one tag to up to `maxBatch` contacts in one call. */
	apply(tagId: string, contactIds: string[]): Promise<TagResultMap>;
	remove(tagId: string, contactIds: string[]): Promise<TagResultMap>;
	/** The tags on one contact, with when each was applied. */
	listForContact(contactId: string, itemIndex?: number): Promise<Array<WithRaw<AppliedTag>>>;
	/** Ids of the contacts that have a tag, a page at a time. */
	listContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>>;
}

export interface CustomFieldsApi {
	/** The account's contact custom fields. */
	listContactFields(): Promise<CustomFieldDefinition[]>;
}

/** The option lists of the contact parameters. */
export interface LookupsApi {
	listUsers(): Promise<NamedOption[]>;
	listLeadSources(): Promise<NamedOption[]>;
	listContactTypes(): Promise<string[]>;
}

export interface KeapClient {
	readonly api: KeapApi;
	readonly contacts: ContactsApi;
	readonly tags: TagsApi;
	readonly customFields: CustomFieldsApi;
	readonly lookups: LookupsApi;
}
