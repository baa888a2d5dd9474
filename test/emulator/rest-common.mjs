// Pieces shared by the REST v1 and v2 handlers: routing, contact write rules, paging helpers.
import { RequestError } from './contact-map.mjs';
import { clone } from './util.mjs';
import { COLLECTION_FIELDS } from './store.mjs';

export { RequestError };

/** Compiles route templates ('/contacts/{contactId}') into matchers; order matters. */
export function compileRoutes(routes) {
	return routes.map((r) => {
		const names = [];
		const re = new RegExp(
			'^' +
				r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, n) => {
					names.push(n);
					return '([^/]+)';
				}) +
				'$',
		);
		return { ...r, re, names };
	});
}

export function matchRoute(routes, method, path) {
	let pathMatched = false;
	for (const r of routes) {
		const m = r.re.exec(path);
		if (!m) continue;
		pathMatched = true;
		if (r.method !== method) continue;
		const params = {};
		r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
		return { route: r, params };
	}
	return { route: null, pathMatched };
}

export function intParam(value, name) {
	if (!/^\d+$/.test(String(value))) throw new RequestError(`Invalid ${name}: ${value}`, 400);
	return Number(value);
}

export function intQuery(query, name, def) {
	const v = query.get(name);
	if (v === null || v === '') return def;
	if (!/^-?\d+$/.test(v)) throw new RequestError(`Invalid value for ${name}: ${v}`, 400);
	return Number(v);
}

/** Comma / repeated-key list parameter. */
export function listQuery(query, name) {
	return query
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((s) => s.trim())
		.filter(Boolean);
}

export function hasReachable(c) {
	return c.email_addresses.some((e) => e.email) || c.phone_numbers.some((p) => p.number);
}

/**
 * Applies canonical changes to a clone of `current`.
 * collections: 'replace' (v2 PATCH: the given list replaces the stored one) or
 *              'merge' (v1: items replace stored items with the same `field`, others stay).
 * custom:      'replace' | 'merge' likewise.
 */
export function applyChanges(store, current, set, { collections = 'replace', custom = 'replace' } = {}) {
	const next = clone(current);
	for (const [k, v] of Object.entries(set)) {
		if (k === 'custom') continue;
		if (k === 'origin') {
			next.origin = v ? { date: new Date(store.clock.now()).toISOString(), ip_address: v.ip_address } : null;
			continue;
		}
		if (COLLECTION_FIELDS.includes(k) && collections === 'merge' && k !== 'social_accounts') {
			const byField = new Map(next[k].map((i) => [i.field, i]));
			for (const item of v) {
				const empty = k === 'email_addresses' ? !item.email : k === 'addresses' ? false : !item.number;
				if (empty) byField.delete(item.field);
				else byField.set(item.field, item);
			}
			next[k] = [...byField.values()];
			continue;
		}
		next[k] = clone(v);
	}
	if (set.custom) {
		next.custom = custom === 'merge' ? { ...next.custom, ...set.custom } : { ...set.custom };
	}
	for (const coll of COLLECTION_FIELDS) next[coll].sort((a, b) => String(a.field).localeCompare(String(b.field)));
	return next;
}

export function checkOrThrow(store, c) {
	const err = store.checkContact(c);
	if (err) throw new RequestError(err, 400);
}

export function applyOptIns(store, contact, { optInReason, emailOptIns }) {
	if (optInReason) {
		const primary = store.primaryEmail(contact);
		if (primary) store.optIn(primary, optInReason);
	}
	for (const { email, reason } of emailOptIns ?? []) store.optIn(email, reason);
}

export function compareBy(get, desc) {
	return (a, b) => {
		const x = get(a);
		const y = get(b);
		let r;
		if (x === y) r = a.id - b.id;
		else if (x === null || x === undefined) r = 1;
		else if (y === null || y === undefined) r = -1;
		else r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { sensitivity: 'base' });
		return desc ? -r : r;
	};
}

export function parseTime(value, name) {
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw new RequestError(`Invalid date-time for ${name}: ${value}`, 400);
	return ms;
}

/**
 * userinfo is Keap's OAuth identity endpoint; Keap does not document it for a PAT or SAK
 * (switch userinfoWithKey). Returns the refusal response, or null to answer normally.
 */
export function refuseKeyOnUserinfo(ctx) {
	const mode = ctx.emu.config.userinfoWithKey;
	if (ctx.cred.kind === 'oauth' || mode === 'allow') return null;
	if (mode === 'refuse-401') {
		return {
			status: 401,
			body: { fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } },
		};
	}
	throw new RequestError('userinfo needs an OAuth2 access token; a Personal Access Token or Service Account Key has no OAuth identity', 403);
}

/** Tag apply/remove calls carry at most `tagBatchMax` contact ids (switch; Keap's PHP SDK caps them at 100). */
export function checkTagBatch(ctx, ids) {
	const max = ctx.emu.config.tagBatchMax;
	if (max !== 'none' && ids.length > max) {
		throw new RequestError(`A maximum of ${max} contact ids can be modified at once (got ${ids.length})`, 400);
	}
}

/**
 * Between an upsert's duplicate look-up and its write (switch upsertLookup): 'racy' lets other
 * requests run for `upsertRaceMs`, so two upserts of one new email at once both create.
 */
export async function upsertPause(ctx) {
	if (ctx.emu.config.upsertLookup !== 'racy') return;
	await new Promise((resolve) => setTimeout(resolve, ctx.emu.config.upsertRaceMs));
}
