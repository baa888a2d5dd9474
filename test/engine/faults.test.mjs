// Issue 16, contact and tag writes under faults: the Keap CRM node run by n8n-core's engine with
// the fault proxy (test/faults/proxy.mjs) between it and the emulator. Black-box: the node's
// public parameters in, the node's output and the emulator's store out. Each test names its
// defect (all of this file's are fixed; a test of a defect not fixed yet would be marked
// known(n, why), see fault-fixture.mjs). Build first: npm run build.
import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';

import { faultFixture, freshEmail, integersIn } from './fault-fixture.mjs';

let fx;
beforeAll(async () => {
	fx = await faultFixture({ emulator: { seed: 'demo' } });
});
afterAll(async () => {
	await fx?.close();
});
beforeEach(() => fx.reset());

const V2_CONTACTS = '/crm/rest/v2/contacts';
const create = (email, extra = {}, opts) => fx.keap({ resource: 'contact', operation: 'create', email, ...extra }, [{}], opts);
const address = { address: [{ field: 'BILLING', line1: '1 Main St', locality: 'Phoenix', region_code: 'US-AZ', country_code: 'USA', postal_code: '85001' }] };
const v2Error = (message) => ({ code: 400, message, status: 'Bad Request', details: [] });

/**
 * No false success: every output item that is not an error is a contact Keap really holds
 * (its id is in the emulator's store), with the email the item asked for when given.
 */
function assertNoFalseSuccess(result, emails = []) {
	result.items.forEach((item, i) => {
		if (item.json.error) return;
		const id = String(item.json.id);
		assert.match(id, /^\d+$/, `item ${i} succeeded with id ${JSON.stringify(item.json.id)}`);
		const stored = fx.emu.store.contacts.get(Number(id));
		assert.ok(stored, `item ${i} reports contact ${id}, which Keap does not hold`);
		if (emails[i]) assert.ok(stored.email_addresses.some((e) => e.email === emails[i]), `item ${i}: contact ${id} lacks ${emails[i]}`);
	});
}

// ---------------------------------------------------------------------------------------------
describe('defect 2: a malformed 200 is an error that says so', () => {
	const unreadable = /JSON|could not (be )?read|unreadable|malformed|unexpected|not a Keap|cannot be read|incomplete|truncated/i;

	test('defect 2: Contact > Get answered with truncated JSON fails, no item with id "undefined"', async () => {
		fx.proxy.setRules({ method: 'GET', path: `${V2_CONTACTS}/*`, fault: 'truncate' });
		const res = await fx.keap({ resource: 'contact', operation: 'get', contact: { mode: 'id', value: '1001' } });
		assert.ok(res.error, `the node succeeded with ${String(JSON.stringify(res.items[0]?.json)).slice(0, 120)}`);
		assert.match(res.error.message, unreadable);
	});

	test('defect 2: Create or Update answered with an HTML page (status 200) fails', async () => {
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'html' });
		const email = freshEmail('html');
		const res = await fx.keap({ resource: 'contact', operation: 'upsert', matchOn: 'Email', email });
		assertNoFalseSuccess(res, [email]);
		assert.ok(res.error, 'the node reported success for a write Keap never received');
		assert.match(res.error.message, unreadable);
	});

	test('defect 2: Create answered with truncated JSON (Keap wrote it): no success without a real contact', async () => {
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'truncate' });
		const email = freshEmail('trunc');
		const res = await create(email, {}, { continueOnFail: true });
		assert.equal(res.items.length, 1);
		assertNoFalseSuccess(res, [email]);
		assert.equal(fx.contactsWithEmail(email).length, 1, 'exactly the one contact Keap wrote');
	});

	test('defect 2: Get Many answered with another JSON shape fails instead of "0 items"', async () => {
		fx.proxy.setRules({ method: 'GET', path: V2_CONTACTS, fault: 'shape' });
		const res = await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: true });
		assert.ok(res.error, `Get Many reported ${res.items.length} items and no error`);
		assert.match(res.error.message, unreadable);
	});

	test('defect 2: Tag > Get Many answered with another JSON shape fails', async () => {
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/tags', fault: 'shape' });
		const res = await fx.keap({ resource: 'tag', operation: 'getAll', returnAll: true });
		assert.ok(res.error, `Tag Get Many reported ${res.items.length} items and no error`);
	});

	test('defect 2: Tag > Apply answered with an HTML page (status 200) is not reported as applied', async () => {
		const contact = fx.emu.seed({ contacts: [{ given_name: 'Untagged', email_addresses: [{ email: freshEmail('apply'), field: 'EMAIL1' }] }] }).contacts[0];
		const vip = fx.tagsNamed('VIP')[0].id;
		fx.proxy.setRules({ method: 'POST', path: '/crm/rest/v2/tags/**', fault: 'html' });
		const res = await fx.keap({ resource: 'tag', operation: 'apply', contactIds: String(contact), tags: [String(vip)] }, [{}], { continueOnFail: true });
		const applied = fx.emu.store.tagIdsOf(contact).includes(vip);
		const reported = res.items[0] && !res.items[0].json.error;
		assert.ok(!reported || applied, `reported ${JSON.stringify(res.items[0]?.json.results)} but Keap did not apply the tag`);
	});

	test('defect 2 (guard): an empty page as Keap writes it (no list, only next_page_token) is 0 items, not an error', async () => {
		fx.proxy.setRules({ method: 'GET', path: V2_CONTACTS, fault: 'shape', body: { next_page_token: '' } });
		const res = await fx.keap({ resource: 'contact', operation: 'getAll', returnAll: true });
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(res.items.length, 0);
	});

	test('defect 2: Update by email whose look-up comes back in another shape does not claim "no contact has the email"', async () => {
		const email = freshEmail('lookup');
		fx.emu.seed({ contacts: [{ given_name: 'Here', email_addresses: [{ email, field: 'EMAIL1' }] }] });
		fx.proxy.setRules({ method: 'GET', path: V2_CONTACTS, query: { filter: 'email==' }, fault: 'shape' });
		const res = await fx.keap({ resource: 'contact', operation: 'update', contact: { mode: 'email', value: email }, updateFields: { job_title: 'X' } });
		assert.ok(res.error, 'the update cannot have succeeded');
		assert.doesNotMatch(res.error.message, /No Keap contact has the email/);
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 3: tags are never duplicated, and never created by a typo', () => {
	test('defect 3: the tag list comes back empty: a contact write does not create "Lead" and "Newsletter" again', async () => {
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/tags', fault: 'shape', body: { tags: [], next_page_token: '' } });
		await create(freshEmail('dup'), { additionalFields: { tags: ['Lead', 'Newsletter'] } }, { continueOnFail: true });
		assert.equal(fx.tagsNamed('Lead').length, 1, 'one "Lead" tag');
		assert.equal(fx.tagsNamed('Newsletter').length, 1, 'one "Newsletter" tag');
	});

	test('defect 3: the tag list comes back in another shape: no tag is created', async () => {
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/tags', fault: 'shape' });
		const tagsBefore = fx.emu.store.tags.size;
		await create(freshEmail('odd'), { additionalFields: { tags: ['Lead'] } }, { continueOnFail: true });
		assert.equal(fx.emu.store.tags.size, tagsBefore);
	});

	test('defect 3: a typo in a tag name on a contact write fails that item and creates no tag (default)', async () => {
		const email = freshEmail('typo');
		const res = await create(email, { additionalFields: { tags: ['Lead', 'Nwsletter'] } }, { continueOnFail: true });
		assert.equal(fx.tagsNamed('Nwsletter').length, 0, 'the typo became a tag');
		assert.ok(res.items[0]?.json.error, 'the item succeeded');
		assert.match(res.items[0].json.error, /Nwsletter/);
		assert.equal(fx.contactsWithEmail(email).length, 0, 'tag names are checked before the contact is written');
	});

	// The opt-in is a parameter named `createMissingTags` (boolean, default false) on Create,
	// Create or Update and Update, like Tag > Apply's "Create Missing Tags".
	test('defect 3: with "Create Missing Tags" on, a new tag name is created once for all items', async () => {
		const name = `Fresh ${Date.now()}`;
		const emails = [0, 1, 2, 3, 4].map(() => freshEmail('optin'));
		const res = await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.email}}', createMissingTags: true, additionalFields: { tags: [name] } },
			emails.map((email) => ({ email })),
		);
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.tagsNamed(name).length, 1);
		const tagId = fx.tagsNamed(name)[0].id;
		for (const email of emails) assert.ok(fx.emu.store.tagIdsOf(fx.contactsWithEmail(email)[0].id).includes(tagId));
		// ... and without it, the same name (now existing) is applied, a new one fails.
		const again = await create(freshEmail('optin'), { additionalFields: { tags: [name, `${name} typo`] } }, { continueOnFail: true });
		assert.match(again.items[0].json.error ?? '', /typo/);
		assert.equal(fx.tagsNamed(`${name} typo`).length, 0);
	});

	test('defect 3: with "Create Missing Tags" on and an empty tag list, an existing tag is still not created twice', async () => {
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/tags', fault: 'shape', body: { tags: [], next_page_token: '' }, nth: 1 });
		await fx.keap({ resource: 'contact', operation: 'create', email: freshEmail('twice'), createMissingTags: true, additionalFields: { tags: ['Webinar Attendee'] } }, [{}], { continueOnFail: true });
		assert.equal(fx.tagsNamed('Webinar Attendee').length, 1);
	});

	test('defect 3: with "Create Missing Tags" on, the answer to the tag create is lost: the tag is looked up, not created twice', async () => {
		const name = `Lost ${Date.now()}`;
		const email = freshEmail('losttag');
		fx.proxy.setRules({ method: 'POST', path: '/crm/rest/v2/tags', fault: 'dropAfter', nth: 1 });
		const res = await fx.keap({ resource: 'contact', operation: 'create', email, createMissingTags: true, additionalFields: { tags: [name] } });
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.tagsNamed(name).length, 1, 'one tag');
		assert.ok(fx.emu.store.tagIdsOf(fx.contactsWithEmail(email)[0].id).includes(fx.tagsNamed(name)[0].id), 'applied');
	});

	test('defect 3: a failed read of the tag list fails only the items waiting for it; later items read it again', async () => {
		// more items than the contact writes in flight at once (8 over REST): the last ones start
		// after the failed read
		const emails = Array.from({ length: 12 }, () => freshEmail('tagread'));
		fx.proxy.setRules({ method: 'GET', path: '/crm/rest/v2/tags', fault: 'status', status: 500, body: v2Error('boom'), nth: 1 });
		const res = await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.email}}', additionalFields: { tags: ['Lead'] } },
			emails.map((email) => ({ email })),
			{ continueOnFail: true },
		);
		assert.equal(res.items.length, 12);
		const last = res.items.find((i) => i.pairedItem.item === 11);
		assert.equal(last.json.error, undefined, `item 11: ${last.json.error}`);
		assert.ok(fx.emu.store.tagIdsOf(fx.contactsWithEmail(emails[11])[0].id).includes(fx.tagsNamed('Lead')[0].id));
		for (const item of res.items.filter((i) => i.json.error)) assert.equal(fx.contactsWithEmail(emails[item.pairedItem.item]).length, 0);
	});

	test('defect 3: an unknown tag id fails the item before its contact is written', async () => {
		const email = freshEmail('tagid');
		const res = await create(email, { additionalFields: { tags: ['987654'] } }, { continueOnFail: true });
		assert.match(res.items[0]?.json.error ?? '', /no tag with ID 987654/);
		assert.equal(fx.contactsWithEmail(email).length, 0);
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 4: a write whose answer was lost is looked up, not guessed', () => {
	test('defect 4: Create, connection dropped after Keap created the contact: the node finds it and succeeds', async () => {
		const email = freshEmail('lost');
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropAfter', nth: 1 });
		const res = await create(email);
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.contactsWithEmail(email).length, 1, 'one contact, not two');
		assert.equal(String(res.items[0].json.id), String(fx.contactsWithEmail(email)[0].id));
	});

	test('defect 4: Create, three 503s in a row (nothing written): sent again after each look-up, one contact, success', async () => {
		const email = freshEmail('503x3');
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'status', status: 503, count: 3 });
		const res = await create(email);
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.proxy.stats().rules[0].fired, 3);
		assert.equal(fx.contactsWithEmail(email).length, 1, 'one contact');
		assert.equal(String(res.items[0].json.id), String(fx.contactsWithEmail(email)[0].id));
	});

	test('defect 4: 80 Creates without Continue On Fail under 10% 503 and 5% drops before and after: the run completes, one contact per item', async () => {
		const emails = Array.from({ length: 80 }, () => freshEmail('batch'));
		fx.proxy.setRules([
			{ name: '503', path: '/crm/**', fault: 'status', status: 503, probability: 0.1 },
			{ name: 'drop before', path: '/crm/**', fault: 'dropBefore', probability: 0.05 / 0.9 },
			{ name: 'drop after', path: '/crm/**', fault: 'dropAfter', probability: 0.05 / 0.85 },
		]);
		const res = await fx.keap({ resource: 'contact', operation: 'create', email: '={{$json.email}}', additionalFields: { tags: ['Lead'] } }, emails.map((email) => ({ email })));
		assert.equal(res.error, undefined, res.error?.message);
		assert.ok(fx.proxy.stats().faulted > 10, 'faults were injected');
		assertNoFalseSuccess(res, emails);
		const notOne = emails.filter((e) => fx.contactsWithEmail(e).length !== 1);
		assert.deepEqual(notOne, [], `${notOne.length} of 80 emails do not have exactly one contact`);
	});

	test('defect 4: Create without an email, answer lost: the error says plainly the contact may exist', async () => {
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropAfter', nth: 1 });
		const res = await fx.keap({ resource: 'contact', operation: 'create', email: '', phones: { phone: [{ field: 'PHONE1', number: '+1 555 0100' }] } });
		assert.ok(res.error, 'the node cannot know it worked');
		assert.match(`${res.error.message} ${res.error.description ?? ''}`, /may (already )?(exist|have been created)/i);
	});

	test('defect 4: Create, connection dropped before Keap got it: at most one contact, success only if it exists (guard)', async () => {
		const email = freshEmail('before');
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropBefore', nth: 1 });
		const res = await create(email, {}, { continueOnFail: true });
		assert.ok(fx.contactsWithEmail(email).length <= 1);
		assertNoFalseSuccess(res, [email]);
	});

	test('defect 4: Create, not received by Keap, while another contact has the email: that one is not taken for ours', async () => {
		const email = freshEmail('other');
		const [other] = fx.emu.seed({ contacts: [{ given_name: 'Someone', family_name: 'Else', email_addresses: [{ email, field: 'EMAIL1' }] }] }).contacts;
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropBefore', nth: 1 });
		const res = await create(email, { additionalFields: { given_name: 'Ada', family_name: 'Lovelace' } });
		assert.equal(res.error, undefined, res.error?.message);
		assert.notEqual(String(res.items[0].json.id), String(other));
		assert.equal(fx.contactsWithEmail(email).length, 2, 'ours was created beside the other one');
		assert.equal(fx.emu.store.contacts.get(Number(res.items[0].json.id)).given_name, 'Ada');
	});

	test('defect 4: Create or Update with an address, answer of the create lost: one contact, success', async () => {
		const email = freshEmail('upaddr');
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropAfter', nth: 1 });
		const res = await fx.keap({ resource: 'contact', operation: 'upsert', matchOn: 'Email', email, addresses: address });
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.contactsWithEmail(email).length, 1);
		assert.equal(String(res.items[0].json.id), String(fx.contactsWithEmail(email)[0].id));
	});

	test('defect 4: Create or Update with an address under one 503 on the create: success', async () => {
		const email = freshEmail('up503');
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'status', status: 503, nth: 1 });
		const res = await fx.keap({ resource: 'contact', operation: 'upsert', matchOn: 'Email', email, addresses: address });
		assert.equal(res.error, undefined, res.error?.message);
		assert.equal(fx.contactsWithEmail(email).length, 1);
	});

	test('defect 4: 30 Creates under 20% drops after forwarding, then every failed item re-run: no duplicate contacts', async () => {
		const emails = Array.from({ length: 30 }, () => freshEmail('rerun'));
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, fault: 'dropAfter', probability: 0.2 });
		const params = { resource: 'contact', operation: 'create', email: '={{$json.email}}' };
		const first = await fx.keap(params, emails.map((email) => ({ email })), { continueOnFail: true });
		assert.equal(first.items.length, 30, 'one output or error item per input item');
		assertNoFalseSuccess(first, emails);
		const failed = first.items.filter((i) => i.json.error).map((i) => emails[i.pairedItem.item]);
		assert.ok(fx.proxy.stats().rules[0].fired > 0, 'the proxy dropped some answers');
		fx.proxy.clearRules();
		const rerun = await fx.keap(params, failed.map((email) => ({ email })), { continueOnFail: true });
		assert.equal(rerun.items.filter((i) => i.json.error).length, 0);
		const duplicated = emails.filter((e) => fx.contactsWithEmail(e).length !== 1);
		assert.deepEqual(duplicated, [], `${duplicated.length} of 30 emails do not have exactly one contact`);
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 5: without Continue On Fail, a failed run says which items were written', () => {
	/** message + description: what n8n shows the user for the run's error. */
	const shown = (error) => `${error?.message ?? ''}\n${error?.description ?? ''}`;

	test('defect 5: a create fails at item 5: the error names item 5 and every item already written', async () => {
		const emails = Array.from({ length: 8 }, () => freshEmail('stop'));
		fx.proxy.setRules({ method: 'POST', path: V2_CONTACTS, bodyIncludes: emails[5], fault: 'status', status: 400, body: v2Error('Invalid request: no') });
		const res = await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.email}}', additionalFields: { tags: ['Lead'] } },
			emails.map((email) => ({ email })),
		);
		assert.ok(res.error, 'the run fails');
		const text = shown(res.error);
		assert.match(text, /item 5\b/i, 'the failing item is named');
		const lead = fx.tagsNamed('Lead')[0].id;
		const said = integersIn(text.replace(/item 5\b/gi, ''));
		emails.forEach((email, i) => {
			const [contact] = fx.contactsWithEmail(email);
			if (!contact) return;
			assert.ok(said.has(i) || said.has(contact.id), `item ${i} (contact ${contact.id}) was written but the error does not say so: ${text}`);
			assert.ok(fx.emu.store.tagIdsOf(contact.id).includes(lead) || /tag/i.test(text), `item ${i} was written without its tag, unsaid`);
		});
	});

	test('defect 5: applying the tags fails after every contact was written: the error says they were written, untagged', async () => {
		const emails = Array.from({ length: 4 }, () => freshEmail('tagfail'));
		fx.proxy.setRules({ method: 'POST', path: '/crm/rest/v2/tags/**', fault: 'status', status: 500, body: v2Error('boom') });
		const res = await fx.keap(
			{ resource: 'contact', operation: 'create', email: '={{$json.email}}', additionalFields: { tags: ['Lead'] } },
			emails.map((email) => ({ email })),
		);
		assert.ok(res.error);
		const text = shown(res.error);
		assert.match(text, /tag/i);
		const said = integersIn(text);
		emails.forEach((email, i) => {
			const [contact] = fx.contactsWithEmail(email);
			assert.ok(contact, `item ${i} was written`);
			assert.ok(said.has(i) || said.has(contact.id), `item ${i} (contact ${contact.id}) is not named as written: ${text}`);
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('defect 10: the pacing hint does not count given-up calls as retried', () => {
	test('defect 10: items that gave up under a 429 storm are not reported as "(retried)"', async () => {
		const emails = Array.from({ length: 4 }, () => freshEmail('storm'));
		fx.proxy.setRules([
			{ method: 'POST', path: V2_CONTACTS, bodyIncludes: emails[2], fault: 'throttle', retryAfter: 0, name: 'storm' },
			{ method: 'POST', path: V2_CONTACTS, fault: 'throttle', retryAfter: 0, nth: 1, name: 'once' },
		]);
		const res = await fx.keap({ resource: 'contact', operation: 'create', email: '={{$json.email}}' }, emails.map((email) => ({ email })), { continueOnFail: true });
		assert.equal(res.items.length, 4);
		assert.match(res.items[2].json.error ?? '', /throttl|429|quota/i, 'item 2 gave up');
		const hints = res.hints.map((h) => h.message).join('\n');
		assert.match(hints, /429/, `a hint about the 429s (got ${JSON.stringify(hints)})`);
		if (/\(retried\)/.test(hints)) assert.fail(`the hint counts given-up calls as retried: ${hints}`);
		assert.match(hints, /gave up|ran out|failed|not succeed|still/i, 'the hint says some calls gave up');
	});
});
