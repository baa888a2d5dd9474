// REST v2 (/crm/rest/v2): contacts, tags, categories, lead sources, identity. The other objects
// (contact model, users, companies, notes, tasks, opportunities, email status) are in objects/.
import { fromV2Body, toV2, V2_FIELDS, V2_OPTIONAL } from './contact-map.mjs';
import {
	RequestError, compileRoutes, intParam, intQuery, listQuery, applyChanges, checkOrThrow, applyOptIns, compareBy,
	parseTime,
} from './rest-common.mjs';
import { refuseKeyOnUserinfo, checkTagBatch, upsertPause } from './rest-common.mjs';
import { iso, literalMatch, wildcardMatch } from './util.mjs';

// ---- paging --------------------------------------------------------------------------------------
function encodeToken(offset, fingerprint) {
	return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function page(ctx, items, key, max = 1000) {
	let size = intQuery(ctx.query, 'page_size', 0);
	if (size <= 0) size = ctx.emu.config.v2DefaultPageSize;
	size = Math.min(size, max);
	const fingerprint = `${ctx.route}|${ctx.query.get('filter') ?? ''}|${ctx.query.get('order_by') ?? ''}|${ctx.params.contact_id ?? ctx.params.tag_id ?? ''}`;
	let offset = 0;
	const token = ctx.query.get('page_token');
	if (token) {
		try {
			const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
			if (t.f !== fingerprint || !Number.isInteger(t.o) || t.o < 0) throw new Error();
			offset = t.o;
		} catch {
			throw new RequestError('Invalid page_token', 400);
		}
	}
	const more = offset + size < items.length;
	return { [key]: items.slice(offset, offset + size), next_page_token: more ? encodeToken(offset + size, fingerprint) : '' };
}

// ---- filters -------------------------------------------------------------------------------------
/**
 * Parses `field==value;...`. `allowed(field)` returns { ops, test, wildcard? }: fields with
 * `wildcard: true` are the ones Keap's v2 document says support a trailing `*`; elsewhere a `*`
 * is literal or, under undocumentedWildcard 'reject', a 400. A field named twice (`id>=1;id<=9`)
 * is a 400 unless repeatedFilterField is 'accept': Keap's documents show no such filter.
 */
export function parseFilter(text, allowed, config = {}) {
	const clauses = [];
	for (const raw of (text ?? '').split(';')) {
		const s = raw.trim();
		if (!s) continue;
		const m = /^([A-Za-z0-9_]+)\s*(==|!=|>=|<=|>|<)\s*(.*)$/.exec(s);
		if (!m) throw new RequestError(`Invalid filter: ${s}`, 400);
		const [, field, op, value] = m;
		const spec = allowed(field);
		if (!spec) throw new RequestError(`Invalid filter field: ${field}`, 400);
		if (!spec.ops.includes(op)) throw new RequestError(`Operator ${op} is not supported for filter field ${field}`, 400);
		if (!spec.wildcard && value.endsWith('*') && config.undocumentedWildcard === 'reject') {
			throw new RequestError(`Invalid filter: wildcards are not supported for filter field ${field}`, 400);
		}
		if (clauses.some((c) => c.field === field) && (config.repeatedFilterField ?? 'reject') === 'reject') {
			throw new RequestError(`Invalid filter: field ${field} appears more than once`, 400);
		}
		clauses.push({ field, op, value, spec });
	}
	return clauses;
}

export function cmp(op, a, b) {
	if (a === null || a === undefined) return false;
	switch (op) {
		case '==': return a === b;
		case '!=': return a !== b;
		case '>': return a > b;
		case '<': return a < b;
		case '>=': return a >= b;
		case '<=': return a <= b;
	}
	return false;
}

export const EQ = ['=='];
export const ORD = ['==', '>', '<', '>=', '<='];

function addressOf(c, field) {
	return c.addresses.find((a) => a.field === field) ?? {};
}

/** A text field: trailing `*` is a prefix match where Keap documents it (`wildcard`), else literal. */
function textField(get, wildcard) {
	return { ops: EQ, wildcard, test: (x, v) => (wildcard ? wildcardMatch(get(x), v) : literalMatch(get(x), v)) };
}

function contactFilterSpec(store, field, config) {
	const text = (get) => textField(get, true);
	const exact = (get) => textField(get, false);
	const addr = {
		line1: 'line1', locality: 'locality', region: 'region', postal_code: 'postal_code', country_code: 'country_code',
	};
	const m = /^(billing|shipping|other)_address_(line1|locality|region|postal_code|country_code)$/.exec(field);
	if (m) {
		const which = m[1].toUpperCase();
		return exact((c) => {
			const a = addressOf(c, which);
			return m[2] === 'postal_code' ? (a.postal_code ?? a.zip_code) : a[addr[m[2]]];
		});
	}
	switch (field) {
		case 'email': {
			const primaryOnly = config?.v2EmailFilter === 'primary-only';
			return {
				ops: EQ, wildcard: true,
				test: (c, v) => c.email_addresses.some((e) => (!primaryOnly || e.field === 'EMAIL1') && wildcardMatch(e.email, v)),
			};
		}
		case 'given_name': return text((c) => c.given_name);
		case 'family_name': return text((c) => c.family_name);
		case 'middle_name': return text((c) => c.middle_name);
		case 'website': return text((c) => c.website);
		case 'city': return text((c) => (c.addresses[0] ?? {}).locality);
		case 'state': return text((c) => (c.addresses[0] ?? {}).region);
		case 'company_id': return { ops: EQ, test: (c, v) => String(c.company_id ?? '') === v };
		case 'lead_source_name':
			return text((c) => store.leadSources.find((l) => l.id === c.lead_source_id)?.name);
		case 'ids':
		case 'contact_ids':
			return { ops: EQ, test: (c, v) => v.split(',').map((s) => s.trim()).includes(String(c.id)) };
		case 'contact_id':
			return { ops: ORD, test: (c, v, op) => cmp(op, c.id, Number(v)) };
		case 'start_update_time':
			return { ops: EQ, test: (c, v) => c.last_updated >= parseTime(v, field) };
		case 'end_update_time':
			return { ops: EQ, test: (c, v) => c.last_updated <= parseTime(v, field) };
	}
	const cf = store.customFields.find((f) => f.field_name.toLowerCase() === field.toLowerCase());
	if (cf) {
		const numeric = ['WholeNumber', 'DecimalNumber', 'Currency', 'Percent'].includes(cf.field_type);
		if (numeric) return { ops: ORD, test: (c, v, op) => cmp(op, c.custom[cf.id], Number(v)) };
		if (cf.field_type === 'Date') return { ops: ORD, test: (c, v, op) => c.custom[cf.id] != null && cmp(op, Date.parse(c.custom[cf.id] + 'T00:00:00Z'), parseTime(v, field)) };
		if (cf.field_type === 'YesNo') return { ops: EQ, test: (c, v) => c.custom[cf.id] === ['true', 'yes', '1'].includes(v.toLowerCase()) };
		// Text-like and single-choice fields take a trailing wildcard; drilldown does not.
		return textField((c) => c.custom[cf.id], cf.field_type !== 'Drilldown');
	}
	return null;
}

export function applyFilter(items, clauses) {
	return items.filter((x) => clauses.every((cl) => cl.spec.test(x, cl.value, cl.op)));
}

export function orderBy(ctx, allowed) {
	const raw = (ctx.query.get('order_by') ?? '').trim();
	if (!raw) return null;
	const [field, dir = 'asc', ...rest] = raw.split(/\s+/);
	if (rest.length || !allowed[field] || !['asc', 'desc'].includes(dir.toLowerCase())) {
		throw new RequestError(`Invalid order_by: ${raw}`, 400);
	}
	return compareBy(allowed[field], dir.toLowerCase() === 'desc');
}

// ---- helpers -------------------------------------------------------------------------------------
function fieldsOf(ctx) {
	const fields = listQuery(ctx.query, 'fields');
	for (const f of fields) if (!V2_FIELDS.includes(f)) throw new RequestError(`Invalid field in fields: ${f}`, 400);
	return fields;
}

function contactOr404(ctx) {
	const id = intParam(ctx.params.contact_id, 'contact_id');
	const c = ctx.store.getContact(id);
	if (!c) throw new RequestError(`Contact ${id} not found`, 404);
	return c;
}

function tagOr404(ctx) {
	const id = intParam(ctx.params.tag_id, 'tag_id');
	const t = ctx.store.tags.get(id);
	if (!t) throw new RequestError(`Tag ${id} not found`, 404);
	return t;
}

function categoryOr404(ctx) {
	const id = intParam(ctx.params.tag_category_id, 'tag_category_id');
	const cat = ctx.store.categories.get(id);
	if (!cat) throw new RequestError(`Tag category ${id} not found`, 404);
	return cat;
}

export function tagOut(t) {
	const out = { id: String(t.id), name: t.name };
	if (t.description != null) out.description = t.description;
	if (t.category_id != null) out.category = { id: String(t.category_id) };
	out.create_time = iso(t.create_time);
	out.update_time = iso(t.update_time);
	return out;
}

function categoryOut(c) {
	return { id: String(c.id), name: c.name, ...(c.description != null ? { description: c.description } : {}), create_time: iso(c.create_time), update_time: iso(c.update_time) };
}

function leadSourceOut(l) {
	return {
		id: String(l.id), name: l.name, description: l.description, medium: l.medium, vendor: l.vendor, status: 'ACTIVE',
		create_time: '2020-01-01T00:00:00.000Z', update_time: '2020-01-01T00:00:00.000Z',
	};
}

const READ_ONLY_MASK = new Set(['id', 'create_time', 'update_time', 'tag_ids', 'groups', 'links', 'score_value', 'created_by', 'last_updated_by', 'account_id', 'notes', 'utm_parameters']);

/** update_mask name -> canonical key(s) produced by fromV2Body. */
const MASK_KEYS = { leadsource_id: 'lead_source_id', anniversary_date: 'anniversary', birth_date: 'birthday', company: 'company_id', custom_fields: 'custom' };

function patchContact(ctx, current, body, mask) {
	const store = ctx.store;
	const changes = fromV2Body(body);
	let set = changes.set;
	if (mask && mask.length) {
		for (const m of mask) if (READ_ONLY_MASK.has(m)) throw new RequestError(`Field ${m} cannot be updated`, 400);
		const keys = new Set(mask.map((m) => MASK_KEYS[m] ?? m));
		set = Object.fromEntries(Object.entries(set).filter(([k]) => keys.has(k) || (k === 'company_name' && keys.has('company_id'))));
		// A masked field missing from the body is cleared.
		for (const m of mask) {
			const k = MASK_KEYS[m] ?? m;
			if (k in set) continue;
			if (['email_addresses', 'phone_numbers', 'fax_numbers', 'addresses', 'social_accounts'].includes(k)) set[k] = [];
			else if (k === 'custom') set.custom = {};
			else set[k] = null;
		}
	}
	const next = applyChanges(store, current, set, { collections: 'replace', custom: 'replace' });
	next.last_updated_by = ctx.cred.userId;
	checkOrThrow(store, next);
	const saved = store.saveContact(next);
	applyOptIns(store, saved, changes);
	return saved;
}

function hasReachableV2(c) {
	return c.email_addresses.some((e) => e.email) || c.phone_numbers.some((p) => p.number) || c.addresses.length > 0;
}

// ---- routes --------------------------------------------------------------------------------------
export const v2Routes = compileRoutes([
	{
		method: 'GET', path: '/contacts',
		handler: (ctx) => {
			const store = ctx.store;
			const clauses = parseFilter(ctx.query.get('filter'), (f) => contactFilterSpec(store, f, ctx.emu.config), ctx.emu.config);
			const fields = fieldsOf(ctx);
			let items = applyFilter([...store.contacts.values()], clauses);
			const sort = orderBy(ctx, {
				id: (c) => c.id, create_time: (c) => c.date_created, update_time: (c) => c.last_updated, email: (c) => store.primaryEmail(c),
			}) ?? compareBy((c) => c.id, false);
			items.sort(sort);
			items = items.map((c) => toV2(store, c, fields));
			return { status: 200, body: page(ctx, items, 'contacts') };
		},
	},
	{
		method: 'POST', path: '/contacts',
		handler: async (ctx) => {
			const store = ctx.store;
			const fields = fieldsOf(ctx);
			const body = ctx.body ?? {};
			const option = ctx.query.get('duplicate_option');
			if (option) {
				const candidate = applyChanges(store, store.emptyContact(), fromV2Body(body).set);
				const found = store.findDuplicate(candidate, option);
				await upsertPause(ctx);
				const match = found && store.getContact(found.id);
				if (match) return { status: 200, body: toV2(store, patchContact(ctx, match, body, null), fields) };
			}
			const changes = fromV2Body(body);
			const next = applyChanges(store, store.emptyContact(), changes.set);
			if (!hasReachableV2(next)) {
				throw new RequestError('Contact must contain at least one item in email_addresses, phone_numbers, or addresses', 400);
			}
			if (next.source_type == null) next.source_type = 'API';
			next.created_by = next.last_updated_by = ctx.cred.userId;
			checkOrThrow(store, next);
			const c = store.createContact(next);
			applyOptIns(store, c, changes);
			return { status: 201, body: toV2(store, c, fields) };
		},
	},
	{ method: 'GET', path: '/contacts/{contact_id}', handler: (ctx) => ({ status: 200, body: toV2(ctx.store, contactOr404(ctx), fieldsOf(ctx)) }) },
	{
		method: 'PATCH', path: '/contacts/{contact_id}',
		handler: (ctx) => {
			const fields = fieldsOf(ctx);
			const saved = patchContact(ctx, contactOr404(ctx), ctx.body ?? {}, listQuery(ctx.query, 'update_mask'));
			return { status: 200, body: toV2(ctx.store, saved, fields) };
		},
	},
	{
		method: 'DELETE', path: '/contacts/{contact_id}',
		handler: (ctx) => {
			ctx.store.deleteContact(contactOr404(ctx).id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/contacts/{contact_id}/tags',
		handler: (ctx) => {
			const store = ctx.store;
			const c = contactOr404(ctx);
			const applied = store.applied.get(c.id) ?? new Map();
			let items = [...applied].map(([tagId, at]) => ({ t: store.tags.get(tagId), at }));
			const clauses = parseFilter(ctx.query.get('filter'), (f) => tagFilterSpec(f, (x) => x.t, (x) => x.at), ctx.emu.config);
			items = applyFilter(items, clauses);
			const sort = orderBy(ctx, {
				name: (x) => x.t.name, create_time: (x) => x.t.create_time, update_time: (x) => x.t.update_time,
				applied_time: (x) => x.at, category_id: (x) => x.t.category_id,
			}) ?? compareBy((x) => x.t.id, false);
			items.sort((a, b) => sort({ ...a, id: a.t.id }, { ...b, id: b.t.id }));
			return { status: 200, body: page(ctx, items.map((x) => ({ tag: tagOut(x.t), applied_time: iso(x.at) })), 'tags') };
		},
	},
	// tags & categories
	{
		method: 'GET', path: '/tags',
		handler: (ctx) => {
			const clauses = parseFilter(ctx.query.get('filter'), (f) => tagFilterSpec(f, (t) => t, null), ctx.emu.config);
			let items = applyFilter([...ctx.store.tags.values()], clauses);
			const sort = orderBy(ctx, { name: (t) => t.name, create_time: (t) => t.create_time, update_time: (t) => t.update_time }) ?? compareBy((t) => t.id, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map(tagOut), 'tags') };
		},
	},
	{
		method: 'POST', path: '/tags',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			if (!b.name) throw new RequestError('name is required', 400);
			const categoryId = b.category?.id != null ? intParam(b.category.id, 'category.id') : null;
			if (categoryId !== null && !ctx.store.categories.has(categoryId)) throw new RequestError(`Tag category ${categoryId} not found`, 400);
			return { status: 201, body: tagOut(ctx.store.createTag({ name: b.name, description: b.description ?? null, category_id: categoryId })) };
		},
	},
	{
		method: 'GET', path: '/tags/categories',
		handler: (ctx) => {
			const clauses = parseFilter(ctx.query.get('filter'), (f) => (f === 'name' ? textField((c) => c.name, false) : null), ctx.emu.config);
			const items = applyFilter([...ctx.store.categories.values()], clauses).sort((a, b) => a.id - b.id);
			return { status: 200, body: page(ctx, items.map(categoryOut), 'tag_categories') };
		},
	},
	{
		method: 'POST', path: '/tags/categories',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			if (!b.name) throw new RequestError('name is required', 400);
			return { status: 201, body: categoryOut(ctx.store.createCategory({ name: b.name, description: b.description ?? null })) };
		},
	},
	{ method: 'GET', path: '/tags/categories/{tag_category_id}', handler: (ctx) => ({ status: 200, body: categoryOut(categoryOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/tags/categories/{tag_category_id}',
		handler: (ctx) => {
			const cat = categoryOr404(ctx);
			const mask = listQuery(ctx.query, 'update_mask');
			const b = ctx.body ?? {};
			for (const k of ['name', 'description']) if ((mask.length ? mask.includes(k) : k in b)) cat[k] = b[k] ?? null;
			cat.update_time = ctx.store.stamp();
			return { status: 200, body: categoryOut(cat) };
		},
	},
	{
		method: 'DELETE', path: '/tags/categories/{tag_category_id}',
		handler: (ctx) => {
			const cat = categoryOr404(ctx);
			ctx.store.categories.delete(cat.id);
			for (const t of ctx.store.tags.values()) if (t.category_id === cat.id) t.category_id = null;
			return { status: 204 };
		},
	},
	{ method: 'GET', path: '/tags/{tag_id}', handler: (ctx) => ({ status: 200, body: tagOut(tagOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/tags/{tag_id}',
		handler: (ctx) => {
			const t = { ...tagOr404(ctx) };
			const mask = listQuery(ctx.query, 'update_mask');
			const b = ctx.body ?? {};
			const touched = (k) => (mask.length ? mask.includes(k) : k in b);
			if (touched('name')) {
				if (!b.name) throw new RequestError('name cannot be empty', 400);
				t.name = b.name;
			}
			if (touched('description')) t.description = b.description ?? null;
			if (touched('category')) {
				const id = b.category?.id != null ? intParam(b.category.id, 'category.id') : null;
				if (id !== null && !ctx.store.categories.has(id)) throw new RequestError(`Tag category ${id} not found`, 400);
				t.category_id = id;
			}
			return { status: 200, body: tagOut(ctx.store.saveTag(t)) };
		},
	},
	{
		method: 'DELETE', path: '/tags/{tag_id}',
		handler: (ctx) => {
			ctx.store.deleteTag(tagOr404(ctx).id);
			return { status: 204 };
		},
	},
	{
		method: 'POST', path: '/tags/{tag_id}/contacts:applyTags',
		handler: (ctx) => {
			const t = tagOr404(ctx);
			const ids = ctx.body?.contact_ids;
			if (!Array.isArray(ids) || ids.length === 0) throw new RequestError('contact_ids is required', 400);
			if (new Set(ids).size !== ids.length) throw new RequestError('contact_ids must be unique', 400);
			checkTagBatch(ctx, ids);
			const results = {};
			for (const id of ids) {
				const status = /^\d+$/.test(String(id)) ? ctx.store.applyTag(Number(id), t.id) : 'CONTACT_NOT_FOUND';
				const mode = ctx.emu.config.applyTagsResults;
				if (mode === 'none' || (mode === 'omit-not-found' && status === 'CONTACT_NOT_FOUND')) continue;
				results[String(id)] = status;
			}
			return { status: 200, body: { results } };
		},
	},
	{
		method: 'POST', path: '/tags/{tag_id}/contacts:removeTags',
		handler: (ctx) => {
			const t = tagOr404(ctx);
			const ids = ctx.body?.contact_ids;
			if (!Array.isArray(ids) || ids.length === 0) throw new RequestError('contact_ids is required', 400);
			checkTagBatch(ctx, ids);
			for (const id of ids) if (/^\d+$/.test(String(id))) ctx.store.removeTag(Number(id), t.id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/tags/{tag_id}/contacts',
		handler: (ctx) => {
			const store = ctx.store;
			const t = tagOr404(ctx);
			let items = [];
			for (const [contactId, m] of store.applied) if (m.has(t.id)) items.push({ c: store.getContact(contactId), at: m.get(t.id) });
			const clauses = parseFilter(ctx.query.get('filter'), (f) => {
				const text = (get) => ({ ops: EQ, test: (x, v) => (v === 'NONE' ? get(x) == null : literalMatch(get(x), v)) });
				if (f === 'given_name') return text((x) => x.c.given_name);
				if (f === 'family_name') return text((x) => x.c.family_name);
				if (f === 'email') return text((x) => store.primaryEmail(x.c));
				if (f === 'since_applied_time') return { ops: EQ, test: (x, v) => x.at >= parseTime(v, f) };
				if (f === 'until_applied_time') return { ops: EQ, test: (x, v) => x.at <= parseTime(v, f) };
				return null;
			}, ctx.emu.config);
			items = applyFilter(items, clauses);
			const sort = orderBy(ctx, {
				given_name: (x) => x.c.given_name, family_name: (x) => x.c.family_name, email: (x) => store.primaryEmail(x.c), applied_time: (x) => x.at,
			}) ?? compareBy((x) => x.c.id, false);
			items.sort((a, b) => sort({ ...a, id: a.c.id }, { ...b, id: b.c.id }));
			const out = items.map((x) => Object.fromEntries(Object.entries({
				id: String(x.c.id), email: store.primaryEmail(x.c), given_name: x.c.given_name, family_name: x.c.family_name, applied_time: iso(x.at),
			}).filter(([, v]) => v != null)));
			return { status: 200, body: page(ctx, out, 'contacts') };
		},
	},
	// lead sources, identity, settings (users: objects/users.mjs)
	{
		method: 'GET', path: '/leadSources',
		handler: (ctx) => {
			// `id`: "Must be a positive integer. Allowable operators: ==, <=, <, >=, >, !=. Values that are
			// zero, negative, or non-integer return a 400" (document).
			const idSpec = {
				ops: ['==', '!=', '>', '<', '>=', '<='],
				test: (l, v, op) => cmp(op, l.id, Number(v)),
			};
			const clauses = parseFilter(ctx.query.get('filter'), (f) => (f === 'name' ? textField((l) => l.name, true) : f === 'id' ? idSpec : null), ctx.emu.config);
			for (const c of clauses) {
				if (c.field === 'id' && !/^[1-9]\d*$/.test(c.value)) throw new RequestError(`Invalid filter value for id: ${c.value} is not a positive integer`, 400);
			}
			return { status: 200, body: page(ctx, applyFilter(ctx.store.leadSources, clauses).map(leadSourceOut), 'lead_sources') };
		},
	},
	{
		method: 'GET', path: '/leadSources/{lead_source_id}',
		handler: (ctx) => {
			const l = ctx.store.leadSources.find((x) => String(x.id) === ctx.params.lead_source_id);
			if (!l) throw new RequestError(`Lead source ${ctx.params.lead_source_id} not found`, 404);
			return { status: 200, body: leadSourceOut(l) };
		},
	},
	{
		method: 'GET', path: '/oauth/connect/userinfo',
		handler: (ctx) => {
			const refused = refuseKeyOnUserinfo(ctx);
			if (refused) return refused;
			const u = ctx.store.users.find((x) => x.id === ctx.cred.userId) ?? ctx.store.users[0];
			return {
				status: 200,
				body: {
					sub: String(u.global_user_id), id: String(u.id), keap_id: u.email, email: u.email, given_name: u.given_name,
					family_name: u.family_name, is_admin: u.admin, tenant_id: ctx.emu.config.appHost.split('.')[0],
				},
			};
		},
	},
	{
		method: 'GET', path: '/settings/contactOptionTypes',
		handler: (ctx) => ({ status: 200, body: { option_types: [...ctx.store.contactTypes] } }),
	},
]);

export function tagFilterSpec(field, getTag, getApplied) {
	// Keap documents no wildcard for tag filters: `*` is literal (or a 400, see undocumentedWildcard).
	const text = (get) => ({ ops: EQ, test: (x, v) => (v === 'NONE' ? get(x) == null : literalMatch(get(x), v)) });
	const time = (get, cmpFn) => ({ ops: EQ, test: (x, v) => cmpFn(get(x), parseTime(v, field)) });
	const ge = (a, b) => a >= b;
	const le = (a, b) => a <= b;
	switch (field) {
		case 'name': return text((x) => getTag(x).name);
		case 'description': return text((x) => getTag(x).description);
		case 'category_id': return { ops: EQ, test: (x, v) => (v === 'NONE' ? getTag(x).category_id == null : String(getTag(x).category_id) === v) };
		case 'tag_ids': return { ops: EQ, test: (x, v) => v.split(',').map((s) => s.trim()).includes(String(getTag(x).id)) };
		case 'since_create_time': return time((x) => getTag(x).create_time, ge);
		case 'until_create_time': return time((x) => getTag(x).create_time, le);
		case 'since_update_time': return time((x) => getTag(x).update_time, ge);
		case 'until_update_time': return time((x) => getTag(x).update_time, le);
		case 'since_applied_time': return getApplied ? time(getApplied, ge) : null;
		case 'until_applied_time': return getApplied ? time(getApplied, le) : null;
	}
	return null;
}
