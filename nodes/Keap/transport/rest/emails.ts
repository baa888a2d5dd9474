/**
 * Emails over REST v2: sending to contacts (`POST /emails:send`, `POST /emails/templates:send`,
 * both 202 without a body), records of emails (`POST /emails`, `GET /emails`, `GET` and
 * `DELETE /emails/{id}`) and templates (`GET /emails/templates`). Keap carries every content
 * (HTML, plain text, attachments) as Base64; this module encodes and decodes it, so the node
 * deals in text. Callers split recipients into runs of at most EMAIL_SEND_CONTACTS_MAX.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { EmailMessage, EmailQuery, EmailRecord, EmailRecordInput, EmailTemplate, TemplateMessage } from '../../model/email';
import { RestClient, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { listPage, orderBy, str } from './commerce';

const toBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const fromBase64 = (v: unknown) => (typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64').toString('utf8') : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function emailFromV2(raw: IDataObject): EmailRecord {
	return {
		id: String(raw.id),
		subject: str(raw.subject),
		contact_id: str(raw.contact_id),
		sent_to_address: str(raw.sent_to_address),
		sent_to_cc_address_list: strings(raw.sent_to_cc_address_list),
		sent_to_bcc_address_list: strings(raw.sent_to_bcc_address_list),
		sent_from_address: str(raw.sent_from_address),
		sent_from_reply_address: str(raw.sent_from_reply_address),
		sent_time: str(raw.sent_time),
		received_time: str(raw.received_time),
		opened_time: str(raw.opened_time),
		clicked_time: str(raw.clicked_time),
		original_provider: str(raw.original_provider),
		original_provider_id: str(raw.original_provider_id),
		provider_source_id: str(raw.provider_source_id),
		headers: str(raw.headers),
		plain_content: fromBase64(raw.plain_content),
		html_content: fromBase64(raw.html_content),
	};
}

/** The body of `POST /emails` (contents Base64). */
export function emailRecordToV2(input: EmailRecordInput): IDataObject {
	const body: IDataObject = {};
	for (const [k, v] of Object.entries(input)) {
		if (v === undefined) continue;
		body[k] = k === 'plain_content' || k === 'html_content' ? toBase64(v as string) : (v as IDataObject[string]);
	}
	return body;
}

/** The body of `POST /emails:send` for some contacts (contents Base64). */
export function sendToV2(contactIds: string[], m: EmailMessage): IDataObject {
	const body: IDataObject = { contacts: contactIds, subject: m.subject };
	if (m.user_id !== undefined) body.user_id = m.user_id;
	if (m.from_address !== undefined) body.from_address = m.from_address;
	if (m.html_content !== undefined) body.html_content = toBase64(m.html_content);
	if (m.plain_content !== undefined) body.plain_content = toBase64(m.plain_content);
	if (m.address_field !== undefined) body.address_field = m.address_field;
	if (m.attachments?.length) {
		body.attachments = m.attachments.map((a) => ({ file_name: a.file_name, file_data: Buffer.from(a.data).toString('base64') }));
	}
	return body;
}

const withRaw = (raw: IDataObject): WithRaw<EmailRecord> => ({ value: emailFromV2(raw), raw });

export class RestEmails {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/emails/${encodeURIComponent(id)}`;
	}

	/** Sends one message to up to EMAIL_SEND_CONTACTS_MAX contacts; Keap answers 202 with nothing more. */
	async send(contactIds: string[], message: EmailMessage, itemIndex?: number): Promise<void> {
		await this.rest.json('POST', `${V2}/emails:send`, { body: sendToV2(contactIds, message), itemIndex });
	}

	/** Sends a template to up to EMAIL_SEND_CONTACTS_MAX contacts (202). */
	async sendTemplate(contactIds: string[], message: TemplateMessage, itemIndex?: number): Promise<void> {
		const body: IDataObject = { template_id: message.template_id, contact_ids: contactIds, user_id: message.user_id };
		if (message.address_field !== undefined) body.address_field = message.address_field;
		await this.rest.json('POST', `${V2}/emails/templates:send`, { body, itemIndex });
	}

	async create(input: EmailRecordInput, itemIndex?: number) {
		const res = await this.rest.json('POST', `${V2}/emails`, { body: emailRecordToV2(input), itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no email record with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** A page of email records (Keap's lists leave the contents out). */
	async list(query: EmailQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<EmailRecord>>> {
		const filter = v2Filter([
			['contact_id', query.contact_id],
			['email', query.email],
			['start_created_time', query.since],
			['end_created_time', query.until],
		]);
		const qs: IDataObject = {
			...(filter ? { filter } : {}),
			...orderBy(query.order_direction ? 'created_time' : undefined, query.order_direction),
		};
		return await listPage(this.rest, `${V2}/emails`, 'emails', emailFromV2, qs, pageSize, cursor, itemIndex);
	}

	/** false when there was no such email record. */
	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	/** A page of the account's email templates (Keap documents no filter: the caller filters by title). */
	async listTemplates(pageSize: number, cursor?: string): Promise<Page<WithRaw<EmailTemplate>>> {
		const read = (raw: IDataObject): EmailTemplate => ({
			id: String(raw.id),
			title: str(raw.piece_title),
			subject: str(raw.subject),
			content_type: str(raw.content_type),
		});
		return await listPage(this.rest, `${V2}/emails/templates`, 'email_templates', read, { order_by: 'id asc' }, pageSize, cursor);
	}
}
