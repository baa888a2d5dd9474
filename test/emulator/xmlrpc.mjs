// XML-RPC (/crm/xmlrpc/v1): ContactService, DataService (Contact, ContactGroup,
// ContactGroupAssign, ContactGroupCategory), APIEmailService. Uses the `xmlrpc` package's own
// (de)serializer, independent of the package's codec. Faults are HTTP 200.
import { PassThrough } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import serializer from 'xmlrpc/lib/serializer.js';
import CustomType from 'xmlrpc/lib/customtype.js';
import { clone, percentMatch, xmlDate, fromWall, isPlainObject } from './util.mjs';
import { countryCode, countryName, regionCode } from './geo.mjs';
import { checkCustomContent } from './store.mjs';

// ---- typed values for the response serializer ---------------------------------------------------
class I4 extends CustomType {}
I4.prototype.tagName = 'i4';
class XDate extends CustomType {}
XDate.prototype.tagName = 'dateTime.iso8601';
/** A string written as bare <value>text</value>, as Keap often does. */
class Bare extends CustomType {
	serialize(xml) {
		return this.raw === '' ? xml : xml.txt(this.raw);
	}
}

export class Fault extends Error {
	constructor(code, name, message) {
		super(name ? `[${name}]${message}` : message);
		this.faultCode = code;
	}
}
const F = {
	invalidKey: () => new Fault(2, 'InvalidKey', 'Invalid Key'),
	notFound: (what = 'Record was not found') => new Fault(5, 'RecordNotFound', what),
	noTableAccess: (table, op) => new Fault(7, 'NoTableAccess', `No ${op} access to table ${table}`),
	noFieldAccess: (table, field) => new Fault(8, 'NoFieldAccess', `Field ${table}.${field} is read-only`),
	noTable: (table) => new Fault(9, 'NoTableFound', `No table found: ${table}`),
	noField: (table, field) => new Fault(10, 'NoFieldFound', `No field found: ${table}.${field}`),
	invalidParam: (msg) => new Fault(12, 'InvalidParameter', msg),
	noAccess: (what) => new Fault(14, 'NoAccess', what),
};

// ---- request parsing -----------------------------------------------------------------------------
export function parseCall(buffer) {
	return new Promise((resolve, reject) => {
		const stream = new PassThrough();
		new Deserializer().deserializeMethodCall(stream, (err, method, params) => (err ? reject(err) : resolve({ method, params })));
		stream.end(buffer);
	});
}

function javaType(v) {
	if (v === null || v === undefined) return 'null';
	if (typeof v === 'string') return 'java.lang.String';
	if (typeof v === 'boolean') return 'java.lang.Boolean';
	if (typeof v === 'number') return Number.isInteger(v) ? 'java.lang.Integer' : 'java.lang.Double';
	if (v instanceof Date) return 'java.util.Date';
	if (Buffer.isBuffer(v)) return '[B';
	if (Array.isArray(v)) return '[Ljava.lang.Object;';
	return 'java.util.HashMap';
}

const T = {
	S: (v) => typeof v === 'string',
	I: (v) => Number.isInteger(v),
	B: (v) => typeof v === 'boolean',
	M: (v) => isPlainObject(v),
	A: (v) => Array.isArray(v),
	V: (v) => typeof v === 'string' || typeof v === 'number',
};

/** Accepted parameter type lists per method (privateKey first, except getUserInfo). */
const SIGNATURES = {
	'ContactService.add': ['SM'],
	'ContactService.update': ['SIM'],
	'ContactService.addWithDupCheck': ['SMS'],
	'ContactService.load': ['SIA'],
	'ContactService.findByEmail': ['SSA'],
	'ContactService.addToGroup': ['SII'],
	'ContactService.removeFromGroup': ['SII'],
	'DataService.add': ['SSM'],
	'DataService.update': ['SSIM'],
	'DataService.load': ['SSIA'],
	'DataService.delete': ['SSI'],
	'DataService.findByField': ['SSIISVA'],
	'DataService.query': ['SSIIMA', 'SSIIMAS', 'SSIIMASB'],
	'DataService.count': ['SSM'],
	'DataService.getUserInfo': ['', 'S'],
	'DataService.getAppSetting': ['SSS'],
	'APIEmailService.optIn': ['SSS', 'SS'],
	'APIEmailService.optOut': ['SSS', 'SS'],
	'APIEmailService.getOptStatus': ['SS'],
};

function checkSignature(method, params) {
	const sigs = SIGNATURES[method];
	if (!sigs) throw new Fault(0, null, `No such handler: ${method}`);
	const ok = sigs.some((sig) => sig.length === params.length && [...sig].every((t, i) => T[t](params[i])));
	if (!ok) throw new Fault(0, null, `No method matching arguments: ${params.map(javaType).join(', ')}`);
}

// ---- Contact table -----------------------------------------------------------------------------
const ADDR = { 1: 'BILLING', 2: 'SHIPPING', 3: 'OTHER' };

function scalar(name, key, type = 'string', readOnly = false) {
	return { name, type, readOnly, get: (c) => c[key], set: (c, v) => (c[key] = v) };
}

function itemField(name, coll, field, prop, type = 'string') {
	return {
		name, type,
		get: (c) => c[coll].find((i) => i.field === field)?.[prop] ?? null,
		set: (c, v) => {
			let item = c[coll].find((i) => i.field === field);
			if (!item) {
				if (v === null || v === '') return;
				item = { field };
				c[coll].push(item);
			}
			item[prop] = v === '' ? null : v;
			const keys = Object.keys(item).filter((k) => k !== 'field' && k !== 'type');
			if (keys.every((k) => item[k] === null || item[k] === undefined)) c[coll].splice(c[coll].indexOf(item), 1);
		},
	};
}

function addressFields(n) {
	const field = ADDR[n];
	const p = n === 1 ? { l1: 'StreetAddress1', l2: 'StreetAddress2', city: 'City', state: 'State', pc: 'PostalCode', zf: 'ZipFour1', country: 'Country' }
		: { l1: `Address${n}Street1`, l2: `Address${n}Street2`, city: `City${n}`, state: `State${n}`, pc: `PostalCode${n}`, zf: `ZipFour${n}`, country: `Country${n}` };
	const get = (c) => c.addresses.find((a) => a.field === field);
	const base = (name, prop) => itemField(name, 'addresses', field, prop);
	return [
		base(p.l1, 'line1'),
		base(p.l2, 'line2'),
		base(p.city, 'locality'),
		{
			...base(p.state, 'region'),
			set: (c, v) => {
				base(p.state, 'region').set(c, v);
				const a = get(c);
				if (a) a.region_code = regionCode(a.region, a.country_code);
			},
		},
		{
			name: p.pc, type: 'string',
			get: (c) => get(c)?.postal_code ?? get(c)?.zip_code ?? null,
			set: (c, v) => {
				const us = /^\d{5}$/.test(String(v ?? ''));
				base(p.pc, us ? 'zip_code' : 'postal_code').set(c, v);
				const a = get(c);
				if (a) a[us ? 'postal_code' : 'zip_code'] = null;
			},
		},
		base(p.zf, 'zip_four'),
		{
			name: p.country, type: 'string',
			get: (c) => countryName(get(c)?.country_code),
			set: (c, v) => base(p.country, 'country_code').set(c, v ? countryCode(v) : v),
		},
		{ name: `Address${n}Type`, type: 'string', get: (c) => c.xml[`Address${n}Type`] ?? null, set: (c, v) => (c.xml[`Address${n}Type`] = v) },
	];
}

function xmlOnly(name, type = 'string') {
	return { name, type, get: (c) => c.xml[name] ?? null, set: (c, v) => (c.xml[name] = v) };
}

const CONTACT_FIELDS = [
	{ name: 'Id', type: 'int', readOnly: true, get: (c) => c.id },
	scalar('FirstName', 'given_name'), scalar('LastName', 'family_name'), scalar('MiddleName', 'middle_name'),
	scalar('Nickname', 'preferred_name'), scalar('Title', 'prefix'), scalar('Suffix', 'suffix'),
	scalar('SpouseName', 'spouse_name'), scalar('JobTitle', 'job_title'), scalar('Company', 'company_name'),
	scalar('CompanyID', 'company_id', 'int'), scalar('AccountId', 'account_id', 'int'), scalar('ContactType', 'contact_type'),
	scalar('ContactNotes', 'notes'), scalar('Website', 'website'), scalar('TimeZone', 'time_zone'),
	scalar('Language', 'preferred_locale'), scalar('ReferralCode', 'referral_code'),
	scalar('OwnerID', 'owner_id', 'int'), scalar('LeadSourceId', 'lead_source_id', 'int'),
	scalar('AssistantName', 'assistant_name'), scalar('AssistantPhone', 'assistant_phone'),
	scalar('BillingInformation', 'billing_information'),
	xmlOnly('Username'), xmlOnly('Password'), xmlOnly('Leadsource'), xmlOnly('SSN'),
	{ name: 'Validated', type: 'int', readOnly: true, get: () => null },
	{ name: 'Groups', type: 'string', readOnly: true, get: () => null },
	itemField('Email', 'email_addresses', 'EMAIL1', 'email'),
	itemField('EmailAddress2', 'email_addresses', 'EMAIL2', 'email'),
	itemField('EmailAddress3', 'email_addresses', 'EMAIL3', 'email'),
	...[1, 2, 3, 4, 5].flatMap((n) => [
		itemField(`Phone${n}`, 'phone_numbers', `PHONE${n}`, 'number'),
		itemField(`Phone${n}Ext`, 'phone_numbers', `PHONE${n}`, 'extension'),
		itemField(`Phone${n}Type`, 'phone_numbers', `PHONE${n}`, 'type'),
	]),
	...[1, 2].flatMap((n) => [itemField(`Fax${n}`, 'fax_numbers', `FAX${n}`, 'number'), itemField(`Fax${n}Type`, 'fax_numbers', `FAX${n}`, 'type')]),
	...addressFields(1), ...addressFields(2), ...addressFields(3),
	{ name: 'Birthday', type: 'dateOnly', get: (c) => (c.birthday ? c.birthday.slice(0, 10) : null), set: (c, v) => (c.birthday = v ? `${v}T00:00:00.000Z` : null) },
	{ name: 'Anniversary', type: 'dateOnly', get: (c) => c.anniversary, set: (c, v) => (c.anniversary = v) },
	{ name: 'DateCreated', type: 'date', readOnly: true, get: (c) => c.date_created },
	{ name: 'LastUpdated', type: 'date', readOnly: true, get: (c) => c.last_updated },
	{ name: 'CreatedBy', type: 'int', readOnly: true, get: (c) => c.created_by },
	{ name: 'LastUpdatedBy', type: 'int', readOnly: true, get: (c) => c.last_updated_by },
];
const CONTACT_BY_NAME = new Map(CONTACT_FIELDS.map((f) => [f.name.toLowerCase(), f]));

const XML_CUSTOM_TYPE = { WholeNumber: 'int', DecimalNumber: 'double', Currency: 'double', Percent: 'double', Date: 'dateOnly', YesNo: 'yesno' };

/** DataFormField.DataType numbers by the store's field type names. */
const DATA_FORM_FIELD_TYPES = {
	PhoneNumber: 1, SocialSecurityNumber: 2, Currency: 3, Percent: 4, State: 5, YesNo: 6, Year: 7, Month: 8,
	DayOfWeek: 9, Name: 10, DecimalNumber: 11, WholeNumber: 12, Date: 13, DateTime: 14, Text: 15, TextArea: 16,
	ListBox: 17, Website: 18, Email: 19, Radio: 20, Dropdown: 21, User: 22, Drilldown: 23,
};

// ---- the service ---------------------------------------------------------------------------------
export class XmlRpc {
	constructor(emu) {
		this.emu = emu;
	}

	get store() {
		return this.emu.store;
	}

	get tz() {
		return this.emu.config.xmlrpcTimeZone;
	}

	/** Field definition of a table (custom fields of Contact as `_Name`). */
	field(table, name) {
		if (table === 'Contact') {
			if (name.startsWith('_')) {
				const cf = this.store.customFields.find((f) => f.field_name.toLowerCase() === name.slice(1).toLowerCase());
				if (!cf) return null;
				return {
					name, type: XML_CUSTOM_TYPE[cf.field_type] ?? 'string', custom: cf,
					get: (c) => c.custom[cf.id] ?? null,
					set: (c, v) => {
						if (v === null || v === '') delete c.custom[cf.id];
						else c.custom[cf.id] = v;
					},
				};
			}
			return CONTACT_BY_NAME.get(name.toLowerCase()) ?? null;
		}
		const def = this.tables()[table];
		return def?.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()) ?? null;
	}

	tables() {
		const store = this.store;
		const ro = (name, type, get) => ({ name, type, readOnly: true, get });
		return {
			// Contact custom fields (FormId -1), as Keap's DataFormField table describes them.
			DataFormField: {
				rows: () => store.customFields.map((f) => ({ ...f, formId: -1 })),
				fields: [
					ro('Id', 'int', (f) => f.id),
					ro('FormId', 'int', (f) => f.formId),
					ro('Name', 'string', (f) => f.field_name),
					ro('Label', 'string', (f) => f.label),
					ro('DataType', 'int', (f) => DATA_FORM_FIELD_TYPES[f.field_type] ?? DATA_FORM_FIELD_TYPES.Text),
					ro('Values', 'string', (f) => (f.options ?? []).map((o) => (typeof o === 'string' ? o : o.label)).join('\n') || null),
				],
			},
			User: {
				rows: () => [...store.users].sort((a, b) => a.id - b.id),
				fields: [
					ro('Id', 'int', (u) => u.id),
					ro('FirstName', 'string', (u) => u.given_name),
					ro('LastName', 'string', (u) => u.family_name),
					ro('Email', 'string', (u) => u.email),
				],
			},
			LeadSource: {
				rows: () => [...store.leadSources].sort((a, b) => a.id - b.id),
				fields: [
					ro('Id', 'int', (l) => l.id),
					ro('Name', 'string', (l) => l.name),
					ro('Description', 'string', (l) => l.description),
					ro('Medium', 'string', (l) => l.medium),
					ro('Vendor', 'string', (l) => l.vendor),
				],
			},
			ContactGroup: {
				rows: () => [...store.tags.values()].sort((a, b) => a.id - b.id),
				fields: [
					ro('Id', 'int', (t) => t.id),
					{ name: 'GroupName', type: 'string', get: (t) => t.name, set: (t, v) => (t.name = v) },
					{ name: 'GroupCategoryId', type: 'int', get: (t) => t.category_id, set: (t, v) => (t.category_id = v) },
					{ name: 'GroupDescription', type: 'string', get: (t) => t.description, set: (t, v) => (t.description = v) },
				],
			},
			ContactGroupCategory: {
				rows: () => [...store.categories.values()].sort((a, b) => a.id - b.id),
				fields: [
					ro('Id', 'int', (t) => t.id),
					{ name: 'CategoryName', type: 'string', get: (t) => t.name, set: (t, v) => (t.name = v) },
					{ name: 'CategoryDescription', type: 'string', get: (t) => t.description, set: (t, v) => (t.description = v) },
				],
			},
			ContactGroupAssign: {
				rows: () => [...store.applied].sort((a, b) => a[0] - b[0]).flatMap(([contactId, m]) =>
					[...m].sort((a, b) => a[0] - b[0]).map(([tagId, at]) => ({ contact: store.getContact(contactId), tag: store.tags.get(tagId), at }))),
				fields: [
					ro('GroupId', 'int', (r) => r.tag.id),
					ro('ContactGroup', 'string', (r) => r.tag.name),
					ro('DateCreated', 'date', (r) => r.at),
					ro('ContactId', 'int', (r) => r.contact.id),
					ro('Contact.Email', 'string', (r) => store.primaryEmail(r.contact)),
					ro('Contact.FirstName', 'string', (r) => r.contact.given_name),
					ro('Contact.LastName', 'string', (r) => r.contact.family_name),
					ro('Contact.Company', 'string', (r) => r.contact.company_name),
					ro('Contact.Groups', 'string', (r) => store.tagIdsOf(r.contact.id).join(',')),
				],
			},
		};
	}

	rows(table) {
		if (table === 'Contact') return [...this.store.contacts.values()].sort((a, b) => a.id - b.id);
		const def = this.tables()[table];
		if (!def) throw F.noTable(table);
		return def.rows();
	}

	fieldOrFault(table, name) {
		if (typeof name !== 'string') throw F.invalidParam(`Field names must be strings`);
		const f = this.field(table, name);
		if (!f) throw F.noField(table, name);
		return f;
	}

	getValue(table, row, f) {
		if (table === 'Contact' && f.name === 'Groups') return this.store.tagIdsOf(row.id).join(',') || null;
		return f.get(row);
	}

	/** XML-RPC value for the response (typed). */
	out(type, v) {
		if (v === null || v === undefined || v === '') return undefined;
		switch (type) {
			case 'int': return new I4(Math.trunc(Number(v)));
			case 'double': return Number(v);
			case 'date': return new XDate(xmlDate(v, this.tz));
			case 'dateOnly': return new XDate(`${String(v).slice(0, 10).replace(/-/g, '')}T00:00:00`);
			case 'yesno': return new I4(v ? 1 : 0);
			default: return this.str(String(v));
		}
	}

	str(s) {
		return this.emu.config.xmlrpcBareStrings ? new Bare(s) : s;
	}

	rowOut(table, row, fields) {
		const out = {};
		for (const name of fields) {
			const f = this.fieldOrFault(table, name);
			const v = this.out(f.type, this.getValue(table, row, f));
			if (v !== undefined) out[f.custom ? name : f.name] = v;
		}
		return out;
	}

	/** Converts an incoming struct value for a field. */
	inValue(table, f, v) {
		if (v === null || v === '') return v === '' && f.type === 'string' ? null : null;
		switch (f.type) {
			case 'int':
				if (Number.isInteger(v)) return v;
				if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
				throw F.invalidParam(`Invalid value for ${table}.${f.name}: ${JSON.stringify(v)}`);
			case 'double':
				if (typeof v === 'number') return v;
				if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
				throw F.invalidParam(`Invalid value for ${table}.${f.name}: ${JSON.stringify(v)}`);
			case 'yesno':
				if ([1, true, '1', 'Yes', 'true'].includes(v)) return true;
				if ([0, false, '0', 'No', 'false'].includes(v)) return false;
				throw F.invalidParam(`Invalid value for ${table}.${f.name}: ${JSON.stringify(v)}`);
			case 'dateOnly':
			case 'date': {
				const d = this.inDate(v);
				if (d === null) throw F.invalidParam(`Invalid date for ${table}.${f.name}: ${JSON.stringify(v)}`);
				return f.type === 'dateOnly' ? d.date : d.ms;
			}
			default:
				if (typeof v === 'boolean' || typeof v === 'object') throw F.invalidParam(`Invalid value for ${table}.${f.name}`);
				return String(v);
		}
	}

	/** Dates arrive as <dateTime.iso8601> (parsed by the library in the process's local zone) or text. */
	inDate(v) {
		let p;
		if (v instanceof Date) {
			if (Number.isNaN(v.getTime())) return null;
			p = { year: v.getFullYear(), month: v.getMonth() + 1, day: v.getDate(), hour: v.getHours(), minute: v.getMinutes(), second: v.getSeconds() };
		} else {
			const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(String(v));
			if (!m) return null;
			p = { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
		}
		const pad = (n) => String(n).padStart(2, '0');
		return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, ms: fromWall(p, this.tz) };
	}

	/** Applies a struct of Contact fields to a canonical contact (clone). */
	applyContactStruct(c, data) {
		for (const [name, raw] of Object.entries(data)) {
			const f = this.fieldOrFault('Contact', name);
			if (f.readOnly || !f.set) throw F.noFieldAccess('Contact', f.name);
			let v = this.inValue('Contact', f, raw);
			if (f.custom && v !== null) {
				if (f.custom.field_type === 'Dropdown' || f.custom.field_type === 'Text') v = String(v);
				const err = checkCustomContent(f.custom, v);
				if (err) throw F.invalidParam(err);
			}
			f.set(c, v);
		}
		for (const coll of ['email_addresses', 'phone_numbers', 'fax_numbers', 'addresses']) {
			c[coll].sort((a, b) => String(a.field).localeCompare(String(b.field)));
		}
		return c;
	}

	saveNew(data) {
		const store = this.store;
		const c = this.applyContactStruct(store.emptyContact(), data);
		c.created_by = c.last_updated_by = this.userId;
		this.checkContact(c);
		return store.createContact(c).id;
	}

	saveExisting(id, data) {
		const store = this.store;
		const cur = store.getContact(id);
		if (!cur) throw F.notFound();
		const next = this.applyContactStruct(clone(cur), data);
		next.last_updated_by = this.userId;
		this.checkContact(next);
		return store.saveContact(next).id;
	}

	checkContact(c) {
		const err = this.store.checkContact(c);
		if (err) throw F.invalidParam(err);
	}

	// ---- queries ---------------------------------------------------------------------------------
	matches(table, row, query) {
		for (const [name, cond] of Object.entries(query)) {
			const f = this.fieldOrFault(table, name);
			const v = this.getValue(table, row, f);
			if (!this.matchOne(f, v, cond)) return false;
		}
		return true;
	}

	matchOne(f, v, cond) {
		const empty = v === null || v === undefined || v === '';
		if (cond === null || cond === '~null~') return empty;
		if (typeof cond === 'number' || typeof cond === 'boolean') {
			if (empty) return false;
			if (f.type === 'yesno') return (v ? 1 : 0) === Number(cond);
			return Number(v) === Number(cond);
		}
		if (cond instanceof Date) {
			const d = this.inDate(cond);
			return !empty && (f.type === 'dateOnly' ? v === d.date : v === d.ms);
		}
		const s = String(cond);
		const op = /^~(<>|<=|>=|<|>)~\s*(.*)$/s.exec(s);
		if (op) {
			const [, o, rhs] = op;
			if (o === '<>') return rhs === 'null' ? !empty : empty || !percentMatch(this.text(f, v), rhs);
			if (empty) return false;
			let a;
			let b;
			if (f.type === 'date' || f.type === 'dateOnly') {
				const d = this.inDate(rhs);
				if (!d) throw F.invalidParam(`Invalid date in query: ${rhs}`);
				a = f.type === 'date' ? v : v;
				b = f.type === 'date' ? d.ms : d.date;
			} else if (['int', 'double', 'yesno'].includes(f.type)) {
				a = Number(v);
				b = Number(rhs);
			} else {
				a = String(v).toLowerCase();
				b = rhs.toLowerCase();
			}
			return o === '<' ? a < b : o === '<=' ? a <= b : o === '>' ? a > b : a >= b;
		}
		if (empty) return false;
		return percentMatch(this.text(f, v), s);
	}

	/** Text form of a stored value for `%` matching. */
	text(f, v) {
		if (f.type === 'date') return xmlDate(v, this.tz).replace(/^(\d{4})(\d{2})(\d{2})T/, '$1-$2-$3 ');
		if (f.type === 'yesno') return v ? '1' : '0';
		return String(v);
	}

	page(rows, limit, page) {
		if (limit < 1 || limit > 1000) throw F.invalidParam('limit must be between 1 and 1000');
		if (page < 0) throw F.invalidParam('page must be 0 or more');
		return rows.slice(page * limit, page * limit + limit);
	}

	checkFields(table, fields, emptyOk = false) {
		this.rows(table);
		if (!fields.length && !emptyOk) throw F.invalidParam('At least one return field is required');
		for (const name of fields) this.fieldOrFault(table, name);
	}

	// ---- dispatch --------------------------------------------------------------------------------
	/** Runs a call; returns the method response XML (faults included). */
	handle(method, params, cred) {
		try {
			if (!cred) throw F.invalidKey();
			this.userId = cred.userId;
			checkSignature(method, params);
			const result = this.call(method, params);
			return serializer.serializeMethodResponse(result);
		} catch (e) {
			if (!(e instanceof Fault)) throw e;
			this.emu.stats.xmlrpcFaults++;
			return serializer.serializeFault({ faultCode: new I4(e.faultCode), faultString: this.str(e.message) });
		}
	}

	call(method, p) {
		const store = this.store;
		switch (method) {
			case 'ContactService.add':
				return new I4(this.saveNew(p[1]));
			case 'ContactService.update':
				return new I4(this.saveExisting(p[1], p[2]));
			case 'ContactService.addWithDupCheck': {
				if (!['Email', 'EmailAndName', 'EmailAndNameAndCompany'].includes(p[2])) throw F.invalidParam(`Invalid dupCheckType: ${p[2]}`);
				const candidate = this.applyContactStruct(store.emptyContact(), p[1]);
				const match = store.findDuplicate(candidate, p[2]);
				return new I4(match ? this.saveExisting(match.id, p[1]) : this.saveNew(p[1]));
			}
			case 'ContactService.load': {
				this.checkFields('Contact', p[2]);
				const c = store.getContact(p[1]);
				if (!c) throw F.notFound();
				return this.rowOut('Contact', c, p[2]);
			}
			case 'ContactService.findByEmail': {
				this.checkFields('Contact', p[2]);
				const email = p[1].toLowerCase();
				return this.rows('Contact')
					.filter((c) => c.email_addresses.some((e) => (e.email ?? '').toLowerCase() === email))
					.map((c) => this.rowOut('Contact', c, p[2]));
			}
			case 'ContactService.addToGroup': {
				const r = store.applyTag(p[1], p[2]);
				if (r === 'CONTACT_NOT_FOUND' || r === 'TAG_ID_NOT_FOUND') throw F.notFound();
				return r === 'SUCCESS' ? true : this.emu.config.xmlrpcAddToGroupDuplicateResult;
			}
			case 'ContactService.removeFromGroup':
				if (!store.getContact(p[1]) || !store.tags.has(p[2])) throw F.notFound();
				// A tag the contact did not have: switch xmlrpcRemoveFromGroupNotApplied.
				return store.removeTag(p[1], p[2]) ? true : this.emu.config.xmlrpcRemoveFromGroupNotApplied;
			case 'DataService.add':
				return new I4(this.add(p[1], p[2]));
			case 'DataService.update':
				return new I4(this.update(p[1], p[2], p[3]));
			case 'DataService.load': {
				this.checkFields(p[1], p[3]);
				const row = this.rows(p[1]).find((r) => this.rowId(p[1], r) === p[2]);
				if (!row) throw F.notFound();
				return this.rowOut(p[1], row, p[3]);
			}
			case 'DataService.delete':
				return this.delete(p[1], p[2]);
			case 'DataService.findByField': {
				const [, table, limit, pageNo, fieldName, value, fields] = p;
				this.checkFields(table, fields);
				const f = this.fieldOrFault(table, fieldName);
				const rows = this.rows(table).filter((r) => this.matchOne(f, this.getValue(table, r, f), value));
				return this.page(rows, limit, pageNo).map((r) => this.rowOut(table, r, fields));
			}
			case 'DataService.query': {
				const [, table, limit, pageNo, query, fields, orderBy, ascending = true] = p;
				this.checkFields(table, fields);
				this.checkFields(table, Object.keys(query), true);
				let rows = this.rows(table).filter((r) => this.matches(table, r, query));
				if (orderBy) {
					const f = this.fieldOrFault(table, orderBy);
					const key = (r) => this.getValue(table, r, f);
					rows = rows.slice().sort((a, b) => {
						const x = key(a);
						const y = key(b);
						const r = x === y ? 0 : x == null ? -1 : y == null ? 1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
						return ascending ? r : -r;
					});
				}
				return this.page(rows, limit, pageNo).map((r) => this.rowOut(table, r, fields));
			}
			case 'DataService.count':
				this.checkFields(p[1], Object.keys(p[2]), true);
				return new I4(this.rows(p[1]).filter((r) => this.matches(p[1], r, p[2])).length);
			case 'DataService.getAppSetting': {
				// Not in Keap's current XML-RPC documentation for PAT/SAK or OAuth: switch xmlrpcGetAppSetting.
				if (this.emu.config.xmlrpcGetAppSetting !== 'allow') throw F.noAccess('DataService.getAppSetting is not available to this API credential');
				// Only the contact types are modelled (module Contact, setting optiontypes).
				if (p[1] === 'Contact' && p[2] === 'optiontypes') return this.str(store.contactTypes.join(','));
				throw F.invalidParam(`Unknown application setting ${p[1]}.${p[2]}`);
			}
			case 'DataService.getUserInfo': {
				const u = store.users.find((x) => x.id === this.userId) ?? store.users[0];
				const host = this.emu.config.appHost;
				return {
					globalUserId: new I4(u.global_user_id), localUserId: new I4(u.id), appAlias: this.str(host.split('.')[0]),
					appUrl: this.str(`https://${host}`), displayName: this.str(`${u.given_name} ${u.family_name}`),
					casUsername: this.str(u.email), username: this.str(u.email),
				};
			}
			case 'APIEmailService.optIn':
				return store.optIn(p[1], p[2] || 'API Opt In');
			case 'APIEmailService.optOut':
				store.emailStatus.set(p[1].toLowerCase(), { status: 'Manual', reason: p[2] || 'API Opt Out', time: this.emu.now() });
				return true;
			case 'APIEmailService.getOptStatus': {
				const st = store.emailStatusOf(p[1]).status;
				const marketable = ['UnengagedMarketable', 'SingleOptIn', 'DoubleOptin', 'Confirmed'].includes(st);
				return new I4(marketable ? 1 : ['NonMarketable', 'UnengagedNonMarketable'].includes(st) ? 0 : -1);
			}
		}
		throw new Fault(0, null, `No such handler: ${method}`);
	}

	rowId(table, r) {
		if (table === 'ContactGroupAssign') return null;
		return r.id;
	}

	add(table, data) {
		const store = this.store;
		if (table === 'Contact') return this.saveNew(data);
		if (table === 'ContactGroupAssign') throw F.noTableAccess(table, 'add');
		const def = this.tables()[table];
		if (!def) throw F.noTable(table);
		const rec = {};
		for (const [name, raw] of Object.entries(data)) {
			const f = this.fieldOrFault(table, name);
			if (f.readOnly) throw F.noFieldAccess(table, f.name);
			f.set(rec, this.inValue(table, f, raw));
		}
		if (table === 'ContactGroup') {
			if (!rec.name) throw F.invalidParam('GroupName is required');
			if (rec.category_id != null && !store.categories.has(rec.category_id)) throw F.notFound('Tag category was not found');
			return store.createTag({ name: rec.name, description: rec.description ?? null, category_id: rec.category_id ?? null }).id;
		}
		if (!rec.name) throw F.invalidParam('CategoryName is required');
		return store.createCategory({ name: rec.name, description: rec.description ?? null }).id;
	}

	update(table, id, data) {
		const store = this.store;
		if (table === 'Contact') return this.saveExisting(id, data);
		if (table === 'ContactGroupAssign') throw F.noTableAccess(table, 'update');
		const def = this.tables()[table];
		if (!def) throw F.noTable(table);
		const map = table === 'ContactGroup' ? store.tags : store.categories;
		const cur = map.get(id);
		if (!cur) throw F.notFound();
		const rec = { ...cur };
		for (const [name, raw] of Object.entries(data)) {
			const f = this.fieldOrFault(table, name);
			if (f.readOnly) throw F.noFieldAccess(table, f.name);
			f.set(rec, this.inValue(table, f, raw));
		}
		if (table === 'ContactGroup') store.saveTag(rec);
		else map.set(id, { ...rec, update_time: store.stamp() });
		return id;
	}

	delete(table, id) {
		const store = this.store;
		if (table === 'Contact') {
			if (!store.deleteContact(id)) throw F.notFound();
			return true;
		}
		if (table === 'ContactGroup') {
			if (!store.deleteTag(id)) throw F.notFound();
			return true;
		}
		if (table === 'ContactGroupCategory') {
			if (!store.categories.delete(id)) throw F.notFound();
			return true;
		}
		if (table === 'ContactGroupAssign') throw F.noTableAccess(table, 'delete');
		throw F.noTable(table);
	}
}

/** A fault document for failures outside a call (unparseable XML, wrong content). */
export function faultXml(code, message) {
	return serializer.serializeFault({ faultCode: new I4(code), faultString: message });
}
