// Opportunities (v2): create, get, list (the document's filters and order_by), PATCH with
// update_mask (moving to a stage is a PATCH of stage_id: it records a stage move and fires
// opportunity.stage_move), delete; pipeline stages (list, create, get, PATCH, delete); stage
// moves (list, get); the opportunity model and its custom fields.
//
// Canonical stage: { id, name, order, target_number_days, probability,
//   checklist_items: [{id, description, required, order}], created_time, updated_time (ms) }
// Canonical opportunity: { id, contact_id, stage_id, user_id | null, opportunity_title,
//   next_action_time | null, next_action_notes, opportunity_notes, estimated_close_time | null,
//   include_in_forecast, projected_revenue_low, projected_revenue_high, affiliate_id | null,
//   custom: {<fieldId>: value}, created_by, last_updated_by, created_time, updated_time,
//   stage_entrance_time (ms) }
// Canonical stage move: { id, opportunity_id, move_time, from_stage_id (0 = none), to_stage_id,
//   prev_move_time | null, user_id, created_by }
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, prefixText, idEquals, idCompare, idList,
	numberCompare, exclusiveFilters, customFieldFilter, customValuesIn, customValuesOut, bodyId, checkUser, dateTimeIn,
	byId, fieldsIn, touchedBy, clean, iso, isoOrNull, idStr, exactText, optionalRef, seedContact, seedRecord, emit,
	contactRef,
} from './common.mjs';
import { modelRoutes, fieldsOf } from './custom-fields.mjs';
import { clone } from '../util.mjs';

export const config = {
	/** false: the legacy `fields` values (monthly_revenue, order_revenue, objection, status, stage_entrance_time) are a 400, as without Keap's legacy opportunities feature. */
	opportunityLegacyFields: false,
	/** 'reject': deleting a stage that holds opportunities is a 409; 'allow' deletes it (its opportunities keep the stage id). */
	opportunityStageDeleteInUse: 'reject',
};

const event = (s, key, id) => emit(s, key, 'opportunity', id, `/crm/rest/v1/opportunities/${id}`);

const RECORD = 'OPPORTUNITY';
const OPTIONAL = ['custom_fields', 'created_by', 'last_updated_by', 'status_id'];
const LEGACY = ['monthly_revenue', 'order_revenue', 'objection', 'status', 'stage_entrance_time'];

export const store = {
	reset(s) {
		s.opportunities = new Map();
		s.stages = new Map();
		s.stageMoves = new Map();
		s.nextId.opportunity = 11001;
		s.nextId.stage = 21;
		s.nextId.checklistItem = 301;
		s.nextId.stageMove = 31001;
	},
	snapshot(s) {
		const t = (o, keys) => ({ ...clone(o), ...Object.fromEntries(keys.map((k) => [k, isoOrNull(o[k])])) });
		return {
			opportunities: [...s.opportunities.values()].map((o) => t(o, ['created_time', 'updated_time', 'stage_entrance_time', 'next_action_time', 'estimated_close_time'])),
			stages: [...s.stages.values()].map((x) => t(x, ['created_time', 'updated_time'])),
			stageMoves: [...s.stageMoves.values()].map((m) => t(m, ['move_time', 'prev_move_time'])),
		};
	},
	onContactDeleted(s, contactId, config) {
		if (config.contactDeleteCascade === false) return;
		for (const o of [...s.opportunities.values()]) if (o.contact_id === contactId) s.opportunities.delete(o.id);
	},
};

// ---- output ----------------------------------------------------------------------------------
function stageOut(st) {
	return clean({
		id: String(st.id), name: st.name, order: st.order, target_number_days: st.target_number_days, probability: st.probability,
		created_time: iso(st.created_time), updated_time: iso(st.updated_time),
		checklist_items: st.checklist_items.map((c) => ({ id: String(c.id), description: c.description, required: c.required, order: c.order })),
	});
}

function stageRef(s, id) {
	const st = s.stages.get(id);
	if (!st) return { id: String(id) };
	return {
		id: String(st.id), name: st.name,
		details: {
			probability: st.probability, stage_order: st.order, target_num_days: st.target_number_days,
			checklist_items: st.checklist_items.map((c) => ({ id: c.id, description: c.description, required: c.required, item_order: c.order })),
		},
		reasons: [],
	};
}

function contactOut(s, id) {
	const c = s.contacts.get(id);
	if (!c) return { id: String(id) };
	const a = c.addresses[0] ?? {};
	return clean({
		id: String(c.id), email: s.primaryEmail(c), city: a.locality, state: a.region, first_name: c.given_name, last_name: c.family_name,
		company_name: c.company_name, job_title: c.job_title, phone_number: primaryPhone(c),
	});
}

function primaryPhone(c) {
	return (c.phone_numbers.find((p) => p.field === 'PHONE1') ?? c.phone_numbers[0])?.number ?? null;
}

function leadSourceName(s, contactId) {
	const c = s.contacts.get(contactId);
	return c ? (s.leadSources.find((l) => l.id === c.lead_source_id)?.name ?? null) : null;
}

export function opportunityOut(s, o, fields = []) {
	const u = o.user_id != null ? s.users.find((x) => x.id === o.user_id) : null;
	const out = clean({
		id: String(o.id), contact: contactOut(s, o.contact_id), stage: stageRef(s, o.stage_id),
		user: u ? { id: String(u.id), first_name: u.given_name, last_name: u.family_name } : o.user_id != null ? { id: String(o.user_id) } : null,
		opportunity_title: o.opportunity_title, next_action_time: isoOrNull(o.next_action_time), next_action_notes: o.next_action_notes,
		opportunity_notes: o.opportunity_notes, estimated_close_time: isoOrNull(o.estimated_close_time), include_in_forecast: o.include_in_forecast,
		projected_revenue_low: o.projected_revenue_low, projected_revenue_high: o.projected_revenue_high,
		custom_fields: customValuesOut(fieldsOf(s, RECORD), o.custom),
		created_time: iso(o.created_time), last_updated_time: iso(o.updated_time), affiliate_id: idStr(o.affiliate_id),
		lead_source: leadSourceName(s, o.contact_id), stage_entrance_time: isoOrNull(o.stage_entrance_time),
		created_by: idStr(o.created_by), last_updated_by: idStr(o.last_updated_by),
	});
	for (const k of [...OPTIONAL, ...LEGACY]) if (!fields.includes(k)) delete out[k];
	return out;
}

function stageMoveOut(m) {
	return clean({
		id: String(m.id), opportunity_id: String(m.opportunity_id), move_time: iso(m.move_time), move_from_stage_id: String(m.from_stage_id),
		move_to_stage_id: String(m.to_stage_id), prev_stage_move_time: isoOrNull(m.prev_move_time), user_id: idStr(m.user_id),
		created_by: idStr(m.created_by), create_time: iso(m.move_time),
	});
}

// ---- writes ----------------------------------------------------------------------------------
function opportunityFields(ctx) {
	const fields = fieldsIn(ctx, [...OPTIONAL, ...LEGACY]);
	if (!ctx.emu.config.opportunityLegacyFields) {
		for (const f of fields) if (LEGACY.includes(f)) throw new RequestError(`Field ${f} needs the legacy opportunities feature`, 400);
	}
	return fields;
}

function fromBody(ctx, body, touched) {
	const s = ctx.store;
	const set = {};
	for (const k of ['opportunity_title', 'next_action_notes', 'opportunity_notes']) if (touched(k)) set[k] = body[k] ?? null;
	for (const k of ['next_action_time', 'estimated_close_time']) if (touched(k)) set[k] = dateTimeIn(body[k], k) ?? null;
	for (const k of ['projected_revenue_low', 'projected_revenue_high']) if (touched(k)) set[k] = body[k] ?? null;
	if (touched('include_in_forecast')) set.include_in_forecast = body.include_in_forecast === true;
	if (touched('contact_id')) {
		const id = bodyId(body.contact_id, 'contact_id');
		if (id == null) throw new RequestError('contact_id is required', 400);
		set.contact_id = contactRef(s, id, 'contact_id').id;
	}
	if (touched('stage_id')) {
		const id = bodyId(body.stage_id, 'stage_id');
		if (id == null) throw new RequestError('stage_id is required', 400);
		if (!s.stages.has(id)) throw new RequestError(`stage_id ${id}: stage not found`, 400);
		set.stage_id = id;
	}
	if (touched('user_id')) set.user_id = checkUser(ctx, bodyId(body.user_id, 'user_id') ?? null, 'user_id');
	if (touched('affiliate_id')) set.affiliate_id = optionalRef(s.affiliates, body.affiliate_id, 'affiliate_id', 'affiliate');
	if (touched('custom_fields')) set.custom = customValuesIn(fieldsOf(s, RECORD), body.custom_fields);
	return set;
}

function checkOpportunity(o) {
	if (!(o.opportunity_title ?? '').trim()) throw new RequestError('opportunity_title is required', 400);
}

function recordMove(ctx, o, from) {
	const s = ctx.store;
	const prev = [...s.stageMoves.values()].filter((m) => m.opportunity_id === o.id).pop();
	const m = {
		id: s.nextId.stageMove++, opportunity_id: o.id, move_time: o.stage_entrance_time, from_stage_id: from, to_stage_id: o.stage_id,
		prev_move_time: prev?.move_time ?? null, user_id: o.user_id ?? ctx.cred?.userId ?? 1, created_by: ctx.cred?.userId ?? 1,
	};
	s.stageMoves.set(m.id, m);
}

export function createOpportunity(ctx, body, { silent = false } = {}) {
	const s = ctx.store;
	const set = fromBody(ctx, body, (k) => k in body);
	const o = {
		id: 0, contact_id: null, stage_id: null, user_id: null, opportunity_title: null, next_action_time: null, next_action_notes: null,
		opportunity_notes: null, estimated_close_time: null, include_in_forecast: false, projected_revenue_low: null,
		projected_revenue_high: null, affiliate_id: null, custom: {}, ...set,
	};
	checkOpportunity(o);
	o.id = s.nextId.opportunity++;
	o.created_by = o.last_updated_by = ctx.cred?.userId ?? 1;
	o.created_time = o.updated_time = o.stage_entrance_time = s.stamp();
	s.opportunities.set(o.id, o);
	recordMove(ctx, o, 0);
	if (!silent) event(s, 'opportunity.add', o.id);
	return o;
}

function opportunityFilter(ctx, field) {
	const s = ctx.store;
	const contact = (o) => s.contacts.get(o.contact_id);
	switch (field) {
		case 'stage_id': return idEquals((o) => o.stage_id);
		case 'user_id': return idEquals((o) => o.user_id);
		case 'contact_id': return idEquals((o) => o.contact_id);
		case 'opportunity_title': return prefixText((o) => o.opportunity_title);
		case 'lead_source_name': return prefixText((o) => leadSourceName(s, o.contact_id));
		case 'affiliate_id': return idEquals((o) => o.affiliate_id);
		case 'opportunity_id': return idCompare((o) => o.id);
		case 'ids': return idList((o) => o.id, 100);
		case 'contact_phone': {
			const spec = prefixText((o) => (contact(o) ? primaryPhone(contact(o)) : null));
			const exact = exactText((o) => (contact(o) ? primaryPhone(contact(o)) : null), { caseSensitive: true });
			return { ...spec, test: (o, v) => (v.endsWith('*') ? spec.test(o, v) : exact.test(o, v)) };
		}
		case 'contact_city': return prefixText((o) => contact(o)?.addresses[0]?.locality);
		case 'contact_state': return prefixText((o) => contact(o)?.addresses[0]?.region);
		case 'projected_revenue_high': return numberCompare((o) => o.projected_revenue_high);
		case 'projected_revenue_low': return numberCompare((o) => o.projected_revenue_low);
	}
	return customFieldFilter(fieldsOf(s, RECORD), field, (o) => o.custom);
}

const opportunityOr404 = (ctx) => byId(ctx.store.opportunities, ctx.params, 'opportunity_id', 'Opportunity');
const stageOr404 = (ctx) => byId(ctx.store.stages, ctx.params, 'stage_id', 'Opportunity stage');

function checklistIn(ctx, items, current = []) {
	return (items ?? []).map((it, i) => {
		if (!(it.description ?? '').trim()) throw new RequestError(`checklist_items[${i}].description cannot be empty`, 400);
		let id;
		if (it.id !== undefined) {
			id = bodyId(it.id, `checklist_items[${i}].id`);
			if (!current.some((c) => c.id === id)) throw new RequestError(`checklist_items[${i}].id ${id} is not an item of this stage`, 400);
		} else id = ctx.store.nextId.checklistItem++;
		return { id, description: it.description, required: it.required, order: it.order };
	});
}

export function createStage(ctx, b) {
	const s = ctx.store;
	if (!(b.name ?? '').trim()) throw new RequestError('name cannot be empty', 400);
	const now = s.stamp();
	const st = {
		id: s.nextId.stage++, name: b.name.trim(), order: b.order, target_number_days: b.target_number_days, probability: b.probability,
		checklist_items: checklistIn(ctx, b.checklist_items), created_time: now, updated_time: now,
	};
	s.stages.set(st.id, st);
	return st;
}

// ---- routes ----------------------------------------------------------------------------------
export const v2Routes = [
	...modelRoutes({ base: '/opportunities', record: RECORD, records: (s) => s.opportunities.values(), optional: OPTIONAL }),
	{
		method: 'GET', path: '/opportunities/stages',
		handler: (ctx) => {
			const clauses = filterClauses(ctx, (f) => (f === 'opportunity_stage_name' ? prefixText((st) => st.name) : f === 'opportunity_stage_id' ? idCompare((st) => st.id) : null));
			const items = applyFilter([...ctx.store.stages.values()], clauses);
			items.sort(orderBy(ctx, { stage_order: (st) => st.order }) ?? compareBy((st) => st.order, false));
			return { status: 200, body: page(ctx, items.map(stageOut), 'stages') };
		},
	},
	{ method: 'POST', path: '/opportunities/stages', handler: (ctx) => ({ status: 201, body: stageOut(createStage(ctx, ctx.body ?? {})) }) },
	{ method: 'GET', path: '/opportunities/stages/{stage_id}', handler: (ctx) => ({ status: 200, body: stageOut(stageOr404(ctx)) }) },
	{
		method: 'PATCH', path: '/opportunities/stages/{stage_id}',
		handler: (ctx) => {
			const st = stageOr404(ctx);
			const b = ctx.body ?? {};
			const touched = touchedBy(ctx, b);
			const next = { ...clone(st) };
			if (touched('name')) {
				if (!(b.name ?? '').trim()) throw new RequestError('name cannot be empty', 400);
				next.name = b.name.trim();
			}
			for (const k of ['order', 'target_number_days', 'probability']) {
				if (!touched(k)) continue;
				if (b[k] === undefined || b[k] === null) throw new RequestError(`${k} cannot be cleared`, 400);
				next[k] = b[k];
			}
			if (next.probability < 0 || next.probability > 100) throw new RequestError('probability must be an integer between 0 and 100', 400);
			if (next.target_number_days < 0) throw new RequestError('target_number_days must be >= 0', 400);
			if (touched('checklist_items')) next.checklist_items = checklistIn(ctx, b.checklist_items, st.checklist_items);
			next.updated_time = ctx.store.stamp();
			ctx.store.stages.set(next.id, next);
			return { status: 200, body: stageOut(next) };
		},
	},
	{
		method: 'DELETE', path: '/opportunities/stages/{stage_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const st = stageOr404(ctx);
			const inUse = [...s.opportunities.values()].filter((o) => o.stage_id === st.id).length;
			if (inUse && ctx.emu.config.opportunityStageDeleteInUse !== 'allow') throw new RequestError(`Stage ${st.id} holds ${inUse} opportunities`, 409);
			s.stages.delete(st.id);
			return { status: 204 };
		},
	},
	{
		method: 'GET', path: '/opportunities/stageMoves',
		handler: (ctx) => {
			const clauses = filterClauses(ctx, (f) => (f === 'opportunity_id' ? idEquals((m) => m.opportunity_id) : f === 'user_id' ? idEquals((m) => m.user_id) : null));
			const items = applyFilter([...ctx.store.stageMoves.values()], clauses);
			items.sort(orderBy(ctx, { move_date: (m) => m.move_time, id: (m) => m.id }) ?? compareBy((m) => m.id, false));
			return { status: 200, body: page(ctx, items.map(stageMoveOut), 'stage_moves') };
		},
	},
	{
		method: 'GET', path: '/opportunities/stageMoves/{stage_move_id}',
		handler: (ctx) => ({ status: 200, body: stageMoveOut(byId(ctx.store.stageMoves, ctx.params, 'stage_move_id', 'Stage move')) }),
	},
	{
		method: 'GET', path: '/opportunities',
		handler: (ctx) => {
			const s = ctx.store;
			const fields = opportunityFields(ctx);
			const clauses = filterClauses(ctx, (f) => opportunityFilter(ctx, f));
			exclusiveFilters(clauses, 'opportunity_id', 'ids');
			const items = applyFilter([...s.opportunities.values()], clauses);
			const contactName = (o) => {
				const c = s.contacts.get(o.contact_id);
				return c ? [c.given_name, c.family_name].filter(Boolean).join(' ') : null;
			};
			items.sort(orderBy(ctx, {
				next_action_time: (o) => o.next_action_time, contact_name: contactName, opportunity_title: (o) => o.opportunity_title,
				created_time: (o) => o.created_time, update_time: (o) => o.updated_time,
			}) ?? compareBy((o) => o.id, false));
			return { status: 200, body: page(ctx, items.map((o) => opportunityOut(s, o, fields)), 'opportunities') };
		},
	},
	{
		method: 'POST', path: '/opportunities',
		handler: (ctx) => {
			const fields = opportunityFields(ctx);
			return { status: 201, body: opportunityOut(ctx.store, createOpportunity(ctx, ctx.body ?? {}), fields) };
		},
	},
	{ method: 'GET', path: '/opportunities/{opportunity_id}', handler: (ctx) => ({ status: 200, body: opportunityOut(ctx.store, opportunityOr404(ctx), opportunityFields(ctx)) }) },
	{
		method: 'PATCH', path: '/opportunities/{opportunity_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const fields = opportunityFields(ctx);
			const cur = opportunityOr404(ctx);
			const body = ctx.body ?? {};
			const set = fromBody(ctx, body, touchedBy(ctx, body));
			const next = { ...clone(cur), ...set };
			checkOpportunity(next);
			next.last_updated_by = ctx.cred.userId;
			next.updated_time = s.stamp();
			const moved = next.stage_id !== cur.stage_id;
			if (moved) next.stage_entrance_time = next.updated_time;
			s.opportunities.set(next.id, next);
			if (moved) recordMove(ctx, next, cur.stage_id);
			event(s, 'opportunity.edit', next.id);
			if (moved) event(s, 'opportunity.stage_move', next.id);
			return { status: 200, body: opportunityOut(s, next, fields) };
		},
	},
	{
		method: 'DELETE', path: '/opportunities/{opportunity_id}',
		handler: (ctx) => {
			const s = ctx.store;
			const o = opportunityOr404(ctx);
			s.opportunities.delete(o.id);
			for (const t of s.tasks?.values() ?? []) if (t.opportunity_id === o.id) t.opportunity_id = null;
			event(s, 'opportunity.delete', o.id);
			return { status: 204 };
		},
	},
];

// ---- seed ------------------------------------------------------------------------------------
/**
 * `stages: [{ <CreateOpportunityStageRequest body> }]`,
 * `opportunities: [{ contact: email | id, stage: name | id, <CreateOpportunityRequest body> }]`.
 */
export function seed(ctx, src) {
	const s = ctx.store;
	const out = {};
	for (const b of src.stages ?? []) (out.stages ??= []).push(createStage(ctx, b).id);
	for (const raw of src.opportunities ?? []) {
		const { contact, stage, ...body } = raw;
		const ids = { contact_id: String(seedContact(s, contact).id), stage_id: String(seedRecord(s.stages, stage, 'name', 'stage').id) };
		(out.opportunities ??= []).push(createOpportunity(ctx, { ...body, ...ids }, { silent: true }).id);
	}
	return out;
}


/** Demo pipeline (six stages) and five opportunities on demo contacts. */
export function demo(base) {
	const email = (i) => base.contacts?.[i]?.email_addresses[0].email;
	const stage = (name, order, probability, target_number_days, checklist = []) => ({
		name, order, probability, target_number_days, checklist_items: checklist.map((description, i) => ({ description, required: i === 0, order: i + 1 })),
	});
	return {
		stages: [
			stage('New Opportunity', 1, 10, 7),
			stage('Qualified', 2, 25, 14, ['Budget confirmed', 'Decision maker known']),
			stage('Proposal Sent', 3, 50, 14, ['Proposal emailed']),
			stage('Negotiation', 4, 75, 10),
			stage('Won', 5, 100, 0),
			stage('Lost', 6, 0, 0),
		],
		opportunities: [
			{ contact: email(0), stage: 'New Opportunity', opportunity_title: 'Website redesign', user_id: '1', projected_revenue_low: 2000, projected_revenue_high: 3500, include_in_forecast: true, custom_fields: [{ id: '22', content: 'Trade show' }] },
			{ contact: email(1), stage: 'Qualified', opportunity_title: 'Annual maintenance plan', user_id: '3', projected_revenue_low: 1200, projected_revenue_high: 1800, next_action_time: '2030-03-01T16:00:00.000Z', next_action_notes: 'Call back with pricing' },
			{ contact: email(2), stage: 'Proposal Sent', opportunity_title: 'Team training package', user_id: '3', projected_revenue_low: 5000, projected_revenue_high: 8000, estimated_close_time: '2030-04-15T00:00:00.000Z', custom_fields: [{ id: '24', content: '2031-04-15' }] },
			{ contact: email(3), stage: 'Won', opportunity_title: 'Spring promotion', user_id: '1', projected_revenue_low: 900, projected_revenue_high: 900 },
			{ contact: email(6), stage: 'Lost', opportunity_title: 'Franchise inquiry', user_id: '1', opportunity_notes: 'Went with a competitor' },
		],
	};
}
