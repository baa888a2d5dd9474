// Files (REST v2 /files): upload and update as multipart/form-data (the only encoding Keap's v2
// document gives), metadata, the data as a Base64 JSON string (`GET /files/{file_id}:data`),
// list and delete. The bytes are stored exactly as received. Keap's hook event list has no
// file events.
import { randomBytes } from 'node:crypto';
import {
	RequestError, byId, contactRef, clean, iso, listOf, seedContact, touchedBy, boolEquals, idEquals, oneOf, exactText, timeBound,
} from './common.mjs';

export const config = {
	/**
	 * Largest file an upload may carry, in bytes (413 above it). Keap's v2 document states no
	 * limit; the nearest documented figure is v1's "Files larger than 8MB may cause errors when
	 * retrieved via the v1 API", so the strict default is 8 MB (8,000,000 bytes).
	 */
	fileMaxBytes: 8_000_000,
};

/** file_association values: v2 types it as a string; v1 documents the enum. */
const ASSOCIATIONS = ['CONTACT', 'USER', 'COMPANY'];
const BOX_TYPE = { CONTACT: 'CONTACT', USER: 'APPLICATION', COMPANY: 'APPLICATION' };
const CATEGORIES = ['ATTACHMENTS', 'CART', 'DOCUMENTS', 'HIDDEN', 'INVOICE', 'LOGO', 'TICKETS', 'WEB_FORM', 'FUNNEL'];
const BOX_TYPES = ['APPLICATION', 'IMAGE', 'FAX', 'ATTACHMENT', 'TICKET', 'CONTACT', 'DIGITAL_PRODUCT', 'IMPORT', 'HIDDEN', 'WEB_FORM', 'STYLED_CART', 'RESAMPLED_IMAGE', 'TEMPLATE_THUMBNAIL', 'FUNNEL', 'LOGO_THUMBNAIL', 'UNLAYER', 'BRANDING_CENTER_LOGO'];

function text(form, name, { required = false } = {}) {
	if (form.files[name]) throw new RequestError(`${name} must be a text part, not a file`, 400);
	const v = form.fields[name];
	if (required && (v === undefined || v.trim() === '')) throw new RequestError(`${name} is required`, 400);
	return v;
}

function boolText(v, name) {
	if (v === undefined) return undefined;
	if (v !== 'true' && v !== 'false') throw new RequestError(`${name} must be true or false, got ${v}`, 400);
	return v === 'true';
}

function fileBytes(ctx, form) {
	const part = form.files.file;
	if (!part) throw new RequestError(form.fields.file !== undefined ? 'file must be a file part (with a filename), not a text part' : 'file is required', 400);
	if (part.data.length === 0) throw new RequestError('file is empty', 400);
	const max = ctx.emu.config.fileMaxBytes;
	if (part.data.length > max) throw new RequestError(`file is ${part.data.length} bytes; the largest upload is ${max} bytes (switch fileMaxBytes)`, 413);
	return part.data;
}

function formOf(ctx) {
	if (!ctx.form) throw new RequestError('This operation takes a multipart/form-data body', 400);
	return ctx.form;
}

function out(f) {
	return clean({
		id: String(f.id), category: f.category, file_name: f.file_name, is_public: f.is_public, contact_id: f.contact_id === null ? null : String(f.contact_id),
		created_by_id: String(f.created_by_id), remote_file_key: f.remote_file_key, file_box_type: f.file_box_type, file_size: f.data.length,
		created_time: iso(f.created_time), updated_time: iso(f.updated_time),
	});
}

function save(store, f) {
	f.id = store.nextId.file++;
	f.created_time = f.updated_time = store.stamp();
	f.remote_file_key = randomBytes(12).toString('hex');
	store.files.set(f.id, f);
	return f;
}

function record(store, { data, file_name, association, contact_id, is_public, userId }) {
	return {
		id: 0, data, file_name, association, contact_id, is_public, created_by_id: userId, category: 'DOCUMENTS', file_box_type: BOX_TYPE[association],
	};
}

const fileOr404 = (ctx) => byId(ctx.store.files, ctx.params, 'file_id', 'File');

export const v2Routes = [
	{
		method: 'GET', path: '/files',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.files.values()], 'files', {
				filter: (f) => ({
					is_public: boolEquals((x) => x.is_public), contact_id: idEquals((x) => x.contact_id), user_id: idEquals((x) => x.created_by_id),
					category: oneOf((x) => x.category, CATEGORIES), file_box_type: oneOf((x) => x.file_box_type, BOX_TYPES),
					// The v2 document shows no wildcard for file_name: exact (a * is literal, or a 400 under undocumentedWildcard reject).
					file_name: exactText((x) => x.file_name),
					created_time: timeBound((x) => x.created_time, 'at'), updated_time: timeBound((x) => x.updated_time, 'at'),
				})[f] ?? null,
				sorts: { file_name: (x) => x.file_name, updated_time: (x) => x.updated_time },
				out,
			}),
		}),
	},
	{
		method: 'POST', path: '/files',
		handler: (ctx) => {
			const form = formOf(ctx);
			const data = fileBytes(ctx, form);
			const fileName = text(form, 'file_name', { required: true });
			const association = text(form, 'file_association', { required: true });
			if (!ASSOCIATIONS.includes(association)) throw new RequestError(`file_association must be one of: ${ASSOCIATIONS.join(', ')}`, 400);
			const contactText = text(form, 'contact_id');
			if (association === 'CONTACT' && !contactText) throw new RequestError('contact_id is required when file_association is CONTACT', 400);
			if (association !== 'CONTACT' && contactText) throw new RequestError(`contact_id is used only when file_association is CONTACT, not ${association}`, 400);
			const contactId = contactText ? contactRef(ctx.store, contactText).id : null;
			const f = save(ctx.store, record(ctx.store, {
				data, file_name: fileName, association, contact_id: contactId, is_public: boolText(text(form, 'is_public'), 'is_public') ?? false, userId: ctx.cred.userId,
			}));
			return { status: 201, body: out(f) };
		},
	},
	{
		method: 'GET', path: '/files/{file_id}:data',
		handler: (ctx) => ({
			status: 200, body: JSON.stringify(fileOr404(ctx).data.toString('base64')), headers: { 'content-type': 'application/json;charset=UTF-8' },
		}),
	},
	{ method: 'GET', path: '/files/{file_id}', handler: (ctx) => ({ status: 200, body: out(fileOr404(ctx)) }) },
	{
		method: 'POST', path: '/files/{file_id}',
		handler: (ctx) => {
			const f = fileOr404(ctx);
			const form = formOf(ctx);
			const touched = touchedBy(ctx, { ...form.fields, ...form.files });
			const next = { ...f };
			if (touched('file')) next.data = fileBytes(ctx, form);
			if (touched('file_name')) next.file_name = text(form, 'file_name', { required: true });
			if (touched('is_public')) {
				const v = boolText(text(form, 'is_public'), 'is_public');
				if (v === undefined) throw new RequestError('is_public is in update_mask but not in the body', 400);
				next.is_public = v;
			}
			next.updated_time = ctx.store.stamp();
			ctx.store.files.set(next.id, next);
			return { status: 200, body: out(next) };
		},
	},
	{
		method: 'DELETE', path: '/files/{file_id}',
		handler: (ctx) => {
			const f = fileOr404(ctx);
			ctx.store.files.delete(f.id);
			for (const o of ctx.store.orders?.values() ?? []) o.file_ids = o.file_ids.filter((id) => id !== f.id);
			return { status: 204 };
		},
	},
];

export const store = {
	reset(s) {
		s.files = new Map();
		s.nextId.file = 9001;
	},
	snapshot(s) {
		return { files: [...s.files.values()].map((f) => ({ ...out(f), association: f.association, data_base64: f.data.toString('base64') })) };
	},
};

/** Seed: files: [{ file_name, association ('CONTACT' | 'USER' | 'COMPANY'), contact?: id | email, text? | base64?, is_public? }]. */
export function seed(ctx, src) {
	if (!src.files?.length) return {};
	const store = ctx.store;
	const ids = [];
	for (const raw of src.files) {
		if (!ASSOCIATIONS.includes(raw.association)) throw new Error(`seed: file_association ${raw.association}`);
		const bytes = raw.base64 !== undefined ? Buffer.from(raw.base64, 'base64') : Buffer.from(raw.text ?? '', 'utf8');
		const f = record(store, {
			data: bytes, file_name: raw.file_name, association: raw.association, contact_id: raw.contact === undefined ? null : seedContact(store, raw.contact).id,
			is_public: raw.is_public ?? false, userId: 1,
		});
		ids.push(save(store, f).id);
	}
	return { files: ids };
}

/** A 1×1 PNG: a binary file in the demo set. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export function demo() {
	return {
		files: [
			{ file_name: 'welcome-letter.txt', association: 'CONTACT', contact: 'olivia.garcia@example.com', text: 'Dear Olivia,\nwelcome to the Starter Kit.\n' },
			{ file_name: 'logo.png', association: 'COMPANY', base64: PIXEL_PNG, is_public: true },
		],
	};
}
