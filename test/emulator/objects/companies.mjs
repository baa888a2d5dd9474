// Companies (v2): create, get, list (filters company_name, name, email, city, state, since_time,
// until_time, company_id, custom fields by name; order_by id|create_time|name|email), PATCH with
// update_mask, delete; tags on a company (list, apply, remove) and a tag's companies; the company
// model and its custom fields. Contacts point at a company by `company_id`.
//
// Canonical company: { id, company_name, email_address {email, field} | null,
//   phone_number {number, extension, type, field} | null, fax_number {number, type, field} | null,
//   address {field, line1, line2, locality, region, region_code, country_code, postal_code,
//   zip_code, zip_four} | null, <SCALARS>, owner_id, custom: {<fieldId>: value}, created_by,
//   last_updated_by, create_time (ms), update_time (ms) }
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, prefixText, exactText, idCompare, timeBound,
	customFieldFilter, customValuesIn, customValuesOut, bodyId, checkUser, byId, fieldsIn, touchedBy, project, clean,
	iso, idStr, dateIn, seedContact, seedRecord, emit, EQ, wildcardMatch, literalMatch, parseTime,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { tagOut, tagFilterSpec } from '../rest-v2.mjs';
import { countryName, regionName, regionCode } from '../geo.mjs';
import { EMAIL_STATUS_V2, MARKETABLE_STATUSES } from '../contact-map.mjs';
import { clone } from '../util.mjs';

export const config = {
	/** 'reject': creating or renaming a company to a name another company has (trimmed, case-insensitive) is a 409; 'allow' keeps both. */
	companyDuplicateNames: 'reject',
	/** A company needs a non-empty company_name (create; PATCH cannot clear it). */
	companyNameRequired: true,
	/** The `company_name==` filter ("exact match") is case-sensitive; false: case-insensitive. */
	companyNameFilterCaseSensitive: true,
	/** false: applying a tag a company has is a 409 and removing one it lacks a 404; true: both answer 204. */
	companyTagIdempotent: false,
	/** A contact's company.id must name an existing company (off by default: see README). */
	contactCompanyMustExist: false,
};

const event = (s, key, id) => emit(s, key, 'company', id, `/crm/rest/v1/companies/${id}`);

const SCALARS = [
	'notes', 'website', 'suffix', 'title', 'company_name', 'assistant_name', 'assistant_phone', 'billing_information',
	'contact_type', 'first_name', 'job_title', 'last_name', 'middle_name', 'preferred_name', 'referral_code', 'spouse_name',
];
const DATES = ['anniversary_date', 'birth_date'];
const COLLECTION_OBJECTS = ['address', 'email_address', 'phone_number', 'fax_number'];
/** Every Company property (the names `fields` accepts). */
const COMPANY_FIELDS = [
	'id', 'address', 'notes', 'website', 'suffix', 'title', 'groups', 'company_name', 'custom_fields', 'email_address',
	'fax_number', 'phone_number', 'update_time', 'create_time', 'anniversary_date', 'assistant_name', 'assistant_phone',
	'billing_information', 'birth_date', 'contact_type', 'first_name', 'job_title', 'last_name', 'middle_name',
	'preferred_name', 'owner_id', 'referral_code', 'spouse_name', 'account_id', 'created_by', 'last_updated_by',
];
/**
 * Left out unless `fields` names them: the list's `fields` description ("notes, fax_number, address,
 * email_address, phone_number, update_time, create_time and custom_fields aren't included, by
 * default") plus `website`, which the get's description lists among the fields to ask for.
 */
export const COMPANY_OPTIONAL = ['notes', 'fax_number', 'address', 'email_address', 'phone_number', 'update_time', 'create_time', 'custom_fields', 'website'];
const READ_ONLY = ['id', 'create_time', 'update_time', 'account_id', 'created_by', 'groups', 'last_updated_by'];

export const store = {
	reset(s) {
		s.companies = new Map();
		/** companyId -> Map(tagId -> applied ms) */
		s.companyTags = new Map();
		s.nextId.company = 5001;
	},
	snapshot(s) {
		return {
			companies: [...s.companies.values()].map((c) => ({ ...clone(c), tag_ids: tagIdsOf(s, c.id), create_time: iso(c.create_time), update_time: iso(c.update_time) })),
		};
	},
	onTagDeleted(s, tagId) {
		for (const m of s.companyTags.values()) m.delete(tagId);
	},
	checkContact(s, c, config) {
		if (config?.contactCompanyMustExist && c.company_id != null && !s.companies.has(c.company_id)) return `company ${c.company_id} does not exist`;
		return null;
	},
};

function tagIdsOf(s, companyId) {
	return [...(s.companyTags.get(companyId)?.keys() ?? [])].sort((a, b) => a - b);
}

// ---- mapping ---------------------------------------------------------------------------------
function fieldOf(item, coll) {
	if (item.field === undefined) return null;
	if (item.field.endsWith('_UNSPECIFIED')) throw new RequestError(`${coll}.field cannot be ${item.field}`, 400);
	return item.field;
}

function addressIn(a) {
	if (a === null) return null;
	const out = {
		field: fieldOf(a, 'address'), line1: a.line1 ?? null, line2: a.line2 ?? null, locality: a.locality ?? null,
		region: a.region ?? null, region_code: a.region_code ?? null, country_code: a.country_code ?? null,
		postal_code: a.postal_code ?? null, zip_code: a.zip_code ?? null, zip_four: a.zip_four ?? null,
	};
	if (out.region_code && !out.region) out.region = regionName(out.region_code);
	if (out.region && !out.region_code) out.region_code = regionCode(out.region, out.country_code);
	if (out.region && !out.country_code) throw new RequestError('country_code is required if region is specified', 400);
	return out;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** v2 body -> { set, optInReason } with only the properties `touched` selects. */
function fromBody(ctx, body, touched) {
	const set = {};
	for (const k of SCALARS) if (touched(k)) set[k] = body[k] ?? null;
	for (const k of DATES) if (touched(k)) set[k] = dateIn(body[k], k) ?? null;
	if (touched('owner_id')) set.owner_id = checkUser(ctx, bodyId(body.owner_id, 'owner_id') ?? null, 'owner_id');
	let optInReason = null;
	if (touched('email_address')) {
		const e = body.email_address ?? null;
		if (e && e.email && !EMAIL_RE.test(e.email)) throw new RequestError(`Invalid email address: ${e.email}`, 400);
		set.email_address = e && e.email ? { email: e.email, field: fieldOf(e, 'email_address') } : null;
		if (e?.opt_in_reason && e.email) optInReason = e.opt_in_reason;
	}
	if (touched('phone_number')) {
		const p = body.phone_number ?? null;
		set.phone_number = p && p.number ? { number: p.number, extension: p.extension ?? null, type: p.type ?? null, field: fieldOf(p, 'phone_number') } : null;
	}
	if (touched('fax_number')) {
		const f = body.fax_number ?? null;
		set.fax_number = f && f.number ? { number: f.number, type: f.type ?? null, field: fieldOf(f, 'fax_number') } : null;
	}
	if (touched('address')) set.address = body.address ? addressIn(body.address) : null;
	if (touched('custom_fields')) set.custom = customValuesIn(fieldsOf(ctx.store, 'COMPANY'), body.custom_fields);
	return { set, optInReason };
}

function e164(number) {
	const digits = String(number ?? '').replace(/\D/g, '');
	if (digits.length === 10) return `+1${digits}`;
	if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
	return null;
}

export function companyOut(s, c, fields = []) {
	const st = c.email_address ? s.emailStatusOf(c.email_address.email) : null;
	const tagIds = tagIdsOf(s, c.id);
	const out = {
		id: String(c.id),
		...Object.fromEntries(SCALARS.map((k) => [k, c[k]])),
		anniversary_date: c.anniversary_date, birth_date: c.birth_date,
		owner_id: idStr(c.owner_id),
		address: c.address ? clean({ ...c.address, country: countryName(c.address.country_code) }) : null,
		email_address: c.email_address ? clean({
			email: c.email_address.email, field: c.email_address.field, opt_in_reason: st?.reason ?? null,
			is_opt_in: MARKETABLE_STATUSES.has(st?.status), email_opt_status: EMAIL_STATUS_V2[st?.status],
		}) : null,
		phone_number: c.phone_number ? clean({ ...c.phone_number, number_e164: e164(c.phone_number.number) }) : null,
		fax_number: c.fax_number ? clean({ ...c.fax_number }) : null,
		custom_fields: customValuesOut(fieldsOf(s, 'COMPANY'), c.custom),
		groups: tagIds.length ? tagIds.join(',') : null,
		account_id: idStr(c.account_id), created_by: idStr(c.created_by), last_updated_by: idStr(c.last_updated_by),
		create_time: iso(c.create_time), update_time: iso(c.update_time),
	};
	return project(out, fields, COMPANY_OPTIONAL);
}


// ---- writes ----------------------------------------------------------------------------------
function checkName(ctx, c) {
	const cfg = ctx.emu.config;
	const name = (c.company_name ?? '').trim();
	if (!name && cfg.companyNameRequired !== false) throw new RequestError('company_name is required', 400);
	if (name && cfg.companyDuplicateNames !== 'allow') {
		for (const other of ctx.store.companies.values()) {
			if (other.id !== c.id && (other.company_name ?? '').trim().toLowerCase() === name.toLowerCase()) {
				throw new RequestError(`A company named ${other.company_name} already exists (id ${other.id})`, 409);
			}
		}
	}
}

function emptyCompany() {
	const c = { id: 0 };
	for (const k of [...SCALARS, ...DATES, ...COLLECTION_OBJECTS]) c[k] = null;
	Object.assign(c, { owner_id: null, account_id: null, custom: {}, created_by: null, last_updated_by: null });
	return c;
}

/** Creates a company from a v2 body (also the seed path); returns the stored record. */
export function createCompany(ctx, body, { silent = false } = {}) {
	const s = ctx.store;
	const { set, optInReason } = fromBody(ctx, body, (k) => k in body);
	const c = Object.assign(emptyCompany(), set);
	checkName(ctx, c);
	c.id = s.nextId.company++;
	c.created_by = c.last_updated_by = ctx.cred?.userId ?? 1;
	c.create_time = c.update_time = s.stamp();
	s.companies.set(c.id, c);
	if (optInReason) s.optIn(c.email_address.email, optInReason);
	if (!silent) event(s, 'company.add', c.id);
	return c;
}

function companyFilter(ctx, field) {
	const s = ctx.store;
	switch (field) {
		case 'company_name': return exactText((c) => c.company_name, { caseSensitive: ctx.emu.config.companyNameFilterCaseSensitive !== false });
		case 'name': return prefixText((c) => c.company_name);
		case 'email': return exactText((c) => c.email_address?.email);
		case 'city': return prefixText((c) => c.address?.locality);
		case 'state': return prefixText((c) => c.address?.region);
		case 'since_time': return timeBound((c) => c.update_time, 'since');
		case 'until_time': return timeBound((c) => c.update_time, 'until');
		case 'company_id': return idCompare((c) => c.id);
	}
	return customFieldFilter(fieldsOf(s, 'COMPANY'), field, (c) => c.custom);
}

function tagOr404(ctx) {
	return byId(ctx.store.tags, ctx.params, 'tag_id', 'Tag');
}

// ---- routes ----------------------------------------------------------------------------------
export const v2Routes = [
	...modelRoutes({ base: '/companies', record: 'COMPANY', records: (s) => s.companies.values(), optional: COMPANY_OPTIONAL }),
	{
		method: 'GET', path: '/companies',
		handler: (ctx) => {
			const s = ctx.store;
			const fields = fieldsIn(ctx, COMPANY_FIELDS);
			const clauses = filterClauses(ctx, (f) => companyFilter(ctx, f));
			const items = applyFilter([...s.companies.values()], clauses);
			const sort = orderBy(ctx, {
				id: (c) => c.id, create_time: (c) => c.create_time, name: (c) => c.company_name, email: (c) => c.email_address?.email,
			}) ?? compareBy((c) => c.id, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map((c) => companyOut(s, c, fields)), 'companies') };
		},
	},
	{
		method: 'POST', path: '/companies',
		handler: (ctx) => ({ status: 201, body: companyOut(ctx.store, createCompany(ctx, ctx.body ?? {}), COMPANY_FIELDS) }),
	},
	{
		method: 'GET', path: '/companies/{company_id}',
		handler: (ctx) => ({ status: 200, body: companyOut(ctx.store, byId(ctx.store.companies, ctx.params, 'company_id', 'Company'), fieldsIn(ctx, COMPANY_FIELDS)) }),
	},
	{
		method: 'PATCH', path: '/companies/{company_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const cur = byId(s.companies, ctx.params, 'company_id', 'Company');
			const body = ctx.body ?? {};
			const { set, optInReason } = fromBody(ctx, body, touchedBy(ctx, body, READ_ONLY));
			const next = { ...clone(cur), ...set };
			checkName(ctx, next);
			next.last_updated_by = ctx.cred.userId;
			next.update_time = s.stamp();
			s.companies.set(next.id, next);
			if (optInReason) s.optIn(next.email_address.email, optInReason);
			event(s, 'company.edit', next.id);
			return { status: 200, body: companyOut(s, next, COMPANY_FIELDS) };
		},
	},
	{
		method: 'DELETE', path: '/companies/{company_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const c = byId(s.companies, ctx.params, 'company_id', 'Company');
			s.companies.delete(c.id);
			s.companyTags.delete(c.id);
			// Contacts of the company lose the link (not an edit event of theirs; unverified).
			for (const contact of s.contacts.values()) if (contact.company_id === c.id) contact.company_id = null;
			event(s, 'company.delete', c.id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/companies/{company_id}/tags',
		handler: (ctx) => {
			const s = ctx.store;
			const c = byId(s.companies, ctx.params, 'company_id', 'Company');
			let items = [...(s.companyTags.get(c.id) ?? new Map())].map(([tagId, at]) => ({ id: tagId, t: s.tags.get(tagId), at }));
			const clauses = filterClauses(ctx, (f) => (f === 'tag_ids' ? null : tagFilterSpec(f, (x) => x.t, (x) => x.at)));
			items = applyFilter(items, clauses);
			const sort = orderBy(ctx, {
				name: (x) => x.t.name, create_time: (x) => x.t.create_time, update_time: (x) => x.t.update_time,
				applied_time: (x) => x.at, category_id: (x) => x.t.category_id,
			}) ?? compareBy((x) => x.id, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map((x) => ({ tag: tagOut(x.t), applied_time: iso(x.at) })), 'tags') };
		},
	},
	{
		method: 'POST', path: '/companies/{company_id}/tags/{tag_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const c = byId(s.companies, ctx.params, 'company_id', 'Company');
			const t = tagOr404(ctx);
			let m = s.companyTags.get(c.id);
			if (!m) s.companyTags.set(c.id, (m = new Map()));
			if (m.has(t.id)) {
				if (!ctx.emu.config.companyTagIdempotent) throw new RequestError(`Tag ${t.id} is already applied to company ${c.id}`, 409);
			} else m.set(t.id, s.stamp());
			return { status: 204 };
		},
	},
	{
		method: 'DELETE', path: '/companies/{company_id}/tags/{tag_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const c = byId(s.companies, ctx.params, 'company_id', 'Company');
			const t = tagOr404(ctx);
			const removed = s.companyTags.get(c.id)?.delete(t.id) ?? false;
			if (!removed && !ctx.emu.config.companyTagIdempotent) throw new RequestError(`Tag ${t.id} is not applied to company ${c.id}`, 404);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/tags/{tag_id}/companies',
		handler: (ctx) => {
			const s = ctx.store;
			const t = tagOr404(ctx);
			let items = [];
			for (const [companyId, m] of s.companyTags) if (m.has(t.id)) items.push({ id: companyId, c: s.companies.get(companyId), at: m.get(t.id) });
			const clauses = filterClauses(ctx, (f) => {
				// Keap documents no wildcard here: `*` is literal (or a 400, see undocumentedWildcard).
				const text = (get) => ({ ops: EQ, test: (x, v) => (v === 'NONE' ? get(x) == null : literalMatch(get(x), v)) });
				if (f === 'company_name') return text((x) => x.c.company_name);
				if (f === 'email') return text((x) => x.c.email_address?.email);
				if (f === 'since_applied_time') return { ops: EQ, test: (x, v) => x.at >= parseTime(v, f) };
				if (f === 'until_applied_time') return { ops: EQ, test: (x, v) => x.at <= parseTime(v, f) };
				return null;
			});
			items = applyFilter(items, clauses);
			const sort = orderBy(ctx, { company_name: (x) => x.c.company_name, email: (x) => x.c.email_address?.email, applied_time: (x) => x.at }) ?? compareBy((x) => x.id, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map((x) => ({ company: companyOut(s, x.c), applied_time: iso(x.at) })), 'tagged_companies') };
		},
	},
];

// ---- seed ------------------------------------------------------------------------------------
/**
 * `companies: [{ <CreateCompanyRequest body>, tags: [name | id], contacts: [email | id] }]`:
 * creates each company through the create rules, applies the tags and links the contacts.
 */
export function seed(ctx, src) {
	const s = ctx.store;
	const ids = [];
	for (const raw of src.companies ?? []) {
		const { tags = [], contacts = [], ...body } = raw;
		const c = createCompany(ctx, body, { silent: true });
		const m = new Map(tags.map((tag) => [seedRecord(s.tags, tag, 'name', 'tag').id, s.stamp()]));
		if (m.size) s.companyTags.set(c.id, m);
		for (const ref of contacts) {
			const contact = seedContact(s, ref);
			contact.company_id = c.id;
			contact.company_name = c.company_name;
		}
		ids.push(c.id);
	}
	return { companies: ids };
}

/** Demo companies: the demo contacts' company names, each linked to its contacts. */
export function demo(base) {
	const rows = [
		['Acme Plumbing', 'office@acmeplumbing.example', '(480) 555-0110', ['12 Pipe Rd', 'Phoenix', 'US-AZ', '85001'], 'Services', 12, ['VIP']],
		['Bright Smile Dental', 'hello@brightsmile.example', '(480) 555-0120', ['4 Molar Ave', 'Chandler', 'US-AZ', '85224'], 'Health', 8, []],
		['Cedar Yoga Studio', 'namaste@cedaryoga.example', '(512) 555-0130', ['77 Lotus Ln', 'Austin', 'US-TX', '73301'], 'Health', 4, []],
		['Desert Bloom Florist', 'orders@desertbloom.example', '(303) 555-0140', ['9 Petal St', 'Denver', 'US-CO', '80202'], 'Retail', 6, []],
		['Evergreen Landscaping', 'crew@evergreen.example', '(503) 555-0150', ['300 Fern Way', 'Portland', 'US-OR', '97201'], 'Services', 25, ['VIP']],
		['Fox & Hound Bakery', 'bake@foxhound.example', '(208) 555-0160', ['5 Crumb Ct', 'Boise', 'US-ID', '83702'], 'Retail', 9, []],
	];
	return {
		companies: rows.map(([name, email, phone, [line1, locality, region_code, postal_code], industry, employees, tags]) => ({
			company_name: name,
			email_address: { email, field: 'EMAIL1' },
			phone_number: { number: phone, field: 'PHONE1', type: 'Work' },
			address: { field: 'BILLING', line1, locality, region_code, country_code: 'USA', postal_code },
			website: `https://${email.split('@')[1]}`,
			owner_id: '1',
			custom_fields: [{ id: '18', content: industry }, { id: '20', content: employees }],
			tags,
			contacts: (base.contacts ?? []).filter((c) => c.company_name === name).map((c) => c.email_addresses[0].email),
		})),
	};
}
