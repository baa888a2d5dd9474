/**
 * Files over REST v2: upload (`POST /files`, `multipart/form-data` only: the one encoding Keap's
 * v2 document gives, the `file` part with the bytes and the text parts `file_name`,
 * `file_association`, `contact_id`, `is_public`), metadata (`GET /files/{file_id}`), the bytes
 * (`GET /files/{file_id}:data`, answered as one Base64 JSON string), list and delete. This
 * module builds the multipart body itself (the package has no runtime dependencies).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import type { FileQuery, FileUpload, KeapFile } from '../../model/file';
import { RestClient, UnreadableAnswerError, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { bool, listPage, num, orderBy, str } from './commerce';

export function fileFromV2(raw: IDataObject): KeapFile {
	return {
		id: String(raw.id),
		file_name: str(raw.file_name),
		file_size: num(raw.file_size),
		is_public: bool(raw.is_public),
		contact_id: str(raw.contact_id),
		created_by_id: str(raw.created_by_id),
		category: str(raw.category),
		file_box_type: str(raw.file_box_type),
		remote_file_key: str(raw.remote_file_key),
		created_time: str(raw.created_time),
		updated_time: str(raw.updated_time),
	};
}

/** A quoted-string parameter of Content-Disposition: quotes and line breaks escaped as HTML forms do. */
const quoted = (v: string) => `"${v.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;

/** A `multipart/form-data` body (RFC 7578) of text fields and one file part, and its boundary. */
export function multipartBody(fields: Array<[string, string]>, file: { name: string; fileName: string; data: Uint8Array }) {
	const bytes = Buffer.from(file.data);
	// A boundary the bytes do not contain (RFC 2046: it must not occur in the parts).
	let boundary = `----n8nKeapBoundary${Date.now().toString(16)}`;
	while (bytes.includes(boundary) || fields.some(([, v]) => v.includes(boundary))) boundary += 'x';
	const chunks: Buffer[] = [];
	for (const [name, value] of fields) {
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`, 'utf8'));
	}
	chunks.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(file.name)}; filename=${quoted(file.fileName)}\r\n` +
				'Content-Type: application/octet-stream\r\n\r\n',
			'utf8',
		),
		bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const withRaw = (raw: IDataObject): WithRaw<KeapFile> => ({ value: fileFromV2(raw), raw });

export class RestFiles {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	private path(id: string) {
		return `${V2}/files/${encodeURIComponent(id)}`;
	}

	async upload(file: FileUpload, itemIndex?: number) {
		const fields: Array<[string, string]> = [
			['file_name', file.file_name],
			['file_association', file.association],
			['is_public', String(file.is_public)],
		];
		if (file.contact_id !== undefined) fields.push(['contact_id', file.contact_id]);
		const { body, contentType } = multipartBody(fields, { name: 'file', fileName: file.file_name, data: file.data });
		const path = `${V2}/files`;
		const res = await this.rest.http.request({ method: 'POST', path, body, headers: { 'Content-Type': contentType } }, itemIndex);
		const raw = typeof res.body === 'string' ? safeJson(res.body) : res.body;
		if (!raw || typeof raw !== 'object' || Array.isArray(raw) || (raw as IDataObject).id === undefined) {
			throw new UnreadableAnswerError(`POST ${path}`, res.status, 'it is not a file record (no id)');
		}
		return withRaw(raw as IDataObject);
	}

	/** null when Keap has no file with this id. */
	async get(id: string, itemIndex?: number) {
		const res = await this.rest.json('GET', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** The file's bytes, exactly as stored; null when Keap has no file with this id. */
	async data(id: string, itemIndex?: number): Promise<Buffer | null> {
		const path = `${this.path(id)}:data`;
		const res = await this.rest.http.request({ method: 'GET', path, acceptStatus: [404] }, itemIndex);
		if (res.status === 404) return null;
		// The answer is one JSON string; n8n hands it over parsed, or as the JSON text.
		let text = res.body;
		if (typeof text === 'string' && text.trimStart().startsWith('"')) text = safeJson(text);
		if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text.trim()) || text.trim().length % 4 !== 0) {
			throw new UnreadableAnswerError(`GET ${path}`, res.status, 'it is not the Base64 string of a file');
		}
		return Buffer.from(text.trim(), 'base64');
	}

	/**
	 * A page of files. Keap documents no wildcard for `file_name`: a name ending in `*` is matched
	 * here (case-insensitive prefix) on full pages read without it, so a page may hold fewer
	 * files than asked for, or none, and still have a next one.
	 */
	async list(query: FileQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<KeapFile>>> {
		const name = query.file_name;
		if (name?.endsWith('*')) {
			const wanted = name.slice(0, -1).trim().toLowerCase();
			const page = await this.list({ ...query, file_name: undefined }, this.maxPageSize, cursor, itemIndex);
			return { ...page, items: page.items.filter(({ value }) => (value.file_name ?? '').toLowerCase().startsWith(wanted)) };
		}
		const filter = v2Filter([
			['contact_id', query.contact_id],
			['user_id', query.user_id],
			['file_name', name],
			['is_public', query.is_public === undefined ? undefined : String(query.is_public)],
			['file_box_type', query.file_box_type],
		]);
		const qs: IDataObject = { ...(filter ? { filter } : {}), ...orderBy(query.order_by, query.order_direction) };
		return await listPage(this.rest, `${V2}/files`, 'files', fileFromV2, qs, pageSize, cursor, itemIndex);
	}

	/** false when there was no such file. */
	async delete(id: string, itemIndex?: number) {
		const res = await this.rest.json('DELETE', this.path(id), { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
