// Emails (REST v2 /emails): sending to contacts (emails:send, emails/templates:send), email
// records (one at a time or batched), templates. Contents are Base64 in both directions, as
// Keap's document says (`html_content`, `plain_content`, attachment `file_data`).
// Keap's hook event list has no email events.
import { randomUUID } from 'node:crypto';
import {
	RequestError, byId, intParam, contactRef, userById, idBatch, clean, iso, isoOrNull, dateTimeIn, isBase64, base64Field, listOf,
	idEquals, exactText, timeBound,
} from './common.mjs';
import { MARKETABLE } from '../store.mjs';

export const config = {
	/** Most contacts one emails:send or emails/templates:send takes (undocumented; strict, like the 100-id tag calls of Keap's PHP SDK). */
	emailSendContactsMax: 100,
	/** Most email_ids one emails:batchRemove takes (undocumented; emails:batchAdd documents 1000). */
	emailBatchRemoveMax: 1000,
	/** emails:send / templates:send skip recipients whose address is not marketable (opted out, never opted in). */
	emailSendRequiresMarketable: true,
};

/** emails:batchAdd: "maximum 1000 per transaction" (Keap's document). */
export const EMAIL_BATCH_ADD_MAX = 1000;
/** emails:send attachments: "maximum of 10 with size of 1MB each" (Keap's document). */
export const ATTACHMENTS_MAX = 10;
export const ATTACHMENT_MAX_BYTES = 1_000_000;
/** The attachment extensions Keap's document lists (case-insensitive). */
export const ATTACHMENT_EXTENSIONS = new Set((
	'bmp cdr fpx gif jif jiff jp2 jpeg jpg jpx j2k pcd pdf png psd pspimage thm tif tiff yuv ' +
	'doc docx err log msg notes pages pwd rtf text txt vcf wp wp4 wp5 wp7 wpd wps wsd xdl ' +
	'mid mp3 mp4 wav wma ' +
	'avi divx f4p flv gvi hdmov hdv m2ts m4v mnv mov movie mp4 mp4v mpeg mpeg1 mpeg4 mpg qt rm vob wm wmv ' +
	'csv ics key pps ppt pptx xlr xls xlsx xml zip'
).split(' '));

const ADDRESS_FIELDS = { Email: 'EMAIL1', EmailAddress2: 'EMAIL2', EmailAddress3: 'EMAIL3' };
const TIMES = ['sent_time', 'received_time', 'opened_time', 'clicked_time'];

// ---- records -------------------------------------------------------------------------------------
/** A stored email record from a CreateEmailSentRequest; throws RequestError(400) on a bad one. */
function recordFrom(store, b) {
	if (typeof b.sent_to_address !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(b.sent_to_address)) throw new RequestError(`sent_to_address is not an email address: ${b.sent_to_address}`, 400);
	const contactId = b.contact_id === undefined || b.contact_id === null ? null : contactRef(store, b.contact_id).id;
	const provider = b.original_provider ?? 'UNKNOWN';
	const providerId = b.original_provider_id ?? randomUUID().replace(/-/g, '');
	const dup = [...store.emails.values()].find((e) => e.original_provider === provider && e.original_provider_id === providerId);
	if (dup) throw new RequestError(`original_provider_id ${providerId} is already used by email ${dup.id} for provider ${provider}`, 400);
	const r = {
		id: 0, subject: b.subject ?? null, headers: b.headers ?? null, contact_id: contactId, sent_to_address: b.sent_to_address,
		sent_to_cc_address_list: b.sent_to_cc_address_list ?? [], sent_to_bcc_address_list: b.sent_to_bcc_address_list ?? [],
		sent_from_address: b.sent_from_address ?? null, sent_from_reply_address: b.sent_from_reply_address ?? null,
		original_provider: provider, original_provider_id: providerId, provider_source_id: b.provider_source_id ?? null,
		plain_content: base64Field(b.plain_content, 'plain_content'), html_content: base64Field(b.html_content, 'html_content'),
	};
	for (const k of TIMES) r[k] = dateTimeIn(b[k], k) ?? null;
	return r;
}

function save(store, r) {
	r.id = store.nextId.email++;
	r.created_time = store.stamp();
	store.emails.set(r.id, r);
	return r;
}

function out(r, { content = true } = {}) {
	const o = {
		id: String(r.id), subject: r.subject, headers: r.headers, contact_id: r.contact_id === null ? null : String(r.contact_id), sent_to_address: r.sent_to_address,
		sent_to_cc_address_list: r.sent_to_cc_address_list, sent_to_bcc_address_list: r.sent_to_bcc_address_list, sent_from_address: r.sent_from_address,
		sent_from_reply_address: r.sent_from_reply_address, original_provider_id: r.original_provider_id, original_provider: r.original_provider,
		provider_source_id: r.provider_source_id,
	};
	for (const k of TIMES) o[k] = isoOrNull(r[k]);
	if (content) Object.assign(o, { plain_content: r.plain_content, html_content: r.html_content });
	return clean(o);
}

// ---- sending -------------------------------------------------------------------------------------
function recipients(ctx, ids, name) {
	return idBatch(ctx, ids, name, 'contact', 'emailSendContactsMax').map((id) => contactRef(ctx.store, id, name));
}

/** The address a send goes to: 'Email' | 'EmailAddress2' | 'EmailAddress3' | '_<CustomFieldName>' (case-sensitive). */
function addressOf(ctx, contact, field) {
	if (field === undefined || field === null) return ctx.store.primaryEmail(contact);
	if (ADDRESS_FIELDS[field]) return contact.email_addresses.find((e) => e.field === ADDRESS_FIELDS[field])?.email ?? null;
	const def = field.startsWith('_') ? ctx.store.customFields.find((f) => `_${f.field_name}` === field) : null;
	if (!def) throw new RequestError(`address_field must be Email, EmailAddress2, EmailAddress3 or _<CustomFieldName> (case-sensitive): ${field}`, 400);
	const v = contact.custom[def.id];
	return typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : null;
}

/** Records one email per reachable recipient; the others go to store.emailsNotSent with the reason. */
function deliver(ctx, contacts, field, message) {
	for (const c of contacts) {
		const address = addressOf(ctx, c, field);
		const status = address ? ctx.store.emailStatusOf(address).status : null;
		let reason = null;
		if (!address) reason = 'NO_ADDRESS';
		else if (ctx.emu.config.emailSendRequiresMarketable && !MARKETABLE.has(status)) reason = `NOT_MARKETABLE (${status})`;
		if (reason) {
			ctx.store.emailsNotSent.push({ contact_id: c.id, address, reason, subject: message.subject, time: iso(ctx.store.clock.now()) });
			continue;
		}
		save(ctx.store, {
			...message, id: 0, headers: null, contact_id: c.id, sent_to_address: address, sent_to_cc_address_list: [], sent_to_bcc_address_list: [],
			sent_from_reply_address: null, original_provider: 'INFUSIONSOFT', original_provider_id: randomUUID().replace(/-/g, ''), provider_source_id: null,
			sent_time: ctx.store.clock.now(), received_time: null, opened_time: null, clicked_time: null,
		});
	}
}

function checkAttachments(list) {
	if (!list) return;
	if (list.length > ATTACHMENTS_MAX) throw new RequestError(`attachments: at most ${ATTACHMENTS_MAX} attachments, got ${list.length}`, 400);
	for (const [i, a] of list.entries()) {
		const ext = /\.([^.]+)$/.exec(a.file_name ?? '')?.[1]?.toLowerCase();
		if (!ext || !ATTACHMENT_EXTENSIONS.has(ext)) throw new RequestError('attachment type is invalid', 400);
		if (!isBase64(a.file_data)) throw new RequestError(`attachments[${i}].file_data must be Base64 encoded`, 400);
		const size = Buffer.from(a.file_data, 'base64').length;
		if (size > ATTACHMENT_MAX_BYTES) throw new RequestError(`attachments[${i}] is ${size} bytes; each attachment may be at most 1MB (${ATTACHMENT_MAX_BYTES} bytes)`, 400);
	}
}

function templateOut(t, { body = true } = {}) {
	return clean({
		id: t.id, piece_title: t.piece_title, categories: t.categories, from_address: t.from_address, to_address: t.to_address, cc_address: t.cc_address,
		bcc_address: t.bcc_address, subject: t.subject, content_type: t.content_type, merge_context: t.merge_context,
		...(body ? { text_body: t.text_body, html_body: t.html_body } : {}),
	});
}

const b64 = (text) => (text == null ? null : Buffer.from(text, 'utf8').toString('base64'));

export const v2Routes = [
	{
		method: 'POST', path: '/emails:send',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			const contacts = recipients(ctx, b.contacts, 'contacts');
			if ((b.user_id == null) === (b.from_address == null)) throw new RequestError('Exactly one of user_id or from_address is required', 400);
			let from;
			if (b.user_id != null) from = userById(ctx, intParam(b.user_id, 'user_id'), 'user_id').email;
			else {
				const u = ctx.store.users.find((x) => x.email.toLowerCase() === String(b.from_address).toLowerCase() && x.status === 'Active');
				if (!u) throw new RequestError(`from_address ${b.from_address} is not an authenticated sender (an active user's address)`, 400);
				from = b.from_address;
			}
			if (b.html_content == null && b.plain_content == null) throw new RequestError('html_content or plain_content is required', 400);
			base64Field(b.html_content, 'html_content');
			base64Field(b.plain_content, 'plain_content');
			checkAttachments(b.attachments);
			deliver(ctx, contacts, b.address_field, {
				subject: b.subject, sent_from_address: from, plain_content: b.plain_content ?? null, html_content: b.html_content ?? null,
				attachments: (b.attachments ?? []).map((a) => a.file_name),
			});
			return { status: 202 };
		},
	},
	{
		method: 'POST', path: '/emails/templates:send',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			const t = ctx.store.emailTemplates.get(intParam(b.template_id, 'template_id'));
			if (!t) throw new RequestError(`template_id: email template ${b.template_id} not found`, 400);
			const contacts = recipients(ctx, b.contact_ids, 'contact_ids');
			const user = userById(ctx, intParam(b.user_id, 'user_id'), 'user_id');
			deliver(ctx, contacts, b.address_field, {
				subject: t.subject, sent_from_address: t.from_address ?? user.email, plain_content: b64(t.text_body), html_content: b64(t.html_body),
			});
			return { status: 202 };
		},
	},
	{
		method: 'GET', path: '/emails/templates',
		handler: (ctx) => {
			if ((ctx.query.get('filter') ?? '').trim()) throw new RequestError('Keap documents no filter fields for email templates; the emulator accepts none', 400);
			return { status: 200, body: listOf(ctx, [...ctx.store.emailTemplates.values()], 'email_templates', { sorts: { id: (t) => t.id }, out: (t) => templateOut(t, { body: false }) }) };
		},
	},
	{
		method: 'GET', path: '/emails/templates/{email_template_id}',
		handler: (ctx) => ({ status: 200, body: templateOut(byId(ctx.store.emailTemplates, ctx.params, 'email_template_id', 'Email template')) }),
	},
	{
		method: 'POST', path: '/emails:batchAdd',
		handler: (ctx) => {
			const list = ctx.body?.emails ?? [];
			if (list.length === 0) throw new RequestError('emails must contain at least one email record', 400);
			if (list.length > EMAIL_BATCH_ADD_MAX) throw new RequestError(`emails: at most ${EMAIL_BATCH_ADD_MAX} email records per call, got ${list.length}`, 400);
			const emails = [];
			const errors = [];
			for (const e of list) {
				try {
					emails.push(out(save(ctx.store, recordFrom(ctx.store, e))));
				} catch (err) {
					if (!(err instanceof RequestError)) throw err;
					errors.push({ error_message: err.message, email: e });
				}
			}
			return { status: 201, body: { emails, errors } };
		},
	},
	{
		method: 'POST', path: '/emails:batchRemove',
		handler: (ctx) => {
			const ids = idBatch(ctx, ctx.body?.email_ids ?? [], 'email_ids', 'email', 'emailBatchRemoveMax');
			const results = {};
			for (const id of ids) results[id] = /^\d+$/.test(id) && ctx.store.emails.delete(Number(id)) ? 'SUCCESS' : 'EMAIL_ID_NOT_FOUND';
			return { status: 200, body: { results } };
		},
	},
	{
		method: 'GET', path: '/emails',
		handler: (ctx) => ({
			status: 200,
			body: listOf(ctx, [...ctx.store.emails.values()], 'emails', {
				filter: (f) => ({
					contact_id: idEquals((e) => e.contact_id), email: exactText((e) => e.sent_to_address),
					start_created_time: timeBound((e) => e.created_time, 'since'), end_created_time: timeBound((e) => e.created_time, 'until'),
				})[f] ?? null,
				sorts: { created_time: (e) => e.created_time },
				out: (e) => out(e, { content: false }),
			}),
		}),
	},
	{
		method: 'POST', path: '/emails',
		handler: (ctx) => ({ status: 201, body: out(save(ctx.store, recordFrom(ctx.store, ctx.body ?? {}))) }),
	},
	{ method: 'GET', path: '/emails/{id}', handler: (ctx) => ({ status: 200, body: out(byId(ctx.store.emails, ctx.params, 'id', 'Email')) }) },
	{
		method: 'DELETE', path: '/emails/{id}',
		handler: (ctx) => {
			const e = byId(ctx.store.emails, ctx.params, 'id', 'Email');
			ctx.store.emails.delete(e.id);
			return { status: 204 };
		},
	},
];

export const store = {
	reset(s) {
		s.emails = new Map();
		s.emailTemplates = new Map();
		s.emailsNotSent = [];
		Object.assign(s.nextId, { email: 8001, emailTemplate: 61 });
	},
	snapshot(s) {
		return {
			emails: [...s.emails.values()].map((e) => ({ ...out(e), created_time: iso(e.created_time), attachments: e.attachments ?? [] })),
			emailTemplates: [...s.emailTemplates.values()].map((t) => templateOut(t)),
			emailsNotSent: structuredClone(s.emailsNotSent),
		};
	},
};

/** Seed: emailTemplates: [{ piece_title, subject, text_body?, html_body?, from_address? }], emails: [CreateEmailSentRequest]. */
export function seed(ctx, src) {
	const store = ctx.store;
	const res = {};
	for (const t of src.emailTemplates ?? []) {
		const id = store.nextId.emailTemplate++;
		store.emailTemplates.set(id, {
			id, piece_title: t.piece_title, categories: t.categories ?? [], from_address: t.from_address ?? null, to_address: t.to_address ?? '~Contact.Email~',
			cc_address: null, bcc_address: null, subject: t.subject, text_body: t.text_body ?? null, html_body: t.html_body ?? null,
			content_type: t.html_body && t.text_body ? 'MULTIPART' : t.html_body ? 'HTML' : 'TEXT', merge_context: 'CONTACT',
		});
		(res.emailTemplates ??= []).push(id);
	}
	for (const e of src.emails ?? []) (res.emails ??= []).push(save(store, recordFrom(store, e)).id);
	return res;
}

export function demo() {
	return {
		emailTemplates: [
			{ piece_title: 'Welcome', subject: 'Welcome aboard', text_body: 'Hello ~Contact.FirstName~, welcome!', html_body: '<p>Hello ~Contact.FirstName~, welcome!</p>' },
			{ piece_title: 'Invoice reminder', subject: 'Your invoice', text_body: 'A friendly reminder about your invoice.' },
		],
		emails: [
			{
				contact_id: '1001', sent_to_address: 'olivia.garcia@example.com', sent_from_address: 'avery.admin@emulator.example', subject: 'Thanks for your order',
				sent_time: '2025-01-15T16:00:00.000Z', plain_content: Buffer.from('Thank you for your order!').toString('base64'), original_provider: 'GOOGLE', original_provider_id: 'demo-1',
			},
		],
	};
}
