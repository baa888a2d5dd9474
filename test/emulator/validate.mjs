// Request validation against Keap's published OpenAPI documents.
// v1 is OpenAPI 3.0 (validated as JSON Schema draft-07 after converting 3.0 quirks), v2 is
// OpenAPI 3.1 (JSON Schema 2020-12). Validators are compiled lazily and cached per operation.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { clone } from './util.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the OpenAPI documents live: $KEAP_OPENAPI_DIR, else test/emulator/openapi/ (in the repository). */
export function findSpecDir() {
	const candidates = [process.env.KEAP_OPENAPI_DIR, join(here, 'openapi')].filter(Boolean);
	for (const dir of candidates) {
		if (existsSync(join(dir, 'keap-rest-v1.json')) && existsSync(join(dir, 'keap-rest-v2.json'))) return dir;
	}
	throw new Error(
		`Keap OpenAPI documents not found (looked in: ${candidates.join(', ')}). ` +
			'Set KEAP_OPENAPI_DIR, or start the emulator with validate: false.',
	);
}

const docs = {};
function loadDoc(version) {
	if (!docs[version]) {
		const file = join(findSpecDir(), version === 'v1' ? 'keap-rest-v1.json' : 'keap-rest-v2.json');
		docs[version] = JSON.parse(readFileSync(file, 'utf8'));
	}
	return docs[version];
}

/** Spec path of an emulator route: v1 '/v1/contacts', v2 '/rest/v2/contacts'. */
export function specPathFor(version, route) {
	return version === 'v1' ? `/v1${route}` : `/rest/v2${route}`;
}

const specMatchers = {};
/**
 * Whether Keap's document of `version` has a path matching `sub` (a concrete path below
 * /crm/rest/<version>, e.g. '/contacts/12/emails') and an operation for `method` on it:
 * { path: boolean, operation: boolean }.
 */
export function specOperationFor(version, method, sub) {
	if (!specMatchers[version]) {
		specMatchers[version] = Object.entries(loadDoc(version).paths).map(([p, ops]) => ({
			re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
			methods: new Set(Object.keys(ops).map((m) => m.toUpperCase())),
		}));
	}
	const full = specPathFor(version, sub);
	const hits = specMatchers[version].filter((m) => m.re.test(full));
	return { path: hits.length > 0, operation: hits.some((m) => m.methods.has(method)) };
}

// ---- schema conversion -------------------------------------------------------------------------
const COMPOSITE = ['allOf', 'anyOf', 'oneOf'];

function transformSchema(s, opts) {
	if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
	if (s.$ref) return { $ref: rewriteRef(s.$ref, opts) };
	const out = { ...s };
	delete out.example;
	delete out.examples;
	delete out.xml;
	delete out.title;
	if (out.properties) {
		out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, transformSchema(v, opts)]));
	}
	if (out.items) out.items = transformSchema(out.items, opts);
	if (out.additionalProperties && typeof out.additionalProperties === 'object') {
		out.additionalProperties = transformSchema(out.additionalProperties, opts);
	}
	for (const k of COMPOSITE) if (Array.isArray(out[k])) out[k] = out[k].map((x) => transformSchema(x, opts));
	if (out.not) out.not = transformSchema(out.not, opts);
	// Keap v2 gives an integer property string enum values (Task.remind_time_mins: "5", "10", ...),
	// which no value can satisfy: the values are the numbers.
	if (out.type === 'integer' && Array.isArray(out.enum) && out.enum.every((v) => typeof v === 'string' && /^-?\d+$/.test(v))) out.enum = out.enum.map(Number);
	// OpenAPI 3.0 `nullable`
	if (out.nullable === true) {
		if (typeof out.type === 'string') out.type = [out.type, 'null'];
		if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
	}
	delete out.nullable;
	// Keap v1 puts an enum on the array instead of its items (PATCH update_mask).
	if (out.type === 'array' && Array.isArray(out.enum)) {
		out.items = { ...(out.items ?? {}), enum: out.enum };
		delete out.enum;
	}
	// springfox renders java.lang.Object as {type: object}: accept any value.
	if (opts.version === 'v1' && out.type === 'object' && !out.properties && out.additionalProperties === undefined) {
		delete out.type;
	}
	// Reject properties that are not in the published schema (Keap ignores or rejects them).
	if (opts.strict && out.properties && out.additionalProperties === undefined && !COMPOSITE.some((k) => out[k])) {
		out.additionalProperties = false;
	}
	return out;
}

function rewriteRef(ref, opts) {
	return ref.startsWith('#/') ? `${opts.id}${ref}` : ref;
}

const INT32 = { type: 'number', validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 };
const INT64 = { type: 'number', validate: (n) => Number.isSafeInteger(n) };

function makeAjv(version, strict) {
	const AjvClass = version === 'v2' ? Ajv2020 : Ajv;
	const ajv = new AjvClass({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
	addFormats(ajv);
	ajv.addFormat('int32', INT32);
	ajv.addFormat('int64', INT64);
	ajv.addFormat('float', { type: 'number', validate: () => true });
	ajv.addFormat('double', { type: 'number', validate: () => true });
	const doc = loadDoc(version);
	const id = `keap-${version}${strict ? '-strict' : ''}`;
	const opts = { version, strict, id };
	const schemas = Object.fromEntries(Object.entries(doc.components.schemas).map(([k, v]) => [k, transformSchema(v, opts)]));
	ajv.addSchema({ $id: id, components: { schemas } });
	return { ajv, opts };
}

// ---- query/path value coercion -----------------------------------------------------------------
function coerceScalar(raw, schema) {
	const type = Array.isArray(schema?.type) ? schema.type.find((t) => t !== 'null') : schema?.type;
	if (type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
	if (type === 'number') return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
	if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
	return raw;
}

function coerceParam(values, schema) {
	if (schema?.type === 'array') {
		return values.flatMap((v) => v.split(',')).filter((v) => v !== '').map((v) => coerceScalar(v, schema.items));
	}
	return coerceScalar(values[0], schema);
}

function fieldPath(instancePath, extra) {
	let p = instancePath
		.split('/')
		.slice(1)
		.map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`))
		.join('')
		.replace(/^\./, '');
	if (extra) p = p ? `${p}.${extra}` : extra;
	return p;
}

function describe(err, where) {
	const base = where === 'body' ? '' : '';
	const path = base + fieldPath(err.instancePath, err.keyword === 'additionalProperties' ? err.params.additionalProperty : err.keyword === 'required' ? err.params.missingProperty : '');
	switch (err.keyword) {
		case 'additionalProperties':
			return { path, text: `unknown field '${path}' (not in Keap's published schema)` };
		case 'required':
			return { path, text: `'${path}' is required` };
		case 'enum':
			return { path, text: `'${path}' must be one of: ${err.params.allowedValues.filter((v) => v !== null).join(', ')}` };
		case 'type':
			return { path, text: `'${path}' must be of type ${err.params.type}` };
		default:
			return { path, text: `'${path}' ${err.message}` };
	}
}

export class Validator {
	constructor(getConfig) {
		this.getConfig = getConfig;
		this.instances = new Map();
		this.ops = new Map();
	}

	instance(version) {
		const strict = this.getConfig().strictUnknownProperties !== false;
		const key = `${version}:${strict}`;
		if (!this.instances.has(key)) this.instances.set(key, makeAjv(version, strict));
		return this.instances.get(key);
	}

	/** Finds and compiles the operation; returns null when the spec has no such operation. */
	operation(version, method, specPath) {
		const strict = this.getConfig().strictUnknownProperties !== false;
		const key = `${version}:${strict}:${method}:${specPath}`;
		if (this.ops.has(key)) return this.ops.get(key);
		const doc = loadDoc(version);
		const op = doc.paths[specPath]?.[method.toLowerCase()];
		if (!op) throw new Error(`emulator bug: ${method} ${specPath} is not in the ${version} OpenAPI document`);
		const { ajv, opts } = this.instance(version);
		const params = (op.parameters ?? []).map((p) => ({ ...p, schema: transformSchema(clone(p.schema ?? {}), opts) }));
		const compiled = { params, paramValidators: new Map(), body: null, bodyRequired: false, takesBody: !!op.requestBody, mediaTypes: Object.keys(op.requestBody?.content ?? {}), bodyProps: {} };
		for (const p of params) compiled.paramValidators.set(`${p.in}:${p.name}`, ajv.compile(p.schema));
		const content = op.requestBody?.content?.['application/json'] ?? (op.requestBody ? Object.values(op.requestBody.content ?? {})[0] : null);
		if (content?.schema) {
			const bodySchema = transformSchema(clone(content.schema), opts);
			compiled.body = ajv.compile(bodySchema);
			compiled.bodyProps = bodySchema.properties ?? {};
			compiled.bodyRequired = op.requestBody.required === true;
		}
		this.ops.set(key, compiled);
		return compiled;
	}

	/**
	 * Validates a request. Returns { query, path } (coerced values) or throws a ValidationError.
	 * `body` is the parsed JSON (undefined when there was none).
	 */
	check(version, method, specPath, { query, pathParams = {}, headers = {}, body, hasBody, mediaType = 'application/json' }) {
		const op = this.operation(version, method, specPath);
		const strict = this.getConfig().strictUnknownProperties !== false;
		const problems = [];
		const coerced = { query: {}, path: {} };
		const declaredQuery = new Set(op.params.filter((p) => p.in === 'query').map((p) => p.name));
		for (const p of op.params) {
			let values;
			if (p.in === 'query') values = query.getAll(p.name);
			else if (p.in === 'path') values = pathParams[p.name] === undefined ? [] : [pathParams[p.name]];
			else if (p.in === 'header') values = headers[p.name.toLowerCase()] === undefined ? [] : [String(headers[p.name.toLowerCase()])];
			else continue;
			if (values.length === 0 || (p.in === 'query' && values.every((v) => v === '') && p.schema.type !== 'string')) {
				if (p.required) problems.push({ path: p.name, text: `${p.in} parameter '${p.name}' is required` });
				continue;
			}
			if (p.in === 'query' && values.length > 1 && p.schema.type !== 'array') {
				problems.push({ path: p.name, text: `query parameter '${p.name}' is given ${values.length} times; it takes one value` });
				continue;
			}
			const value = coerceParam(values, p.schema);
			const validate = op.paramValidators.get(`${p.in}:${p.name}`);
			if (!validate(value)) {
				for (const e of validate.errors) {
					const d = describe(e, p.in);
					const sub = d.path ? `${p.name}${d.path.startsWith('[') ? '' : '.'}${d.path}` : p.name;
					problems.push({ path: p.name, text: `${p.in} parameter '${sub}' ${d.text.replace(/^'[^']*' /, '').replace(/^'' /, '')}` });
				}
			} else {
				(p.in === 'path' ? coerced.path : coerced.query)[p.name] = value;
			}
		}
		if (strict) {
			for (const name of new Set(query.keys())) {
				if (!declaredQuery.has(name) && name !== 'access_token') {
					problems.push({ path: name, text: `unknown query parameter '${name}'` });
				}
			}
		}
		if (!op.takesBody && hasBody) {
			problems.push({ path: '', text: `${method} ${specPath} takes no request body` });
		} else if (op.body) {
			if (!hasBody) {
				if (op.bodyRequired) problems.push({ path: '', text: 'Required request body is missing' });
			} else if (!op.mediaTypes.includes(mediaType)) {
				problems.push({ path: '', text: `Content-Type ${mediaType} is not accepted here (the operation takes ${op.mediaTypes.join(', ')})` });
			} else {
				// multipart/form-data text parts arrive as strings: coerce them like query values.
				const value = mediaType === 'multipart/form-data'
					? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && op.bodyProps[k] ? coerceScalar(v, op.bodyProps[k]) : v]))
					: body;
				if (!op.body(value)) for (const e of op.body.errors) problems.push(describe(e, 'body'));
			}
		}
		if (problems.length) throw new ValidationError(problems);
		return coerced;
	}
}

export class ValidationError extends Error {
	constructor(problems) {
		const uniq = [];
		for (const p of problems) if (!uniq.some((u) => u.text === p.text)) uniq.push(p);
		super(uniq.map((p) => p.text).join('; '));
		this.problems = uniq;
	}
}
