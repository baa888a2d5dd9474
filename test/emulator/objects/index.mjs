// The object modules: everything the emulator serves beyond contacts and tags, one file each and
// one line each in OBJECT_MODULES. The module contract (named exports, each optional):
//   v2Routes / v1Routes  [{ method, path, handler(ctx) }], paths as in Keap's OpenAPI documents
//                        (the tests check each is a documented operation); validated like every
//                        route, and tried before the base contact/tag tables. ctx = { emu, store,
//                        query, params, body (JSON), form (multipart/form-data: { fields, files }),
//                        headers, origin, cred, route }; a handler returns { status, body?, headers? }
//                        or throws a RequestError.
//   store                its part of the store: { reset(s) (its maps and nextId counters, on start
//                        and on every reset), snapshot(s) -> { <key>: plain data },
//                        checkContact(s, contact, config) -> error text | null,
//                        onContactDeleted(s, contactId, config), onTagDeleted(s, tagId, config) }
//   config               its named switches and their strict defaults (merged into CONFIG_DEFAULTS;
//                        test/emulator/README.md "Object switches" lists them)
//   seed(ctx, src)       creates its keys of a seed set through its own create rules, silently (no
//                        hook events); returns { <key>: [ids] }. ctx is a handler context.
//   demo(base)           its part of the demo seed set; `base` is { categories, tags, contacts }
// Hook events: a module fires them through common.mjs emit(store, eventKey, objectType, id,
// apiPath); apiPath is the path of the payload's apiUrl ('' for none; delete events carry none).
// Helpers the modules share live in common.mjs (custom field models: custom-fields.mjs).
// Order: stores reset and seeds run in this order, so a module comes after those it refers to.
import { compileRoutes } from '../rest-common.mjs';
import * as customFields from './custom-fields.mjs';
import * as contactModel from './contact-model.mjs';
import * as users from './users.mjs';
import * as emailAddresses from './email-addresses.mjs';
import * as companies from './companies.mjs';
import * as products from './products.mjs';
import * as affiliates from './affiliates.mjs';
import * as sales from './sales.mjs';
import * as orders from './orders.mjs';
import * as subscriptions from './subscriptions.mjs';
import * as opportunities from './opportunities.mjs';
import * as notes from './notes.mjs';
import * as tasks from './tasks.mjs';
import * as appointments from './appointments.mjs';
import * as emails from './emails.mjs';
import * as files from './files.mjs';
import * as automations from './automations.mjs';
import * as settings from './settings.mjs';

export const OBJECT_MODULES = [
	customFields,
	contactModel,
	users,
	emailAddresses,
	companies,
	products,
	affiliates,
	sales,
	orders,
	subscriptions,
	opportunities,
	notes,
	tasks,
	appointments,
	emails,
	files,
	automations,
	settings,
];

/** Throws when two modules claim one name (a switch, a route). */
function unique(names, what) {
	const seen = new Set();
	for (const n of names) {
		if (seen.has(n)) throw new Error(`emulator bug: ${what} ${n} is defined by two object modules`);
		seen.add(n);
	}
}

unique(OBJECT_MODULES.flatMap((m) => Object.keys(m.config ?? {})), 'switch');
for (const v of ['v1Routes', 'v2Routes']) unique(OBJECT_MODULES.flatMap((m) => (m[v] ?? []).map((r) => `${v} ${r.method} ${r.path}`)), 'route');

export const OBJECT_CONFIG_DEFAULTS = Object.assign({}, ...OBJECT_MODULES.map((m) => m.config ?? {}));
export const STORE_PARTS = OBJECT_MODULES.map((m) => m.store).filter(Boolean);
export const objectRoutes = {
	v1: compileRoutes(OBJECT_MODULES.flatMap((m) => m.v1Routes ?? [])),
	v2: compileRoutes(OBJECT_MODULES.flatMap((m) => m.v2Routes ?? [])),
};

/** Seeds the objects of `src` (after contacts and tags), silently; one { <key>: [ids] } a module. */
export function seedObjects(emu, src) {
	const ctx = { emu, store: emu.store, cred: { userId: 1 }, query: new URLSearchParams(), params: {} };
	return OBJECT_MODULES.map((m) => m.seed?.(ctx, src) ?? {});
}

/** The modules' parts of the demo set, given its base part ({ categories, tags, contacts }). */
export function objectDemoSets(base) {
	return OBJECT_MODULES.map((m) => m.demo?.(base) ?? {});
}
