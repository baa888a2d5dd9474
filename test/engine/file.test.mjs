// Keap CRM node, File resource, through n8n-core's engine against the emulator (REST v2 /files,
// multipart uploads checked against Keap's document): upload from a binary property made by n8n's
// own binary helpers (for a contact and for the account), download into a binary property
// (byte-identical, file name and MIME type), Get Many, Delete, the 8 MB check before sending,
// Continue On Fail, the file list search.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { runWorkflow } from './harness.mjs';
import { jsonOf, keapFixture } from './keap-helpers.mjs';
import { runNodeMethod } from './method-runner.mjs';

/** A node that turns `{ b64, fileName, mimeType, prop }` items into binary data with n8n's helpers. */
class BinaryMaker {
	description = {
		displayName: 'Binary Maker',
		name: 'binaryMaker',
		group: ['transform'],
		version: 1,
		description: 'Makes binary data',
		defaults: { name: 'Binary' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute() {
		const items = this.getInputData();
		const out = [];
		for (const item of items) {
			const { b64, fileName, mimeType, prop = 'data', ...json } = item.json;
			const binary = b64 === undefined ? undefined : { [prop]: await this.helpers.prepareBinaryData(Buffer.from(b64, 'base64'), fileName, mimeType) };
			out.push({ json, ...(binary ? { binary } : {}) });
		}
		return [out];
	}
}

let fx;
let provoked = 0;
beforeAll(async () => {
	fx = await keapFixture({ seed: 'demo', limits: false });
});
afterAll(async () => {
	try {
		assert.equal(fx.emu.counters().validationRejects ?? 0, provoked, 'the emulator rejected a request as invalid');
	} finally {
		await fx.close();
	}
});

const byId = (id) => ({ __rl: true, mode: 'id', value: id });
const file = (parameters, items, options) => fx.keap({ resource: 'file', ...parameters }, items, options);

/** Runs Binary Maker -> Keap CRM (File) on `items`. */
async function withBinary(parameters, items, { continueOnFail = false } = {}) {
	const keapNode = {
		name: 'Keap',
		type: 'keapCrm',
		parameters: { authentication: 'apiKey', resource: 'file', ...parameters },
		credentials: { keapCrmApiKeyApi: 'pat' },
		...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
	const result = await runWorkflow({
		nodes: [{ name: 'Binary', type: 'binaryMaker' }, keapNode],
		connections: { Binary: { main: [[{ node: 'Keap', type: 'main', index: 0 }]] } },
		startItems: items,
		store: fx.newStore(),
		nodeTypes: { binaryMaker: new BinaryMaker() },
	});
	const task = result.runData.Keap?.[0];
	return { items: task?.data?.main?.[0] ?? [], error: task?.error ?? result.error };
}

describe('file', () => {
	test('upload for a contact, download again: byte-identical, with file name and MIME type', async () => {
		const bytes = randomBytes(70_000);
		bytes[0] = 0x25; // also a "%PDF"-free binary: every byte value somewhere
		const [uploaded] = jsonOf(
			await withBinary({ operation: 'upload', association: 'CONTACT', contact: byId('1001') }, [
				{ b64: bytes.toString('base64'), fileName: 'report.pdf', mimeType: 'application/pdf' },
			]),
		);
		assert.match(uploaded.id, /^\d+$/);
		assert.equal(uploaded.file_name, 'report.pdf');
		assert.equal(uploaded.file_size, bytes.length);
		assert.equal(uploaded.contact_id, '1001');
		assert.equal(uploaded.is_public, false);
		const upload = fx.emu.log().filter((e) => e.method === 'POST' && e.path.endsWith('/v2/files')).at(-1);
		assert.equal(upload.status, 201);

		const res = await file({ operation: 'download', file: byId(uploaded.id), binaryPropertyName: 'report' });
		const [out] = res.items;
		assert.equal(out.json.id, uploaded.id);
		assert.equal(out.binary.report.fileName, 'report.pdf');
		assert.equal(out.binary.report.mimeType, 'application/pdf');
		assert.equal(Buffer.from(out.binary.report.data, 'base64').equals(bytes), true, 'the downloaded bytes are the uploaded ones');
		const stored = fx.emu.store.files.get(Number(uploaded.id));
		assert.equal(stored.data.equals(bytes), true, 'Keap holds exactly the bytes sent');
	});

	test('upload to the account with another file name and public; the file name part carries the name', async () => {
		const [uploaded] = jsonOf(
			await withBinary({ operation: 'upload', association: 'COMPANY', options: { fileName: 'price list.csv', isPublic: true } }, [
				{ b64: Buffer.from('a,b\n1,2\n').toString('base64'), fileName: 'ignored.csv', mimeType: 'text/csv' },
			]),
		);
		assert.equal(uploaded.file_name, 'price list.csv');
		assert.equal(uploaded.contact_id, null);
		assert.equal(uploaded.is_public, true);
		assert.equal(uploaded.file_box_type, 'APPLICATION');
		const res = await file({ operation: 'download', file: byId(uploaded.id) });
		assert.equal(Buffer.from(res.items[0].binary.data.data, 'base64').toString(), 'a,b\n1,2\n');
		assert.equal(res.items[0].binary.data.mimeType, 'text/csv');
	});

	test('a file over 8,000,000 bytes, an empty one and a missing binary fail their item before anything is sent', async () => {
		const before = fx.calls();
		const big = Buffer.alloc(8_000_001, 1).toString('base64');
		const res = await withBinary(
			{ operation: 'upload', association: 'COMPANY' },
			[
				{ b64: big, fileName: 'big.bin' },
				{ b64: '', fileName: 'empty.txt' },
				{ note: 'no binary' },
				{ b64: Buffer.from('ok').toString('base64'), fileName: 'ok.txt' },
			],
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 4);
		assert.deepEqual(res.items.map((i) => i.pairedItem.item), [0, 1, 2, 3]);
		assert.equal(
			res.items[0].json.error,
			'Item 0, Input Binary Field "data": the file has 8,000,001 bytes; Keap takes files of at most 8,000,000 bytes (8 MB)',
		);
		assert.match(res.items[1].json.error, /Item 1, Input Binary Field "data": the file is empty/);
		assert.match(res.items[2].json.error, /binary|data/i);
		assert.equal(res.items[3].json.file_name, 'ok.txt');
		assert.equal(fx.calls() - before, 1, 'only the good file was sent');
	});

	test('get many: by contact, by name prefix, public; limit; sort', async () => {
		const mine = jsonOf(await file({ operation: 'getAll', returnAll: true, filters: { contact: byId('1001') } }));
		assert.ok(mine.length >= 1);
		assert.ok(mine.every((f) => f.contact_id === '1001'));
		const logos = jsonOf(await file({ operation: 'getAll', returnAll: true, filters: { file_name: 'logo*' } }));
		assert.deepEqual(logos.map((f) => f.file_name), ['logo.png']);
		const pub = jsonOf(await file({ operation: 'getAll', returnAll: true, filters: { is_public: true } }));
		assert.ok(pub.length >= 1 && pub.every((f) => f.is_public === true));
		const one = jsonOf(await file({ operation: 'getAll', returnAll: false, limit: 1, sort: { by: 'file_name', direction: 'desc' }, output: 'simplified' }));
		assert.equal(one.length, 1);
		assert.deepEqual(Object.keys(one[0]).sort(), ['contact_id', 'file_name', 'file_size', 'id', 'is_public', 'updated_time']);
		const call = fx.emu.log().filter((e) => e.method === 'GET' && e.path.endsWith('/v2/files')).at(-1);
		assert.equal(call.query.order_by, 'file_name desc');
	});

	test('delete; a second delete and a download of a deleted file fail their items (Continue On Fail)', async () => {
		const [uploaded] = jsonOf(
			await withBinary({ operation: 'upload', association: 'COMPANY' }, [{ b64: Buffer.from('bye').toString('base64'), fileName: 'bye.txt' }]),
		);
		assert.deepEqual(jsonOf(await file({ operation: 'delete', file: byId(uploaded.id) })), [{ deleted: true }]);
		const again = await file({ operation: 'delete', file: byId(uploaded.id) }, [{}], { continueOnFail: true });
		assert.equal(again.items[0].json.error, `Keap has no file with ID ${uploaded.id}`);
		const down = await file({ operation: 'download', file: byId(uploaded.id) }, [{}, {}], { continueOnFail: true });
		assert.deepEqual(down.items.map((i) => [i.pairedItem.item, i.json.error]), [
			[0, `Keap has no file with ID ${uploaded.id}`],
			[1, `Keap has no file with ID ${uploaded.id}`],
		]);
		const bad = await file({ operation: 'download', file: byId('={{ $json.id }}') }, [{ id: 'abc' }], { continueOnFail: true });
		assert.match(bad.items[0].json.error, /Item 0, File: "abc" is not a Keap ID/);
	});

	test('list search: files by name prefix', async () => {
		const found = await runNodeMethod({ kind: 'listSearch', method: 'searchFiles', store: fx.newStore(), args: ['welcome'] });
		assert.deepEqual(found.results.map((r) => r.value), ['9001']);
		assert.match(found.results[0].name, /^welcome-letter\.txt \(\d+ bytes\) · contact 1001$/);
	});
});
