// Keap CRM node, Custom Field resource: the models of contacts, companies and notes (Get Many)
// and new custom fields (Create), run by n8n-core's engine against the emulator (REST v2) with
// its OpenAPI request validation on.
import { describe, test, beforeAll, afterAll } from '@jest/globals';
import assert from 'node:assert/strict';

import { callMethod } from './editor-methods.mjs';
import { email, jsonOf, keapFixture } from './keap-helpers.mjs';

let fx;
beforeAll(async () => {
	fx = await keapFixture({ limits: false });
});
afterAll(async () => {
	const rejects = fx.emu.counters().validationRejects ?? 0;
	await fx.close();
	assert.equal(rejects, 0, 'the emulator rejected a request as invalid');
});

const field = (params, items, options) => fx.keap({ resource: 'customField', ...params }, items, options);

describe('custom field: get many', () => {
	test('the contact model lists its fields with type, field name and options; Limit cuts the list', async () => {
		const fields = jsonOf(await field({ operation: 'getAll', object: 'contact', returnAll: true }));
		assert.deepEqual(fields.map((f) => f.label), ['Favorite Color', 'Membership Level', 'Signup Date', 'Lifetime Value', 'Visit Count', 'VIP']);
		const level = fields.find((f) => f.label === 'Membership Level');
		assert.equal(level.field_type, 'DROPDOWN');
		assert.equal(level.field_name, 'MembershipLevel');
		assert.equal(level.record_type, 'CONTACT');
		assert.deepEqual(level.options.map((o) => o.label), ['Bronze', 'Silver', 'Gold', 'Platinum']);
		assert.equal(level.group_name, 'Custom Fields');
		const two = jsonOf(await field({ operation: 'getAll', object: 'contact', returnAll: false, limit: 2, output: 'selected', selectedFields: 'id,label' }));
		assert.deepEqual(two, [
			{ id: '6', label: 'Favorite Color' },
			{ id: '8', label: 'Membership Level' },
		]);
	});

	test('the company and note models too', async () => {
		const company = jsonOf(await field({ operation: 'getAll', object: 'company', returnAll: true }));
		assert.deepEqual(company.map((f) => [f.label, f.field_type]), [['Industry', 'DROPDOWN'], ['Employees', 'WHOLE_NUMBER']]);
		const note = jsonOf(await field({ operation: 'getAll', object: 'note', returnAll: true, output: 'raw' }));
		assert.deepEqual(note.map((f) => f.record_type), ['TASK_NOTE_APPOINTMENT', 'TASK_NOTE_APPOINTMENT']);
	});
});

describe('custom field: create', () => {
	test('a dropdown on contacts, usable by name on a contact write in the same way as the others', async () => {
		const label = `Shirt Size ${Math.random().toString(36).slice(2, 6)}`;
		const [created] = jsonOf(await field({ operation: 'create', object: 'contact', label, fieldType: 'DROPDOWN', options: 'S, M, L' }));
		assert.match(created.id, /^\d+$/);
		assert.equal(created.label, label);
		assert.equal(created.field_type, 'DROPDOWN');
		assert.deepEqual(created.options.map((o) => o.label), ['S', 'M', 'L']);

		const { fields } = await callMethod(fx.emu.url, 'resourceMapping', 'getCustomFieldColumns', { resource: 'contact', operation: 'create' });
		assert.deepEqual(fields.find((f) => f.id === created.id)?.options?.map((o) => o.value), ['S', 'M', 'L']);
		const [contact] = jsonOf(
			await fx.keap({ resource: 'contact', operation: 'create', email: email('shirt'), customFields: { mappingMode: 'defineBelow', value: { [label]: 'm' } } }),
		);
		assert.equal(contact.custom_fields[label], 'M');
	});

	test('text fields on companies and notes; a group for the field', async () => {
		const [c] = jsonOf(await field({ operation: 'create', object: 'company', label: 'Account Code', fieldType: 'TEXT', additionalFields: { group_id: '2' } }));
		assert.equal(c.record_type, 'COMPANY');
		assert.equal(c.group_id, '2');
		const [n] = jsonOf(await field({ operation: 'create', object: 'note', label: 'Duration', fieldType: 'WHOLE_NUMBER' }));
		assert.equal(n.record_type, 'TASK_NOTE_APPOINTMENT');
	});

	test('bad input fails before any call; Keap’s refusal of a taken label is an error item', async () => {
		const before = fx.calls();
		const res = await field(
			{ operation: 'create', object: 'contact', label: '={{ $json.label }}', fieldType: '={{ $json.type }}', options: '={{ $json.options }}', additionalFields: { user_group_id: '={{ $json.group }}' } },
			[
				{ label: '', type: 'TEXT', options: '', group: '' },
				{ label: 'Colors', type: 'RADIO', options: '', group: '' },
				{ label: 'Colors', type: 'RADIO', options: 'Red, red', group: '' },
				{ label: 'Notes 2', type: 'TEXT', options: '', group: '4' },
				{ label: 'Thing', type: 'COLOR', options: '', group: '' },
			],
			{ continueOnFail: true },
		);
		assert.deepEqual(
			res.items.map((i) => i.json.error.replace(/^Item \d, /, '')),
			[
				'Label: a custom field needs a label',
				'Options: a Radio field needs at least one option',
				'Options: each option can be given once',
				'User Group ID: only User and User List Box fields take a user group',
				'Type: "COLOR" is not a Keap custom field type',
			],
		);
		assert.equal(fx.calls(), before);
		const taken = await field({ operation: 'create', object: 'contact', label: 'favorite color', fieldType: 'TEXT' }, [{}], { continueOnFail: true });
		assert.equal(taken.items[0].pairedItem.item, 0);
		assert.match(taken.items[0].json.error, /^Keap reported a conflict: A custom field labelled favorite color already exists/);
	});
});
