// The emulator's single data store. REST v1, REST v2 and XML-RPC all read and write the same
// records; each API only translates to and from this canonical (internal) form.
//
// Canonical contact (numeric ids, v1-like names):
//   { id, given_name, middle_name, family_name, prefix, suffix, preferred_name, spouse_name,
//     job_title, website, time_zone, preferred_locale, contact_type, owner_id, lead_source_id,
//     company_id, company_name, notes, anniversary ('yyyy-MM-dd'), birthday (ISO date-time),
//     source_type (v1 enum), score_value, referral_code, assistant_name, assistant_phone,
//     billing_information, account_id, origin: {date, ip_address} | null,
//     email_addresses: [{email, field}], phone_numbers: [{number, extension, type, field}],
//     fax_numbers: [{number, type, field}],
//     addresses: [{field, line1, line2, locality, region, region_code, country_code,
//                  postal_code, zip_code, zip_four}],
//     social_accounts: [{name, type}] (v1 type names), custom: { <fieldId>: content },
//     xml: { <XML-RPC-only field>: value }, created_by, last_updated_by,
//     date_created (ms), last_updated (ms) }
// Email opt-in status is kept per address (as Keap does), in `emailStatus`.
import { clone, iso, parseDateLoose } from './util.mjs';

export const SCALAR_FIELDS = [
	'given_name', 'middle_name', 'family_name', 'prefix', 'suffix', 'preferred_name', 'spouse_name',
	'job_title', 'website', 'time_zone', 'preferred_locale', 'contact_type', 'owner_id',
	'lead_source_id', 'company_id', 'company_name', 'notes', 'anniversary', 'birthday',
	'source_type', 'score_value', 'referral_code', 'assistant_name', 'assistant_phone',
	'billing_information', 'account_id',
];
export const COLLECTION_FIELDS = ['email_addresses', 'phone_numbers', 'fax_numbers', 'addresses', 'social_accounts'];

export const MARKETABLE = new Set(['UnengagedMarketable', 'SingleOptIn', 'DoubleOptin', 'Confirmed']);
/** Statuses from which an API opt-in is allowed (anything else is an opt-out or a block). */
export const OPT_IN_ALLOWED_FROM = new Set(['NonMarketable', 'UnengagedNonMarketable']);

export const CLIENT_ID = 'emulator-client-id';
export const CLIENT_SECRET = 'emulator-client-secret';
export const PAT = 'KeapPAT-emulator-pat';
export const SAK = 'KeapAK-emulator-sak';

/** Contact custom fields present in every emulator (also after reset). */
export const FIXTURE_CUSTOM_FIELDS = [
	{ id: 6, label: 'Favorite Color', field_type: 'Text', options: [] },
	{ id: 8, label: 'Membership Level', field_type: 'Dropdown', options: ['Bronze', 'Silver', 'Gold', 'Platinum'] },
	{ id: 10, label: 'Signup Date', field_type: 'Date', options: [] },
	{ id: 12, label: 'Lifetime Value', field_type: 'DecimalNumber', options: [] },
	{ id: 14, label: 'Visit Count', field_type: 'WholeNumber', options: [] },
	{ id: 16, label: 'VIP', field_type: 'YesNo', options: [] },
].map((f) => ({ ...f, field_name: f.label.replace(/\s+/g, ''), record_type: 'CONTACT', default_value: null }));

export const FIXTURE_USERS = [
	{ id: 1, given_name: 'Avery', family_name: 'Admin', email: 'avery.admin@emulator.example', admin: true, status: 'Active', global_user_id: 900001 },
	{ id: 3, given_name: 'Sam', family_name: 'Seller', email: 'sam.seller@emulator.example', admin: false, status: 'Active', global_user_id: 900003 },
	{ id: 5, given_name: 'Inez', family_name: 'Idle', email: 'inez.idle@emulator.example', admin: false, status: 'Inactive', global_user_id: 900005 },
];

export const FIXTURE_LEAD_SOURCES = [
	{ id: 7, name: 'Website', description: 'Organic visits to the web site', medium: 'Organic', vendor: '' },
	{ id: 9, name: 'Referral', description: 'Referred by an existing customer', medium: 'Word of mouth', vendor: '' },
	{ id: 11, name: 'Trade Show', description: 'Met at a trade show', medium: 'Event', vendor: 'Expo Inc.' },
	{ id: 13, name: 'Google Ads', description: 'Paid search', medium: 'CPC', vendor: 'Google' },
];

export const CONTACT_TYPES = ['Lead', 'Customer', 'Partner', 'Other'];

export class Store {
	/** `parts`: per-object store parts ({ reset(store), snapshot(store) }, see objects/index.mjs). */
	constructor(clock, parts = []) {
		this.clock = clock;
		this.parts = parts;
		/** Set by the hooks module: (eventKey, objectType, id, extra) => void */
		this.onEvent = () => {};
		this.reset();
	}

	reset() {
		this.contacts = new Map();
		this.tags = new Map();
		this.categories = new Map();
		/** contactId -> Map(tagId -> appliedAt ms) */
		this.applied = new Map();
		/** lowercased email -> { status, reason, time } */
		this.emailStatus = new Map();
		this.hooks = new Map();
		this.customFields = clone(FIXTURE_CUSTOM_FIELDS);
		this.users = clone(FIXTURE_USERS);
		this.leadSources = clone(FIXTURE_LEAD_SOURCES);
		this.contactTypes = [...CONTACT_TYPES];
		this.nextId = { contact: 1001, tag: 101, category: 11, customField: 40 };
		// Distinct timestamps: two writes never share a millisecond of last_updated.
		this.lastStamp = 0;
		for (const part of this.parts) part.reset?.(this);
	}

	stamp() {
		const now = this.clock.now();
		this.lastStamp = now > this.lastStamp ? now : this.lastStamp + 1;
		return this.lastStamp;
	}

	// ---- contacts ------------------------------------------------------------------------------
	emptyContact() {
		const c = { id: 0 };
		for (const f of SCALAR_FIELDS) c[f] = null;
		for (const f of COLLECTION_FIELDS) c[f] = [];
		c.custom = {};
		c.xml = {};
		c.origin = null;
		c.created_by = 0;
		c.last_updated_by = 0;
		return c;
	}

	/** Checks a canonical contact; returns an error message or null. */
	checkContact(c) {
		const seen = new Set();
		for (const coll of COLLECTION_FIELDS) {
			seen.clear();
			for (const item of c[coll]) {
				if (coll === 'social_accounts') continue;
				if (seen.has(item.field)) return `${coll} contains ${item.field} more than once`;
				seen.add(item.field);
			}
		}
		for (const e of c.email_addresses) {
			if (e.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.email)) return `Invalid email address: ${e.email}`;
		}
		for (const a of c.addresses) {
			if (a.region && !a.country_code) return 'country_code is required if region is specified';
		}
		if (c.owner_id != null && !this.users.some((u) => u.id === c.owner_id)) return `owner_id ${c.owner_id} is not a valid user`;
		if (c.lead_source_id != null && !this.leadSources.some((l) => l.id === c.lead_source_id)) return `lead_source_id ${c.lead_source_id} is not a valid lead source`;
		if (c.anniversary != null && !/^\d{4}-\d{2}-\d{2}$/.test(c.anniversary)) return `anniversary must be yyyy-MM-dd: ${c.anniversary}`;
		if (c.birthday != null && Number.isNaN(parseDateLoose(c.birthday))) return `birthday is not a valid date: ${c.birthday}`;
		for (const [id, content] of Object.entries(c.custom)) {
			const def = this.customFields.find((f) => String(f.id) === String(id));
			if (!def) return `Custom field ${id} does not exist`;
			const err = checkCustomContent(def, content);
			if (err) return err;
		}
		return null;
	}

	createContact(fields, { silent = false } = {}) {
		const c = Object.assign(this.emptyContact(), clone(fields));
		c.custom = normalizeCustom(this, c.custom);
		c.id = this.nextId.contact++;
		c.date_created = c.last_updated = this.stamp();
		this.contacts.set(c.id, c);
		if (!silent) this.onEvent('contact.add', 'contact', c.id);
		return c;
	}

	/** Replaces the stored record with `next` (a modified clone); bumps last_updated. */
	saveContact(next, { silent = false } = {}) {
		next.custom = normalizeCustom(this, next.custom);
		next.last_updated = this.stamp();
		this.contacts.set(next.id, next);
		if (!silent) this.onEvent('contact.edit', 'contact', next.id);
		return next;
	}

	deleteContact(id) {
		if (!this.contacts.delete(id)) return false;
		this.applied.delete(id);
		this.onEvent('contact.delete', 'contact', id);
		return true;
	}

	getContact(id) {
		return this.contacts.get(Number(id)) ?? null;
	}

	primaryEmail(c) {
		return (c.email_addresses.find((e) => e.field === 'EMAIL1') ?? c.email_addresses[0])?.email ?? null;
	}

	emailStatusOf(email) {
		if (!email) return null;
		return this.emailStatus.get(email.toLowerCase()) ?? { status: 'NonMarketable', reason: null };
	}

	/** API opt-in of an address; returns true when the status changed to marketable. */
	optIn(email, reason) {
		const cur = this.emailStatusOf(email);
		if (!OPT_IN_ALLOWED_FROM.has(cur.status)) return false;
		this.emailStatus.set(email.toLowerCase(), { status: 'SingleOptIn', reason: reason || 'API Opt In', time: this.clock.now() });
		return true;
	}

	findDuplicate(c, option) {
		const email = this.primaryEmail(c)?.toLowerCase();
		if (!email) return null;
		const eq = (a, b) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
		for (const other of [...this.contacts.values()].sort((a, b) => a.id - b.id)) {
			if (this.primaryEmail(other)?.toLowerCase() !== email) continue;
			if (option === 'Email') return other;
			if (!eq(other.given_name, c.given_name) || !eq(other.family_name, c.family_name)) continue;
			if (option === 'EmailAndName') return other;
			if (option === 'EmailAndNameAndCompany' && eq(other.company_name, c.company_name)) return other;
		}
		return null;
	}

	tagIdsOf(contactId) {
		return [...(this.applied.get(contactId)?.keys() ?? [])].sort((a, b) => a - b);
	}

	// ---- tags ----------------------------------------------------------------------------------
	createTag({ name, description = null, category_id = null }, { silent = false } = {}) {
		const now = this.stamp();
		const t = { id: this.nextId.tag++, name, description, category_id, create_time: now, update_time: now };
		this.tags.set(t.id, t);
		if (!silent) this.onEvent('contactGroup.add', 'contactGroup', t.id);
		return t;
	}

	saveTag(t) {
		t.update_time = this.stamp();
		this.tags.set(t.id, t);
		this.onEvent('contactGroup.edit', 'contactGroup', t.id);
		return t;
	}

	deleteTag(id) {
		if (!this.tags.delete(id)) return false;
		for (const m of this.applied.values()) m.delete(id);
		this.onEvent('contactGroup.delete', 'contactGroup', id);
		return true;
	}

	createCategory({ name, description = null }) {
		const now = this.stamp();
		const cat = { id: this.nextId.category++, name, description, create_time: now, update_time: now };
		this.categories.set(cat.id, cat);
		return cat;
	}

	/** Applies a tag: 'SUCCESS' | 'DUPLICATE' | 'CONTACT_NOT_FOUND' | 'TAG_ID_NOT_FOUND'. */
	applyTag(contactId, tagId, { silent = false } = {}) {
		if (!this.contacts.has(contactId)) return 'CONTACT_NOT_FOUND';
		if (!this.tags.has(tagId)) return 'TAG_ID_NOT_FOUND';
		let m = this.applied.get(contactId);
		if (!m) this.applied.set(contactId, (m = new Map()));
		if (m.has(tagId)) return 'DUPLICATE';
		m.set(tagId, this.stamp());
		if (!silent) this.onEvent('contactGroup.applied', 'contactGroup', tagId, { contactId });
		return 'SUCCESS';
	}

	/** Removes a tag; returns true when it was applied. */
	removeTag(contactId, tagId) {
		const m = this.applied.get(contactId);
		if (!m || !m.delete(tagId)) return false;
		this.onEvent('contactGroup.removed', 'contactGroup', tagId, { contactId });
		return true;
	}

	// ---- snapshot for assertions ---------------------------------------------------------------
	snapshot() {
		const parts = Object.assign({}, ...this.parts.map((part) => part.snapshot?.(this) ?? {}));
		return {
			...parts,
			contacts: [...this.contacts.values()].map((c) => ({
				...clone(c),
				tag_ids: this.tagIdsOf(c.id),
				date_created: iso(c.date_created),
				last_updated: iso(c.last_updated),
			})),
			tags: [...this.tags.values()].map((t) => ({ ...t, create_time: iso(t.create_time), update_time: iso(t.update_time) })),
			categories: [...this.categories.values()].map((t) => ({ ...t, create_time: iso(t.create_time), update_time: iso(t.update_time) })),
			applied: [...this.applied].flatMap(([contactId, m]) => [...m].map(([tagId, at]) => ({ contactId, tagId, applied: iso(at) }))),
			emailStatus: Object.fromEntries(this.emailStatus),
			hooks: [...this.hooks.values()].map(({ key, eventKey, hookUrl, status }) => ({ key, eventKey, hookUrl, status })),
			customFields: clone(this.customFields),
			users: clone(this.users),
			leadSources: clone(this.leadSources),
		};
	}
}

function normalizeCustom(store, custom) {
	const out = {};
	for (const [id, content] of Object.entries(custom ?? {})) {
		if (content === null || content === undefined || content === '') continue;
		const def = store.customFields.find((f) => String(f.id) === String(id));
		out[id] = def ? coerceCustomContent(def, content) : content;
	}
	return out;
}

/** Returns an error message when `content` does not fit the custom field's type. */
export function checkCustomContent(def, content) {
	if (content === null || content === undefined || content === '') return null;
	const bad = (what) => `Custom field ${def.id} (${def.label}) expects ${what}, got ${JSON.stringify(content)}`;
	switch (def.field_type) {
		case 'WholeNumber':
			if (!(Number.isInteger(content) || (typeof content === 'string' && /^-?\d+$/.test(content)))) return bad('a whole number');
			return null;
		case 'DecimalNumber':
		case 'Currency':
		case 'Percent':
			if (!(typeof content === 'number' || (typeof content === 'string' && content.trim() !== '' && !Number.isNaN(Number(content))))) return bad('a number');
			return null;
		case 'YesNo':
			if (![true, false, 'Yes', 'No', 'true', 'false', 1, 0, '1', '0'].includes(content)) return bad('Yes/No (true/false)');
			return null;
		case 'Date':
		case 'DateTime':
			if (typeof content !== 'string' || Number.isNaN(parseDateLoose(content))) return bad('a date (yyyy-MM-dd or ISO date-time)');
			return null;
		case 'Dropdown':
			if (typeof content !== 'string' || !def.options.includes(content)) return bad(`one of ${def.options.join(', ')}`);
			return null;
		default:
			if (typeof content !== 'string' && typeof content !== 'number') return bad('text');
			return null;
	}
}

/** Stores custom values in one form per type: numbers as numbers, yes/no as boolean, dates as yyyy-MM-dd. */
export function coerceCustomContent(def, content) {
	switch (def.field_type) {
		case 'WholeNumber':
		case 'DecimalNumber':
		case 'Currency':
		case 'Percent':
			return Number(content);
		case 'YesNo':
			return [true, 'Yes', 'true', 1, '1'].includes(content);
		case 'Date':
			return new Date(parseDateLoose(content)).toISOString().slice(0, 10);
		default:
			return typeof content === 'string' ? content : String(content);
	}
}
