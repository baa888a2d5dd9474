// Pieces every object module (objects/*.mjs) shares: id and reference lookups, money, REST v2
// list conventions (filter grammar, order_by, page tokens: the same code as contacts and tags),
// custom-field sets per record type, and hook events.
import { RequestError } from '../rest-common.mjs';
import { page, parseFilter, applyFilter, orderBy, cmp, EQ, ORD, customFieldOut, FIELD_TYPE_V1 } from '../rest-v2.mjs';
import { compareBy, parseTime } from '../rest-common.mjs';
import { checkCustomContent, coerceCustomContent } from '../store.mjs';
import { iso, wildcardMatch } from '../util.mjs';

export { RequestError, iso, parseTime, cmp, EQ, ORD };

export const ORD_NE = ['==', '!=', '>', '<', '>=', '<='];

// ---- ids and lookups ---------------------------------------------------------------------------
/** A numeric id from a path or body string; 400 when it is not all digits. */
export function idOf(value, name) {
	if (!/^\d+$/.test(String(value ?? ''))) throw new RequestError(`Invalid ${name}: ${value}`, 400);
	return Number(value);
}

/** A record named by a path parameter, or 404. */
export function pathRecord(map, value, name, label) {
	const rec = map.get(idOf(value, name));
	if (!rec) throw new RequestError(`${label} ${value} not found`, 404);
	return rec;
}

/** A record a request body refers to, or 400 (the request is wrong, not the URL). */
export function bodyRecord(map, value, name, label) {
	const rec = map.get(idOf(value, name));
	if (!rec) throw new RequestError(`${name}: ${label} ${value} not found`, 400);
	return rec;
}

export function contactRef(store, value, name = 'contact_id') {
	const c = store.getContact(idOf(value, name));
	if (!c) throw new RequestError(`${name}: contact ${value} not found`, 400);
	return c;
}

/** An optional reference: absent, '' or '0' mean none (Keap's "Default is 0"). */
export function optionalRef(map, value, name, label) {
	if (value === undefined || value === null || value === '' || value === '0') return null;
	return bodyRecord(map, value, name, label).id;
}

export function userRef(store, value, name = 'user_id', { active = true } = {}) {
	const id = idOf(value, name);
	const u = store.users.find((x) => x.id === id);
	if (!u) throw new RequestError(`${name}: user ${value} not found`, 400);
	if (active && u.status !== 'Active') throw new RequestError(`${name}: user ${value} is not active`, 400);
	return u;
}

/** Next id of a counter kept in store.nextId. */
export function nextId(store, key) {
	return store.nextId[key]++;
}

// ---- values ------------------------------------------------------------------------------------
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

export function timeOrNull(value) {
	return value === undefined || value === null ? null : Date.parse(value);
}

export function isoOrUndefined(ms) {
	return ms === null || ms === undefined ? undefined : iso(ms);
}

/** The emulator clock's UTC date, yyyy-MM-dd. */
export function today(store) {
	return iso(store.clock.now()).slice(0, 10);
}

/** Drops null/undefined properties (REST v2 leaves unset fields out). */
export function compact(obj) {
	return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined));
}

export function isBase64(text) {
	return typeof text === 'string' && text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

export function base64Field(value, name) {
	if (value === undefined || value === null) return null;
	if (!isBase64(value)) throw new RequestError(`${name} must be Base64 encoded`, 400);
	return value;
}

export function basicContact(store, contactId) {
	const c = store.getContact(contactId);
	if (!c) return { id: String(contactId) };
	return compact({ id: String(c.id), email: store.primaryEmail(c), given_name: c.given_name, family_name: c.family_name });
}

// ---- lists -------------------------------------------------------------------------------------
/** Filter clause specs, for parseFilter(): (x, value, op) => boolean. */
export const filters = {
	/** `==` with a trailing `*` wildcard, case-insensitive. */
	text: (get) => ({ ops: EQ, test: (x, v) => wildcardMatch(get(x), v) }),
	/** `==` matching the text anywhere (campaign and automation names). */
	contains: (get) => ({ ops: EQ, test: (x, v) => String(get(x) ?? '').toLowerCase().includes(v.toLowerCase()) }),
	/** `==` exact (ids, enum values; case-sensitive). */
	exact: (get) => ({ ops: EQ, test: (x, v) => get(x) !== null && get(x) !== undefined && String(get(x)) === v }),
	/** Numeric comparisons (ids, amounts). */
	number: (get, ops = ORD) => ({ ops, test: (x, v, op) => cmp(op, get(x), numberValue(v)) }),
	/** `==` against a comma-separated list. */
	ids: (get) => ({ ops: EQ, test: (x, v) => v.split(',').map((s) => s.trim()).includes(String(get(x))) }),
	/** `==true` / `==false` only. */
	bool: (get, name) => ({ ops: EQ, test: (x, v) => get(x) === boolValue(v, name) }),
	/** `==` one of the listed values. */
	oneOf: (get, values, name) => ({ ops: EQ, test: (x, v) => get(x) === enumValue(v, values, name) }),
	since: (get, name) => ({ ops: EQ, test: (x, v) => get(x) !== null && get(x) >= parseTime(v, name) }),
	until: (get, name) => ({ ops: EQ, test: (x, v) => get(x) !== null && get(x) <= parseTime(v, name) }),
};

function numberValue(v) {
	if (v.trim() === '' || Number.isNaN(Number(v))) throw new RequestError(`Invalid number in filter: ${v}`, 400);
	return Number(v);
}

function boolValue(v, name) {
	if (v !== 'true' && v !== 'false') throw new RequestError(`Filter ${name} takes true or false, got ${v}`, 400);
	return v === 'true';
}

function enumValue(v, values, name) {
	if (!values.includes(v)) throw new RequestError(`Filter ${name} must be one of: ${values.join(', ')}`, 400);
	return v;
}

/**
 * A REST v2 list: `filter` (spec(field) → clause spec or null), `order_by` (name → getter),
 * default order by id, page_size/page_token/next_page_token. `out` maps a record to its JSON.
 */
export function listOf(ctx, items, key, { filter = () => null, sorts = {}, out = (x) => x, max = 1000 } = {}) {
	const clauses = parseFilter(ctx.query.get('filter'), filter);
	const chosen = applyFilter(items, clauses);
	chosen.sort(orderBy(ctx, sorts) ?? compareBy((x) => x.id, false));
	return page(ctx, chosen.map(out), key, max);
}

/** Applies a PATCH body: with update_mask only the masked fields (absent ones cleared), else the fields sent. */
export function patchFields(body, mask, fields) {
	const changed = {};
	for (const f of fields) {
		if (mask.length ? mask.includes(f) : f in body) changed[f] = body[f] ?? null;
	}
	return changed;
}

// ---- custom fields of a record type ------------------------------------------------------------
const NUMERIC = ['WholeNumber', 'DecimalNumber', 'Currency', 'Percent', 'Year', 'Month', 'DayOfWeek', 'User'];

/**
 * Custom fields of one record type (ORDER, SUBSCRIPTION, REFERRAL_PARTNER): definitions in
 * store[key] (the same shape as contact custom fields), values on each record's `custom` map.
 */
export class CustomFields {
	constructor(key, recordType, namePrefix) {
		this.key = key;
		this.recordType = recordType;
		this.namePrefix = namePrefix;
	}

	reset(store) {
		store[this.key] = [];
	}

	defs(store) {
		return store[this.key];
	}

	/** `custom_fields: [{id, content}]` from a request → { <id>: content }; 400 on an unknown id or a bad value. */
	values(store, list, current = {}) {
		const out = { ...current };
		for (const { id, content } of list ?? []) {
			const def = this.defs(store).find((f) => String(f.id) === String(id));
			if (!def) throw new RequestError(`custom_fields: ${this.recordType.toLowerCase()} custom field ${id} does not exist`, 400);
			const err = checkCustomContent(def, content);
			if (err) throw new RequestError(err, 400);
			if (content === null || content === undefined || content === '') delete out[def.id];
			else out[def.id] = coerceCustomContent(def, content);
		}
		return out;
	}

	/** Every defined field with its value (null when unset), as contacts show them. */
	out(store, custom) {
		return this.defs(store).map((f) => ({ id: String(f.id), content: custom?.[f.id] ?? null }));
	}

	/** A filter clause spec for a custom field named by its field_name, or null. */
	filterSpec(store, field, getCustom) {
		const def = this.defs(store).find((f) => f.field_name.toLowerCase() === field.toLowerCase());
		if (!def) return null;
		const value = (x) => getCustom(x)?.[def.id];
		if (NUMERIC.includes(def.field_type)) return filters.number(value);
		if (def.field_type === 'Date' || def.field_type === 'DateTime') {
			return { ops: ORD, test: (x, v, op) => cmp(op, value(x) == null ? null : Date.parse(value(x)), parseTime(v, field)) };
		}
		if (def.field_type === 'YesNo') return filters.bool(value, field);
		return filters.text(value);
	}

	/** GET <prefix>/model, POST/PATCH/DELETE <prefix>/model/customFields. */
	routes(prefix) {
		const find = (ctx) => {
			const id = idOf(ctx.params.custom_field_id, 'custom_field_id');
			const f = this.defs(ctx.store).find((x) => x.id === id);
			if (!f) throw new RequestError(`Custom field ${id} not found`, 404);
			return f;
		};
		return [
			{
				method: 'GET', path: `${prefix}/model`,
				handler: (ctx) => ({ status: 200, body: { custom_fields: this.defs(ctx.store).map(customFieldOut), optional_properties: [] } }),
			},
			{
				method: 'POST', path: `${prefix}/model/customFields`,
				handler: (ctx) => {
					const b = ctx.body;
					nonBlank(b.label, 'label');
					const type = FIELD_TYPE_V1[b.field_type];
					if (this.defs(ctx.store).some((f) => f.label.toLowerCase() === b.label.toLowerCase())) throw new RequestError(`A custom field labelled ${b.label} already exists`, 400);
					const f = {
						id: ctx.store.nextId.customField++, label: b.label, field_type: type,
						field_name: `${this.namePrefix}${b.label.replace(/[^A-Za-z0-9]/g, '')}${this.defs(ctx.store).length}`,
						record_type: this.recordType, default_value: null, options: (b.options ?? []).map((o) => o.label).filter(Boolean),
					};
					this.defs(ctx.store).push(f);
					return { status: 201, body: customFieldOut(f) };
				},
			},
			{
				method: 'PATCH', path: `${prefix}/model/customFields/{custom_field_id}`,
				handler: (ctx) => {
					const f = find(ctx);
					const changed = patchFields(ctx.body, ctx.query.getAll('update_mask').flatMap((v) => v.split(',')).filter(Boolean), ['label', 'options']);
					if ('label' in changed) f.label = nonBlank(changed.label, 'label');
					if ('options' in changed) f.options = (changed.options ?? []).map((o) => o.label).filter(Boolean);
					return { status: 200, body: customFieldOut(f) };
				},
			},
			{
				method: 'DELETE', path: `${prefix}/model/customFields/{custom_field_id}`,
				handler: (ctx) => {
					const f = find(ctx);
					const list = this.defs(ctx.store);
					list.splice(list.indexOf(f), 1);
					return { status: 204 };
				},
			},
		];
	}
}

// ---- hook events -------------------------------------------------------------------------------
/** A hook event (hooks.mjs batches and delivers it); `apiPath` becomes the payload's apiUrl. */
export function emit(store, eventKey, objectType, id, apiPath) {
	store.onEvent(eventKey, objectType, id, { apiPath });
}

/** Resolves a seed reference to a contact: an id or a primary email address. */
export function seedContact(store, ref) {
	if (typeof ref === 'number') {
		if (!store.getContact(ref)) throw new Error(`seed: unknown contact ${ref}`);
		return ref;
	}
	const c = [...store.contacts.values()].find((x) => store.primaryEmail(x)?.toLowerCase() === String(ref).toLowerCase());
	if (!c) throw new Error(`seed: unknown contact ${ref}`);
	return c.id;
}
