// Keap objects beyond contacts and tags, one module each. A module exports (all optional):
//   v2Routes / v1Routes  route definitions ({ method, path, handler }), validated like every route
//   reset(store)         creates its part of the store (on start and on every reset)
//   snapshot(store)      its part of store.snapshot()
//   seed(emu, data)      seeds its keys of a seed set (silently: no hook events); returns the ids
//   demo()               its part of the demo seed set
//   config               its named switches (merged into CONFIG_DEFAULTS)
// Registration: one line per module in OBJECTS (order = reset and seed order; products before
// the orders and subscriptions that refer to them).
import { compileRoutes } from '../rest-common.mjs';
import products from './products.mjs';
import affiliates from './affiliates.mjs';
import sales from './sales.mjs';
import orders from './orders.mjs';
import subscriptions from './subscriptions.mjs';
import emails from './emails.mjs';
import files from './files.mjs';
import automations from './automations.mjs';

export const OBJECTS = [
	products,
	affiliates,
	sales,
	orders,
	subscriptions,
	emails,
	files,
	automations,
];

export const OBJECT_CONFIG = Object.assign({}, ...OBJECTS.map((o) => o.config ?? {}));

const compiled = {
	v1: compileRoutes(OBJECTS.flatMap((o) => o.v1Routes ?? [])),
	v2: compileRoutes(OBJECTS.flatMap((o) => o.v2Routes ?? [])),
};

/** The compiled routes of every object module for 'v1' or 'v2'. */
export function objectRoutes(version) {
	return compiled[version];
}
