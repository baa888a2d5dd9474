// The shared input checks of model/validate.ts, on values users type.
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { checkPhone, InputError } = require('../../dist/nodes/Keap/model/validate.js');

test('phone numbers as people write them are accepted', () => {
	for (const phone of ['(480) 555-0110', '+1 (480) 555-0110', '480.555.0110', '555-0102', '+44 20 7946 0958', '0049/30/123456']) {
		assert.equal(checkPhone('Phone', `  ${phone} `), phone);
	}
});

test('what is not a phone number is refused, naming the field', () => {
	for (const phone of ['call me', '12', '()', 'abc 555 0110', '1'.repeat(21)]) {
		assert.throws(() => checkPhone('Phone', phone), (e) => e instanceof InputError && /Phone/.test(`${e.field ?? ''} ${e.message}`), phone);
	}
});
