// Campaigns / automations (REST v2 /campaigns, /automations): one set of records seen through
// both routes (Keap renamed the campaign builder's campaigns "automations"; the emulator keeps
// one id per record for both). Each has sequences (with the contacts in them) and goals; an API
// goal has an integration and a call name. Contacts join a sequence through :addContacts, leave
// through the campaign route's :removeContacts (v2 has no automation :removeContacts; v1 has
// none either) and through an achieved goal (POST /automations/goals/achieve), which starts the
// goal's next sequences. Keap's hook event list has no campaign events.
import {
	RequestError, intParam, byId, contactRef, idBatch, clean, iso, listOf, prefixText, idCompare, oneOf, EQ, ALL_OPS,
} from './common.mjs';

export const config = {
	/** Most contact_ids one :addContacts / :removeContacts takes (undocumented; strict, like the 100-id tag calls of Keap's PHP SDK). */
	sequenceContactIdsMax: 100,
	/** :removeContacts for a contact that is not in the sequence: 'FAILED' (strict) or 'SUCCESS'. Undocumented. */
	sequenceRemoveNotInSequence: 'FAILED',
	/** An achieve-goal call that matches no published API goal: 'empty' (200, results: []) or 'reject' (404). Undocumented. */
	goalNoMatch: 'empty',
};

function automationOr404(ctx, name) {
	return byId(ctx.store.automations, ctx.params, name, name === 'campaign_id' ? 'Campaign' : 'Automation');
}

function sequenceOr404(ctx, a) {
	const id = intParam(ctx.params.sequence_id, 'sequence_id');
	const seq = a.sequences.find((s) => s.id === id);
	if (!seq) throw new RequestError(`Sequence ${id} not found in ${a.id}`, 404);
	return seq;
}

function activeContacts(a) {
	return new Set(a.sequences.flatMap((s) => [...s.contacts.keys()])).size;
}

function campaignOut(a) {
	return clean({
		id: String(a.id), name: a.name, locked: false, date_created: iso(a.date_created), published_date: a.published ? iso(a.published_date) : null,
		published_status: a.published, time_zone: 'America/New_York', published_time_zone: a.published ? 'America/New_York' : null,
		created_by_global_id: '900001', active_contact_count: activeContacts(a), completed_contact_count: a.completed,
	});
}

function automationOut(a) {
	return clean({
		id: String(a.id), title: a.name, categories: a.categories, status: a.published ? 'PUBLISHED' : 'DRAFT', locked: false, active_contacts: activeContacts(a),
		published_date: a.published ? iso(a.published_date) : null, published_by: a.published ? 'Avery Admin' : null, published_timezone: a.published ? 'America/New_York' : null,
		current_edit_lock_status: { locked: false },
	});
}

function sequenceOut(s) {
	return {
		id: String(s.id), name: s.name,
		paths: [{ id: `${s.id}-1`, items: [{ id: `${s.id}-1-1`, name: 'Start', type: 'Start' }, { id: `${s.id}-1-2`, name: `${s.name} email`, type: 'Email', previous_item_id: `${s.id}-1-1` }] }],
		active_contact_count: s.contacts.size, active_contact_count_completed: 0, historical_contact_count: { '24_hours': 0, '30_days': s.contacts.size },
	};
}

function goalOut(a, g) {
	return clean({
		id: String(g.id), name: g.name, type: g.type, historical_contact_counts: { '24_hours': 0, '30_days': g.achieved },
		next_sequence_ids: g.next_sequence_ids.map(String), previous_sequence_ids: a.sequences.filter((s) => (s.next_goal_ids ?? []).includes(g.id)).map((s) => String(s.id)),
	});
}

/** contact_ids of a batch call: non-empty, unique, at most sequenceContactIdsMax. */
function batchIds(ctx) {
	return idBatch(ctx, ctx.body?.contact_ids, 'contact_ids', 'contact', 'sequenceContactIdsMax');
}

function contactIdOf(store, raw) {
	return /^\d+$/.test(raw) && store.getContact(Number(raw)) ? Number(raw) : null;
}

function addContacts(ctx, a, seq) {
	const results = {};
	for (const raw of batchIds(ctx)) {
		const id = contactIdOf(ctx.store, raw);
		if (id === null) results[raw] = 'CONTACT_DOES_NOT_EXIST';
		else if (!a.published) results[raw] = 'FAILED';
		else if (seq.contacts.has(id)) results[raw] = 'ALREADY_IN_SEQUENCE';
		else {
			seq.contacts.set(id, ctx.store.stamp());
			results[raw] = 'SUCCESS';
		}
	}
	return results;
}

/** Campaign and automation names: `==` the text anywhere, or a prefix with a trailing `*`. */
const nameFilter = prefixText((a) => a.name, { contains: true });

export const v2Routes = [
	{
		method: 'GET', path: '/campaigns',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.automations.values()], 'campaigns', {
				filter: (f) => (f === 'name' ? nameFilter : null),
				sorts: {
					name: (a) => a.name, publisheddate: (a) => a.published_date, id: (a) => a.id, completedContactCount: (a) => a.completed,
					activeContacts: activeContacts, datecreated: (a) => a.date_created, lastupdated: (a) => a.last_updated,
				},
				out: campaignOut,
			}),
		}),
	},
	{ method: 'GET', path: '/campaigns/{campaign_id}', handler: (ctx) => ({ status: 200, body: campaignOut(automationOr404(ctx, 'campaign_id')) }) },
	{
		method: 'GET', path: '/campaigns/{campaign_id}/sequences',
		handler: (ctx) => {
			const a = automationOr404(ctx, 'campaign_id');
			return { status: 200, body: { sequences: a.published ? a.sequences.map(sequenceOut) : [], next_page_token: '', campaign_id: String(a.id) } };
		},
	},
	{
		method: 'GET', path: '/campaigns/{campaign_id}/goals',
		handler: (ctx) => {
			const a = automationOr404(ctx, 'campaign_id');
			return { status: 200, body: { goals: a.published ? a.goals.map((g) => goalOut(a, g)) : [], next_page_token: '', campaign_id: String(a.id) } };
		},
	},
	{
		method: 'POST', path: '/campaigns/{campaign_id}/sequences/{sequence_id}:addContacts',
		handler: (ctx) => {
			const a = automationOr404(ctx, 'campaign_id');
			return { status: 200, body: { add_to_sequence_results: addContacts(ctx, a, sequenceOr404(ctx, a)) } };
		},
	},
	{
		method: 'POST', path: '/campaigns/{campaign_id}/sequences/{sequence_id}:removeContacts',
		handler: (ctx) => {
			const a = automationOr404(ctx, 'campaign_id');
			const seq = sequenceOr404(ctx, a);
			const results = {};
			for (const raw of batchIds(ctx)) {
				const id = contactIdOf(ctx.store, raw);
				if (id === null) results[raw] = 'CONTACT_DOES_NOT_EXIST';
				else if (seq.contacts.delete(id)) results[raw] = 'SUCCESS';
				else results[raw] = ctx.emu.config.sequenceRemoveNotInSequence;
			}
			return { status: 200, body: { remove_from_sequence_results: results } };
		},
	},
	{
		method: 'GET', path: '/automations',
		handler: (ctx) => {
			const all = [...ctx.store.automations.values()];
			const body = listOf(ctx, all, 'automations', {
				filter: (f) => ({
					name: nameFilter, id: idCompare((a) => a.id, ALL_OPS),
					status: oneOf((a) => (a.published ? 'published' : 'draft'), ['published', 'draft']),
					categories: { ops: EQ, test: (a, v) => v.split(',').map((s) => s.trim()).some((c) => a.categories.includes(c)) },
				})[f] ?? null,
				sorts: { name: (a) => a.name, category: (a) => a.categories[0] ?? null, activeContacts, publishedDate: (a) => a.published_date },
				out: automationOut,
				max: 25,
			});
			return { status: 200, body: { ...body, automation_count: all.length } };
		},
	},
	{
		method: 'POST', path: '/automations/goals/achieve',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			const byName = b.integration != null || b.call_name != null;
			const byId = b.automation_id != null || b.goal_id != null;
			if (byName === byId) throw new RequestError('Send either integration and call_name, or automation_id and goal_id (they are mutually exclusive)', 400);
			if (byName && (b.integration == null || b.call_name == null)) throw new RequestError('integration and call_name go together', 400);
			if (byId && (b.automation_id == null || b.goal_id == null)) throw new RequestError('automation_id and goal_id go together', 400);
			const contact = contactRef(ctx.store, String(b.contact_id));
			let matches;
			if (byId) {
				const a = ctx.store.automations.get(b.automation_id);
				const g = a?.goals.find((x) => x.id === b.goal_id);
				if (!g) throw new RequestError(`Goal ${b.goal_id} not found in automation ${b.automation_id}`, 404);
				matches = a.published ? [{ a, g }] : [];
			} else {
				matches = [...ctx.store.automations.values()].filter((a) => a.published).flatMap((a) => a.goals
					.filter((g) => g.type === 'API' && g.integration === b.integration && g.call_name === b.call_name).map((g) => ({ a, g })));
			}
			if (matches.length === 0 && ctx.emu.config.goalNoMatch === 'reject') {
				throw new RequestError('No published goal matches this request (switch goalNoMatch)', 404);
			}
			const results = matches.map(({ a, g }) => {
				g.achieved++;
				const started = g.next_sequence_ids.map((sid) => {
					const seq = a.sequences.find((s) => s.id === sid);
					if (!seq.contacts.has(contact.id)) seq.contacts.set(contact.id, ctx.store.stamp());
					return { success: true, message: 'Contact started in the sequence', flow_id: sid };
				});
				return { success: true, message: 'Goal achieved', automation_id: a.id, goal_id: g.id, flow_start_results: started, flow_stop_results: [] };
			});
			ctx.store.goalEvents.push({ contact_id: contact.id, goals: matches.map(({ g }) => g.id), time: iso(ctx.store.clock.now()) });
			return { status: 200, body: { results } };
		},
	},
	{ method: 'GET', path: '/automations/{automation_id}', handler: (ctx) => ({ status: 200, body: automationOut(automationOr404(ctx, 'automation_id')) }) },
	{
		method: 'POST', path: '/automations/{automation_id}/sequences/{sequence_id}:addContacts',
		handler: (ctx) => {
			const a = automationOr404(ctx, 'automation_id');
			return { status: 200, body: { add_to_automation_sequence_results: addContacts(ctx, a, sequenceOr404(ctx, a)) } };
		},
	},
];

export const store = {
	reset(s) {
		s.automations = new Map();
		s.goalEvents = [];
		Object.assign(s.nextId, { automation: 21, sequence: 31, goal: 41 });
	},
	snapshot(s) {
		return {
			automations: [...s.automations.values()].map((a) => ({
				...campaignOut(a), categories: a.categories,
				sequences: a.sequences.map((seq) => ({ id: seq.id, name: seq.name, contact_ids: [...seq.contacts.keys()].sort((x, y) => x - y) })),
				goals: a.goals.map((g) => ({ id: g.id, name: g.name, type: g.type, integration: g.integration, call_name: g.call_name, next_sequence_ids: g.next_sequence_ids, achieved: g.achieved })),
			})),
			goalEvents: structuredClone(s.goalEvents),
		};
	},
};

/**
 * Seed: automations: [{ name, published? (true), categories?, sequences: [{ name }],
 * goals: [{ name, type? ('API'), integration?, call_name?, next: [sequence name] }] }].
 */
export function seed(ctx, src) {
	if (!src.automations?.length) return {};
	const store = ctx.store;
	const ids = [];
	for (const raw of src.automations) {
		const now = store.stamp();
		const a = {
			id: store.nextId.automation++, name: raw.name, published: raw.published ?? true, categories: raw.categories ?? [], completed: 0,
			date_created: now, last_updated: now, published_date: now, sequences: [], goals: [],
		};
		for (const s of raw.sequences ?? []) a.sequences.push({ id: store.nextId.sequence++, name: s.name, contacts: new Map() });
		for (const g of raw.goals ?? []) {
			const next = (g.next ?? []).map((name) => {
				const seq = a.sequences.find((s) => s.name === name);
				if (!seq) throw new Error(`seed: goal ${g.name} names an unknown sequence ${name}`);
				return seq.id;
			});
			const type = g.type ?? 'API';
			if (type === 'API' && (!g.integration || !g.call_name)) throw new Error(`seed: API goal ${g.name} needs an integration and a call_name`);
			a.goals.push({ id: store.nextId.goal++, name: g.name, type, integration: g.integration ?? null, call_name: g.call_name ?? null, next_sequence_ids: next, achieved: 0 });
		}
		store.automations.set(a.id, a);
		ids.push(a.id);
	}
	return { automations: ids };
}

export function demo() {
	return {
		automations: [
			{
				name: 'Welcome Series', categories: ['1'], sequences: [{ name: 'Welcome Emails' }, { name: 'Nurture' }],
				goals: [
					{ name: 'Signed up (API)', type: 'API', integration: 'emulator', call_name: 'signup', next: ['Welcome Emails'] },
					{ name: 'Tag applied', type: 'Tag', next: ['Nurture'] },
				],
			},
			{ name: 'Spring Promo (draft)', published: false, categories: ['2'], sequences: [{ name: 'Promo Emails' }], goals: [{ name: 'Promo API goal', integration: 'emulator', call_name: 'promo', next: ['Promo Emails'] }] },
		],
	};
}
