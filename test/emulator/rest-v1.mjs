// REST v1 (/crm/rest/v1): contacts, tags, hooks, users, userinfo, settings.
import { fromV1Body, toV1, V1_OPTIONAL } from './contact-map.mjs';
import {
	RequestError, compileRoutes, intParam, intQuery, listQuery, hasReachable, applyChanges, checkOrThrow,
	applyOptIns, compareBy, parseTime,
} from './rest-common.mjs';
import { refuseKeyOnUserinfo, checkTagBatch, upsertPause } from './rest-common.mjs';
import { EVENT_KEYS } from './hooks.mjs';
import { iso } from './util.mjs';

const BASE = '/crm/rest/v1';

function page(ctx, items, key, { defaultLimit = 1000 } = {}) {
	let limit = intQuery(ctx.query, 'limit', defaultLimit);
	if (limit <= 0) limit = defaultLimit;
	limit = Math.min(limit, 1000);
	const offset = Math.max(0, intQuery(ctx.query, 'offset', 0));
	const link = (off) => {
		const u = new URL(`${ctx.origin}${BASE}${ctx.route}/`);
		for (const [k, v] of ctx.query) if (k !== 'limit' && k !== 'offset' && k !== 'access_token') u.searchParams.append(k, v);
		u.searchParams.set('limit', String(limit));
		u.searchParams.set('offset', String(off));
		return u.toString();
	};
	const out = { [key]: items.slice(offset, offset + limit), count: items.length };
	const hasMore = offset + limit < items.length;
	if (hasMore || ctx.emu.config.v1NextAlways) out.next = link(offset + limit);
	out.previous = link(Math.max(0, offset - limit));
	return out;
}

function contactOr404(ctx, id) {
	const c = ctx.store.getContact(intParam(id, 'contact id'));
	if (!c) throw new RequestError(`Contact with ID ${id} not found`, 404);
	return c;
}

function tagOr404(ctx, id) {
	const t = ctx.store.tags.get(intParam(id, 'tag id'));
	if (!t) throw new RequestError(`Tag with ID ${id} not found`, 404);
	return t;
}

function tagOut(store, t) {
	const cat = t.category_id != null ? store.categories.get(t.category_id) : null;
	const out = { id: t.id, name: t.name };
	if (t.description != null) out.description = t.description;
	if (cat) out.category = { id: cat.id, name: cat.name, ...(cat.description != null ? { description: cat.description } : {}) };
	return out;
}

function hookOut(h) {
	return { key: h.key, eventKey: h.eventKey, hookUrl: h.hookUrl, status: h.status };
}

function checkHookBody(body) {
	if (!body || !EVENT_KEYS.includes(body.eventKey)) throw new RequestError(`Invalid eventKey: ${body?.eventKey}`, 400);
	try {
		const u = new URL(body.hookUrl);
		if (!/^https?:$/.test(u.protocol)) throw new Error();
	} catch {
		throw new RequestError(`Invalid hookUrl: ${body.hookUrl}`, 400);
	}
}

function optionalProps(ctx) {
	return listQuery(ctx.query, 'optional_properties');
}

function modelCustomFields(store) {
	return store.customFields.map((f) => ({
		id: f.id, label: f.label, field_name: f.field_name, field_type: f.field_type, record_type: f.record_type,
		...(f.default_value != null ? { default_value: f.default_value } : {}),
		options: f.options.map((o) => ({ id: o, label: o })),
	}));
}

function userOut(u) {
	return {
		id: u.id, given_name: u.given_name, family_name: u.family_name, email_address: u.email,
		global_user_id: u.global_user_id, infusionsoft_id: `${u.email}`, status: u.status, partner: false,
		date_created: '2020-01-01T00:00:00.000Z', last_updated: '2020-01-01T00:00:00.000Z',
	};
}

// ---- contacts ------------------------------------------------------------------------------------
function listContacts(ctx) {
	const q = ctx.query;
	let items = [...ctx.store.contacts.values()];
	const email = q.get('email');
	const given = q.get('given_name');
	const family = q.get('family_name');
	const eq = (a, b) => (a ?? '').toLowerCase() === b.toLowerCase();
	if (email) items = items.filter((c) => c.email_addresses.some((e) => eq(e.email, email)));
	if (given) items = items.filter((c) => eq(c.given_name, given));
	if (family) items = items.filter((c) => eq(c.family_name, family));
	if (q.get('since')) {
		const since = parseTime(q.get('since'), 'since');
		items = items.filter((c) => c.last_updated >= since);
	}
	if (q.get('until')) {
		const until = parseTime(q.get('until'), 'until');
		items = items.filter((c) => c.last_updated <= until);
	}
	const order = q.get('order') ?? 'id';
	const desc = q.get('order_direction') === 'DESCENDING';
	const keyFns = {
		id: (c) => c.id,
		date_created: (c) => c.date_created,
		last_updated: (c) => c.last_updated,
		name: (c) => `${c.family_name ?? ''} ${c.given_name ?? ''}`.trim() || null,
		firstName: (c) => c.given_name,
		email: (c) => ctx.store.primaryEmail(c),
	};
	if (!keyFns[order]) throw new RequestError(`Invalid order: ${order}`, 400);
	items.sort(compareBy(keyFns[order], desc));
	const optional = optionalProps(ctx);
	return { status: 200, body: page(ctx, items.map((c) => toV1(ctx.store, c, { mode: 'list', optional })), 'contacts') };
}

function createContact(ctx) {
	const store = ctx.store;
	const changes = fromV1Body(ctx.body ?? {});
	const next = applyChanges(store, store.emptyContact(), changes.set, { collections: 'replace', custom: 'replace' });
	if (!hasReachable(next)) throw new RequestError('A contact must have at least one email address or phone number', 400);
	if (next.source_type == null) next.source_type = 'API';
	next.created_by = next.last_updated_by = ctx.cred.userId;
	checkOrThrow(store, next);
	const c = store.createContact(next);
	applyOptIns(store, c, changes);
	return { status: 201, body: toV1(store, c) };
}

function patchContact(ctx, current, changes, mask) {
	const store = ctx.store;
	let set = changes.set;
	if (mask && mask.length) {
		const allowed = new Set(mask.map((m) => ({ company: 'company_id', custom_fields: 'custom' })[m] ?? m));
		set = Object.fromEntries(Object.entries(set).filter(([k]) => allowed.has(k)));
		if (!mask.includes('opt_in_reason')) changes = { ...changes, optInReason: null };
	}
	const mode = ctx.emu.config.v1PatchCollections === 'replace' ? 'replace' : 'merge';
	const next = applyChanges(store, current, set, { collections: mode, custom: 'merge' });
	next.last_updated_by = ctx.cred.userId;
	checkOrThrow(store, next);
	const saved = store.saveContact(next);
	applyOptIns(store, saved, changes);
	return saved;
}

function updateContact(ctx) {
	const current = contactOr404(ctx, ctx.params.contactId);
	const saved = patchContact(ctx, current, fromV1Body(ctx.body ?? {}), listQuery(ctx.query, 'update_mask'));
	return { status: 200, body: toV1(ctx.store, saved) };
}

async function upsertContact(ctx) {
	const store = ctx.store;
	const body = { ...(ctx.body ?? {}) };
	const option = body.duplicate_option ?? 'Email';
	delete body.duplicate_option;
	const changes = fromV1Body(body);
	const candidate = applyChanges(store, store.emptyContact(), changes.set);
	if (!store.primaryEmail(candidate)) throw new RequestError('An email address is required to create or update a contact', 400);
	const found = store.findDuplicate(candidate, option);
	await upsertPause(ctx);
	const match = found && store.getContact(found.id);
	if (match) {
		const saved = patchContact(ctx, match, changes, null);
		return { status: 200, body: toV1(store, saved) };
	}
	const created = createContact({ ...ctx, body });
	return { status: ctx.emu.config.v1UpsertCreateStatus, body: created.body };
}

// ---- routes --------------------------------------------------------------------------------------
export const v1Routes = compileRoutes([
	{ method: 'GET', path: '/contacts', handler: listContacts },
	{ method: 'POST', path: '/contacts', handler: createContact },
	{ method: 'PUT', path: '/contacts', handler: upsertContact },
	{
		method: 'GET', path: '/contacts/model',
		handler: (ctx) => ({ status: 200, body: { custom_fields: modelCustomFields(ctx.store), optional_properties: V1_OPTIONAL } }),
	},
	{
		method: 'GET', path: '/contacts/{id}',
		handler: (ctx) => ({ status: 200, body: toV1(ctx.store, contactOr404(ctx, ctx.params.id), { mode: 'get', optional: optionalProps(ctx) }) }),
	},
	{ method: 'PATCH', path: '/contacts/{contactId}', handler: updateContact },
	{
		method: 'DELETE', path: '/contacts/{contactId}',
		handler: (ctx) => {
			const c = contactOr404(ctx, ctx.params.contactId);
			ctx.store.deleteContact(c.id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/contacts/{contactId}/tags',
		handler: (ctx) => {
			const c = contactOr404(ctx, ctx.params.contactId);
			const applied = ctx.store.applied.get(c.id) ?? new Map();
			const items = [...applied].sort((a, b) => a[0] - b[0]).map(([tagId, at]) => {
				const t = ctx.store.tags.get(tagId);
				const cat = t.category_id != null ? ctx.store.categories.get(t.category_id) : null;
				return { date_applied: iso(at), tag: { id: t.id, name: t.name, ...(cat ? { category: cat.name } : {}) } };
			});
			return { status: 200, body: page(ctx, items, 'tags') };
		},
	},
	{
		method: 'POST', path: '/contacts/{contactId}/tags',
		handler: (ctx) => {
			const c = contactOr404(ctx, ctx.params.contactId);
			const ids = ctx.body?.tagIds;
			if (!Array.isArray(ids) || ids.length === 0) throw new RequestError('tagIds is required', 400);
			const result = {};
			for (const id of ids) result[String(id)] = ctx.store.applyTag(c.id, Number(id));
			return { status: 200, body: result };
		},
	},
	{
		method: 'DELETE', path: '/contacts/{contactId}/tags',
		handler: (ctx) => {
			const c = contactOr404(ctx, ctx.params.contactId);
			const ids = listQuery(ctx.query, 'ids');
			if (ids.length === 0) throw new RequestError('ids is required', 400);
			for (const id of ids) ctx.store.removeTag(c.id, intParam(id, 'tag id'));
			return { status: 204 };
		},
	},
	{
		method: 'DELETE', path: '/contacts/{contactId}/tags/{tagId}',
		handler: (ctx) => {
			const c = contactOr404(ctx, ctx.params.contactId);
			ctx.store.removeTag(c.id, intParam(ctx.params.tagId, 'tag id'));
			return { status: 204 };
		},
	},
	// tags
	{
		method: 'GET', path: '/tags',
		handler: (ctx) => {
			let items = [...ctx.store.tags.values()].sort((a, b) => a.id - b.id);
			const name = ctx.query.get('name');
			if (name) items = items.filter((t) => t.name.toLowerCase() === name.toLowerCase());
			const category = intQuery(ctx.query, 'category', null);
			if (category !== null) items = items.filter((t) => t.category_id === category);
			return { status: 200, body: page(ctx, items.map((t) => tagOut(ctx.store, t)), 'tags') };
		},
	},
	{
		method: 'POST', path: '/tags',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			if (!b.name) throw new RequestError('name is required', 400);
			let categoryId = null;
			if (b.category) {
				if (!ctx.store.categories.has(Number(b.category.id))) throw new RequestError(`Tag category with ID ${b.category.id} not found`, 400);
				categoryId = Number(b.category.id);
			}
			const t = ctx.store.createTag({ name: b.name, description: b.description ?? null, category_id: categoryId });
			return { status: 200, body: tagOut(ctx.store, t) };
		},
	},
	{
		method: 'POST', path: '/tags/categories',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			if (!b.name) throw new RequestError('name is required', 400);
			const cat = ctx.store.createCategory({ name: b.name, description: b.description ?? null });
			return { status: 200, body: { id: cat.id, name: cat.name, ...(cat.description != null ? { description: cat.description } : {}) } };
		},
	},
	{ method: 'GET', path: '/tags/{id}', handler: (ctx) => ({ status: 200, body: tagOut(ctx.store, tagOr404(ctx, ctx.params.id)) }) },
	{
		method: 'GET', path: '/tags/{tagId}/contacts',
		handler: (ctx) => {
			const t = tagOr404(ctx, ctx.params.tagId);
			const items = [];
			for (const [contactId, m] of [...ctx.store.applied].sort((a, b) => a[0] - b[0])) {
				if (!m.has(t.id)) continue;
				const c = ctx.store.getContact(contactId);
				items.push({
					contact: Object.fromEntries(Object.entries({ id: c.id, email: ctx.store.primaryEmail(c), first_name: c.given_name, last_name: c.family_name }).filter(([, v]) => v != null)),
					date_applied: iso(m.get(t.id)),
				});
			}
			return { status: 200, body: page(ctx, items, 'contacts') };
		},
	},
	{
		method: 'POST', path: '/tags/{tagId}/contacts',
		handler: (ctx) => {
			const t = tagOr404(ctx, ctx.params.tagId);
			const ids = ctx.body?.ids;
			if (!Array.isArray(ids) || ids.length === 0) throw new RequestError('ids is required', 400);
			checkTagBatch(ctx, ids);
			const result = {};
			for (const id of ids) result[String(id)] = ctx.store.applyTag(Number(id), t.id);
			return { status: 200, body: result };
		},
	},
	{
		method: 'DELETE', path: '/tags/{tagId}/contacts',
		handler: (ctx) => {
			const t = tagOr404(ctx, ctx.params.tagId);
			const ids = listQuery(ctx.query, 'ids');
			if (ids.length === 0) throw new RequestError('ids is required', 400);
			checkTagBatch(ctx, ids);
			for (const id of ids) ctx.store.removeTag(intParam(id, 'contact id'), t.id);
			return { status: 204 };
		},
	},
	{
		method: 'DELETE', path: '/tags/{tagId}/contacts/{contactId}',
		handler: (ctx) => {
			const t = tagOr404(ctx, ctx.params.tagId);
			ctx.store.removeTag(intParam(ctx.params.contactId, 'contact id'), t.id);
			return { status: 204 };
		},
	},
	// hooks
	{ method: 'GET', path: '/hooks/event_keys', handler: () => ({ status: 200, body: [...EVENT_KEYS] }) },
	{ method: 'GET', path: '/hooks', handler: (ctx) => ({ status: 200, body: [...ctx.store.hooks.values()].map(hookOut) }) },
	{
		method: 'POST', path: '/hooks',
		handler: async (ctx) => {
			checkHookBody(ctx.body);
			const hook = ctx.emu.hooks.create(ctx.body.eventKey, ctx.body.hookUrl);
			await ctx.emu.hooks.verify(hook);
			return { status: 200, body: hookOut(hook) };
		},
	},
	{
		method: 'GET', path: '/hooks/{key}',
		handler: (ctx) => ({ status: 200, body: hookOut(hookOr404(ctx)) }),
	},
	{
		method: 'PUT', path: '/hooks/{key}',
		handler: async (ctx) => {
			const hook = hookOr404(ctx);
			checkHookBody(ctx.body);
			const urlChanged = hook.hookUrl !== ctx.body.hookUrl;
			hook.eventKey = ctx.body.eventKey;
			hook.hookUrl = ctx.body.hookUrl;
			if (urlChanged) await ctx.emu.hooks.verify(hook);
			return { status: 200, body: hookOut(hook) };
		},
	},
	{
		method: 'DELETE', path: '/hooks/{key}',
		handler: (ctx) => {
			const hook = hookOr404(ctx);
			ctx.store.hooks.delete(hook.key);
			return { status: 204 };
		},
	},
	{
		method: 'POST', path: '/hooks/{key}/verify',
		handler: async (ctx) => ({ status: 200, body: hookOut(await ctx.emu.hooks.verify(hookOr404(ctx))) }),
	},
	{
		method: 'POST', path: '/hooks/{key}/delayedVerify',
		handler: (ctx) => {
			const hook = hookOr404(ctx);
			const secret = ctx.headers['x-hook-secret'];
			if (!secret) throw new RequestError('X-Hook-Secret header is required', 400);
			return { status: 200, body: hookOut(ctx.emu.hooks.delayedVerify(hook, String(secret))) };
		},
	},
	// users, identity, settings
	{
		method: 'GET', path: '/users',
		handler: (ctx) => {
			const inactive = ctx.query.get('include_inactive') === 'true';
			const users = ctx.store.users.filter((u) => inactive || u.status !== 'Inactive').map(userOut);
			return { status: 200, body: page(ctx, users, 'users') };
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
					sub: String(u.global_user_id), email: u.email, given_name: u.given_name, family_name: u.family_name,
					global_user_id: u.global_user_id, infusionsoft_id: u.email, is_admin: u.admin,
				},
			};
		},
	},
	{
		method: 'GET', path: '/setting/contact/optionTypes',
		handler: (ctx) => ({ status: 200, body: { value: ctx.store.contactTypes.join(',') } }),
	},
]);

function hookOr404(ctx) {
	const hook = ctx.store.hooks.get(ctx.params.key);
	if (!hook) throw new RequestError(`Hook subscription ${ctx.params.key} not found`, 404);
	return hook;
}
