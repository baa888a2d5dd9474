// Seeding: the `demo` data set and the generic seed format used by emu.seed() and
// POST /__admin/seed. Seeding is silent: it triggers no hook events.
import { fromV1Body } from './contact-map.mjs';
import { applyChanges } from './rest-common.mjs';
import { seedObjects, objectDemoSets } from './objects/index.mjs';

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella', 'Lucas', 'Mia', 'Levi', 'Amelia', 'Ethan', 'Harper', 'James', 'Evelyn', 'Benjamin', 'Abigail', 'Henry', 'Emily', 'Jack', 'Ella', 'Owen', 'Scarlett', 'Wyatt', 'Grace', 'Julian', 'Chloe', 'Leo', 'Priya', 'Kenji', 'Fatima', 'Diego', 'Ngozi', 'Sven'];
const LAST = ['Garcia', 'Smith', 'Johnson', 'Nguyen', 'Brown', 'Martinez', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Patel', 'Tanaka', 'Okafor', 'Hernandez', 'Adeyemi', 'Larsen'];
const COMPANIES = ['Acme Plumbing', 'Bright Smile Dental', 'Cedar Yoga Studio', 'Desert Bloom Florist', null, 'Evergreen Landscaping', null, 'Fox & Hound Bakery'];
const CITIES = [['Phoenix', 'Arizona', '85001'], ['Chandler', 'Arizona', '85224'], ['Austin', 'Texas', '73301'], ['Denver', 'Colorado', '80202'], ['Portland', 'Oregon', '97201'], ['Boise', 'Idaho', '83702']];

export function demoData() {
	const categories = [
		{ name: 'Lifecycle', description: 'Where the contact is in the customer journey' },
		{ name: 'Interests', description: 'Topics the contact asked about' },
	];
	const tags = [
		{ name: 'Lead', category: 'Lifecycle' },
		{ name: 'Customer', category: 'Lifecycle' },
		{ name: 'Past Customer', category: 'Lifecycle' },
		{ name: 'Newsletter', category: 'Interests', description: 'Monthly newsletter subscribers' },
		{ name: 'Webinar Attendee', category: 'Interests' },
		{ name: 'Product Updates', category: 'Interests' },
		{ name: 'VIP' },
	];
	const contacts = FIRST.map((given, i) => {
		const family = LAST[i];
		const [city, region, zip] = CITIES[i % CITIES.length];
		const company = COMPANIES[i % COMPANIES.length];
		const c = {
			given_name: given,
			family_name: family,
			email_addresses: [{ email: `${given}.${family}@example.com`.toLowerCase(), field: 'EMAIL1' }],
			phone_numbers: i % 3 === 0 ? [] : [{ number: `(480) 555-${String(1000 + i * 37).slice(-4)}`, field: 'PHONE1', type: 'Mobile' }],
			addresses: i % 4 === 3 ? [] : [{ field: 'BILLING', line1: `${100 + i * 11} Main St`, locality: city, region, country_code: 'USA', zip_code: zip }],
			owner_id: i % 2 === 0 ? 1 : 3,
			lead_source_id: [7, 9, 11, 13][i % 4],
			contact_type: i % 3 === 0 ? 'Customer' : 'Lead',
			custom_fields: [
				{ id: 6, content: ['Blue', 'Green', 'Red', 'Teal'][i % 4] },
				{ id: 8, content: ['Bronze', 'Silver', 'Gold', 'Platinum'][i % 4] },
				{ id: 10, content: `2024-${String((i % 12) + 1).padStart(2, '0')}-15` },
				{ id: 12, content: Math.round((i * 137.25) % 5000 * 100) / 100 },
				{ id: 14, content: (i * 7) % 40 },
				{ id: 16, content: i % 5 === 0 },
			],
			tags: [i % 3 === 0 ? 'Customer' : 'Lead', ...(i % 2 === 0 ? ['Newsletter'] : []), ...(i % 7 === 0 ? ['VIP'] : [])],
			opt_in_reason: i % 2 === 0 ? 'Signed up on the website' : undefined,
		};
		if (company) {
			c.company_name = company;
			c.job_title = ['Owner', 'Office Manager', 'Marketing Lead'][i % 3];
		}
		return c;
	});
	// each object module adds its part of the demo set (companies, a pipeline, products, orders, ...)
	const base = { categories, tags, contacts };
	return mergeSeeds(base, ...objectDemoSets(base));
}

/** Seeds data; returns the ids created. */
export function applySeed(emu, data = {}) {
	const store = emu.store;
	const out = { categories: [], tags: [], contacts: [] };
	const src = data.demo ? mergeSeeds(demoData(), data) : data;
	const catByName = new Map([...store.categories.values()].map((c) => [c.name, c.id]));
	for (const cat of src.categories ?? []) {
		const c = store.createCategory({ name: cat.name, description: cat.description ?? null });
		catByName.set(c.name, c.id);
		out.categories.push(c.id);
	}
	const tagByName = new Map([...store.tags.values()].map((t) => [t.name, t.id]));
	for (const t of src.tags ?? []) {
		const category = t.category == null ? null : typeof t.category === 'number' ? t.category : catByName.get(t.category);
		if (t.category != null && !store.categories.has(category)) throw new Error(`seed: unknown tag category ${t.category}`);
		const tag = store.createTag({ name: t.name, description: t.description ?? null, category_id: category }, { silent: true });
		tagByName.set(tag.name, tag.id);
		out.tags.push(tag.id);
	}
	for (const raw of src.contacts ?? []) {
		const { tags = [], company_name, date_created, last_updated, opt_in_reason, ...body } = raw;
		const { set } = fromV1Body(body);
		const next = applyChanges(store, store.emptyContact(), set);
		if (company_name !== undefined) next.company_name = company_name;
		next.source_type = next.source_type ?? 'MANUAL';
		next.created_by = next.last_updated_by = 1;
		const err = store.checkContact(next);
		if (err) throw new Error(`seed: ${err}`);
		const c = store.createContact(next, { silent: true });
		if (date_created) c.date_created = Date.parse(date_created);
		if (last_updated) c.last_updated = Date.parse(last_updated);
		if (opt_in_reason) store.optIn(store.primaryEmail(c), opt_in_reason);
		for (const t of tags) {
			const id = typeof t === 'number' ? t : tagByName.get(t);
			if (!store.tags.has(id)) throw new Error(`seed: unknown tag ${t}`);
			store.applyTag(c.id, id, { silent: true });
		}
		out.contacts.push(c.id);
	}
	// Users and lead sources are made in Keap's UI (the emulator serves no create route for them).
	for (const u of src.users ?? []) {
		if (!u.email || !u.given_name) throw new Error('seed: a user needs given_name and email');
		const id = Math.max(0, ...store.users.map((x) => x.id)) + 2;
		store.users.push({ id, given_name: u.given_name, family_name: u.family_name ?? '', email: u.email, admin: u.admin ?? false, status: u.status ?? 'Active', global_user_id: 900000 + id });
		out.users = [...(out.users ?? []), id];
	}
	for (const l of src.leadSources ?? []) {
		if (!l.name) throw new Error('seed: a lead source needs a name');
		const id = Math.max(0, ...store.leadSources.map((x) => x.id)) + 2;
		store.leadSources.push({ id, name: l.name, description: l.description ?? '', medium: l.medium ?? '', vendor: l.vendor ?? '' });
		out.leadSources = [...(out.leadSources ?? []), id];
	}
	Object.assign(out, mergeSeeds(...seedObjects(emu, src)));
	for (const h of src.hooks ?? []) {
		const hook = emu.hooks.create(h.eventKey, h.hookUrl);
		hook.status = h.status ?? 'Verified';
		out.hooks = [...(out.hooks ?? []), hook.key];
	}
	return out;
}

/** Concatenates the lists of seed sets key by key (categories, tags, contacts, hooks, companies, ...). */
function mergeSeeds(...sets) {
	const out = {};
	for (const set of sets) {
		for (const [k, v] of Object.entries(set)) if (Array.isArray(v)) out[k] = [...(out[k] ?? []), ...v];
	}
	return out;
}
