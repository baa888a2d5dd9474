// Affiliates (REST v2 /affiliates) and their custom fields (record type REFERRAL_PARTNER).
// Keap's hook event list has no affiliate events, so none are emitted.
import {
	RequestError, byId, contactRef, optionalRef, nonBlank, atLeast, clean, iso, listOf, patchFields, seedContact,
	customValuesIn, customValuesOut, customFieldFilter, prefixText, exactText, idCompare, idEquals, oneOf, ALL_OPS,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';

export const config = {
	/** Two affiliates may not share a code (undocumented; strict). */
	affiliateCodeUnique: true,
};

const RECORD = 'REFERRAL_PARTNER';
const FIELDS = ['contact_id', 'code', 'name', 'status', 'parent_affiliate_id', 'notify_on_sale', 'notify_on_lead', 'track_leads_days', 'password', 'custom_fields'];

function check(ctx, a) {
	nonBlank(a.code, 'code');
	atLeast(a.track_leads_days, 0, 'track_leads_days');
	if (a.parent_affiliate_id === a.id && a.id) throw new RequestError('parent_affiliate_id cannot be the affiliate itself', 400);
	if (ctx.emu.config.affiliateCodeUnique) {
		const other = [...ctx.store.affiliates.values()].find((x) => x.id !== a.id && x.code.toLowerCase() === a.code.toLowerCase());
		if (other) throw new RequestError(`code ${a.code} is already used by affiliate ${other.id} (switch affiliateCodeUnique)`, 400);
	}
}

function fromBody(ctx, b, current) {
	const a = current ? structuredClone(current) : {
		id: 0, code: null, name: null, status: 'INACTIVE', contact_id: null, parent_affiliate_id: null, notify_on_sale: false,
		notify_on_lead: false, track_leads_days: null, password: null, custom: {},
	};
	for (const [k, v] of Object.entries(b)) {
		if (k === 'contact_id') a.contact_id = contactRef(ctx.store, v).id;
		else if (k === 'parent_affiliate_id') a.parent_affiliate_id = optionalRef(ctx.store.affiliates, v, k, 'affiliate');
		else if (k === 'custom_fields') a.custom = customValuesIn(fieldsOf(ctx.store, RECORD), v);
		else if (k === 'notify_on_sale' || k === 'notify_on_lead') a[k] = v ?? false;
		else a[k] = v;
	}
	return a;
}

function out(store, a) {
	return clean({
		id: String(a.id), code: a.code, name: a.name, status: a.status, contact_id: String(a.contact_id), unique_site_id: `site-${a.id}`,
		date_created: iso(a.date_created), parent_affiliate_id: a.parent_affiliate_id ? String(a.parent_affiliate_id) : null,
		notify_on_sale: a.notify_on_sale, notify_on_lead: a.notify_on_lead, track_leads_days: a.track_leads_days,
		custom_fields: customValuesOut(fieldsOf(store, RECORD), a.custom),
	});
}

function create(store, a) {
	a.id = store.nextId.affiliate++;
	a.date_created = store.stamp();
	store.affiliates.set(a.id, a);
	return a;
}

const affiliateOr404 = (ctx) => byId(ctx.store.affiliates, ctx.params, 'id', 'Affiliate');

export const v2Routes = [
	{
		method: 'GET', path: '/affiliates',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.affiliates.values()], 'affiliates', {
				filter: (f) => ({
					id: idCompare((a) => a.id, ALL_OPS), name: prefixText((a) => a.name), contact_id: idEquals((a) => a.contact_id),
					referral_contact_id: idEquals((a) => a.contact_id), status: oneOf((a) => a.status, ['ACTIVE', 'INACTIVE']),
					code: exactText((a) => a.code, { caseSensitive: true }),
				})[f] ?? customFieldFilter(fieldsOf(ctx.store, RECORD), f, (a) => a.custom),
				sorts: { id: (a) => a.id, date_created: (a) => a.date_created, name: (a) => a.name, status: (a) => a.status, code: (a) => a.code },
				out: (a) => out(ctx.store, a),
			}),
		}),
	},
	{
		method: 'POST', path: '/affiliates',
		handler: (ctx) => {
			const a = fromBody(ctx, ctx.body ?? {}, null);
			check(ctx, a);
			return { status: 201, body: out(ctx.store, create(ctx.store, a)) };
		},
	},
	...modelRoutes({ base: '/affiliates', record: RECORD, records: (s) => s.affiliates.values() }),
	{ method: 'GET', path: '/affiliates/{id}', handler: (ctx) => ({ status: 200, body: out(ctx.store, affiliateOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/affiliates/{id}',
		handler: (ctx) => {
			const current = affiliateOr404(ctx);
			const changed = patchFields(ctx, ctx.body ?? {}, FIELDS);
			if ('contact_id' in changed && changed.contact_id === null) throw new RequestError('contact_id cannot be cleared', 400);
			if ('status' in changed && changed.status === null) changed.status = 'INACTIVE';
			const next = fromBody(ctx, changed, current);
			check(ctx, next);
			ctx.store.affiliates.set(next.id, next);
			return { status: 200, body: out(ctx.store, next) };
		},
	},
	{
		method: 'DELETE', path: '/affiliates/{id}',
		handler: (ctx) => {
			const a = affiliateOr404(ctx);
			const child = [...ctx.store.affiliates.values()].find((x) => x.parent_affiliate_id === a.id);
			if (child) throw new RequestError(`Affiliate ${a.id} is the parent of affiliate ${child.id}`, 400);
			ctx.store.affiliates.delete(a.id);
			return { status: 204 };
		},
	},
];

export const store = {
	reset(s) {
		s.affiliates = new Map();
		s.nextId.affiliate = 71;
	},
	snapshot(s) {
		return { affiliates: [...s.affiliates.values()].map((a) => ({ ...structuredClone(a), date_created: iso(a.date_created) })) };
	},
};

/** Seed: affiliates: [{ contact: id | email, code, name?, status? }]. */
export function seed(ctx, src) {
	if (!src.affiliates?.length) return {};
	const ids = [];
	for (const { contact, ...rest } of src.affiliates) {
		const a = { id: 0, name: null, status: 'INACTIVE', parent_affiliate_id: null, notify_on_sale: false, notify_on_lead: false, track_leads_days: null, password: null, custom: {}, ...rest, contact_id: seedContact(ctx.store, contact).id };
		check(ctx, a);
		ids.push(create(ctx.store, a).id);
	}
	return { affiliates: ids };
}

export function demo() {
	return { affiliates: [{ contact: 'noah.nguyen@example.com', code: 'NOAH10', name: 'Noah Nguyen', status: 'ACTIVE' }] };
}
