// Test helper: checks an emulator answer against the response schema Keap's OpenAPI document
// gives for that operation and status, strictly (no property the schema does not name). The
// emulator validates requests itself (validate.mjs); this keeps its answers honest too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { findSpecDir, specPathFor } from './validate.mjs';
import { matchRoute } from './rest-common.mjs';
import { V1_ROUTES, V2_ROUTES } from './index.mjs';

const cache = {};

function strict(s, id) {
	if (!s || typeof s !== 'object') return s;
	if (Array.isArray(s)) return s.map((x) => strict(x, id));
	if (s.$ref) return { $ref: s.$ref.startsWith('#/') ? `${id}${s.$ref}` : s.$ref };
	const out = {};
	for (const [k, v] of Object.entries(s)) {
		if (['example', 'examples', 'xml', 'description', 'title'].includes(k)) continue;
		out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, strict(ps, id)])) : strict(v, id);
	}
	// As validate.mjs: Task.remind_time_mins is an integer with string enum values; they are numbers.
	if (out.type === 'integer' && Array.isArray(out.enum) && out.enum.every((v) => typeof v === 'string' && /^-?\d+$/.test(v))) out.enum = out.enum.map(Number);
	if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
	delete out.nullable;
	if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
	return out;
}

function load(version) {
	if (cache[version]) return cache[version];
	const doc = JSON.parse(readFileSync(join(findSpecDir(), `keap-rest-${version}.json`), 'utf8'));
	const ajv = version === 'v2' ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	for (const f of ['int32', 'int64', 'float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
	const id = `resp-${version}`;
	ajv.addSchema({ $id: id, components: { schemas: Object.fromEntries(Object.entries(doc.components.schemas).map(([k, v]) => [k, strict(v, id)])) } });
	cache[version] = { doc, ajv, id, compiled: new Map() };
	return cache[version];
}

/** The route template an emulator path is served by ('/companies/{company_id}'). */
export function routeOf(version, method, subPath) {
	const { route } = matchRoute(version === 'v1' ? V1_ROUTES : V2_ROUTES, method, subPath.replace(/\?.*$/, '').replace(/\/+$/, ''));
	return route?.path ?? null;
}

/**
 * Problems of `body` against the documented response of (version, method, template, status):
 * [] when it fits; a status the operation does not document is a problem too.
 */
export function responseProblems(version, method, template, status, body) {
	const { doc, ajv, id, compiled } = load(version);
	const op = doc.paths[specPathFor(version, template)]?.[method.toLowerCase()];
	if (!op) return [`${method} ${template} is not in the ${version} document`];
	const res = op.responses?.[String(status)];
	if (!res) return [`status ${status} is not documented for ${method} ${template}`];
	const schema = res.content ? Object.values(res.content)[0]?.schema : null;
	if (!schema) return body === null || body === undefined || body === '' ? [] : [`status ${status} documents no body`];
	const key = `${method} ${template} ${status}`;
	if (!compiled.has(key)) compiled.set(key, ajv.compile(strict(schema, id)));
	const validate = compiled.get(key);
	if (validate(body)) return [];
	return validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ''}`);
}
