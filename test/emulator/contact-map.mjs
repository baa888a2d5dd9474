// Translation between the store's canonical contact and REST v1 / REST v2 shapes.
import { iso } from './util.mjs';
import { countryName, regionCode, regionName } from './geo.mjs';

// ---- enums -------------------------------------------------------------------------------------
export const EMAIL_STATUS_V2 = {
	UnengagedMarketable: 'UNENGAGED_MARKETABLE', SingleOptIn: 'SINGLE_OPT_IN', DoubleOptin: 'DOUBLE_OPT_IN',
	Confirmed: 'CONFIRMED', UnengagedNonMarketable: 'UNENGAGED_NON_MARKETABLE', NonMarketable: 'NON_MARKETABLE',
	Lockdown: 'LOCKDOWN', Bounce: 'BOUNCE', HardBounce: 'HARD_BOUNCE', Manual: 'MANUAL', Admin: 'ADMIN',
	System: 'SYSTEM', ListUnsubscribe: 'LIST_UNSUBSCRIBE', Feedback: 'FEEDBACK', Spam: 'SPAM', Invalid: 'INVALID',
	Deactivated: 'DEACTIVATED',
};
const SOURCE_V2 = {
	APPOINTMENT: 'APPOINTMENT', FORMAPIHOSTED: 'FORM_API_HOSTED', FORMAPIINTERNAL: 'FORM_API_INTERNAL',
	WEBFORM: 'WEBFORM', INTERNALFORM: 'INTERNAL_FORM', LANDINGPAGE: 'LANDING_PAGE', IMPORT: 'IMPORT',
	MANUAL: 'MANUAL', API: 'API', OTHER: 'OTHER', UNKNOWN: 'UNKNOWN',
};
const SOCIAL_V2 = {
	Facebook: 'FACEBOOK', Twitter: 'TWITTER', LinkedIn: 'LINKED_IN', Instagram: 'INSTAGRAM',
	Snapchat: 'SNAPCHAT', YouTube: 'YOUTUBE', Pinterest: 'PINTEREST',
};
const invert = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k]));
const SOURCE_V1 = invert(SOURCE_V2);
const SOCIAL_V1 = invert(SOCIAL_V2);

export const MARKETABLE_STATUSES = new Set(['UnengagedMarketable', 'SingleOptIn', 'DoubleOptin', 'Confirmed']);

/** Properties left out of v1 contact reads unless asked for in optional_properties (unverified list). */
export const V1_OPTIONAL = [
	'custom_fields', 'fax_numbers', 'job_title', 'lead_source_id', 'notes', 'origin', 'preferred_locale',
	'relationships', 'social_accounts', 'source_type', 'spouse_name', 'time_zone', 'website',
];
/** All v2 contact fields (the list in the `fields` parameter's description). */
export const V2_FIELDS = [
	'addresses', 'anniversary_date', 'birth_date', 'company', 'contact_type', 'create_time', 'custom_fields',
	'email_addresses', 'family_name', 'fax_numbers', 'given_name', 'id', 'job_title', 'leadsource_id', 'links',
	'middle_name', 'notes', 'origin', 'owner_id', 'phone_numbers', 'preferred_locale', 'preferred_name', 'prefix',
	'referral_code', 'score_value', 'social_accounts', 'source_type', 'spouse_name', 'suffix', 'tag_ids',
	'time_zone', 'update_time', 'utm_parameters', 'website', 'account_id', 'assistant_name', 'assistant_phone',
	'billing_information', 'created_by', 'groups', 'last_updated_by',
];
/** v2 fields sent only when listed in `fields` (unverified list; mirrors v1's optional properties). */
export const V2_OPTIONAL = ['custom_fields', 'fax_numbers', 'links', 'notes', 'origin', 'social_accounts', 'utm_parameters', 'groups', 'leadsource_id', 'job_title'];

export class RequestError extends Error {
	constructor(message, status = 400) {
		super(message);
		this.status = status;
	}
}

function idNum(v, name) {
	if (v === undefined) return undefined;
	if (v === null || v === '') return null;
	const s = String(v);
	if (!/^\d+$/.test(s)) throw new RequestError(`${name} must be a numeric id, got ${JSON.stringify(v)}`);
	return Number(s);
}

function dateOnly(v, name) {
	if (v === undefined) return undefined;
	if (v === null || v === '') return null;
	const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(String(v));
	if (!m) throw new RequestError(`${name} must be a date (yyyy-MM-dd), got ${JSON.stringify(v)}`);
	return m[1];
}

function dateTime(v, name) {
	if (v === undefined) return undefined;
	if (v === null || v === '') return null;
	const s = String(v);
	const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(s + 'T00:00:00Z') : Date.parse(s);
	if (Number.isNaN(ms)) throw new RequestError(`${name} is not a valid date-time: ${JSON.stringify(v)}`);
	return iso(ms);
}

const v1Scalars = ['given_name', 'middle_name', 'family_name', 'prefix', 'suffix', 'preferred_name', 'spouse_name', 'job_title', 'website', 'time_zone', 'preferred_locale', 'contact_type', 'notes'];
const v2Scalars = [...v1Scalars, 'referral_code', 'assistant_name', 'assistant_phone', 'billing_information'];

function mapAddress(a, version) {
	const out = {
		field: a.field,
		line1: a.line1 ?? null,
		line2: a.line2 ?? null,
		locality: a.locality ?? null,
		region: a.region ?? null,
		region_code: a.region_code ?? null,
		country_code: a.country_code ?? null,
		postal_code: a.postal_code ?? null,
		zip_code: a.zip_code ?? null,
		zip_four: a.zip_four ?? null,
	};
	if (version === 'v2') {
		if (out.region_code && !out.region) out.region = regionName(out.region_code);
	}
	if (out.region && !out.region_code) out.region_code = regionCode(out.region, out.country_code);
	return out;
}

/**
 * v1 request body -> canonical changes. Returns { set, optInReason } where `set` only has the
 * properties present in the body.
 */
export function fromV1Body(body) {
	const set = {};
	for (const k of v1Scalars) if (k in body) set[k] = body[k] ?? null;
	if ('owner_id' in body) set.owner_id = idNum(body.owner_id, 'owner_id');
	if ('lead_source_id' in body) set.lead_source_id = idNum(body.lead_source_id, 'lead_source_id');
	if ('anniversary' in body) set.anniversary = dateOnly(body.anniversary, 'anniversary');
	if ('birthday' in body) set.birthday = dateTime(body.birthday, 'birthday');
	if ('source_type' in body) set.source_type = body.source_type ?? null;
	if ('company' in body) set.company_id = body.company?.id ?? null;
	if ('email_addresses' in body) set.email_addresses = (body.email_addresses ?? []).map((e) => ({ email: e.email ?? null, field: e.field }));
	if ('phone_numbers' in body) set.phone_numbers = (body.phone_numbers ?? []).map((p) => ({ number: p.number ?? null, extension: p.extension ?? null, type: p.type ?? null, field: p.field }));
	if ('fax_numbers' in body) set.fax_numbers = (body.fax_numbers ?? []).map((p) => ({ number: p.number ?? null, type: p.type ?? null, field: p.field }));
	if ('addresses' in body) set.addresses = (body.addresses ?? []).map((a) => mapAddress(a, 'v1'));
	if ('social_accounts' in body) set.social_accounts = (body.social_accounts ?? []).map((s) => ({ name: s.name ?? null, type: s.type }));
	if ('custom_fields' in body) set.custom = Object.fromEntries((body.custom_fields ?? []).map((f) => [String(f.id), f.content]));
	if ('origin' in body) set.origin = body.origin ? { ip_address: body.origin.ip_address } : null;
	return { set, optInReason: body.opt_in_reason ?? null, emailOptIns: [] };
}

/** v2 request body -> canonical changes (see fromV1Body). */
export function fromV2Body(body) {
	const set = {};
	for (const k of v2Scalars) if (k in body) set[k] = body[k] ?? null;
	if ('owner_id' in body) set.owner_id = idNum(body.owner_id, 'owner_id');
	if ('leadsource_id' in body) set.lead_source_id = idNum(body.leadsource_id, 'leadsource_id');
	if ('anniversary_date' in body) set.anniversary = dateOnly(body.anniversary_date, 'anniversary_date');
	if ('birth_date' in body) set.birthday = dateTime(body.birth_date, 'birth_date');
	if ('source_type' in body) set.source_type = body.source_type && body.source_type !== 'SOURCE_TYPE_UNSPECIFIED' ? SOURCE_V1[body.source_type] : null;
	if ('company' in body) {
		set.company_id = idNum(body.company?.id, 'company.id') ?? null;
		if (body.company?.company_name !== undefined) set.company_name = body.company.company_name;
	}
	const emailOptIns = [];
	const need = (item, coll) => {
		if (!item.field || item.field.endsWith('_UNSPECIFIED')) throw new RequestError(`${coll}.field is required`);
		return item.field;
	};
	if ('email_addresses' in body) {
		set.email_addresses = (body.email_addresses ?? []).map((e) => {
			if (e.opt_in_reason && e.email) emailOptIns.push({ email: e.email, reason: e.opt_in_reason });
			return { email: e.email ?? null, field: need(e, 'email_addresses') };
		});
	}
	if ('phone_numbers' in body) set.phone_numbers = (body.phone_numbers ?? []).map((p) => ({ number: p.number ?? null, extension: p.extension ?? null, type: p.type ?? null, field: need(p, 'phone_numbers') }));
	if ('fax_numbers' in body) set.fax_numbers = (body.fax_numbers ?? []).map((p) => ({ number: p.number ?? null, type: p.type ?? null, field: need(p, 'fax_numbers') }));
	if ('addresses' in body) set.addresses = (body.addresses ?? []).map((a) => mapAddress({ ...a, field: need(a, 'addresses') }, 'v2'));
	if ('social_accounts' in body) set.social_accounts = (body.social_accounts ?? []).map((s) => ({ name: s.name ?? null, type: SOCIAL_V1[s.type] ?? s.type }));
	if ('custom_fields' in body) set.custom = Object.fromEntries((body.custom_fields ?? []).map((f) => [String(idNum(f.id, 'custom_fields.id')), f.content]));
	if ('origin' in body) set.origin = body.origin ? { ip_address: body.origin.ip_address } : null;
	return { set, optInReason: null, emailOptIns };
}

function clean(o) {
	for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
	return o;
}

function v1Address(a) {
	return clean({ field: a.field, line1: a.line1, line2: a.line2, locality: a.locality, region: a.region, country_code: a.country_code, postal_code: a.postal_code, zip_code: a.zip_code, zip_four: a.zip_four });
}

function e164(number) {
	if (!number) return null;
	const digits = String(number).replace(/\D/g, '');
	if (digits.length === 10) return `+1${digits}`;
	if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
	return null;
}

/**
 * Canonical -> v1 contact. mode 'full' (FullContact after writes), 'get' (by id: default
 * properties + optional_properties), 'list' (RestPartialContact: no tag_ids/relationships).
 */
export function toV1(store, c, { mode = 'full', optional = [] } = {}) {
	const emailStatus = store.emailStatusOf(store.primaryEmail(c));
	const company = c.company_id != null || c.company_name ? clean({ id: c.company_id, company_name: c.company_name }) : null;
	const all = {
		id: c.id,
		given_name: c.given_name, middle_name: c.middle_name, family_name: c.family_name,
		prefix: c.prefix, suffix: c.suffix, preferred_name: c.preferred_name, spouse_name: c.spouse_name,
		job_title: c.job_title, website: c.website, time_zone: c.time_zone, preferred_locale: c.preferred_locale,
		contact_type: c.contact_type, owner_id: c.owner_id, lead_source_id: c.lead_source_id,
		company, company_name: c.company_name,
		email_addresses: c.email_addresses.map((e) => clean({ email: e.email, field: e.field })),
		email_opted_in: emailStatus ? MARKETABLE_STATUSES.has(emailStatus.status) : false,
		email_status: emailStatus?.status ?? null,
		phone_numbers: c.phone_numbers.map((p) => clean({ number: p.number, extension: p.extension, type: p.type, field: p.field, number_e164: e164(p.number) })),
		fax_numbers: c.fax_numbers.map((p) => clean({ number: p.number, type: p.type, field: p.field })),
		addresses: c.addresses.map(v1Address),
		social_accounts: c.social_accounts.map((s) => clean({ name: s.name, type: s.type })),
		custom_fields: store.customFields.map((f) => ({ id: f.id, content: c.custom[f.id] ?? null })),
		anniversary: c.anniversary, birthday: c.birthday, source_type: c.source_type,
		origin: c.origin ? clean({ date: c.origin.date, ip_address: c.origin.ip_address }) : null,
		ScoreValue: c.score_value, notes: c.notes,
		relationships: [],
		tag_ids: store.tagIdsOf(c.id),
		date_created: iso(c.date_created), last_updated: iso(c.last_updated),
	};
	if (mode === 'list') {
		delete all.tag_ids;
		delete all.relationships;
	}
	if (mode !== 'full') {
		for (const k of V1_OPTIONAL) if (!optional.includes(k)) delete all[k];
	}
	return clean(all);
}

/** Canonical -> v2 contact; `fields` (array) limits the output like the `fields` parameter. */
export function toV2(store, c, fields) {
	const emailOut = (e) => {
		const st = store.emailStatusOf(e.email);
		return clean({
			email: e.email, field: e.field,
			opt_in_reason: st?.reason ?? null,
			is_opt_in: st ? MARKETABLE_STATUSES.has(st.status) : false,
			email_opt_status: st ? EMAIL_STATUS_V2[st.status] : null,
		});
	};
	const tagIds = store.tagIdsOf(c.id);
	const all = {
		id: String(c.id),
		given_name: c.given_name, middle_name: c.middle_name, family_name: c.family_name,
		prefix: c.prefix, suffix: c.suffix, preferred_name: c.preferred_name, spouse_name: c.spouse_name,
		job_title: c.job_title, website: c.website, time_zone: c.time_zone, preferred_locale: c.preferred_locale,
		contact_type: c.contact_type,
		owner_id: c.owner_id != null ? String(c.owner_id) : null,
		leadsource_id: c.lead_source_id != null ? String(c.lead_source_id) : null,
		company: c.company_id != null || c.company_name ? clean({ id: c.company_id != null ? String(c.company_id) : null, company_name: c.company_name }) : null,
		email_addresses: c.email_addresses.map(emailOut),
		phone_numbers: c.phone_numbers.map((p) => clean({ number: p.number, extension: p.extension, type: p.type, field: p.field, number_e164: e164(p.number) })),
		fax_numbers: c.fax_numbers.map((p) => clean({ number: p.number, type: p.type, field: p.field })),
		addresses: c.addresses.map((a) => clean({ ...v1Address(a), region_code: a.region_code, country: countryName(a.country_code) })),
		social_accounts: c.social_accounts.map((s) => clean({ name: s.name, type: SOCIAL_V2[s.type] ?? s.type })),
		custom_fields: store.customFields.map((f) => ({ id: String(f.id), content: c.custom[f.id] ?? null })),
		anniversary_date: c.anniversary,
		birth_date: c.birthday ? c.birthday.slice(0, 10) : null,
		source_type: c.source_type ? SOURCE_V2[c.source_type] : null,
		origin: c.origin ? clean({ date: c.origin.date, ip_address: c.origin.ip_address }) : null,
		score_value: c.score_value, notes: c.notes, referral_code: c.referral_code,
		assistant_name: c.assistant_name, assistant_phone: c.assistant_phone,
		billing_information: c.billing_information, account_id: c.account_id != null ? String(c.account_id) : null,
		created_by: c.created_by != null ? String(c.created_by) : null,
		last_updated_by: c.last_updated_by != null ? String(c.last_updated_by) : null,
		tag_ids: tagIds.map(String),
		groups: tagIds.join(','),
		links: [],
		utm_parameters: [],
		create_time: iso(c.date_created),
		update_time: iso(c.last_updated),
	};
	if (fields && fields.length) {
		for (const k of Object.keys(all)) if (k !== 'id' && !fields.includes(k)) delete all[k];
	} else {
		for (const k of V2_OPTIONAL) delete all[k];
	}
	return clean(all);
}
