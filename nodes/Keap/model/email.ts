/**
 * Keap email records (what Keap logged as sent to a contact) and the messages the node sends,
 * in the shape the node outputs and takes. Contents are text here; Keap's wire carries them
 * Base64, which the transport encodes and decodes.
 */

/** The providers a logged email may come from (Keap's v2 enum). */
export const EMAIL_PROVIDERS = ['UNKNOWN', 'INFUSIONSOFT', 'MICROSOFT', 'GOOGLE'] as const;
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

/**
 * Most contacts one `emails:send` or `emails/templates:send` call takes. Keap's document states
 * no cap; 100 is the cap Keap's PHP SDK gives its contact batch calls (the tag calls), the
 * stricter reading the emulator's `emailSendContactsMax` holds too.
 */
export const EMAIL_SEND_CONTACTS_MAX = 100;

export interface EmailRecord {
	id: string;
	subject: string | null;
	contact_id: string | null;
	sent_to_address: string | null;
	sent_to_cc_address_list: string[];
	sent_to_bcc_address_list: string[];
	sent_from_address: string | null;
	sent_from_reply_address: string | null;
	sent_time: string | null;
	received_time: string | null;
	opened_time: string | null;
	clicked_time: string | null;
	original_provider: string | null;
	original_provider_id: string | null;
	provider_source_id: string | null;
	headers: string | null;
	/** The plain-text content (Get only: Keap's lists leave contents out). */
	plain_content: string | null;
	/** The HTML content (Get only). */
	html_content: string | null;
}

export interface EmailQuery {
	contact_id?: string;
	/** The address the email was sent to, exactly. */
	email?: string;
	/** Logged at or after (ISO 8601). */
	since?: string;
	/** Logged at or before (ISO 8601). */
	until?: string;
	order_direction?: 'asc' | 'desc';
}

/** A record of an email sent elsewhere (Create Record). */
export interface EmailRecordInput {
	sent_to_address: string;
	contact_id?: string;
	subject?: string;
	sent_from_address?: string;
	sent_from_reply_address?: string;
	sent_to_cc_address_list?: string[];
	sent_to_bcc_address_list?: string[];
	sent_time?: string;
	received_time?: string;
	opened_time?: string;
	clicked_time?: string;
	plain_content?: string;
	html_content?: string;
	headers?: string;
	original_provider?: EmailProvider;
	original_provider_id?: string;
	provider_source_id?: string;
}

/** An attachment of a sent email: its file name and bytes. */
export interface EmailAttachment {
	file_name: string;
	data: Uint8Array;
}

/** What one Send sends to each of its contacts (text, not yet Base64). */
export interface EmailMessage {
	subject: string;
	html_content?: string;
	plain_content?: string;
	/** Exactly one of user_id and from_address. */
	user_id?: string;
	from_address?: string;
	/** Email, EmailAddress2, EmailAddress3 or _<CustomFieldName>; the primary email when absent. */
	address_field?: string;
	attachments?: EmailAttachment[];
}

/** A template sent to contacts (Send Template). */
export interface TemplateMessage {
	template_id: string;
	user_id: string;
	address_field?: string;
}

export interface EmailTemplate {
	id: string;
	title: string | null;
	subject: string | null;
	content_type: string | null;
}

/** Attachments Keap takes with a sent email: at most 10, of at most 1 MB (1,000,000 bytes) each (Keap's document). */
export const EMAIL_ATTACHMENTS_MAX = 10;
export const EMAIL_ATTACHMENT_MAX_BYTES = 1_000_000;
/** The attachment file extensions Keap's document lists (case-insensitive); others are "attachment type is invalid". */
export const EMAIL_ATTACHMENT_EXTENSIONS = new Set(
	(
		'bmp cdr fpx gif jif jiff jp2 jpeg jpg jpx j2k pcd pdf png psd pspimage thm tif tiff yuv ' +
		'doc docx err log msg notes pages pwd rtf text txt vcf wp wp4 wp5 wp7 wpd wps wsd xdl ' +
		'mid mp3 mp4 wav wma ' +
		'avi divx f4p flv gvi hdmov hdv m2ts m4v mnv mov movie mp4v mpeg mpeg1 mpeg4 mpg qt rm vob wm wmv ' +
		'csv ics key pps ppt pptx xlr xls xlsx xml zip'
	).split(' '),
);

export function simplifyEmail(e: EmailRecord) {
	return {
		id: e.id,
		subject: e.subject,
		contact_id: e.contact_id,
		sent_to_address: e.sent_to_address,
		sent_from_address: e.sent_from_address,
		sent_time: e.sent_time,
		opened_time: e.opened_time,
		clicked_time: e.clicked_time,
	};
}
