/**
 * Keap records by id, for every object type a REST hook event names, each with the fewest calls
 * Keap's documents allow (the hydration step of the triggers):
 *  - an ids filter where the v2 listing has one (notes `ids`, tasks `task_ids`, opportunities
 *    `ids` (at most 100 a call, document), orders `ids`, subscriptions `ids`, products
 *    `product_ids`, payments `ids`, tags `tag_ids`, users `user_ids`): as many ids a call as
 *    fit Keap's request line (7,168 bytes, measured as sent) and the page size;
 *  - an id range where the listing filters ids only by comparison (companies `company_id`,
 *    affiliates `id`, both sortable by id; lead sources `id`, not sortable by id): `>=` the
 *    smallest id, read until past the largest (in id order) or until every id is found, chosen
 *    only when its pages cannot outnumber one call per id (for lead sources, whose listing has
 *    no id order, an estimate: an account's lead sources rarely pass one page);
 *  - one GET per id otherwise (appointments: REST v1 only, no ids filter; a range too sparse).
 * Contacts have their own batching (RestContacts.idBatches), invoices are read through the
 * order their apiUrl names. This module only fetches: it returns Keap's records (raw JSON)
 * by id; what is missing from the map is what Keap did not return.
 */
import type { IDataObject } from 'n8n-workflow';

import { listOf, nextPageToken, queryEncoded, REQUEST_LINE_MAX, requestLineBytes, type RestClient, V1, V2, V2_MAX_PAGE_SIZE } from './client';
import { COMPANY_FIELDS } from './companies';
import { OPPORTUNITY_FIELDS } from './opportunities';

/** GETs of single records in flight at once. */
const GET_CONCURRENCY = 4;

/** Room kept on a request line for a page_token and a base URL's path. */
const RESERVE = 512;

interface IdsFilter {
	kind: 'ids';
	path: string;
	key: string;
	field: string;
	/** Other clauses of the filter, before the ids. */
	clauses?: string;
	/** At most this many ids a call (the document's cap), else the page size. */
	max?: number;
	pageSize?: number;
	fields?: string;
}

interface IdRange {
	kind: 'range';
	path: string;
	key: string;
	field: string;
	/**
	 * order_by for id order. Without one (lead sources) the read is `>=` the smallest id alone,
	 * until every id is found: Keap's documents do not show two clauses on one field, so no
	 * `<=` bound is sent.
	 */
	orderBy?: string;
	fields?: string;
	one: (id: string) => string;
}

interface EachGet {
	kind: 'each';
	one: (id: string) => string;
	fields?: string;
}

type Route = IdsFilter | IdRange | EachGet;

/** How each object type of Keap's hook events is read. */
const ROUTES: Record<string, Route> = {
	company: {
		kind: 'range',
		path: `${V2}/companies`,
		key: 'companies',
		field: 'company_id',
		orderBy: 'id asc',
		fields: COMPANY_FIELDS,
		one: (id) => `${V2}/companies/${id}`,
	},
	opportunity: { kind: 'ids', path: `${V2}/opportunities`, key: 'opportunities', field: 'ids', max: 100, fields: OPPORTUNITY_FIELDS },
	order: { kind: 'ids', path: `${V2}/orders`, key: 'orders', field: 'ids' },
	'invoice.payment': { kind: 'ids', path: `${V2}/sales/payments`, key: 'payments', field: 'ids' },
	product: { kind: 'ids', path: `${V2}/products`, key: 'products', field: 'product_ids' },
	subscription: { kind: 'ids', path: `${V2}/subscriptions`, key: 'subscriptions', field: 'ids' },
	task: { kind: 'ids', path: `${V2}/tasks`, key: 'tasks', field: 'task_ids', fields: 'custom_fields' },
	note: { kind: 'ids', path: `${V2}/notes`, key: 'notes', field: 'ids', fields: 'custom_fields' },
	contactGroup: { kind: 'ids', path: `${V2}/tags`, key: 'tags', field: 'tag_ids' },
	user: {
		kind: 'ids',
		path: `${V2}/users`,
		key: 'users',
		field: 'user_ids',
		clauses: 'include_inactive==true;include_partners==true',
		pageSize: 100,
	},
	affiliate: { kind: 'range', path: `${V2}/affiliates`, key: 'affiliates', field: 'id', orderBy: 'id asc', one: (id) => `${V2}/affiliates/${id}` },
	leadsource: { kind: 'range', path: `${V2}/leadSources`, key: 'lead_sources', field: 'id', one: (id) => `${V2}/leadSources/${id}` },
	appointment: { kind: 'each', one: (id) => `${V1}/appointments/${id}` },
};

/** The object types this module reads ("contact" and "invoice" are read elsewhere). */
export const RECORD_TYPES = Object.keys(ROUTES);

export function canFetch(objectType: string): boolean {
	return objectType in ROUTES;
}

/** Splits ids into runs whose `filter=<clauses;>field==a,b,...` request line fits with the reserve. */
export function idRuns(path: string, qs: Record<string, string | number>, prefix: string, ids: string[], max: number): string[][] {
	const budget = REQUEST_LINE_MAX - RESERVE;
	const base = requestLineBytes('GET', path, { ...qs, filter: prefix });
	const comma = queryEncoded(',').length;
	const runs: string[][] = [];
	let run: string[] = [];
	let size = base;
	for (const id of ids) {
		const add = queryEncoded(id).length + (run.length ? comma : 0);
		if (run.length && (run.length >= max || size + add > budget)) {
			runs.push(run);
			run = [];
			size = base;
		}
		size += run.length ? add : queryEncoded(id).length;
		run.push(id);
	}
	if (run.length) runs.push(run);
	return runs;
}

/** Calls a range read of these (sorted) ids costs at most: a page per 1000 ids of the span. */
const rangeCost = (first: number, last: number) => Math.ceil((last - first + 1) / V2_MAX_PAGE_SIZE);

/**
 * The ids in runs to read by one id range each (a run of one: one GET): neighbours join a run
 * while reading them together costs no more calls than reading the newcomer alone.
 */
export function idClusters(ids: string[]): string[][] {
	const sorted = [...ids].sort((a, b) => Number(a) - Number(b));
	const runs: string[][] = [];
	let run: string[] = [];
	const cost = (r: string[]) => (r.length === 1 ? 1 : Math.min(r.length, rangeCost(Number(r[0]), Number(r[r.length - 1]))));
	for (const id of sorted) {
		if (run.length && cost([...run, id]) <= cost(run) + 1 && rangeCost(Number(run[0]), Number(id)) <= run.length + 1) run.push(id);
		else {
			if (run.length) runs.push(run);
			run = [id];
		}
	}
	if (run.length) runs.push(run);
	return runs;
}

const idOf = (r: IDataObject) => (r.id === undefined || r.id === null ? '' : String(r.id));

export class RestRecords {
	constructor(private readonly rest: RestClient) {}

	/** Keap's records of `objectType` for these ids, by id (each id asked once). */
	async byIds(objectType: string, ids: string[]): Promise<Map<string, IDataObject>> {
		const route = ROUTES[objectType];
		if (!route) throw new Error(`Keap has no route to read ${objectType} records by id`);
		const wanted = [...new Set(ids)].filter((id) => /^\d+$/.test(id));
		const found = new Map<string, IDataObject>();
		if (!wanted.length) return found;
		if (route.kind === 'ids') {
			await this.byFilter(route, wanted, found);
			return found;
		}
		const singles: string[] = [];
		for (const cluster of route.kind === 'range' ? idClusters(wanted) : wanted.map((id) => [id])) {
			if (cluster.length > 1 && route.kind === 'range') await this.byRange(route, cluster, found);
			else singles.push(cluster[0]);
		}
		// One GET per id, a few at a time (the pacer keeps them within the credential's quota).
		let next = 0;
		const worker = async () => {
			while (next < singles.length) {
				const id = singles[next++];
				await this.one(route.one(id), route.fields, id, found);
			}
		};
		await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, singles.length) }, worker));
		return found;
	}

	/** Orders by their ids (invoices are read through their orders). */
	async orders(ids: string[]): Promise<Map<string, IDataObject>> {
		return await this.byIds('order', ids);
	}

	private async byFilter(route: IdsFilter, ids: string[], found: Map<string, IDataObject>) {
		const pageSize = route.pageSize ?? V2_MAX_PAGE_SIZE;
		const qs: Record<string, string | number> = { page_size: pageSize };
		if (route.fields) qs.fields = route.fields;
		const prefix = `${route.clauses ? `${route.clauses};` : ''}${route.field}==`;
		for (const run of idRuns(route.path, qs, prefix, ids, Math.min(route.max ?? pageSize, pageSize))) {
			await this.pages(route.path, route.key, { ...qs, filter: `${prefix}${run.join(',')}` }, (r) => {
				if (run.includes(idOf(r))) found.set(idOf(r), r);
				return false;
			});
		}
	}

	private async byRange(route: IdRange, ids: string[], found: Map<string, IDataObject>) {
		const nums = ids.map(Number);
		const [min, max] = [Math.min(...nums), Math.max(...nums)];
		const wanted = new Set(ids);
		const qs: Record<string, string | number> = {
			page_size: V2_MAX_PAGE_SIZE,
			filter: `${route.field}>=${min}`,
		};
		if (route.orderBy) qs.order_by = route.orderBy;
		if (route.fields) qs.fields = route.fields;
		let left = wanted.size;
		await this.pages(route.path, route.key, qs, (r) => {
			const id = idOf(r);
			if (wanted.has(id) && !found.has(id)) {
				found.set(id, r);
				left--;
			}
			// Every id found, or (in id order) a record past the largest: the read ends.
			return left === 0 || (route.orderBy !== undefined && Number(id) > max);
		});
	}

	/** Reads a listing's pages; `each` returning true stops the read. */
	private async pages(path: string, key: string, qs: IDataObject, each: (r: IDataObject) => boolean) {
		let cursor: string | undefined;
		do {
			const res = await this.rest.json('GET', path, { qs: { ...qs, ...(cursor ? { page_token: cursor } : {}) } });
			let stop = false;
			for (const r of listOf(res, key)) if (each(r)) stop = true;
			cursor = stop ? undefined : nextPageToken(res.body);
		} while (cursor);
	}

	private async one(path: string, fields: string | undefined, id: string, found: Map<string, IDataObject>) {
		const res = await this.rest.json('GET', path, { qs: fields ? { fields } : undefined, acceptStatus: [404] });
		if (res.status !== 404 && !Array.isArray(res.body)) found.set(id, res.body);
	}
}
