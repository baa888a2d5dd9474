// The object modules: one line each in OBJECT_MODULES. A module may export
//   v2Routes / v1Routes   route tables (paths as in Keap's OpenAPI documents, validated like all routes)
//   store                 { reset(store), snapshot(store), onContactDeleted(store, id, config),
//                           onTagDeleted(store, id, config), checkContact(store, contact, config) }
//   config                its switches (defaults merged into CONFIG_DEFAULTS; README lists them)
//   hookPaths             { <object_type>: '<v1 collection>' } for hook payload apiUrls
//   seed(emu, src, out, ctx), demo(baseDemoData)   seed format and demo-set part
// Order matters only for routes: a module's routes are tried before the base contact/tag tables.
import { compileRoutes } from '../rest-common.mjs';
import * as customFields from './custom-fields.mjs';
import * as contactModel from './contact-model.mjs';
import * as users from './users.mjs';
import * as emailAddresses from './email-addresses.mjs';
import * as companies from './companies.mjs';
import * as opportunities from './opportunities.mjs';
import * as notes from './notes.mjs';
import * as tasks from './tasks.mjs';
import * as settings from './settings.mjs';

export const OBJECT_MODULES = [
	customFields,
	contactModel,
	users,
	emailAddresses,
	companies,
	opportunities,
	notes,
	tasks,
	settings,
];

export const OBJECT_CONFIG_DEFAULTS = Object.assign({}, ...OBJECT_MODULES.map((m) => m.config ?? {}));
export const STORE_PARTS = OBJECT_MODULES.map((m) => m.store).filter(Boolean);
export const HOOK_API_PATHS = Object.assign({}, ...OBJECT_MODULES.map((m) => m.hookPaths ?? {}));
export const objectRoutes = {
	v1: compileRoutes(OBJECT_MODULES.flatMap((m) => m.v1Routes ?? [])),
	v2: compileRoutes(OBJECT_MODULES.flatMap((m) => m.v2Routes ?? [])),
};

/** Seeds the objects of `src` (after contacts and tags), silently; adds their ids to `out`. */
export function seedObjects(emu, src, out) {
	const ctx = { emu, store: emu.store, cred: { userId: 1 }, query: new URLSearchParams(), params: {} };
	for (const m of OBJECT_MODULES) m.seed?.(emu, src, out, ctx);
}

/** The objects' part of the demo set, given the base demo data (contacts, tags). */
export function objectDemoData(base) {
	return Object.assign({}, ...OBJECT_MODULES.map((m) => m.demo?.(base) ?? {}));
}
