/**
 * Keap companies over REST v2: list (filters company_name, name, email, city, state,
 * since_time, until_time, company_id comparisons; order_by id | create_time | name | email), get, create, PATCH with
 * update_mask, delete; the tags on a company (`GET /companies/{id}/tags`, and one tag at a time
 * `POST` / `DELETE /companies/{id}/tags/{tag_id}`); the company model's custom fields. v2 reads
 * leave most properties out unless `fields` names them, so every read names them all.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact, text, type Page, type WithRaw } from '../../model/common';
import {
	COMPANY_SCALAR_FIELDS,
	mergeCompanyParts,
	type Company,
	type CompanyInput,
	type CompanyQuery,
} from '../../model/company';
import type { CustomFieldDefinition } from '../../model/customField';
import { nextPageToken, RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { RestObjectModels } from './objectModels';

/** Every property of Keap's v2 Company, for `fields`. */
export const COMPANY_FIELDS = [
	'id',
	...COMPANY_SCALAR_FIELDS,
	'address',
	'email_address',
	'phone_number',
	'fax_number',
	'custom_fields',
	'groups',
	'account_id',
	'created_by',
	'last_updated_by',
	'create_time',
	'update_time',
].join(',');

const DATE_FIELDS = new Set(['anniversary_date', 'birth_date']);

function companyFromV2(raw: IDataObject): Company {
	const company: Company = {
		id: String(raw.id),
		email: null,
		phone: null,
		fax: null,
		address: null,
		custom_fields: [],
		tag_ids: [],
	};
	for (const f of COMPANY_SCALAR_FIELDS) {
		const v = text(raw[f]);
		company[f] = v && DATE_FIELDS.has(f) ? v.slice(0, 10) : v;
	}
	const email = raw.email_address as IDataObject | undefined;
	company.email = text(email?.email);
	company.email_opt_status = text(email?.email_opt_status);
	const phone = raw.phone_number as IDataObject | undefined;
	if (phone?.number) company.phone = compact({ number: String(phone.number), extension: text(phone.extension) ?? undefined, type: text(phone.type) ?? undefined });
	const fax = raw.fax_number as IDataObject | undefined;
	if (fax?.number) company.fax = compact({ number: String(fax.number), type: text(fax.type) ?? undefined });
	const a = raw.address as IDataObject | undefined;
	if (a) {
		const address = compact({
			line1: text(a.line1) ?? undefined,
			line2: text(a.line2) ?? undefined,
			locality: text(a.locality) ?? undefined,
			region_code: text(a.region_code) ?? undefined,
			region: text(a.region) ?? undefined,
			country_code: text(a.country_code) ?? undefined,
			postal_code: text(a.postal_code ?? a.zip_code) ?? undefined,
			zip_four: text(a.zip_four) ?? undefined,
		});
		if (Object.keys(address).length) company.address = address;
	}
	for (const c of (raw.custom_fields as IDataObject[] | undefined) ?? []) {
		if (c.content === undefined || c.content === null || c.content === '') continue;
		company.custom_fields.push({ id: String(c.id), content: c.content as string | number | boolean });
	}
	company.tag_ids = String(raw.groups ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	company.create_time = text(raw.create_time);
	company.update_time = text(raw.update_time);
	return company;
}

const withRaw = (raw: IDataObject): WithRaw<Company> => ({ value: companyFromV2(raw), raw });

/** The v2 body of a create or an update; its keys are the update_mask. */
function companyToV2(input: CompanyInput): IDataObject {
	const body: IDataObject = {};
	for (const f of COMPANY_SCALAR_FIELDS) if (input[f] !== undefined) body[f] = input[f];
	if (input.email !== undefined) body.email_address = compact({ email: input.email, field: 'EMAIL1', opt_in_reason: input.opt_in_reason });
	if (input.phone) body.phone_number = compact({ ...input.phone, field: 'PHONE1' });
	if (input.fax) body.fax_number = compact({ ...input.fax, field: 'FAX1' });
	if (input.address) {
		// The region name is read-only: the code travels.
		const address: IDataObject = { ...input.address, field: 'BILLING' };
		delete address.region;
		body.address = compact(address);
	}
	if (input.custom_fields) body.custom_fields = input.custom_fields.map((c) => ({ id: c.id, content: c.content }));
	return body;
}

/** What a company apply/remove reports per tag. */
export type CompanyTagResult = 'SUCCESS' | 'DUPLICATE' | 'NOT_APPLIED';

export class RestCompanies {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async list(query: CompanyQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Company>>> {
		const qs: IDataObject = { fields: COMPANY_FIELDS, page_size: Math.min(pageSize, V2_MAX_PAGE_SIZE) };
		const filter = v2Filter([
			['company_name', query.company_name],
			['name', query.name_prefix],
			['email', query.email],
			['city', query.city],
			['state', query.state],
			['since_time', query.updated_since],
			['until_time', query.updated_until],
		]);
		const after = v2Filter([['company_id', query.id_after]], '>');
		if (filter || after) qs.filter = [filter, after].filter(Boolean).join(';');
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/companies`, { qs, itemIndex });
		return { items: ((res.body.companies as IDataObject[]) ?? []).map(withRaw), next: nextPageToken(res.body) };
	}

	/**
	 * The companies named `name` (trimmed, case-insensitive), oldest first. Keap's exact
	 * `company_name` filter may be case-sensitive, so this asks with the case-insensitive prefix
	 * filter and compares whole names here.
	 */
	async findByName(name: string, itemIndex?: number): Promise<Array<WithRaw<Company>>> {
		const wanted = name.trim().toLowerCase();
		const out: Array<WithRaw<Company>> = [];
		let cursor: string | undefined;
		do {
			const page = await this.list({ name_prefix: `${name.trim()}*`, order_by: 'id' }, V2_MAX_PAGE_SIZE, cursor, itemIndex);
			out.push(...page.items.filter((c) => (c.value.company_name ?? '').trim().toLowerCase() === wanted));
			cursor = page.next;
		} while (cursor);
		return out;
	}

	/** null when Keap has no company with this id. */
	async get(id: string, itemIndex?: number): Promise<WithRaw<Company> | null> {
		const res = await this.rest.json('GET', `${V2}/companies/${encodeURIComponent(id)}`, {
			qs: { fields: COMPANY_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	async create(input: CompanyInput, itemIndex?: number): Promise<WithRaw<Company>> {
		const res = await this.rest.json('POST', `${V2}/companies`, { body: companyToV2(input), itemIndex });
		return withRaw(res.body);
	}

	/** A create that answers null where Keap reports a conflict (a company with that name exists). */
	async createUnlessConflict(input: CompanyInput, itemIndex?: number): Promise<WithRaw<Company> | null> {
		const res = await this.rest.json('POST', `${V2}/companies`, { body: companyToV2(input), acceptStatus: [409], itemIndex });
		return res.status === 409 ? null : withRaw(res.body);
	}

	/**
	 * A PATCH of what the input names (update_mask). Keap replaces the phone, fax, address and
	 * custom field list it is sent, so when the input touches one of them the current company is
	 * read first and the input laid over it: setting the city keeps the street.
	 */
	async update(id: string, input: CompanyInput, itemIndex?: number): Promise<WithRaw<Company> | null> {
		let merged = input;
		if (input.phone || input.fax || input.address || input.custom_fields) {
			const current = await this.get(id, itemIndex);
			if (!current) return null;
			merged = mergeCompanyParts(current.value, input);
		}
		const body = companyToV2(merged);
		const res = await this.rest.json('PATCH', `${V2}/companies/${encodeURIComponent(id)}`, {
			qs: { update_mask: Object.keys(body) },
			body,
			idempotent: true,
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when there was no such company. */
	async delete(id: string, itemIndex?: number): Promise<boolean> {
		const res = await this.rest.json('DELETE', `${V2}/companies/${encodeURIComponent(id)}`, { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	/** The ids of the tags on a company; null when Keap has no such company. */
	async tagIds(companyId: string, itemIndex?: number): Promise<string[] | null> {
		const out: string[] = [];
		let cursor: string | undefined;
		do {
			const res = await this.rest.json('GET', `${V2}/companies/${encodeURIComponent(companyId)}/tags`, {
				qs: { page_size: V2_MAX_PAGE_SIZE, ...(cursor ? { page_token: cursor } : {}) },
				acceptStatus: [404],
				itemIndex,
			});
			if (res.status === 404) return null;
			for (const t of (res.body.tags as IDataObject[] | undefined) ?? []) {
				const tag = t.tag as IDataObject | undefined;
				if (tag?.id !== undefined) out.push(String(tag.id));
			}
			cursor = nextPageToken(res.body);
		} while (cursor);
		return out;
	}

	/**
	 * Applies tags to a company, one call per tag it does not have yet (Keap has no batch call
	 * for companies, and may answer 409 for a tag already applied): `current` are its tag ids.
	 */
	async applyTags(companyId: string, tagIds: string[], current: string[], itemIndex?: number): Promise<Record<string, CompanyTagResult>> {
		const out: Record<string, CompanyTagResult> = {};
		for (const tagId of tagIds) {
			if (current.includes(tagId)) {
				out[tagId] = 'DUPLICATE';
				continue;
			}
			await this.rest.json('POST', `${V2}/companies/${encodeURIComponent(companyId)}/tags/${encodeURIComponent(tagId)}`, { itemIndex });
			out[tagId] = 'SUCCESS';
		}
		return out;
	}

	/** Removes tags from a company, one call per tag it has (Keap may answer 404 for one it lacks). */
	async removeTags(companyId: string, tagIds: string[], current: string[], itemIndex?: number): Promise<Record<string, CompanyTagResult>> {
		const out: Record<string, CompanyTagResult> = {};
		for (const tagId of tagIds) {
			if (!current.includes(tagId)) {
				out[tagId] = 'NOT_APPLIED';
				continue;
			}
			await this.rest.json('DELETE', `${V2}/companies/${encodeURIComponent(companyId)}/tags/${encodeURIComponent(tagId)}`, { itemIndex });
			out[tagId] = 'SUCCESS';
		}
		return out;
	}

	/** The company model's custom fields. */
	async customFields(): Promise<CustomFieldDefinition[]> {
		return await new RestObjectModels(this.rest).fields('company');
	}
}
