// Affiliates (REST v2 /affiliates) and their custom fields (record type REFERRAL_PARTNER).
// Keap's hook event list has no affiliate events, so none are emitted.
import {
	RequestError, pathRecord, contactRef, optionalRef, nonBlank, atLeast, compact, iso, filters, listOf, patchFields,
	CustomFields, seedContact, ORD_NE,
} from './common.mjs';
import { listQuery } from '../rest-common.mjs';

export const config = {
	/** Two affiliates may not share a code (undocumented; strict). */
	affiliateCodeUnique: true,
};

const custom = new CustomFields('affiliateCustomFields', 'REFERRAL_PARTNER', '_Affiliate');
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
		else if (k === 'custom_fields') a.custom = custom.values(ctx.store, v ?? [], {}); // the list replaces the stored values, as for contacts
		else if (k === 'notify_on_sale' || k === 'notify_on_lead') a[k] = v ?? false;
		else a[k] = v;
	}
	return a;
}

function out(store, a) {
	return compact({
		id: String(a.id), code: a.code, name: a.name, status: a.status, contact_id: String(a.contact_id), unique_site_id: `site-${a.id}`,
		date_created: iso(a.date_created), parent_affiliate_id: a.parent_affiliate_id ? String(a.parent_affiliate_id) : null,
		notify_on_sale: a.notify_on_sale, notify_on_lead: a.notify_on_lead, track_leads_days: a.track_leads_days,
		custom_fields: custom.out(store, a.custom),
	});
}

function create(store, a) {
	a.id = store.nextId.affiliate++;
	a.date_created = store.stamp();
	store.affiliates.set(a.id, a);
	return a;
}

const byId = (ctx) => pathRecord(ctx.store.affiliates, ctx.params.id, 'id', 'Affiliate');

export const v2Routes = [
	{
		method: 'GET', path: '/affiliates',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.affiliates.values()], 'affiliates', {
				filter: (f) => ({
					id: filters.number((a) => a.id, ORD_NE), name: filters.text((a) => a.name), contact_id: filters.exact((a) => a.contact_id),
					referral_contact_id: filters.exact((a) => a.contact_id), status: filters.oneOf((a) => a.status, ['ACTIVE', 'INACTIVE'], 'status'),
					code: filters.exact((a) => a.code),
				})[f] ?? custom.filterSpec(ctx.store, f, (a) => a.custom),
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
	...custom.routes('/affiliates'),
	{ method: 'GET', path: '/affiliates/{id}', handler: (ctx) => ({ status: 200, body: out(ctx.store, byId(ctx)) }) },
	{
		method: 'PATCH', path: '/affiliates/{id}',
		handler: (ctx) => {
			const current = byId(ctx);
			const changed = patchFields(ctx.body ?? {}, listQuery(ctx.query, 'update_mask'), FIELDS);
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
			const a = byId(ctx);
			const child = [...ctx.store.affiliates.values()].find((x) => x.parent_affiliate_id === a.id);
			if (child) throw new RequestError(`Affiliate ${a.id} is the parent of affiliate ${child.id}`, 400);
			ctx.store.affiliates.delete(a.id);
			return { status: 204 };
		},
	},
];

function reset(store) {
	store.affiliates = new Map();
	store.nextId.affiliate = 71;
	custom.reset(store);
}

function snapshot(store) {
	return {
		affiliates: [...store.affiliates.values()].map((a) => ({ ...structuredClone(a), date_created: iso(a.date_created) })),
		affiliateCustomFields: structuredClone(store.affiliateCustomFields),
	};
}

/** Seed: affiliates: [{ contact: id | email, code, name?, status? }]. */
function seed(emu, data) {
	if (!data.affiliates?.length) return {};
	const ids = [];
	for (const { contact, ...rest } of data.affiliates) {
		const a = { id: 0, name: null, status: 'INACTIVE', parent_affiliate_id: null, notify_on_sale: false, notify_on_lead: false, track_leads_days: null, password: null, custom: {}, ...rest, contact_id: seedContact(emu.store, contact) };
		check({ emu, store: emu.store }, a);
		ids.push(create(emu.store, a).id);
	}
	return { affiliates: ids };
}

function demo() {
	return { affiliates: [{ contact: 'noah.nguyen@example.com', code: 'NOAH10', name: 'Noah Nguyen', status: 'ACTIVE' }] };
}

export default { name: 'affiliates', v2Routes, reset, snapshot, seed, demo, config };
