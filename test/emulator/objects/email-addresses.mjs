// Email address opt-in status (v2): GET /emailAddresses (filter emails, statuses, opted_in),
// GET and PATCH /emailAddresses/{email}/status. The status lives in `store.emailStatus` (per
// lowercased address, v1 status names), the same record contact writes (opt_in_reason) and
// XML-RPC APIEmailService.optIn/optOut use.
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, boolEquals, isoOrNull, clean, EQ,
} from './common.mjs';
import { EMAIL_STATUS_V2, MARKETABLE_STATUSES } from '../contact-map.mjs';

const STATUS_V1 = Object.fromEntries(Object.entries(EMAIL_STATUS_V2).map(([k, v]) => [v, k]));
/** Statuses a v2 opt-in moves to SINGLE_OPT_IN ("Unconfirmed"), as the PATCH description lists them. */
const V2_OPT_IN_FROM = new Set(['UnengagedMarketable', 'UnengagedNonMarketable', 'NonMarketable', 'Manual']);
/** Statuses a v2 opt-out moves to MANUAL ("Opt-Out: Manual"); the other opt-outs stay as they are. */
const V2_OPT_OUT_FROM = new Set([...MARKETABLE_STATUSES, 'NonMarketable', 'UnengagedNonMarketable']);
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const config = {
	/** '404': an address no contact or company has (and never given a status) is a 404; 'nonMarketable': it reads as NON_MARKETABLE. */
	emailStatusUnknownAddress: '404',
};

/** Every address the app knows: lowercased address -> earliest creation time of a record holding it. */
function knownAddresses(s) {
	const out = new Map();
	const add = (email, t) => {
		if (!email) return;
		const k = email.toLowerCase();
		if (!out.has(k) || out.get(k) > t) out.set(k, t);
	};
	for (const c of s.contacts.values()) for (const e of c.email_addresses) add(e.email, c.date_created);
	for (const co of s.companies?.values() ?? []) add(co.email_address?.email, co.create_time);
	for (const [k, st] of s.emailStatus) add(k, st.time ?? 0);
	return out;
}

function statusOut(s, email, created) {
	const st = s.emailStatusOf(email);
	return clean({
		email, opted_in: MARKETABLE_STATUSES.has(st.status), status: EMAIL_STATUS_V2[st.status], create_time: isoOrNull(created),
	});
}

function addressOr404(ctx) {
	const email = ctx.params.email;
	if (!EMAIL_RE.test(email)) throw new RequestError(`Invalid email address: ${email}`, 400);
	const known = knownAddresses(ctx.store);
	const created = known.get(email.toLowerCase());
	if (created === undefined) {
		if (ctx.emu.config.emailStatusUnknownAddress !== 'nonMarketable') throw new RequestError(`Email address ${email} not found`, 404);
		return { email: email.toLowerCase(), created: ctx.emu.now() };
	}
	return { email: email.toLowerCase(), created };
}

function listFilter(field) {
	const set = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
	switch (field) {
		case 'emails': return { ops: EQ, test: (x, v) => set(v).map((e) => e.toLowerCase()).includes(x.email) };
		case 'statuses':
			return {
				ops: EQ,
				check: (v) => {
					for (const st of set(v)) if (!STATUS_V1[st]) throw new RequestError(`Invalid filter value for statuses: ${st}`, 400);
				},
				test: (x, v) => set(v).includes(x.status),
			};
		case 'opted_in': return boolEquals((x) => x.opted_in);
	}
	return null;
}

export const v2Routes = [
	{
		method: 'GET', path: '/emailAddresses',
		handler: (ctx) => {
			const clauses = filterClauses(ctx, listFilter);
			let items = [...knownAddresses(ctx.store)].map(([email, created], i) => ({ id: i, ...statusOut(ctx.store, email, created) }));
			items = applyFilter(items, clauses);
			const none = () => null;
			const sort = orderBy(ctx, {
				email: (x) => x.email, status: (x) => x.status, create_time: (x) => x.create_time,
				last_click_time: none, last_open_time: none, last_sent_time: none,
			}) ?? compareBy((x) => x.email, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map(({ id, ...rest }) => rest), 'email_addresses') };
		},
	},
	{
		method: 'GET', path: '/emailAddresses/{email}/status',
		handler: (ctx) => {
			const { email, created } = addressOr404(ctx);
			return { status: 200, body: statusOut(ctx.store, email, created) };
		},
	},
	{
		method: 'PATCH', path: '/emailAddresses/{email}/status',
		handler: (ctx) => {
			const { email, created } = addressOr404(ctx);
			const { reason, opted_in: optedIn } = ctx.body ?? {};
			if (typeof reason !== 'string' || !reason.trim()) throw new RequestError('reason cannot be empty', 400);
			const s = ctx.store;
			const cur = s.emailStatusOf(email).status;
			const from = optedIn ? V2_OPT_IN_FROM : V2_OPT_OUT_FROM;
			if (from.has(cur)) s.emailStatus.set(email, { status: optedIn ? 'SingleOptIn' : 'Manual', reason: reason.trim(), time: ctx.emu.now() });
			return { status: 200, body: statusOut(s, email, created) };
		},
	},
];
