// Custom field models of every record type: the store part (per-record-type field lists and the
// default tab group of each) and one route builder for `/<object>/model` and
// `/<object>/model/customFields[/{custom_field_id}]`, used by contacts, companies, notes, tasks,
// opportunities, orders, subscriptions and affiliates. Contact fields stay in `store.customFields` (XML-RPC and the contact mapping read
// them); the others live in `store.objectFields[recordType]`. Notes and tasks share one list
// (TASK_NOTE_APPOINTMENT), as Keap documents ("Custom Fields for Tasks, Classic Appointments and
// Notes are combined").
import { RequestError, intParam, listQuery, clean } from './common.mjs';
import { clone } from '../util.mjs';

export const FIELD_TYPE_V2 = {
	Currency: 'CURRENCY', Date: 'DATE', DateTime: 'DATE_TIME', DayOfWeek: 'DAY_OF_WEEK', DecimalNumber: 'DECIMAL_NUMBER',
	Drilldown: 'DRILLDOWN', Dropdown: 'DROPDOWN', Email: 'EMAIL', ListBox: 'LIST_BOX', Month: 'MONTH', Name: 'NAME',
	Percent: 'PERCENT', PhoneNumber: 'PHONE_NUMBER', Radio: 'RADIO', SocialSecurityNumber: 'SOCIAL_SECURITY_NUMBER',
	State: 'STATE', Text: 'TEXT', TextArea: 'TEXT_AREA', User: 'USER', UserListBox: 'USER_LIST_BOX', Website: 'WEBSITE',
	WholeNumber: 'WHOLE_NUMBER', Year: 'YEAR', YesNo: 'YES_NO',
};
export const FIELD_TYPE_V1 = Object.fromEntries(Object.entries(FIELD_TYPE_V2).map(([k, v]) => [v, k]));
const CHOICE = new Set(['Dropdown', 'Radio', 'ListBox', 'Drilldown']);
const USER_TYPES = new Set(['User', 'UserListBox']);

/** The default "Custom Fields" tab group of each record type (groups are not served; see README). */
const FIXTURE_GROUPS = [
	{ id: 1, name: 'Custom Fields', record_type: 'CONTACT' },
	{ id: 2, name: 'Custom Fields', record_type: 'COMPANY' },
	{ id: 3, name: 'Custom Fields', record_type: 'OPPORTUNITY' },
	{ id: 4, name: 'Custom Fields', record_type: 'TASK_NOTE_APPOINTMENT' },
	{ id: 5, name: 'Custom Fields', record_type: 'ORDER' },
	{ id: 6, name: 'Custom Fields', record_type: 'SUBSCRIPTION' },
	{ id: 7, name: 'Custom Fields', record_type: 'REFERRAL_PARTNER' },
];

/** Custom fields of the other record types present in every emulator (also after reset). */
const FIXTURE_FIELDS = {
	COMPANY: [
		{ id: 18, label: 'Industry', field_type: 'Dropdown', options: ['Retail', 'Services', 'Manufacturing', 'Health'] },
		{ id: 20, label: 'Employees', field_type: 'WholeNumber', options: [] },
	],
	OPPORTUNITY: [
		{ id: 22, label: 'Deal Source', field_type: 'Text', options: [] },
		{ id: 24, label: 'Renewal Date', field_type: 'Date', options: [] },
	],
	TASK_NOTE_APPOINTMENT: [
		{ id: 26, label: 'Call Outcome', field_type: 'Dropdown', options: ['Reached', 'Voicemail', 'No Answer'] },
		{ id: 28, label: 'Follow Up', field_type: 'YesNo', options: [] },
	],
	ORDER: [],
	SUBSCRIPTION: [],
	REFERRAL_PARTNER: [],
};

export const config = {
	/** 'reject': a second custom field with the same label (case-insensitive) on one record type is a 409; 'allow' creates it. */
	customFieldDuplicateLabels: 'reject',
};

export const store = {
	reset(s) {
		s.customFieldGroups = clone(FIXTURE_GROUPS);
		s.objectFields = Object.fromEntries(Object.entries(FIXTURE_FIELDS).map(([record, list]) => [
			record, list.map((f) => ({ ...f, field_name: fieldNameOf(f.label, []), record_type: record, default_value: null, group_id: groupFor(record).id })),
		]));
	},
	snapshot(s) {
		return { objectFields: clone(s.objectFields), customFieldGroups: clone(s.customFieldGroups) };
	},
};

function groupFor(record) {
	return FIXTURE_GROUPS.find((g) => g.record_type === record);
}

/** The field list of a record type. */
export function fieldsOf(s, record) {
	return record === 'CONTACT' ? s.customFields : s.objectFields[record];
}

/** Keap's field_name: the label without spaces or punctuation, numbered when taken. */
function fieldNameOf(label, existing) {
	const base = label.replace(/[^A-Za-z0-9]/g, '') || 'Field';
	const taken = new Set(existing.map((f) => f.field_name.toLowerCase()));
	if (!taken.has(base.toLowerCase())) return base;
	for (let n = 1; ; n++) if (!taken.has(`${base}${n}`.toLowerCase())) return `${base}${n}`;
}

export function customFieldOut(s, f) {
	const group = s.customFieldGroups.find((g) => g.id === f.group_id) ?? groupFor(f.record_type);
	return clean({
		id: String(f.id), label: f.label,
		options: f.options.map((o) => ({ id: o, label: o })),
		record_type: f.record_type, field_type: FIELD_TYPE_V2[f.field_type],
		default_value: f.default_value ?? null,
		group_id: group ? String(group.id) : null, group_name: group?.name ?? null,
		field_name: f.field_name,
	});
}

function checkGroup(s, record, groupId) {
	if (groupId === undefined || groupId === null || groupId === '') return groupFor(record).id;
	const id = /^\d+$/.test(String(groupId)) ? Number(groupId) : NaN;
	const g = s.customFieldGroups.find((x) => x.id === id && x.record_type === record);
	if (!g) throw new RequestError(`group_id ${groupId} is not a custom field group of ${record}`, 400);
	return g.id;
}

function checkLabel(ctx, defs, label, self) {
	const text = typeof label === 'string' ? label.trim() : '';
	if (!text) throw new RequestError('label cannot be empty', 400);
	if (ctx.emu.config.customFieldDuplicateLabels !== 'allow' && defs.some((f) => f !== self && f.label.toLowerCase() === text.toLowerCase())) {
		throw new RequestError(`A custom field labelled ${text} already exists`, 409);
	}
	return text;
}

function checkOptions(type, labels) {
	if (!CHOICE.has(type)) {
		if (labels.length) throw new RequestError(`options are only allowed for DROPDOWN, RADIO, LIST_BOX and DRILLDOWN fields`, 400);
		return [];
	}
	if (!labels.length) throw new RequestError(`A ${FIELD_TYPE_V2[type]} field needs at least one option`, 400);
	if (labels.some((l) => typeof l !== 'string' || !l.trim())) throw new RequestError('options[].label cannot be empty', 400);
	if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) throw new RequestError('options must have distinct labels', 400);
	return labels.map((l) => l.trim());
}

/**
 * The model routes of one object. `base` is the v2 path ('/companies'); `records(store)` yields
 * the records whose `custom` values a deleted field leaves; `optional` is the model's
 * optional_properties; `wrapCreate` answers a create as `{custom_field: …}` (tasks);
 * `patch: false` leaves out PATCH (the contact model has none).
 */
export function modelRoutes({ base, record, records, optional = [], wrapCreate = false, patch = true }) {
	const routes = [
		{
			method: 'GET', path: `${base}/model`,
			handler: (ctx) => ({ status: 200, body: { custom_fields: fieldsOf(ctx.store, record).map((f) => customFieldOut(ctx.store, f)), optional_properties: [...optional] } }),
		},
		{
			method: 'POST', path: `${base}/model/customFields`,
			handler: (ctx) => {
				const s = ctx.store;
				const defs = fieldsOf(s, record);
				const b = ctx.body ?? {};
				const type = FIELD_TYPE_V1[b.field_type];
				const label = checkLabel(ctx, defs, b.label, null);
				const options = checkOptions(type, (b.options ?? []).map((o) => o.label));
				if (b.user_group_id !== undefined && !USER_TYPES.has(type)) throw new RequestError('user_group_id is only allowed for USER and USER_LIST_BOX fields', 400);
				if (b.user_group_id !== undefined && !/^\d+$/.test(b.user_group_id)) throw new RequestError(`user_group_id must be a numeric id, got ${JSON.stringify(b.user_group_id)}`, 400);
				const f = {
					id: s.nextId.customField++, label, field_type: type, field_name: fieldNameOf(label, defs),
					record_type: record, default_value: null, options, group_id: checkGroup(s, record, b.group_id),
				};
				defs.push(f);
				const out = customFieldOut(s, f);
				return { status: 201, body: wrapCreate ? { custom_field: out } : out };
			},
		},
	];
	if (patch) {
		routes.push({
			method: 'PATCH', path: `${base}/model/customFields/{custom_field_id}`,
			handler: (ctx) => {
				const s = ctx.store;
				const defs = fieldsOf(s, record);
				const f = fieldOr404(ctx, defs);
				const b = ctx.body ?? {};
				const mask = listQuery(ctx.query, 'update_mask');
				const touched = (k) => (mask.length ? mask.includes(k) : k in b);
				const next = { ...f };
				if (touched('group_id')) next.group_id = checkGroup(s, record, b.group_id);
				if (touched('label')) next.label = checkLabel(ctx, defs, b.label, f);
				if (touched('options')) {
					const given = b.options ?? [];
					for (const o of given) if (o.id !== undefined && !f.options.includes(o.id)) throw new RequestError(`Option ${o.id} is not an option of custom field ${f.id}`, 400);
					next.options = checkOptions(f.field_type, given.map((o) => o.label ?? o.id));
				}
				Object.assign(f, next);
				return { status: 200, body: customFieldOut(s, f) };
			},
		});
	}
	routes.push({
		method: 'DELETE', path: `${base}/model/customFields/{custom_field_id}`,
		handler: (ctx) => {
			const defs = fieldsOf(ctx.store, record);
			const f = fieldOr404(ctx, defs);
			defs.splice(defs.indexOf(f), 1);
			for (const r of records(ctx.store)) delete r.custom[f.id];
			return { status: 204 };
		},
	});
	return routes;
}

function fieldOr404(ctx, defs) {
	const id = intParam(ctx.params.custom_field_id, 'custom_field_id');
	const f = defs.find((x) => x.id === id);
	if (!f) throw new RequestError(`Custom field ${id} not found`, 404);
	return f;
}
