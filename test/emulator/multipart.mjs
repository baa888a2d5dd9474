// multipart/form-data request bodies (RFC 7578), for the REST v2 file routes. Strict: a missing
// or unterminated boundary, a part without a form-data Content-Disposition name, or the same
// part name twice is an error. File bytes are kept exactly as sent.

export function isMultipart(contentType) {
	return /^multipart\/form-data(\s*;|$)/i.test(String(contentType ?? '').trim());
}

const CRLF = Buffer.from('\r\n');

function parseHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const i = line.indexOf(':');
		if (i <= 0) throw new Error(`malformed part header: ${line}`);
		headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	return headers;
}

function dispositionParam(value, name) {
	const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(value) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(value);
	return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

/**
 * Parses a multipart/form-data body. Returns { fields: {name: text}, files: {name: {filename,
 * contentType, data: Buffer}} }. Throws an Error with a message naming the problem.
 */
export function parseMultipart(buf, contentType) {
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(contentType ?? ''));
	if (!m) throw new Error('Content-Type multipart/form-data has no boundary');
	const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
	const delimiter = Buffer.concat([CRLF, boundary]);
	const fields = {};
	const files = {};
	let pos = buf.indexOf(boundary);
	if (pos !== 0 && (pos < 0 || buf.subarray(0, pos).toString('latin1').trim() !== '')) throw new Error('body does not start with the boundary');
	for (;;) {
		pos += boundary.length;
		if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break; // closing "--"
		if (buf[pos] !== 0x0d || buf[pos + 1] !== 0x0a) throw new Error('malformed boundary line');
		pos += 2;
		const headEnd = buf.indexOf('\r\n\r\n', pos);
		if (headEnd < 0) throw new Error('part without a header block');
		const headers = parseHeaders(buf.subarray(pos, headEnd).toString('utf8'));
		const next = buf.indexOf(delimiter, headEnd + 4);
		if (next < 0) throw new Error('unterminated part (no closing boundary)');
		const data = Buffer.from(buf.subarray(headEnd + 4, next));
		const disposition = headers['content-disposition'] ?? '';
		if (!/^form-data\b/i.test(disposition)) throw new Error('part without Content-Disposition: form-data');
		const name = dispositionParam(disposition, 'name');
		if (!name) throw new Error('part without a name');
		if (name in fields || name in files) throw new Error(`part '${name}' sent more than once`);
		const filename = dispositionParam(disposition, 'filename');
		if (filename !== undefined) files[name] = { filename, contentType: headers['content-type'] ?? null, data };
		else fields[name] = data.toString('utf8');
		pos = next + 2;
	}
	return { fields, files };
}

/** The body the OpenAPI validator sees: text parts as strings, file parts as a placeholder string. */
export function multipartForValidation(form) {
	const body = { ...form.fields };
	for (const name of Object.keys(form.files)) body[name] = `<binary ${form.files[name].data.length} bytes>`;
	return body;
}

/** What the request log keeps of a multipart body (never the file bytes). */
export function multipartForLog(form) {
	return {
		...form.fields,
		...Object.fromEntries(Object.entries(form.files).map(([k, f]) => [k, { filename: f.filename, contentType: f.contentType, size: f.data.length }])),
	};
}
