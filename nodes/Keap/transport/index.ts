/**
 * Entry point of the transport: picks the credential and the wire format from the node's
 * parameters and hands operations a `KeapSession`: `client`, the Keap objects both wire
 * formats serve (contacts, tags, custom fields, look-ups) over the API the node chose;
 * `rest`, Keap's REST API for the object modules of transport/rest/ (every Keap object only
 * REST serves); `xmlRpc`, raw XML-RPC calls; and the look-ups an execution shares (tag names,
 * custom field definitions), each fetched at most once per execution.
 */
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import type { WithRaw } from '../model/common';
import type { CustomFieldDefinition } from '../model/customField';
import type { Tag } from '../model/tag';
import type { KeapCredentialType } from './auth';
import type { KeapClient } from './client';
import { KeapHttp, type KeapFunctions } from './http';
import { outcomeUnknown, RestClient } from './rest/client';
import { RestCustomFields } from './rest/customFields';
import { RestLookups } from './rest/lookups';
import { restKeapClient } from './rest/index';
import { XmlRpcClient } from './xmlrpc/client';
import { xmlRpcKeapClient } from './xmlrpc/index';

export type { KeapClient } from './client';
export type { KeapFunctions } from './http';

/** The credential type behind each value of the node's Authentication parameter. */
function credentialTypeFor(authentication: string): KeapCredentialType | undefined {
	switch (authentication) {
		case 'apiKey':
			return 'keapCrmApiKeyApi';
		case 'oAuth2':
			return 'keapCrmOAuth2Api';
		case 'tokenPair':
			return 'keapCrmTokenPairApi';
		default:
			return undefined;
	}
}

/** A node parameter from any context (execute functions take an item index, the others do not). */
function nodeParameter(ctx: KeapFunctions, name: string, fallback: unknown): unknown {
	if ('getInputData' in ctx) return (ctx as IExecuteFunctions).getNodeParameter(name, 0, fallback);
	if ('getCurrentNodeParameter' in ctx) {
		return (ctx as ILoadOptionsFunctions).getCurrentNodeParameter(name) ?? fallback;
	}
	return (ctx as IHookFunctions).getNodeParameter(name, fallback);
}

function credentialTypeOf(ctx: KeapFunctions): KeapCredentialType {
	const authentication = nodeParameter(ctx, 'authentication', 'apiKey') as string;
	const type = credentialTypeFor(authentication);
	if (!type) throw new Error(`Unknown authentication "${authentication}"`);
	return type;
}

export class KeapSession {
	readonly http: KeapHttp;
	/** Keap's REST API, whatever the API parameter: `new RestHooks(session.rest)`, ... */
	readonly rest: RestClient;
	/** Contacts, tags and their look-ups over the API the node's parameter chose. */
	readonly client: KeapClient;
	private readonly getNode: () => INode;
	private xmlRpcClient?: XmlRpcClient;
	private allTags?: Promise<Array<WithRaw<Tag>>>;
	private tagsByName = new Map<string, Tag>();
	private tagsById = new Map<string, Tag>();
	private customFields?: Promise<CustomFieldDefinition[]>;
	private creating = new Map<string, Promise<Tag>>();

	constructor(ctx: KeapFunctions) {
		this.http = new KeapHttp(ctx, credentialTypeOf(ctx));
		this.rest = new RestClient(this.http);
		this.getNode = () => ctx.getNode();
		// The node's API parameter (nodes without it, e.g. the triggers, use REST).
		this.client =
			nodeParameter(ctx, 'api', 'rest') === 'xmlrpc'
				? xmlRpcKeapClient(this.xmlRpc, new RestCustomFields(this.rest), new RestLookups(this.rest))
				: restKeapClient(this.rest);
	}

	/** Keap's XML-RPC API as raw calls: Call Method and Query Table; with API = XML-RPC, `client` too. */
	get xmlRpc(): XmlRpcClient {
		this.xmlRpcClient ??= new XmlRpcClient(this.http, this.getNode);
		return this.xmlRpcClient;
	}

	/** Keap's contact custom fields, fetched once per execution (a failed fetch is tried again by the next item). */
	async getCustomFields(): Promise<CustomFieldDefinition[]> {
		this.customFields ??= this.client.customFields.listContactFields().catch((error: unknown) => {
			this.customFields = undefined;
			throw error;
		});
		return await this.customFields;
	}

	/** Every tag of the account, read once per execution; a read that failed is not kept (the next item reads again). */
	async listTags(): Promise<Array<WithRaw<Tag>>> {
		this.allTags ??= this.readAllTags().catch((error: unknown) => {
			this.allTags = undefined;
			throw error;
		});
		return await this.allTags;
	}

	/**
	 * The tags whose name starts with `prefix` (case-insensitive, surrounding spaces ignored),
	 * in Keap's order, from this execution's tag list. Keap's `/v2/tags` filter documents exact
	 * names only (wildcards are documented for contacts' fields, not for tags: issue 15, defect
	 * 4), so a prefix is matched here, over both APIs alike.
	 */
	async tagsStartingWith(prefix: string): Promise<Array<WithRaw<Tag>>> {
		const wanted = prefix.trim().toLowerCase();
		return (await this.listTags()).filter(({ value }) => value.name.trim().toLowerCase().startsWith(wanted));
	}

	private async readAllTags(): Promise<Array<WithRaw<Tag>>> {
		const all: Array<WithRaw<Tag>> = [];
		let cursor: string | undefined;
		do {
			const page = await this.client.tags.list({}, this.client.tags.maxPageSize, cursor);
			all.push(...page.items);
			cursor = page.next;
		} while (cursor);
		for (const tag of all) this.remember(tag);
		return all;
	}

	private remember(tag: WithRaw<Tag>): void {
		this.tagsByName.set(tag.value.name.trim().toLowerCase(), tag.value);
		this.tagsById.set(tag.value.id, tag.value);
	}

	/**
	 * A tag by ID (digits) or by name (case-insensitive); undefined when Keap has none (an ID
	 * not in the account's tag list is unknown too). All tags are read once per execution,
	 * however many items and names there are. With `createMissing`, an unknown name is looked
	 * up once more by name (the first list may have been incomplete or odd) and only then
	 * created, once, even when many items ask for it at the same time; a create whose answer was
	 * lost is looked up by name again rather than sent twice.
	 */
	async resolveTag(ref: string, createMissing: boolean): Promise<Tag | undefined> {
		const key = ref.trim();
		const all = await this.listTags();
		const byName = this.tagsByName;
		if (/^\d+$/.test(key)) return this.tagsById.get(key) ?? byName.get(key);
		const found = byName.get(key.toLowerCase());
		if (found || !createMissing) return found;
		const slot = key.toLowerCase();
		let pending = this.creating.get(slot);
		if (!pending) {
			pending = (async () => {
				const tag = (await this.findTagNamed(key)) ?? (await this.createTag(key));
				this.remember(tag);
				if (!all.some(({ value }) => value.id === tag.value.id)) all.push(tag);
				return tag.value;
			})();
			// A failed look-up or create is not kept: the next item asking for the name tries again.
			pending.catch(() => this.creating.delete(slot));
			this.creating.set(slot, pending);
		}
		return await pending;
	}

	/** The tag with exactly this name (case-insensitive), asked of Keap by name. */
	private async findTagNamed(name: string): Promise<WithRaw<Tag> | undefined> {
		const wanted = name.trim().toLowerCase();
		// Keap's filter cannot carry ";" (it separates clauses), nor a trailing "*" (a wildcard).
		const filterable = !name.includes(';') && !name.endsWith('*');
		let cursor: string | undefined;
		do {
			const page = await this.client.tags.list(filterable ? { name } : {}, this.client.tags.maxPageSize, cursor);
			const hit = page.items.find(({ value }) => value.name.trim().toLowerCase() === wanted);
			if (hit) return hit;
			cursor = page.next;
		} while (cursor);
		return undefined;
	}

	/** Creates a tag; when Keap's answer is lost, the tag is looked up by name instead of created twice. */
	private async createTag(name: string): Promise<WithRaw<Tag>> {
		let lost: unknown;
		try {
			return await this.client.tags.create({ name });
		} catch (error) {
			lost = error;
		}
		const made = outcomeUnknown(lost) ? await this.findTagNamed(name) : undefined;
		if (made) return made;
		throw lost;
	}

	/** The name of a tag id, when known from this execution's tag list. */
	tagName(id: string): string | undefined {
		return this.tagsById.get(id)?.name;
	}
}
