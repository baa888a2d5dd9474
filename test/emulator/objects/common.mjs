// Helpers shared by the object modules (companies, notes, tasks, opportunities, ...): the v2 list
// conventions of rest-v2.mjs (page_size/page_token, filter grammar, order_by), id and reference
// checks, `fields` and `update_mask` handling, and custom field values and filters.
import { RequestError, intParam, listQuery, compareBy, parseTime } from '../rest-common.mjs';
import { page, parseFilter, applyFilter, orderBy, cmp, EQ, ORD } from '../rest-v2.mjs';
import { checkCustomContent, coerceCustomContent } from '../store.mjs';
import { iso, wildcardMatch } from '../util.mjs';

export { RequestError, intParam, listQuery, compareBy, parseTime, page, applyFilter, orderBy, cmp, EQ, ORD, iso, wildcardMatch };
export const ALL_OPS = ['==', '!=', '>', '<', '>=', '<='];

/** Drops null/undefined properties (Keap's v2 answers leave absent values out). */
export function clean(o) {
	for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
	return o;
}

export const idStr = (v) => (v === null || v === undefined ? null : String(v));
export const isoOrNull = (ms) => (ms === null || ms === undefined ? null : iso(ms));

/** A record from `map` by the numeric path parameter `name`, or a 404 naming `what`. */
export function byId(map, params, name, what) {
	const id = intParam(params[name], name);
	const rec = map.get(id);
	if (!rec) throw new RequestError(`${what} ${id} not found`, 404);
	return rec;
}

/** A numeric id from a request body (v2 sends ids as strings); null/'' -> null. */
export function bodyId(value, field) {
	if (value === undefined) return undefined;
	if (value === null || value === '') return null;
	if (!/^\d+$/.test(String(value))) throw new RequestError(`${field} must be a numeric id, got ${JSON.stringify(value)}`, 400);
	return Number(value);
}

/** A user id that must name an existing user (and an active one unless `inactiveUserAssignable`). */
export function checkUser(ctx, id, field) {
	if (id === null || id === undefined) return id;
	const u = ctx.store.users.find((x) => x.id === id);
	if (!u) throw new RequestError(`${field} ${id} is not a valid user`, 400);
	if (u.status !== 'Active' && !ctx.emu.config.inactiveUserAssignable) throw new RequestError(`${field} ${id} is not an active user`, 400);
	return id;
}

export function checkContactRef(ctx, id, field) {
	if (id === null || id === undefined) return id;
	if (!ctx.store.contacts.has(id)) throw new RequestError(`${field} ${id}: contact not found`, 400);
	return id;
}

/** Full ISO-8601 date-time with a zone (what the v2 documents send and accept); returns ms. */
export function dateTimeIn(value, field) {
	if (value === undefined) return undefined;
	if (value === null || value === '') return null;
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
		throw new RequestError(`${field} must be an ISO-8601 date-time with a time zone, got ${JSON.stringify(value)}`, 400);
	}
	return Date.parse(value);
}

/** The `fields` query parameter, each name checked against `allowed`. */
export function fieldsIn(ctx, allowed) {
	const fields = listQuery(ctx.query, 'fields');
	for (const f of fields) if (!allowed.includes(f)) throw new RequestError(`Invalid field in fields: ${f}`, 400);
	return fields;
}

/**
 * Which properties a PATCH changes: with `update_mask`, the masked ones (a read-only one is a
 * 400); without, the ones present in the body. Returns a predicate.
 */
export function touchedBy(ctx, body, readOnly = []) {
	const mask = listQuery(ctx.query, 'update_mask');
	for (const m of mask) if (readOnly.includes(m)) throw new RequestError(`Field ${m} cannot be updated`, 400);
	return mask.length ? (k) => mask.includes(k) : (k) => k in body;
}

/** Keeps only `fields` (plus id) when given, else drops the `optional` properties. */
export function project(out, fields, optional) {
	if (fields && fields.length) {
		for (const k of Object.keys(out)) if (k !== 'id' && !fields.includes(k)) delete out[k];
	} else {
		for (const k of optional) delete out[k];
	}
	return clean(out);
}

// ---- filters ---------------------------------------------------------------------------------
/**
 * parseFilter plus value checks: a spec may carry `check(value, op)` that throws a 400 before any
 * record is looked at (Keap rejects a bad value even when nothing would match).
 */
export function filterClauses(ctx, allowed) {
	const clauses = parseFilter(ctx.query.get('filter'), allowed);
	for (const cl of clauses) cl.spec.check?.(cl.value, cl.op, cl.field);
	return clauses;
}

/** Text: `==` only, case-insensitive; a trailing `*` is a prefix match, any other `*` a 400. */
export function prefixText(get, { contains = false } = {}) {
	return {
		ops: EQ,
		check: (v, op, field) => {
			if (v.slice(0, -1).includes('*')) throw new RequestError(`Invalid filter value for ${field}: a wildcard may only end the value`, 400);
		},
		test: (x, v) => {
			const val = get(x);
			if (val === null || val === undefined) return false;
			if (contains && !v.endsWith('*')) return String(val).toLowerCase().includes(v.toLowerCase());
			return wildcardMatch(val, v);
		},
	};
}

/** Exact text (no wildcard), case-insensitive unless `caseSensitive`. */
export function exactText(get, { caseSensitive = false } = {}) {
	return {
		ops: EQ,
		test: (x, v) => {
			const val = get(x);
			if (val === null || val === undefined) return false;
			return caseSensitive ? String(val) === v : String(val).toLowerCase() === v.toLowerCase();
		},
	};
}

export function idEquals(get) {
	return { ops: EQ, check: numericCheck, test: (x, v) => get(x) === Number(v) };
}

export function idCompare(get, ops = ORD) {
	return { ops, check: numericCheck, test: (x, v, op) => cmp(op, get(x), Number(v)) };
}

export function idList(get, max) {
	return {
		ops: EQ,
		check: (v, op, field) => {
			const ids = v.split(',').map((s) => s.trim());
			if (ids.some((s) => !/^\d+$/.test(s))) throw new RequestError(`Invalid filter value for ${field}: ${v}`, 400);
			if (max && ids.length > max) throw new RequestError(`Filter ${field} takes at most ${max} ids`, 400);
		},
		test: (x, v) => v.split(',').map((s) => Number(s.trim())).includes(get(x)),
	};
}

export function boolEquals(get) {
	return {
		ops: EQ,
		check: (v, op, field) => {
			if (!['true', 'false'].includes(v)) throw new RequestError(`Invalid filter value for ${field}: ${v} (true or false)`, 400);
		},
		test: (x, v) => get(x) === (v === 'true'),
	};
}

/** since/until on a millisecond timestamp (inclusive), full ISO-8601 values. */
export function timeBound(get, bound) {
	return {
		ops: EQ,
		check: (v, op, field) => dateTimeIn(v, `filter ${field}`),
		test: (x, v) => {
			const t = get(x);
			if (t === null || t === undefined) return false;
			return bound === 'since' ? t >= Date.parse(v) : t <= Date.parse(v);
		},
	};
}

function numericCheck(v, op, field) {
	if (!/^-?\d+$/.test(v)) throw new RequestError(`Invalid filter value for ${field}: ${v}`, 400);
}

export function numberCompare(get) {
	return {
		ops: ORD,
		check: (v, op, field) => {
			if (v.trim() === '' || Number.isNaN(Number(v))) throw new RequestError(`Invalid filter value for ${field}: ${v}`, 400);
		},
		test: (x, v, op) => cmp(op, get(x), Number(v)),
	};
}

/** `id` and `ids` style pairs that cannot be combined in one request. */
export function exclusiveFilters(clauses, a, b) {
	if (clauses.some((c) => c.field === a) && clauses.some((c) => c.field === b)) {
		throw new RequestError(`Filters ${a} and ${b} cannot be combined`, 400);
	}
}

// ---- custom fields ---------------------------------------------------------------------------
const NUMERIC = new Set(['WholeNumber', 'DecimalNumber', 'Currency', 'Percent', 'Year', 'Month', 'DayOfWeek', 'User']);
const MULTI = new Set(['ListBox', 'UserListBox']);
const FULL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A filter on a custom field by its field_name (case-insensitive), with the operators and values
 * the v2 documents allow per type: numbers compare; dates compare with a full ISO-8601 date-time
 * with milliseconds and a zone (date-only values are a 400); Yes/No takes 0 or 1; drilldown an
 * integer; multi-select fields match an option they contain; text `==` with a trailing wildcard.
 */
export function customFieldFilter(defs, field, getCustom) {
	const def = defs.find((f) => f.field_name.toLowerCase() === field.toLowerCase());
	if (!def) return null;
	const value = (x) => getCustom(x)?.[def.id];
	const t = def.field_type;
	const bad = (v, what) => new RequestError(`Invalid filter value for custom field ${def.field_name}: ${v} (${what})`, 400);
	if (NUMERIC.has(t)) {
		return {
			ops: ORD,
			check: (v) => {
				if (v.trim() === '' || Number.isNaN(Number(v))) throw bad(v, 'a number');
			},
			test: (x, v, op) => cmp(op, value(x) === undefined ? null : Number(value(x)), Number(v)),
		};
	}
	if (t === 'Date' || t === 'DateTime') {
		const ms = (c) => (c === undefined || c === null ? null : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(c) ? `${c}T00:00:00Z` : c));
		return {
			ops: ORD,
			check: (v) => {
				if (!FULL_ISO.test(v) || Number.isNaN(Date.parse(v))) throw bad(v, 'a full ISO-8601 date-time with milliseconds and a zone');
			},
			test: (x, v, op) => cmp(op, ms(value(x)), Date.parse(v)),
		};
	}
	if (t === 'YesNo') {
		return {
			ops: EQ,
			check: (v) => {
				if (v !== '0' && v !== '1') throw bad(v, '0 or 1');
			},
			test: (x, v) => value(x) !== undefined && value(x) === (v === '1'),
		};
	}
	if (t === 'Drilldown') {
		return {
			ops: EQ,
			check: (v) => {
				if (!/^\d+$/.test(v)) throw bad(v, 'an integer');
			},
			test: (x, v) => String(value(x) ?? '') === v,
		};
	}
	if (MULTI.has(t)) {
		return { ops: EQ, test: (x, v) => String(value(x) ?? '').split(',').map((s) => s.trim().toLowerCase()).includes(v.toLowerCase()) };
	}
	return prefixText(value);
}

/** Request `custom_fields: [{id, content}]` -> { <id>: content } checked against `defs`. */
export function customValuesIn(defs, list, field = 'custom_fields') {
	const out = {};
	for (const [i, item] of (list ?? []).entries()) {
		const id = bodyId(item.id, `${field}[${i}].id`);
		if (id === null || id === undefined) throw new RequestError(`${field}[${i}].id is required`, 400);
		const def = defs.find((f) => f.id === id);
		if (!def) throw new RequestError(`Custom field ${id} does not exist`, 400);
		if (id in out) throw new RequestError(`Custom field ${id} is given more than once`, 400);
		const err = checkCustomContent(def, item.content);
		if (err) throw new RequestError(err, 400);
		if (item.content === null || item.content === undefined || item.content === '') continue;
		out[id] = coerceCustomContent(def, item.content);
	}
	return out;
}

/** { <id>: content } -> `[{id, content}]` over every field of the record type (null when unset). */
export function customValuesOut(defs, custom) {
	return defs.map((f) => ({ id: String(f.id), content: custom[f.id] ?? null }));
}

/** A contact reference by email or id (seed data). */
export function contactByRef(store, ref) {
	if (typeof ref === 'number') return store.contacts.get(ref) ?? null;
	const email = String(ref).toLowerCase();
	return [...store.contacts.values()].find((c) => c.email_addresses.some((e) => e.email?.toLowerCase() === email)) ?? null;
}
