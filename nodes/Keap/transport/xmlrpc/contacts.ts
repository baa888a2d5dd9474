/**
 * Contacts over XML-RPC: ContactService and DataService on the Contact table; the columns are
 * mapped in contactTable.ts. Every read names the columns it wants, custom ones included, so
 * the custom field definitions are read once per execution (lookups.ts) before the first.
 *
 * Calls per operation: create: add + load (+ optIn); upsert: addWithDupCheck + load (+ optIn);
 * update: update + load (+ optIn); get: load; delete: DataService.delete; get many: one
 * DataService.query per page; with `ids`, one query per id.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { Contact, ContactInput, ContactQuery, DuplicateOption } from '../../model/contact';
import type { CustomFieldDefinition } from '../../model/customField';
import type { ContactsApi } from '../client';
import { decodeCursor, FAN_OUT, idOf, mapLimit, structs, wildcard, xmlRpcToJson, type Struct, type XmlRpcClient } from './client';
import { formatKeapDate } from './codec';
import { contactFromXmlRpc, contactToXmlRpc, xmlRpcContactFields } from './contactTable';
import type { XmlRpcCustomFields } from './lookups';

const ORDER_COLUMNS: Record<NonNullable<ContactQuery['order_by']>, string> = {
	id: 'Id',
	create_time: 'DateCreated',
	email: 'Email',
	update_time: 'LastUpdated',
};

/** An ISO instant as the text a DataService.query date comparison takes (US Eastern wall time). */
function queryDate(iso: string): string {
	return formatKeapDate(iso).replace(/^(\d{4})(\d{2})(\d{2})T/, '$1-$2-$3 ');
}

export class XmlRpcContacts implements ContactsApi {
	readonly maxPageSize = 1000;

	/** The ids go in an XML-RPC body: one run per page. */
	idBatches(ids: string[]): string[][] {
		const runs: string[][] = [];
		for (let s = 0; s < ids.length; s += this.maxPageSize) runs.push(ids.slice(s, s + this.maxPageSize));
		return runs;
	}

	constructor(
		private readonly rpc: XmlRpcClient,
		private readonly customFields: XmlRpcCustomFields,
	) {}

	private async contactFields(): Promise<{ defs: CustomFieldDefinition[]; fields: string[] }> {
		const defs = await this.customFields.listContactFields();
		return { defs, fields: xmlRpcContactFields(defs) };
	}

	private async load(id: string, itemIndex?: number): Promise<WithRaw<Contact> | null> {
		const { defs, fields } = await this.contactFields();
		const r = await this.rpc.invoke('ContactService.load', [Number(id), fields], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return null;
			throw this.rpc.faultError('ContactService.load', r.fault, itemIndex);
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
		await this.rpc.call('APIEmailService.optIn', [email, reason], { idempotent: true, itemIndex });
	}

	async create(input: ContactInput, duplicateOption?: DuplicateOption, itemIndex?: number) {
		const defs = await this.customFields.listContactFields();
		const struct = contactToXmlRpc(input, defs, 'create');
		let id: string;
		if (duplicateOption) {
			id = idOf(
				await this.rpc.call('ContactService.addWithDupCheck', [struct, duplicateOption], { idempotent: true, itemIndex }),
			);
		} else {
			// Not idempotent: a retry after a lost answer would make a second contact.
			id = idOf(await this.rpc.call('ContactService.add', [struct], { itemIndex }));
		}
		const loaded = await this.load(id, itemIndex);
		if (!loaded) throw new Error(`Keap returned contact ID ${id} but has no such contact`);
		await this.optIn(loaded.value, input.opt_in_reason, itemIndex);
		return loaded;
	}

	async update(id: string, input: ContactInput, itemIndex?: number) {
		const defs = input.custom_fields?.length ? await this.customFields.listContactFields() : [];
		const struct = contactToXmlRpc(input, defs, 'update');
		if (Object.keys(struct).length) {
			await this.rpc.call('ContactService.update', [Number(id), struct], { idempotent: true, itemIndex });
		}
		const loaded = await this.load(id, itemIndex);
		if (!loaded) throw new Error(`Keap has no contact with ID ${id}`);
		await this.optIn(loaded.value, input.opt_in_reason, itemIndex);
		return loaded;
	}

	async get(id: string, itemIndex?: number) {
		return await this.load(id, itemIndex);
	}

	async findByEmail(email: string, itemIndex?: number) {
		const { defs, fields } = await this.contactFields();
		const rows = structs(await this.rpc.call('ContactService.findByEmail', [email, fields], { idempotent: true, itemIndex }));
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
	async list(query: ContactQuery, pageSize: number, cursor?: string): Promise<Page<WithRaw<Contact>>> {
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
			const found = await mapLimit(
				chunk,
				FAN_OUT,
				async (id) => await this.rpc.query('Contact', 1, 0, { ...q, Id: Number(id) }, fields),
			);
			const items = found.flat().map(toContact).filter(keep);
			return { items, next: page * size + size < ids.length ? `${page + 1}:${size}` : undefined };
		}
		const rows = await this.rpc.query('Contact', size, page, q, fields, orderBy, ascending);
		return { items: rows.map(toContact).filter(keep), next: rows.length === size ? `${page + 1}:${size}` : undefined };
	}

	async delete(id: string, itemIndex?: number) {
		const r = await this.rpc.invoke('DataService.delete', ['Contact', Number(id)], { idempotent: true, itemIndex });
		if ('fault' in r) {
			if (r.fault.name === 'RecordNotFound') return false;
			throw this.rpc.faultError('DataService.delete', r.fault, itemIndex);
		}
		return true;
	}
}
