/**
 * The seam between operations and Keap's wire formats. Operations speak only this interface;
 * `rest.ts` implements it over REST v2 (v1 where v2 lacks something) and `xmlrpc.ts` over
 * XML-RPC. Every method returns neutral shapes plus the raw record Keap sent (for "Raw" output).
 */
import type { IDataObject } from 'n8n-workflow';

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

export interface WithRaw<T> {
	value: T;
	raw: IDataObject;
}

export type KeapApi = 'rest' | 'xmlrpc';

export interface KeapClient {
	readonly api: KeapApi;
	/** Largest page the API serves in one call. */
	readonly maxPageSize: number;

	/** A create, or with `duplicateOption` a create-or-update that keeps what the input does not mention. */
	createContact(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number): Promise<WithRaw<Contact>>;
	updateContact(id: string, input: ContactInput, itemIndex?: number): Promise<WithRaw<Contact>>;
	/** null when Keap has no contact with this id. */
	getContact(id: string, itemIndex?: number): Promise<WithRaw<Contact> | null>;
	/** Contacts whose EMAIL1, EMAIL2 or EMAIL3 is this address (case-insensitive). */
	findContactsByEmail(email: string, itemIndex?: number): Promise<Array<WithRaw<Contact>>>;
	listContacts(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>>;
	/** Ids of the contacts that have a tag, a page at a time. */
	listTaggedContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>>;
	/** false when there was no such contact. */
	deleteContact(id: string, itemIndex?: number): Promise<boolean>;

	listTags(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>>;
	createTag(tag: { name: string; description?: string; category_id?: string }, itemIndex?: number): Promise<WithRaw<Tag>>;
	/** Applies one tag to up to `maxTagBatch` contacts in one call. */
	applyTag(tagId: string, contactIds: string[]): Promise<TagResultMap>;
	removeTag(tagId: string, contactIds: string[]): Promise<TagResultMap>;
	readonly maxTagBatch: number;
	listContactTags(contactId: string, itemIndex?: number): Promise<Array<WithRaw<AppliedTag>>>;

	getCustomFields(): Promise<CustomFieldDefinition[]>;
	listUsers(): Promise<NamedOption[]>;
	listLeadSources(): Promise<NamedOption[]>;
	listContactTypes(): Promise<string[]>;
}
