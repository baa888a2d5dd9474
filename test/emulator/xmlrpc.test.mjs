import { describe, test, beforeAll, afterAll, beforeEach } from '@jest/globals';
import assert from 'node:assert/strict';
import { startEmulator, call, xmlrpc } from './helpers.mjs';

describe('XML-RPC', () => {
	let emu;
	beforeAll(async () => {
		emu = await startEmulator({ quiet: true, limits: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	test('DataFormField, User, LeadSource and the contact types setting describe the account', async () => {
		const fields = await xmlrpc(emu, 'DataService.query', ['x', 'DataFormField', 1000, 0, { FormId: -1 }, ['Id', 'Name', 'Label', 'DataType', 'Values']]);
		const level = fields.value.find((f) => f.Label === 'Membership Level');
		assert.equal(level.Name, 'MembershipLevel');
		assert.equal(level.DataType, 21, 'Dropdown');
		assert.deepEqual(level.Values.split('\n'), ['Bronze', 'Silver', 'Gold', 'Platinum']);
		assert.equal(fields.value.find((f) => f.Label === 'VIP').DataType, 6, 'Yes/No');
		const rest = await call(`${emu.url}/crm/rest/v2/contacts/model`);
		assert.deepEqual(fields.value.map((f) => String(f.Id)).sort(), rest.body.custom_fields.map((f) => String(f.id)).sort(), 'same fields as REST');
		const users = await xmlrpc(emu, 'DataService.query', ['x', 'User', 1000, 0, {}, ['Id', 'FirstName', 'LastName']]);
		assert.ok(users.value.some((u) => u.FirstName === 'Avery'));
		const sources = await xmlrpc(emu, 'DataService.query', ['x', 'LeadSource', 1000, 0, { Name: 'Ref%' }, ['Id', 'Name']]);
		assert.deepEqual(sources.value.map((l) => l.Name), ['Referral']);
		// getAppSetting is not documented for today's credentials: [NoAccess] unless switch xmlrpcGetAppSetting allows it
		const refused = await xmlrpc(emu, 'DataService.getAppSetting', ['x', 'Contact', 'optiontypes']);
		assert.deepEqual(refused.fault, { code: 14, string: '[NoAccess]DataService.getAppSetting is not available to this API credential' });
		emu.setConfig({ xmlrpcGetAppSetting: 'allow' });
		const types = await xmlrpc(emu, 'DataService.getAppSetting', ['x', 'Contact', 'optiontypes']);
		assert.ok(types.value.split(',').length >= 2, types.text);
		const bad = await xmlrpc(emu, 'DataService.add', ['x', 'DataFormField', { Label: 'x' }]);
		assert.ok(bad.fault, 'read-only table');
	});

	test('ContactService.add / load / update with bare strings, <i4> ints and Keap dates', async () => {
		const add = await xmlrpc(emu, 'ContactService.add', ['placeholder', {
			FirstName: 'John', LastName: 'Doe', Email: 'john@example.com', EmailAddress2: 'jd@work.example', Phone1: '480-555-0100',
			StreetAddress1: '1 Main St', City: 'Phoenix', State: 'Arizona', PostalCode: '85001', Country: 'United States',
			Address2Street1: '2 Side St', City2: 'Tempe', _FavoriteColor: 'Teal', _VisitCount: 4, _VIP: 1, Birthday: '1980-02-03',
		}]);
		assert.equal(add.status, 200);
		assert.match(add.text, /<i4>\d+<\/i4>/);
		const id = add.value;
		assert.equal(typeof id, 'number');

		const load = await xmlrpc(emu, 'ContactService.load', ['x', id, ['Id', 'FirstName', 'Email', 'City', 'City2', 'Country', 'PostalCode', '_FavoriteColor', '_VisitCount', '_VIP', 'DateCreated', 'Birthday', 'MiddleName']]);
		assert.equal(load.value.FirstName, 'John');
		assert.equal(load.value.City2, 'Tempe');
		assert.equal(load.value.Country, 'United States');
		assert.equal(load.value._VisitCount, 4);
		assert.equal(load.value._VIP, 1);
		assert.ok(!('MiddleName' in load.value), 'only fields with values are returned');
		assert.match(load.text, /<value>John<\/value>/, 'strings come back bare');
		assert.match(load.text, /<name>DateCreated<\/name><value><dateTime\.iso8601>\d{8}T\d{2}:\d{2}:\d{2}<\/dateTime\.iso8601>/);
		assert.match(load.text, /<dateTime\.iso8601>19800203T00:00:00<\/dateTime\.iso8601>/);

		// the same contact over REST v2: field mapping (EMAIL2, SHIPPING address, custom field)
		const rest = await call(`${emu.url}/crm/rest/v2/contacts/${id}?fields=email_addresses,addresses,custom_fields,birth_date`);
		assert.deepEqual(rest.body.email_addresses.map((e) => [e.field, e.email]), [['EMAIL1', 'john@example.com'], ['EMAIL2', 'jd@work.example']]);
		assert.deepEqual(rest.body.addresses.map((a) => [a.field, a.locality]), [['BILLING', 'Phoenix'], ['SHIPPING', 'Tempe']]);
		assert.equal(rest.body.addresses[0].country_code, 'USA');
		assert.equal(rest.body.addresses[0].zip_code, '85001');
		assert.equal(rest.body.custom_fields.find((f) => f.id === '6').content, 'Teal');
		assert.equal(rest.body.birth_date, '1980-02-03');

		const upd = await xmlrpc(emu, 'ContactService.update', ['x', id, { LastName: 'Dough', EmailAddress2: '' }]);
		assert.equal(upd.value, id);
		const after = await call(`${emu.url}/crm/rest/v1/contacts/${id}`);
		assert.equal(after.body.family_name, 'Dough');
		assert.deepEqual(after.body.email_addresses.map((e) => e.field), ['EMAIL1']);
	});

	test('bare strings can be switched off', async () => {
		emu.setConfig({ xmlrpcBareStrings: false });
		const id = (await xmlrpc(emu, 'ContactService.add', ['x', { FirstName: 'Sal' }])).value;
		const load = await xmlrpc(emu, 'ContactService.load', ['x', id, ['FirstName']]);
		assert.match(load.text, /<value><string>Sal<\/string><\/value>/);
	});

	test('addWithDupCheck, findByEmail, addToGroup / removeFromGroup and Groups', async () => {
		const a = (await xmlrpc(emu, 'ContactService.addWithDupCheck', ['x', { FirstName: 'Ann', Email: 'ann@example.com' }, 'Email'])).value;
		const b = (await xmlrpc(emu, 'ContactService.addWithDupCheck', ['x', { LastName: 'Lee', Email: 'Ann@Example.com' }, 'Email'])).value;
		assert.equal(a, b);
		const c = (await xmlrpc(emu, 'ContactService.addWithDupCheck', ['x', { FirstName: 'Other', Email: 'ann@example.com' }, 'EmailAndName'])).value;
		assert.notEqual(c, a);
		const found = await xmlrpc(emu, 'ContactService.findByEmail', ['x', 'ann@EXAMPLE.com', ['Id', 'FirstName', 'LastName']]);
		assert.deepEqual(found.value.map((r) => r.Id), [a, c]);
		assert.equal(found.value[0].LastName, 'Lee');
		const bad = await xmlrpc(emu, 'ContactService.addWithDupCheck', ['x', { Email: 'z@example.com' }, 'Phone']);
		assert.equal(bad.fault.code, 12);

		const tagId = (await xmlrpc(emu, 'DataService.add', ['x', 'ContactGroup', { GroupName: 'Customer', GroupDescription: 'Paying' }])).value;
		assert.equal((await xmlrpc(emu, 'ContactService.addToGroup', ['x', a, tagId])).value, true);
		assert.equal((await xmlrpc(emu, 'ContactService.addToGroup', ['x', a, tagId])).value, false, 'already applied (configurable)');
		const groups = await xmlrpc(emu, 'ContactService.load', ['x', a, ['Groups']]);
		assert.equal(groups.value.Groups, String(tagId));
		const assigns = await xmlrpc(emu, 'DataService.query', ['x', 'ContactGroupAssign', 100, 0, { ContactId: a }, ['GroupId', 'ContactGroup', 'Contact.Email', 'DateCreated']]);
		assert.equal(assigns.value.length, 1);
		assert.equal(assigns.value[0].ContactGroup, 'Customer');
		assert.equal(assigns.value[0]['Contact.Email'], 'Ann@Example.com', 'the dup-check update wrote the given Email');
		assert.deepEqual((await call(`${emu.url}/crm/rest/v2/contacts/${a}?fields=tag_ids`)).body.tag_ids, [String(tagId)]);
		assert.equal((await xmlrpc(emu, 'ContactService.removeFromGroup', ['x', a, tagId])).value, true);
		assert.deepEqual((await call(`${emu.url}/crm/rest/v1/contacts/${a}`)).body.tag_ids, []);
	});

	test('DataService.query: % wildcard, case-insensitive, ~null~, comparisons, paging, orderBy; count, findByField', async () => {
		emu.seed({ contacts: [
			{ given_name: 'Mary', family_name: 'Smith', email_addresses: [{ email: 'mary@example.com', field: 'EMAIL1' }], custom_fields: [{ id: 14, content: 5 }] },
			{ given_name: 'Mark', family_name: 'Jones', email_addresses: [{ email: 'mark@example.com', field: 'EMAIL1' }], custom_fields: [{ id: 14, content: 50 }] },
			{ given_name: 'Zoe', email_addresses: [{ email: 'zoe@sample.org', field: 'EMAIL1' }] },
		] });
		const q = async (query, fields = ['Id', 'FirstName'], extra = []) => (await xmlrpc(emu, 'DataService.query', ['x', 'Contact', 1000, 0, query, fields, ...extra])).value;
		assert.deepEqual((await q({ FirstName: 'mar%' })).map((r) => r.FirstName), ['Mary', 'Mark']);
		assert.deepEqual((await q({ Email: '%@example.com' })).length, 2);
		assert.deepEqual((await q({ LastName: '~null~' })).map((r) => r.FirstName), ['Zoe']);
		assert.deepEqual((await q({ _VisitCount: '~>=~10' })).map((r) => r.FirstName), ['Mark']);
		assert.deepEqual((await q({ Id: '%' }, ['FirstName'], ['FirstName', false])).map((r) => r.FirstName), ['Zoe', 'Mary', 'Mark']);
		const page1 = await xmlrpc(emu, 'DataService.query', ['x', 'Contact', 2, 1, { Id: '%' }, ['Id']]);
		assert.equal(page1.value.length, 1, 'page is 0-based');
		assert.equal((await xmlrpc(emu, 'DataService.count', ['x', 'Contact', { FirstName: 'Mar%' }])).value, 2);
		const byField = await xmlrpc(emu, 'DataService.findByField', ['x', 'Contact', 10, 0, 'Email', 'zoe@sample.org', ['Id', 'Email']]);
		assert.equal(byField.value[0].Email, 'zoe@sample.org');
		const tooMany = await xmlrpc(emu, 'DataService.query', ['x', 'Contact', 1001, 0, {}, ['Id']]);
		assert.equal(tooMany.fault.code, 12);
		const since = await q({ LastUpdated: '~>=~2000-01-01 00:00:00' });
		assert.equal(since.length, 3);
	});

	test('faults: InvalidKey, RecordNotFound, NoFieldFound, No method matching arguments, unknown method', async () => {
		const unauth = await xmlrpc(emu, 'ContactService.load', ['legacy-key', 1, ['Id']], { headers: {} });
		assert.equal(unauth.status, 200);
		assert.deepEqual(unauth.fault, { code: 2, string: '[InvalidKey]Invalid Key' });
		const nf = await xmlrpc(emu, 'ContactService.load', ['x', 424242, ['Id']]);
		assert.equal(nf.fault.code, 5);
		assert.match(nf.fault.string, /^\[RecordNotFound\]/);
		const nofield = await xmlrpc(emu, 'ContactService.add', ['x', { Frist: 'typo' }]);
		assert.equal(nofield.fault.code, 10);
		assert.match(nofield.fault.string, /^\[NoFieldFound\].*Frist/);
		const nocustom = await xmlrpc(emu, 'DataService.query', ['x', 'Contact', 10, 0, { _ShoeSize: '9' }, ['Id']]);
		assert.equal(nocustom.fault.code, 10);
		const types = await xmlrpc(emu, 'ContactService.load', ['x', '17', ['Id']]);
		assert.equal(types.fault.string, 'No method matching arguments: java.lang.String, java.lang.String, [Ljava.lang.Object;');
		const unknown = await xmlrpc(emu, 'ContactService.fly', ['x']);
		assert.match(unknown.fault.string, /No such handler/);
		const ro = await xmlrpc(emu, 'ContactService.add', ['x', { Groups: '1,2' }]);
		assert.equal(ro.fault.code, 8);
		assert.equal(emu.store.contacts.size, 0);
	});

	test('auth: Bearer access token or ?access_token= works, privateKey is ignored; invalid token is a 401', async () => {
		const t = emu.issueTokens();
		const viaBearer = await xmlrpc(emu, 'ContactService.add', ['ignored', { FirstName: 'B' }], { headers: { authorization: `Bearer ${t.access_token}` } });
		assert.equal(typeof viaBearer.value, 'number');
		const viaQuery = await xmlrpc(emu, 'ContactService.add', ['ignored', { FirstName: 'Q' }], { headers: {}, path: `/crm/xmlrpc?access_token=${t.access_token}` });
		assert.equal(typeof viaQuery.value, 'number');
		const bad = await fetch(`${emu.url}/crm/xmlrpc/v1`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'text/xml' }, body: '<methodCall/>' });
		assert.equal(bad.status, 401);
		await bad.text();
		const info = await xmlrpc(emu, 'DataService.getUserInfo', []);
		assert.equal(info.value.localUserId, 1);
		assert.equal(info.value.appUrl, 'https://emulator.infusionsoft.com');
		const log = emu.log().filter((e) => e.xmlrpcMethod);
		assert.equal(log[0].body.params[0], '***');
	});

	test('ContactGroup tables and APIEmailService.optIn', async () => {
		const cat = (await xmlrpc(emu, 'DataService.add', ['x', 'ContactGroupCategory', { CategoryName: 'Lifecycle' }])).value;
		const tag = (await xmlrpc(emu, 'DataService.add', ['x', 'ContactGroup', { GroupName: 'Lead', GroupCategoryId: cat }])).value;
		const rows = await xmlrpc(emu, 'DataService.query', ['x', 'ContactGroup', 100, 0, { GroupName: 'lea%' }, ['Id', 'GroupName', 'GroupCategoryId']]);
		assert.deepEqual(rows.value, [{ Id: tag, GroupName: 'Lead', GroupCategoryId: cat }]);
		const v1 = await call(`${emu.url}/crm/rest/v1/tags/${tag}`);
		assert.equal(v1.body.category.name, 'Lifecycle');
		assert.equal((await xmlrpc(emu, 'DataService.update', ['x', 'ContactGroup', tag, { GroupName: 'Hot Lead' }])).value, tag);
		assert.equal(emu.store.tags.get(tag).name, 'Hot Lead');
		const assignAdd = await xmlrpc(emu, 'DataService.add', ['x', 'ContactGroupAssign', { GroupId: tag, ContactId: 1 }]);
		assert.equal(assignAdd.fault.code, 7);

		const id = (await xmlrpc(emu, 'ContactService.add', ['x', { Email: 'opt@example.com' }])).value;
		assert.equal((await xmlrpc(emu, 'APIEmailService.optIn', ['x', 'opt@example.com', 'Asked on the phone'])).value, true);
		assert.equal((await xmlrpc(emu, 'APIEmailService.optIn', ['x', 'opt@example.com', 'again'])).value, false, 'only the first opt-in works');
		const rest = await call(`${emu.url}/crm/rest/v1/contacts/${id}`);
		assert.equal(rest.body.email_status, 'SingleOptIn');
		assert.equal(rest.body.email_opted_in, true);
		assert.equal(emu.counters().xmlrpc['APIEmailService.optIn'], 2);
	});
});
