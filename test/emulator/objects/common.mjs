// Helpers every object module (objects/*.mjs) shares: values (money, dates, Base64), id and
// reference checks, `fields` and `update_mask` handling, REST v2 lists (the filter grammar,
// order_by and page tokens of rest-v2.mjs, the same code as contacts and tags), filter clause
// specs, custom field values and filters, hook events and seed references. The custom field
// models (definitions and their routes) are in custom-fields.mjs.
import { RequestError, intParam, listQuery, compareBy, parseTime } from '../rest-common.mjs';
import { page, parseFilter, applyFilter, orderBy, cmp, EQ, ORD } from '../rest-v2.mjs';
import { checkCustomContent, coerceCustomContent } from '../store.mjs';
import { iso, wildcardMatch, literalMatch } from '../util.mjs';

export { RequestError, intParam, listQuery, compareBy, parseTime, page, applyFilter, orderBy, EQ, iso, wildcardMatch, literalMatch };
export const ALL_OPS = ['==', '!=', '>', '<', '>=', '<='];

// ---- values ----------------------------------------------------------------------------------
/** Drops null/undefined properties in place (Keap's v2 answers leave absent values out). */
export function clean(o) {
	for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
	return o;
}

export const idStr = (v) => (v === null || v === undefined ? null : String(v));
export const isoOrNull = (ms) => (ms === null || ms === undefined ? null : iso(ms));

/** Keap's CurrencyValue: amount in cents. The emulator's tenant currency is USD. */
export function money(cents) {
	const abs = Math.abs(cents);
	const text = `$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
	return { amount: cents, currency_code: 'USD', formatted_amount: cents < 0 ? `-${text}` : text };
}

/** Dollars (a JSON number) to cents; rejects fractions of a cent. */
export function toCents(value, name) {
	const cents = Math.round(value * 100);
	if (!Number.isFinite(value) || Math.abs(value * 100 - cents) > 1e-6) throw new RequestError(`${name} must have at most 2 decimal places: ${value}`, 400);
	return cents;
}

export const dollars = (cents) => cents / 100;

export function nonBlank(value, name) {
	if (typeof value !== 'string' || value.trim() === '') throw new RequestError(`${name} must not be blank`, 400);
	return value;
}

export function atLeast(value, min, name) {
	if (value !== undefined && value !== null && value < min) throw new RequestError(`${name} must be greater than or equal to ${min}: ${value}`, 400);
	return value;
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

/** A calendar date, yyyy-MM-dd; null/'' -> null. */
export function dateIn(value, field) {
	if (value === undefined) return undefined;
	if (value === null || value === '') return null;
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
		throw new RequestError(`${field} must be a date (yyyy-MM-dd), got ${JSON.stringify(value)}`, 400);
	}
	return value;
}

/** The emulator clock's UTC date, yyyy-MM-dd. */
export function today(store) {
	return iso(store.clock.now()).slice(0, 10);
}

export function isBase64(text) {
	return typeof text === 'string' && text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

export function base64Field(value, name) {
	if (value === undefined || value === null) return null;
	if (!isBase64(value)) throw new RequestError(`${name} must be Base64 encoded`, 400);
	return value;
}

// ---- ids and references ----------------------------------------------------------------------
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

/** A record a request body refers to, or a 400 (the request is wrong, not the URL). */
export function bodyRecord(map, value, field, label) {
	const rec = map.get(intParam(value, field));
	if (!rec) throw new RequestError(`${field}: ${label} ${value} not found`, 400);
	return rec;
}

/** An optional reference: absent, null, '' or '0' mean none (Keap's "Default is 0"); else its id. */
export function optionalRef(map, value, field, label) {
	if (value === undefined || value === null || value === '' || value === '0') return null;
	return bodyRecord(map, value, field, label).id;
}

/** The contact a body id names, or a 400. */
export function contactRef(store, value, field = 'contact_id') {
	const c = store.getContact(intParam(value, field));
	if (!c) throw new RequestError(`${field}: contact ${value} not found`, 400);
	return c;
}

/** A contact id that must name a contact; null/undefined pass through. */
export function checkContactRef(ctx, id, field) {
	return id === null || id === undefined ? id : contactRef(ctx.store, id, field).id;
}

/** The user an id names, or a 400; an inactive one too unless `inactiveOk` (`switchName`: the switch that says so). */
export function userById(ctx, id, field, { inactiveOk = false, switchName } = {}) {
	const u = ctx.store.users.find((x) => x.id === id);
	if (!u) throw new RequestError(`${field}: user ${id} not found`, 400);
	if (u.status !== 'Active' && !inactiveOk) throw new RequestError(`${field}: user ${id} is not active${switchName ? ` (switch ${switchName})` : ''}`, 400);
	return u;
}

/** An owner/assignee user id: an existing user, and an active one unless `inactiveUserAssignable`. */
export function checkUser(ctx, id, field) {
	if (id === null || id === undefined) return id;
	return userById(ctx, id, field, { inactiveOk: ctx.emu.config.inactiveUserAssignable, switchName: 'inactiveUserAssignable' }).id;
}

/** The short contact object orders and transactions embed. */
export function basicContact(store, contactId) {
	const c = store.getContact(contactId);
	if (!c) return { id: String(contactId) };
	return clean({ id: String(c.id), email: store.primaryEmail(c), given_name: c.given_name, family_name: c.family_name });
}

/**
 * The ids of a batch call (`contact_ids`, `email_ids`, ...): a non-empty list without repeats,
 * at most the named switch `maxSwitch` allows.
 */
export function idBatch(ctx, ids, name, what, maxSwitch) {
	if (!Array.isArray(ids) || ids.length === 0) throw new RequestError(`${name} must name at least one ${what}`, 400);
	const max = ctx.emu.config[maxSwitch];
	if (ids.length > max) throw new RequestError(`${name} takes at most ${max} per call, got ${ids.length} (switch ${maxSwitch})`, 400);
	if (new Set(ids).size !== ids.length) throw new RequestError(`${name} must be unique`, 400);
	return ids;
}

// ---- request shapes --------------------------------------------------------------------------
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

/** The changes a PATCH makes to `fields` ({ <field>: value }; a masked field absent from the body is cleared). */
export function patchFields(ctx, body, fields) {
	const touched = touchedBy(ctx, body);
	return Object.fromEntries(fields.filter(touched).map((f) => [f, body[f] ?? null]));
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

// ---- lists and filters -----------------------------------------------------------------------
/**
 * parseFilter plus value checks: a spec may carry `check(value, op, field)` that throws a 400
 * before any record is looked at (Keap rejects a bad value even when nothing would match).
 */
export function filterClauses(ctx, allowed) {
	const clauses = parseFilter(ctx.query.get('filter'), allowed, ctx.emu?.config);
	for (const cl of clauses) cl.spec.check?.(cl.value, cl.op, cl.field);
	return clauses;
}

/**
 * A REST v2 list: `filter` (field -> clause spec or null), `order_by` (`sorts`: name -> getter;
 * by id without one), page_size (at most `max`) / page_token / next_page_token. `out` maps a
 * record to its JSON.
 */
export function listOf(ctx, items, key, { filter = () => null, sorts = {}, out = (x) => x, max = 1000 } = {}) {
	const chosen = applyFilter(items, filterClauses(ctx, filter));
	chosen.sort(orderBy(ctx, sorts) ?? compareBy((x) => x.id, false));
	return page(ctx, chosen.map(out), key, max);
}

/**
 * Text: `==` only, case-insensitive; a trailing `*` is a prefix match, any other `*` a 400.
 * `contains`: without the trailing `*`, the text anywhere.
 */
export function prefixText(get, { contains = false } = {}) {
	return {
		ops: EQ,
		wildcard: true,
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

/** `==` one of `values` (exact); any other value is a 400. */
export function oneOf(get, values) {
	return {
		ops: EQ,
		check: (v, op, field) => {
			if (!values.includes(v)) throw new RequestError(`Invalid filter value for ${field}: ${v} (one of: ${values.join(', ')})`, 400);
		},
		test: (x, v) => get(x) === v,
	};
}

/** `==` an id; `get` may give one id or a list of them (any matches). */
export function idEquals(get) {
	return { ops: EQ, check: numericCheck, test: (x, v) => [].concat(get(x)).includes(Number(v)) };
}

export function idCompare(get, ops = ORD) {
	return { ops, check: numericCheck, test: (x, v, op) => cmp(op, get(x), Number(v)) };
}

/** `==` a comma-separated list of ids (at most `max`). */
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

/** A millisecond timestamp against a full ISO-8601 value: 'since' (>=), 'until' (<=) or 'at' (==). */
export function timeBound(get, bound) {
	return {
		ops: EQ,
		check: (v, op, field) => dateTimeIn(v, `filter ${field}`),
		test: (x, v) => {
			const t = get(x);
			if (t === null || t === undefined) return false;
			const ms = Date.parse(v);
			return bound === 'since' ? t >= ms : bound === 'until' ? t <= ms : t === ms;
		},
	};
}

function numericCheck(v, op, field) {
	if (!/^-?\d+$/.test(v)) throw new RequestError(`Invalid filter value for ${field}: ${v}`, 400);
}

export function numberCompare(get, ops = ORD) {
	return {
		ops,
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

// ---- custom field values ---------------------------------------------------------------------
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

/** Request `custom_fields: [{id, content}]` -> { <id>: content } checked against `defs` (the list replaces the stored values). */
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
	return defs.map((f) => ({ id: String(f.id), content: custom?.[f.id] ?? null }));
}

// ---- hook events and seeds -------------------------------------------------------------------
/** A hook event (hooks.mjs batches and delivers it); `apiPath` becomes the payload's apiUrl ('' for none). */
export function emit(store, eventKey, objectType, id, apiPath) {
	store.onEvent(eventKey, objectType, id, { apiPath });
}

/** A seed's contact reference: an id or one of the contact's email addresses; throws when unknown. */
export function seedContact(store, ref) {
	const email = String(ref).toLowerCase();
	const c = typeof ref === 'number'
		? store.contacts.get(ref)
		: [...store.contacts.values()].find((x) => x.email_addresses.some((e) => e.email?.toLowerCase() === email));
	if (!c) throw new Error(`seed: unknown contact ${ref}`);
	return c;
}

/** A seed's reference to a record of `map` by id or by `name` (e.g. a tag, stage or product name). */
export function seedRecord(map, ref, name, what) {
	const rec = typeof ref === 'number' ? map.get(ref) : [...map.values()].find((x) => x[name] === ref);
	if (!rec) throw new Error(`seed: unknown ${what} ${ref}`);
	return rec;
}
