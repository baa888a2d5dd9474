/**
 * KeapClient over Keap's XML-RPC API (`POST /crm/xmlrpc/v1`, deprecated by Keap; sunset
 * announced for the end of 2026). The only file that knows XML-RPC method names, table names
 * and query syntax; the Contact columns themselves are mapped in model/contact.ts.
 *
 * Authentication is the credential's, exactly as for REST (auth.ts adds Bearer or
 * X-Keap-API-Key to every request). The `privateKey` first parameter Keap's methods still take
 * is ignored with header auth, so a placeholder goes there.
 *
 * Calls per operation (n = number of contacts, N = number of tags on the contact):
 * - once per client (i.e. per execution): custom field definitions (DataFormField), because
 *   every contact read must name the custom columns it wants;
 * - create: add + load (+ optIn); upsert: addWithDupCheck + load (+ optIn);
 * - update: update + load (+ optIn); get: load; delete: DataService.delete;
 * - get many: one DataService.query per page; with `ids`, one query per id;
 * - apply/remove tag: one addToGroup/removeFromGroup per contact (XML-RPC has no batch call);
 * - contact tags: ContactGroupAssign pages + one ContactGroup load per tag not seen yet.
 *
 * Faults (HTTP 200 with <fault>) become NodeApiErrors whose message names the fault and its
 * code, e.g. `Keap XML-RPC fault [RecordNotFound] (code 5): ...`.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { contactFromXmlRpc, contactToXmlRpc, xmlInstant, xmlRpcContactFields } from '../../model/contact';
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
} from '../../model/types';
import type { KeapClient, WithRaw } from '../client';
import type { KeapHttp } from '../http';
import {
	encodeMethodCall,
	formatKeapDate,
	parseKeapDate,
	parseMethodResponse,
	XmlRpcBase64,
	XmlRpcDateTime,
	XmlRpcDouble,
	type XmlRpcFault,
	type XmlRpcValue,
} from './codec';

export const XMLRPC_PATH = '/crm/xmlrpc/v1';
/** Sent as `privateKey`; Keap ignores it when the request carries header or Bearer auth. */
export const PRIVATE_KEY_PLACEHOLDER = 'n8n-nodes-keap';
/** Methods that take no privateKey. */
const NO_KEY_METHODS = new Set(['DataService.getUserInfo']);

const TAG_FIELDS = ['Id', 'GroupName', 'GroupCategoryId', 'GroupDescription'];
/** Parallel calls when one operation needs a call per contact or per tag. */
const FAN_OUT = 4;

type Struct = Record<string, XmlRpcValue>;

/** A fault Keap answered, as the NodeApiError the node reports; `fault` keeps its name and code. */
export class XmlRpcFaultError extends NodeApiError {
	constructor(
		node: INode,
		readonly method: string,
		readonly fault: XmlRpcFault,
		itemIndex?: number,
	) {
		super(node, { faultCode: fault.code, faultString: fault.string } as JsonObject, {
			message: `Keap XML-RPC fault ${fault.name ? `[${fault.name}] ` : ''}(code ${fault.code}): ${fault.message}`,
			description: `${method} -> fault ${fault.code}${fault.name ? ` ${fault.name}` : ''}`,
			itemIndex,
		});
	}
}

export interface CallOptions {
	/** Safe to send again after a dropped connection or a 5xx (reads, updates, dup-checked adds). */
	idempotent?: boolean;
	itemIndex?: number;
}

/** An XML-RPC value as plain JSON: dates as Keap's text (`raw`) or as ISO instants (`iso`). */
export function xmlRpcToJson(value: XmlRpcValue, dates: 'raw' | 'iso' = 'raw'): unknown {
	if (value instanceof XmlRpcDateTime) {
		if (dates === 'raw') return value.text;
		try {
			return parseKeapDate(value.text);
		} catch {
			return value.text;
		}
	}
	if (value instanceof XmlRpcBase64) return value.base64;
	if (value instanceof XmlRpcDouble) return value.value;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map((v) => xmlRpcToJson(v, dates));
	if (value && typeof value === 'object') {
		const out: IDataObject = {};
		for (const [k, v] of Object.entries(value)) out[k] = xmlRpcToJson(v, dates) as IDataObject[string];
		return out;
	}
	return value;
}

/** A neutral `*` suffix wildcard as XML-RPC's `%`. (Keap has no escape for a literal `%`.) */
function wildcard(value: string): string {
	return value.endsWith('*') ? `${value.slice(0, -1)}%` : value;
}

/** An ISO instant as the text a DataService.query date comparison takes (US Eastern wall time). */
function queryDate(iso: string): string {
	return formatKeapDate(iso).replace(/^(\d{4})(\d{2})(\d{2})T/, '$1-$2-$3 ');
}

/** Page cursors are `<page>:<size>`: the size a listing started with stays fixed across pages. */
function decodeCursor(cursor: string | undefined, pageSize: number): { page: number; size: number } {
	if (!cursor) return { page: 0, size: Math.max(1, Math.min(1000, Math.floor(pageSize))) };
	const m = /^(\d+):(\d+)$/.exec(cursor);
	if (!m) throw new Error(`Invalid XML-RPC page cursor "${cursor}"`);
	return { page: Number(m[1]), size: Number(m[2]) };
}

async function mapLimit<T, R>(list: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(list.length);
	let next = 0;
	const worker = async () => {
		while (next < list.length) {
			const i = next++;
			out[i] = await fn(list[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
	return out;
}

function structs(value: XmlRpcValue): Struct[] {
	return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object' && !Array.isArray(v)) as Struct[]) : [];
}

/** A fault saying the table or method is not there for this account/credential. */
function unavailable(fault: XmlRpcFault): boolean {
	return fault.name === 'NoTableFound' || fault.name === 'NoTableAccess' || /^No such handler/.test(fault.message);
}

function idOf(value: XmlRpcValue): string {
	return String(value);
}

const ORDER_COLUMNS: Record<NonNullable<ContactQuery['order_by']>, string> = {
	id: 'Id',
	create_time: 'DateCreated',
	email: 'Email',
	update_time: 'LastUpdated',
};

/** Keap's DataFormField.DataType numbers, in the v2 spelling the rest of the node uses. */
const DATA_TYPES: Record<number, string> = {
	1: 'PHONE_NUMBER',
	2: 'SOCIAL_SECURITY_NUMBER',
	3: 'CURRENCY',
	4: 'PERCENT',
	5: 'STATE',
	6: 'YES_NO',
	7: 'YEAR',
	8: 'MONTH',
	9: 'DAY_OF_WEEK',
	10: 'NAME',
	11: 'DECIMAL_NUMBER',
	12: 'WHOLE_NUMBER',
	13: 'DATE',
	14: 'DATE_TIME',
	15: 'TEXT',
	16: 'TEXT_AREA',
	17: 'LIST_BOX',
	18: 'WEBSITE',
	19: 'EMAIL',
	20: 'RADIO',
	21: 'DROPDOWN',
	22: 'USER',
	23: 'DRILLDOWN',
};

export class XmlRpcClient implements KeapClient {
	readonly api = 'xmlrpc' as const;
	readonly maxPageSize = 1000;
	/** XML-RPC tags one contact per call; applyTag loops over the contacts it is given. */
	readonly maxTagBatch = 1000;

	private customFields?: Promise<CustomFieldDefinition[]>;
	/** Tags seen by this client (listTags, createTag, loads), for listContactTags. */
	private tagCache = new Map<string, WithRaw<Tag>>();

	constructor(
		private readonly http: KeapHttp,
		private readonly getNode: () => INode,
	) {}

	// ------------------------------------------------------------------------------ calls

	/** One XML-RPC call; returns the value or the fault. Transport errors throw NodeApiErrors. */
	async invoke(method: string, params: XmlRpcValue[], opts: CallOptions = {}): Promise<{ value: XmlRpcValue } | { fault: XmlRpcFault }> {
		const full = NO_KEY_METHODS.has(method) ? params : [PRIVATE_KEY_PLACEHOLDER, ...params];
		const body = encodeMethodCall(method, full);
		const res = await this.http.request(
			{
				method: 'POST',
				path: XMLRPC_PATH,
				body,
				headers: { 'Content-Type': 'text/xml' },
				text: true,
				idempotent: opts.idempotent ?? false,
			},
			opts.itemIndex,
		);
		const text = typeof res.body === 'string' ? res.body : String(res.body ?? '');
		let parsed: ReturnType<typeof parseMethodResponse>;
		try {
			parsed = parseMethodResponse(text);
		} catch (error) {
			throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
				message: `Keap's answer to ${method} is not a readable XML-RPC response: ${(error as Error).message}`,
				description: `POST ${XMLRPC_PATH} (${method})`,
				itemIndex: opts.itemIndex,
			});
		}
		return parsed.ok ? { value: parsed.value } : { fault: parsed.fault };
	}

	/** One XML-RPC call; a fault throws a NodeApiError naming the fault and its code. */
	async call(method: string, params: XmlRpcValue[], opts: CallOptions = {}): Promise<XmlRpcValue> {
		const r = await this.invoke(method, params, opts);
		if ('fault' in r) throw this.faultError(method, r.fault, opts.itemIndex);
		return r.value;
	}

	faultError(method: string, fault: XmlRpcFault, itemIndex?: number): XmlRpcFaultError {
		return new XmlRpcFaultError(this.getNode(), method, fault, itemIndex);
	}

	/** DataService.query, one page. */
	async query(
		table: string,
		limit: number,
		page: number,
		query: Struct,
		fields: string[],
		orderBy?: string,
		ascending = true,
		itemIndex?: number,
	): Promise<Struct[]> {
		const params: XmlRpcValue[] = [table, limit, page, Object.keys(query).length ? query : { Id: '%' }, fields];
		if (orderBy) params.push(orderBy, ascending);
		return structs(await this.call('DataService.query', params, { idempotent: true, itemIndex }));
	}

	/**
	 * Every row of a table, or undefined when the service does not expose the table to this
	 * credential ([NoTableFound] / [NoTableAccess]): for look-up lists that are optional.
	 */
	private async queryAllOptional(table: string, query: Struct, fields: string[]): Promise<Struct[] | undefined> {
		const out: Struct[] = [];
		for (let page = 0; ; page++) {
			const r = await this.invoke('DataService.query', [table, 1000, page, query, fields, 'Id', true], { idempotent: true });
			if ('fault' in r) {
				if (unavailable(r.fault)) return undefined;
				throw this.faultError('DataService.query', r.fault);
			}
			const rows = structs(r.value);
			out.push(...rows);
			if (rows.length < 1000) return out;
		}
	}

	// ------------------------------------------------------------------------------ contacts

	private async contactFields(): Promise<{ defs: CustomFieldDefinition[]; fields: string[] }> {
		const defs = await this.getCustomFields();
		return { defs, fields: xmlRpcContactFields(defs) };
	}

	private async loadContact(id: string, itemIndex?: number): Promise<WithRaw<Contact> | null> {
		const { defs, fields } = await this.contactFields();
		const r = await this.invoke('ContactService.load', [Number(id), fields], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return null;
			throw this.faultError('ContactService.load', r.fault, itemIndex);
		}
		const raw = (r.value && typeof r.value === 'object' ? r.value : {}) as Struct;
		if (raw.Id === undefined) raw.Id = Number(id);
		return { value: contactFromXmlRpc(raw, defs), raw: xmlRpcToJson(raw) as IDataObject };
	}

	/** APIEmailService.optIn for the contact's primary email (REST sends the reason with EMAIL1). */
	private async optIn(contact: Contact, reason: string | undefined, itemIndex?: number) {
		if (reason === undefined) return;
		const email = contact.email_addresses.find((e) => e.field === 'EMAIL1')?.email;
		if (!email) return;
		// false means Keap left the status alone (already opted in, or opted out): not an error.
		await this.call('APIEmailService.optIn', [email, reason], { idempotent: true, itemIndex });
	}

	async createContact(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number) {
		const defs = await this.getCustomFields();
		const struct = contactToXmlRpc(input, defs, 'create');
		let id: string;
		if (duplicateOption) {
			id = idOf(
				await this.call('ContactService.addWithDupCheck', [struct, duplicateOption], { idempotent: true, itemIndex }),
			);
		} else {
			// Not idempotent: a retry after a lost answer would make a second contact.
			id = idOf(await this.call('ContactService.add', [struct], { itemIndex }));
		}
		const loaded = await this.loadContact(id, itemIndex);
		if (!loaded) throw new Error(`Keap returned contact ID ${id} but has no such contact`);
		await this.optIn(loaded.value, input.opt_in_reason, itemIndex);
		return loaded;
	}

	async updateContact(id: string, input: ContactInput, itemIndex?: number) {
		const defs = input.custom_fields?.length ? await this.getCustomFields() : [];
		const struct = contactToXmlRpc(input, defs, 'update');
		if (Object.keys(struct).length) {
			await this.call('ContactService.update', [Number(id), struct], { idempotent: true, itemIndex });
		}
		const loaded = await this.loadContact(id, itemIndex);
		if (!loaded) throw new Error(`Keap has no contact with ID ${id}`);
		await this.optIn(loaded.value, input.opt_in_reason, itemIndex);
		return loaded;
	}

	async getContact(id: string, itemIndex?: number) {
		return await this.loadContact(id, itemIndex);
	}

	async findContactsByEmail(email: string, itemIndex?: number) {
		const { defs, fields } = await this.contactFields();
		const rows = structs(await this.call('ContactService.findByEmail', [email, fields], { idempotent: true, itemIndex }));
		return rows.map((raw) => ({ value: contactFromXmlRpc(raw, defs), raw: xmlRpcToJson(raw) as IDataObject }));
	}

	/**
	 * DataService.query on Contact. Filters: email on the Email column (primary email only, unlike
	 * REST which matches all three), given/family name; a trailing `*` becomes `%`. A struct holds
	 * one condition per column, so with both updated_since and updated_until the lower bound is
	 * Keap's (`~>=~`) and the upper bound is checked here; both work to the second, the precision
	 * of XML-RPC dates. `ids` are fetched one query per id (Keap's query has no IN), a page of
	 * ids at a time. Without order_by the order is Id ascending, which keeps pages stable.
	 */
	async listContacts(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>> {
		const { defs, fields } = await this.contactFields();
		const { page, size } = decodeCursor(cursor, pageSize);
		const q: Struct = {};
		if (query.email) q.Email = wildcard(query.email);
		if (query.given_name) q.FirstName = wildcard(query.given_name);
		if (query.family_name) q.LastName = wildcard(query.family_name);
		let until: number | undefined;
		if (query.updated_since) {
			q.LastUpdated = `~>=~ ${queryDate(query.updated_since)}`;
			if (query.updated_until) until = Date.parse(query.updated_until);
		} else if (query.updated_until) {
			q.LastUpdated = `~<=~ ${queryDate(query.updated_until)}`;
		}
		const orderBy = ORDER_COLUMNS[query.order_by ?? 'id'];
		const ascending = query.order_direction !== 'desc';
		const toContact = (raw: Struct) => ({ value: contactFromXmlRpc(raw, defs), raw: xmlRpcToJson(raw) as IDataObject });
		const keep = (c: WithRaw<Contact>) =>
			until === undefined || !c.value.update_time || Date.parse(c.value.update_time) <= until;

		if (query.ids) {
			const ids = [...new Set(query.ids)].sort((a, b) => Number(a) - Number(b));
			if (!ascending && orderBy === 'Id') ids.reverse();
			const chunk = ids.slice(page * size, page * size + size);
			const found = await mapLimit(chunk, FAN_OUT, async (id) => await this.query('Contact', 1, 0, { ...q, Id: Number(id) }, fields));
			const items = found.flat().map(toContact).filter(keep);
			return { items, next: page * size + size < ids.length ? `${page + 1}:${size}` : undefined };
		}
		const rows = await this.query('Contact', size, page, q, fields, orderBy, ascending);
		return { items: rows.map(toContact).filter(keep), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}

	async listTaggedContactIds(tagId: string, pageSize: number, cursor?: string): Promise<Page<string>> {
		const { page, size } = decodeCursor(cursor, pageSize);
		const rows = await this.query('ContactGroupAssign', size, page, { GroupId: Number(tagId) }, ['ContactId'], 'ContactId', true);
		return { items: rows.map((r) => idOf(r.ContactId)), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}

	async deleteContact(id: string, itemIndex?: number) {
		const r = await this.invoke('DataService.delete', ['Contact', Number(id)], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return false;
			throw this.faultError('DataService.delete', r.fault, itemIndex);
		}
		return true;
	}

	// ------------------------------------------------------------------------------ tags

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

	async listTags(query: TagQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Tag>>> {
		const { page, size } = decodeCursor(cursor, pageSize);
		const q: Struct = {};
		if (query.name) q.GroupName = wildcard(query.name);
		if (query.category_id) q.GroupCategoryId = Number(query.category_id);
		const rows = await this.query('ContactGroup', size, page, q, TAG_FIELDS, 'Id', true);
		return { items: rows.map((r) => this.tagFrom(r)), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}

	async createTag(tag: { name: string; description?: string; category_id?: string }, itemIndex?: number) {
		const data: Struct = { GroupName: tag.name };
		if (tag.description) data.GroupDescription = tag.description;
		if (tag.category_id) data.GroupCategoryId = Number(tag.category_id);
		const id = await this.call('DataService.add', ['ContactGroup', data], { itemIndex });
		const loaded = await this.loadTag(idOf(id), itemIndex);
		return loaded ?? this.tagFrom({ Id: id, ...data });
	}

	private async loadTag(id: string, itemIndex?: number): Promise<WithRaw<Tag> | undefined> {
		const r = await this.invoke('DataService.load', ['ContactGroup', Number(id), TAG_FIELDS], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return undefined;
			throw this.faultError('DataService.load', r.fault, itemIndex);
		}
		const raw = (r.value && typeof r.value === 'object' ? r.value : {}) as Struct;
		return this.tagFrom({ Id: Number(id), ...raw });
	}

	/**
	 * One ContactService.addToGroup / removeFromGroup per contact. true -> SUCCESS; false ->
	 * DUPLICATE (nothing changed: for apply the tag was already there, as community reports of
	 * addToGroup say; for remove it was not applied). [RecordNotFound] -> CONTACT_NOT_FOUND once
	 * the tag is known to exist; an unknown tag fails the whole call, as REST's 404 does.
	 */
	private async tagEach(method: 'ContactService.addToGroup' | 'ContactService.removeFromGroup', tagId: string, contactIds: string[]) {
		const out: TagResultMap = {};
		let missing = false;
		await mapLimit(contactIds, FAN_OUT, async (contactId) => {
			const r = await this.invoke(method, [Number(contactId), Number(tagId)], { idempotent: true });
			if ('fault' in r) {
				if (r.fault.name !== 'RecordNotFound') throw this.faultError(method, r.fault);
				missing = true;
				out[contactId] = 'CONTACT_NOT_FOUND';
				return;
			}
			out[contactId] = r.value === false || r.value === 0 ? 'DUPLICATE' : 'SUCCESS';
		});
		if (missing && !(await this.loadTag(tagId))) {
			throw new NodeApiError(this.getNode(), { message: `No tag ${tagId}` } as JsonObject, {
				message: `Keap has no tag with ID ${tagId}`,
				description: `${method} -> [RecordNotFound]`,
			});
		}
		return out;
	}

	async applyTag(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		return await this.tagEach('ContactService.addToGroup', tagId, contactIds);
	}

	async removeTag(tagId: string, contactIds: string[]): Promise<TagResultMap> {
		return await this.tagEach('ContactService.removeFromGroup', tagId, contactIds);
	}

	async listContactTags(contactId: string, itemIndex?: number) {
		const rows: Struct[] = [];
		for (let page = 0; ; page++) {
			const chunk = await this.query(
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
		await mapLimit(missing, FAN_OUT, async (id) => await this.loadTag(id, itemIndex));
		return rows.map((raw): WithRaw<AppliedTag> => {
			const id = idOf(raw.GroupId);
			const tag = this.tagCache.get(id)?.value ?? { id, name: String(raw.ContactGroup ?? ''), description: null, category_id: null, category_name: null };
			return { value: { ...tag, applied_time: xmlInstant(raw.DateCreated) }, raw: xmlRpcToJson(raw) as IDataObject };
		});
	}

	// ------------------------------------------------------------------------------ look-ups

	/**
	 * Contact custom fields from DataFormField (FormId -1), once per client. Should the XML-RPC
	 * service answer [NoTableFound]/[NoTableAccess] for DataFormField (e.g. the local emulator,
	 * or a credential without access to that table), the definitions are read
	 * from REST v2's contact model with the same credential instead (the ids are the same).
	 */
	async getCustomFields(): Promise<CustomFieldDefinition[]> {
		if (!this.customFields) {
			const pending = this.loadCustomFields();
			this.customFields = pending;
			// A failed look-up is not cached: the next caller tries again.
			pending.catch(() => {
				if (this.customFields === pending) this.customFields = undefined;
			});
		}
		return await this.customFields;
	}

	private async loadCustomFields(): Promise<CustomFieldDefinition[]> {
		const rows = await this.queryAllOptional('DataFormField', { FormId: -1 }, ['Id', 'Name', 'Label', 'DataType', 'Values']);
		if (rows === undefined) return await this.customFieldsFromRest();
		return rows.map((f) => {
			const options = String(f.Values ?? '')
				.split(/\r?\n/)
				.map((o) => o.trim())
				.filter(Boolean);
			return {
				id: idOf(f.Id),
				label: String(f.Label ?? f.Name ?? f.Id),
				field_type: DATA_TYPES[Number(f.DataType)] ?? 'TEXT',
				field_name: f.Name !== undefined ? String(f.Name) : undefined,
				options: options.map((o) => ({ id: o, label: o })),
			};
		});
	}

	private async customFieldsFromRest(): Promise<CustomFieldDefinition[]> {
		const res = await this.http.request({ method: 'GET', path: '/crm/rest/v2/contacts/model' });
		const body = (res.body ?? {}) as IDataObject;
		return ((body.custom_fields as IDataObject[]) ?? []).map((f) => ({
			id: String(f.id),
			label: String(f.label ?? f.field_name ?? f.id),
			field_type: String(f.field_type ?? 'TEXT'),
			field_name: f.field_name !== undefined ? String(f.field_name) : undefined,
			options: ((f.options as IDataObject[]) ?? []).map((o) => ({ id: String(o.id), label: String(o.label ?? o.id) })),
		}));
	}

	/** Keap users (DataService table User); empty when the service does not expose the table. */
	async listUsers(): Promise<NamedOption[]> {
		const rows = await this.queryAllOptional('User', {}, ['Id', 'FirstName', 'LastName']);
		return structs(rows ?? []).map((u) => ({
			id: idOf(u.Id),
			name: [u.FirstName, u.LastName].filter((s) => s !== undefined && s !== '').join(' ') || idOf(u.Id),
		}));
	}

	/** Lead sources (DataService table LeadSource); empty when the service does not expose it. */
	async listLeadSources(): Promise<NamedOption[]> {
		const rows = await this.queryAllOptional('LeadSource', {}, ['Id', 'Name']);
		return structs(rows ?? []).map((s) => ({ id: idOf(s.Id), name: String(s.Name ?? s.Id) }));
	}

	/** Contact types: the app setting Contact/optiontypes (comma-separated); empty when unavailable. */
	async listContactTypes(): Promise<string[]> {
		const r = await this.invoke('DataService.getAppSetting', ['Contact', 'optiontypes'], { idempotent: true });
		if ('fault' in r) {
			if (unavailable(r.fault)) return [];
			throw this.faultError('DataService.getAppSetting', r.fault);
		}
		return typeof r.value === 'string' ? r.value.split(',').map((t) => t.trim()).filter(Boolean) : [];
	}
}
