/** @jest-environment-options {"timezone": "America/New_York"} */
// XML-RPC codec: encoding, parsing, Keap-shaped fixtures, dates, and round trips against the
// independent `xmlrpc` npm library (its serializer and its sax-based deserializer), with fixed
// cases and seeded fast-check properties. Needs `npx tsc -p tsconfig.json` first.
//
// The xmlrpc library writes and reads zone-less dates in the process's local zone. Setting
// TZ to America/New_York (the zone our codec uses for Keap) makes it an independent check of
// our zone conversion, DST included. Node applies a TZ change made at run time.

import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer');
const Deserializer = require('xmlrpc/lib/deserializer');
const codec = { ...require('../../dist/nodes/Keap/transport/xmlrpc/codec.js'), ...require('./xmlrpc-server.cjs') };

const {
	encodeMethodCall,
	encodeMethodResponse,
	encodeFault,
	parseMethodResponse,
	parseMethodCall,
	formatKeapDate,
	parseKeapDate,
	splitFaultString,
	escapeXmlText,
	XmlRpcDouble,
	XmlRpcBase64,
	XmlRpcDateTime,
	XmlRpcParseError,
	XMLRPC_MAX_DEPTH,
} = codec;

const SEED = 20250611;
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Their deserializer reads a stream; resolve with [method, params] or the response value. */
function theirParse(kind, xml) {
	return new Promise((resolve, reject) => {
		const stream = new PassThrough();
		const d = new Deserializer();
		const timer = setTimeout(() => reject(new Error('deserializer timed out')), 5000);
		const done = (err, ...rest) => {
			clearTimeout(timer);
			if (err) reject(err);
			else resolve(rest);
		};
		if (kind === 'call') d.deserializeMethodCall(stream, done);
		else d.deserializeMethodResponse(stream, done);
		stream.end(xml, 'utf8');
	});
}

function wrapResponse(valueXml) {
	return `${DECL}<methodResponse><params><param>${valueXml}</param></params></methodResponse>`;
}

// ------------------------------------------------------------------------------------------
describe('encodeMethodCall', () => {
	test('ContactService.add has the shape of Keap\'s documented request', () => {
		const xml = encodeMethodCall('ContactService.add', ['privateKey', { FirstName: 'John' }]);
		assert.equal(
			xml,
			`${DECL}<methodCall><methodName>ContactService.add</methodName><params>` +
				'<param><value><string>privateKey</string></value></param>' +
				'<param><value><struct><member><name>FirstName</name><value><string>John</string></value></member></struct></value></param>' +
				'</params></methodCall>',
		);
	});

	test('DataService.query call matches the recorded request of the Ruby gem, value for value', async () => {
		// Recorded request (nateleavitt/infusionsoft test/vcr_cassettes/data_query.yml).
		const recorded =
			'<?xml version="1.0" ?><methodCall><methodName>DataService.query</methodName><params><param><value><string>not_a_real_key</string></value></param><param><value><string>Company</string></value></param><param><value><i4>5</i4></value></param><param><value><i4>0</i4></value></param><param><value><struct><member><name>Company</name><value><string>Hogwarts of America</string></value></member></struct></value></param><param><value><array><data><value><string>Id</string></value><value><string>Company</string></value></data></array></value></param></params></methodCall>';
		const ours = encodeMethodCall('DataService.query', [
			'not_a_real_key',
			'Company',
			5,
			0,
			{ Company: 'Hogwarts of America' },
			['Id', 'Company'],
		]);
		const strip = (s) => s.replace(/^<\?xml[^>]*\?>/, '');
		assert.equal(strip(ours), strip(recorded));
	});

	test('scalar types', () => {
		const body = (v) => {
			const xml = encodeMethodCall('m', [v]);
			return xml.slice(xml.indexOf('<param>') + 7, xml.indexOf('</param>'));
		};
		assert.equal(body(42), '<value><i4>42</i4></value>');
		assert.equal(body(-2147483648), '<value><i4>-2147483648</i4></value>');
		assert.equal(body(2147483647), '<value><i4>2147483647</i4></value>');
		assert.equal(body(2147483648), '<value><double>2147483648.0</double></value>');
		assert.equal(body(-0), '<value><i4>0</i4></value>');
		assert.equal(body(1.5), '<value><double>1.5</double></value>');
		assert.equal(body(1e-7), '<value><double>0.0000001</double></value>');
		assert.equal(body(-1.25e21), '<value><double>-1250000000000000000000.0</double></value>');
		assert.equal(body(new XmlRpcDouble(5)), '<value><double>5.0</double></value>');
		assert.equal(body(true), '<value><boolean>1</boolean></value>');
		assert.equal(body(false), '<value><boolean>0</boolean></value>');
		assert.equal(body(null), '<value><nil/></value>');
		assert.equal(body(''), '<value><string></string></value>');
		assert.equal(body(new XmlRpcBase64('aGVs\nbG8=')), '<value><base64>aGVsbG8=</base64></value>');
		assert.equal(body(new XmlRpcDateTime('20171208T11:56:04')), '<value><dateTime.iso8601>20171208T11:56:04</dateTime.iso8601></value>');
		// 2017-12-08 16:56:04 UTC is 11:56:04 EST (UTC-5); 2024-07-04 16:00 UTC is 12:00 EDT.
		assert.equal(body(new Date(Date.UTC(2017, 11, 8, 16, 56, 4, 999))), '<value><dateTime.iso8601>20171208T11:56:04</dateTime.iso8601></value>');
		assert.equal(body(new Date('2024-07-04T16:00:00Z')), '<value><dateTime.iso8601>20240704T12:00:00</dateTime.iso8601></value>');
		assert.equal(body([]), '<value><array><data></data></array></value>');
		assert.equal(body({}), '<value><struct></struct></value>');
	});

	test('the time zone for Date values can be chosen', () => {
		const xml = encodeMethodCall('m', [new Date('2024-07-04T16:00:00Z')], { timeZone: 'Europe/Berlin' });
		assert.match(xml, /<dateTime\.iso8601>20240704T18:00:00<\/dateTime\.iso8601>/);
	});

	test('escaping: entities, CR kept as a reference, forbidden characters dropped', () => {
		assert.equal(escapeXmlText(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
		assert.equal(escapeXmlText('x]]>y'), 'x]]&gt;y');
		assert.equal(escapeXmlText('l1\r\nl2\tt'), 'l1&#13;\nl2\tt');
		assert.equal(escapeXmlText('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg'), 'abcdefg');
		assert.equal(escapeXmlText('lone \ud800 high, lone \udc00 low, pair \ud83d\ude00'), 'lone  high, lone  low, pair \ud83d\ude00');
		const plain = 'nothing to escape: é 中 😀';
		assert.equal(escapeXmlText(plain), plain);
	});

	test('struct members that are undefined are left out; undefined array items are nil', () => {
		const xml = encodeMethodCall('m', [{ a: undefined, b: 1 }, [undefined]]);
		assert.ok(!xml.includes('<name>a</name>'));
		assert.deepEqual(parseMethodCall(xml).params, [{ b: 1 }, [null]]);
	});

	test('refuses what XML-RPC cannot carry', () => {
		assert.throws(() => encodeMethodCall('m', [NaN]), RangeError);
		assert.throws(() => encodeMethodCall('m', [Infinity]), RangeError);
		assert.throws(() => encodeMethodCall('m', [new XmlRpcDouble(-Infinity)]), RangeError);
		assert.throws(() => encodeMethodCall('m', [10n]), TypeError);
		assert.throws(() => encodeMethodCall('m', [() => 1]), TypeError);
		assert.throws(() => encodeMethodCall('m', [Symbol('s')]), TypeError);
		assert.throws(() => encodeMethodCall('m', [new Map()]), TypeError);
		assert.throws(() => encodeMethodCall('m', [new Date(NaN)]), RangeError);
		assert.throws(() => encodeMethodCall('m', [new XmlRpcBase64('not base64!')]), TypeError);
		assert.throws(() => encodeMethodCall('m', [new XmlRpcDateTime('  ')]), TypeError);
		assert.throws(() => encodeMethodCall('', []), TypeError);
		assert.throws(() => encodeMethodCall('a<b', []), TypeError);
		assert.throws(() => encodeMethodCall('m', 'not an array'), TypeError);
	});

	test('nesting: 100 levels encode, 101 and cycles throw', () => {
		let ok = 'leaf';
		for (let i = 0; i < XMLRPC_MAX_DEPTH; i++) ok = [ok];
		const xml = encodeMethodCall('m', [ok]);
		assert.deepEqual(parseMethodCall(xml).params[0], ok);
		assert.throws(() => encodeMethodCall('m', [[ok]]), RangeError);
		const cyclic = { a: 1 };
		cyclic.self = cyclic;
		assert.throws(() => encodeMethodCall('m', [cyclic]), /more than 100 deep \(or contains a cycle\)/);
	});
});

// ------------------------------------------------------------------------------------------
describe('parseMethodResponse: Keap-shaped responses', () => {
	// Bodies recorded from Keap by the Ruby gem (nateleavitt/infusionsoft test/vcr_cassettes),
	// with YAML line folding undone.
	test('ContactService.add returns <i4>', () => {
		const xml = '<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param><value><i4>3602</i4></value></param></params></methodResponse>';
		assert.deepEqual(parseMethodResponse(xml), { ok: true, value: 3602 });
	});

	test('ContactService.load returns a struct of bare <value> strings', () => {
		const xml = '<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param><value><struct><member><name>FirstName</name><value>Severus</value></member><member><name>LastName</name><value>Snape</value></member></struct></value></param></params></methodResponse>';
		assert.deepEqual(parseMethodResponse(xml), { ok: true, value: { FirstName: 'Severus', LastName: 'Snape' } });
	});

	test('DataService.query returns an array of structs mixing <i4> and bare strings', () => {
		const xml = '<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param><value><array><data><value><struct><member><name>Id</name><value><i4>3618</i4></value></member><member><name>Company</name><value>Hogwarts of America</value></member></struct></value><value><struct><member><name>Id</name><value><i4>3620</i4></value></member><member><name>Company</name><value>Hogwarts of America</value></member></struct></value></data></array></value></param></params></methodResponse>';
		assert.deepEqual(parseMethodResponse(xml).value, [
			{ Id: 3618, Company: 'Hogwarts of America' },
			{ Id: 3620, Company: 'Hogwarts of America' },
		]);
	});

	test('APIEmailService.optIn returns <boolean>1 and <boolean>0', () => {
		for (const [bit, expected] of [['1', true], ['0', false]]) {
			const xml = `<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param><value><boolean>${bit}</boolean></value></param></params></methodResponse>`;
			assert.deepEqual(parseMethodResponse(xml), { ok: true, value: expected });
		}
	});

	test('fault 13 [FailedLoginAttempt] (recorded)', () => {
		const xml = '<?xml version="1.0" encoding="utf-8"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>13</i4></value></member><member><name>faultString</name><value>[FailedLoginAttempt]username not found: test@test.com</value></member></struct></value></fault></methodResponse>';
		assert.deepEqual(parseMethodResponse(xml), {
			ok: false,
			fault: {
				code: 13,
				string: '[FailedLoginAttempt]username not found: test@test.com',
				name: 'FailedLoginAttempt',
				message: 'username not found: test@test.com',
			},
		});
	});

	test('fault 2 [InvalidKey] and fault 5 [RecordNotFound]', () => {
		const fault = (code, s) =>
			`<?xml version="1.0" encoding="utf-8"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>${code}</i4></value></member><member><name>faultString</name><value>${s}</value></member></struct></value></fault></methodResponse>`;
		assert.deepEqual(parseMethodResponse(fault(2, '[InvalidKey]Invalid Key')).fault, {
			code: 2,
			string: '[InvalidKey]Invalid Key',
			name: 'InvalidKey',
			message: 'Invalid Key',
		});
		assert.deepEqual(parseMethodResponse(fault(5, '[RecordNotFound]Record was not found: Contact Id 99')).fault, {
			code: 5,
			string: '[RecordNotFound]Record was not found: Contact Id 99',
			name: 'RecordNotFound',
			message: 'Record was not found: Contact Id 99',
		});
	});

	test('Apache "No method matching arguments" fault has no name', () => {
		const xml = '<?xml version="1.0" encoding="UTF-8"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>0</i4></value></member><member><name>faultString</name><value>No method matching arguments: java.lang.String, java.lang.Integer, [Ljava.lang.Object;</value></member></struct></value></fault></methodResponse>';
		const { fault } = parseMethodResponse(xml);
		assert.equal(fault.code, 0);
		assert.equal(fault.name, undefined);
		assert.ok(!('name' in fault));
		assert.equal(fault.message, 'No method matching arguments: java.lang.String, java.lang.Integer, [Ljava.lang.Object;');
	});

	test('splitFaultString', () => {
		assert.deepEqual(splitFaultString('[Loading]Error loading follow-up sequence'), { name: 'Loading', message: 'Error loading follow-up sequence' });
		assert.deepEqual(splitFaultString('[RecordNotFound]'), { name: 'RecordNotFound', message: 'RecordNotFound' });
		assert.deepEqual(splitFaultString('[not a name]x'), { message: '[not a name]x' });
		assert.deepEqual(splitFaultString('[]x'), { message: '[]x' });
		assert.deepEqual(splitFaultString('plain'), { message: 'plain' });
	});

	test('fault code sent as <int> or as a numeric string; faultString as <string>', () => {
		const a = parseMethodResponse(serializer.serializeFault({ faultCode: 5, faultString: '[RecordNotFound]x' }));
		assert.deepEqual(a.fault, { code: 5, string: '[RecordNotFound]x', name: 'RecordNotFound', message: 'x' });
		const b = parseMethodResponse('<methodResponse><fault><value><struct><member><name>faultCode</name><value>7</value></member><member><name>faultString</name><value><string>[NoTableAccess]no</string></value></member></struct></value></fault></methodResponse>');
		assert.equal(b.fault.code, 7);
	});

	test('a Keap-format date comes back as XmlRpcDateTime, readable with parseKeapDate', () => {
		// Built in Keap's wire format (the shape of a DataService.load of DateCreated).
		const xml = '<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param><value><struct><member><name>DateCreated</name><value><dateTime.iso8601>20150409T07:14:00</dateTime.iso8601></value></member></struct></value></param></params></methodResponse>';
		const { value } = parseMethodResponse(xml);
		assert.ok(value.DateCreated instanceof XmlRpcDateTime);
		assert.equal(value.DateCreated.text, '20150409T07:14:00');
		assert.equal(parseKeapDate(value.DateCreated.text), '2015-04-09T07:14:00-04:00');
	});
});

// ------------------------------------------------------------------------------------------
describe('parseMethodResponse: the XML-RPC types and XML details', () => {
	const one = (valueXml) => parseMethodResponse(wrapResponse(valueXml)).value;

	test('integers: i4, int, i8, ex:i8, big i8 as text', () => {
		assert.equal(one('<value><i4> -17 </i4></value>'), -17);
		assert.equal(one('<value><int>+8</int></value>'), 8);
		assert.equal(one('<value><i8>9007199254740991</i8></value>'), 9007199254740991);
		assert.equal(one('<value><ex:i8 xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions">12</ex:i8></value>'), 12);
		assert.equal(one('<value><i8>-0009223372036854775807</i8></value>'), '-9223372036854775807');
		assert.ok(Object.is(one('<value><int>-0</int></value>'), 0));
	});

	test('doubles, including Java\'s exponent form', () => {
		assert.equal(one('<value><double>199.0</double></value>'), 199);
		assert.equal(one('<value><double>1.0E-7</double></value>'), 1e-7);
		assert.equal(one('<value><double>-.5</double></value>'), -0.5);
		assert.equal(one('<value><ex:float>2.5</ex:float></value>'), 2.5);
	});

	test('strings: bare, typed, empty, whitespace kept, entities, CDATA, comments', () => {
		assert.equal(one('<value></value>'), '');
		assert.equal(one('<value/>'), '');
		assert.equal(one('<value><string/></value>'), '');
		assert.equal(one('<value>  two  spaces  </value>'), '  two  spaces  ');
		assert.equal(one('<value><string>\n\tindented\n</string></value>'), '\n\tindented\n');
		assert.equal(one('<value>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;&#128512;</value>'), '&<>"\'AB😀😀');
		assert.equal(one('<value><string><![CDATA[<b>&amp;</b>]]></string></value>'), '<b>&amp;</b>');
		assert.equal(one('<value>a<![CDATA[<]]>b&amp;c<!-- note -->d</value>'), 'a<b&cd');
		assert.equal(one('<value>中文 😀 é</value>'), '中文 😀 é');
	});

	test('line ends: raw CRLF and CR become LF, &#13; and &#xD; keep CR', () => {
		assert.equal(one('<value>a\r\nb\rc</value>'), 'a\nb\nc');
		assert.equal(one('<value>a&#13;&#10;b&#xD;</value>'), 'a\r\nb\r');
		assert.equal(one('<value><![CDATA[x\r\ny]]></value>'), 'x\ny');
	});

	test('whitespace between elements is ignored', () => {
		const xml = `<?xml version="1.0"?>\n<methodResponse>\n  <params>\n    <param>\n      <value>\n        <struct>\n          <member>\n            <name>Id</name>\n            <value><i4>1</i4></value>\n          </member>\n          <member>\n            <value><array>\n<data>\n<value>x</value>\n</data>\n</array></value>\n            <name>List</name>\n          </member>\n        </struct>\n      </value>\n    </param>\n  </params>\n</methodResponse>\n`;
		assert.deepEqual(parseMethodResponse(xml).value, { Id: 1, List: ['x'] });
	});

	test('nil, ex:nil, boolean, base64, dateTime, nested', () => {
		assert.equal(one('<value><nil/></value>'), null);
		assert.equal(one('<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>'), null);
		assert.equal(one('<value><boolean> 1 </boolean></value>'), true);
		const b = one('<value><base64>\n aGVs\n bG8=\n</base64></value>');
		assert.ok(b instanceof XmlRpcBase64);
		assert.equal(b.base64, 'aGVsbG8=');
		assert.equal(Buffer.from(b.toBytes()).toString(), 'hello');
		const d = one('<value><dateTime.iso8601> 19980717T14:08:55 </dateTime.iso8601></value>');
		assert.ok(d instanceof XmlRpcDateTime);
		assert.equal(d.text, '19980717T14:08:55');
		assert.deepEqual(one('<value><array><data><value><array><data><value><struct></struct></value></data></array></value></data></array></value>'), [[{}]]);
	});

	test('struct member "__proto__" becomes an own property, prototype untouched', () => {
		const v = one('<value><struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member></struct></value>');
		assert.equal(Object.getPrototypeOf(v), Object.prototype);
		assert.deepEqual(Object.keys(v), ['__proto__']);
		assert.equal(v.polluted, undefined);
		assert.equal({}.polluted, undefined);
	});

	test('a repeated member name keeps the last value', () => {
		assert.deepEqual(one('<value><struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct></value>'), { a: '2' });
	});

	test('BOM, XML declaration, comments and processing instructions are skipped', () => {
		const xml = '\ufeff<?xml version="1.0" encoding="ISO-8859-1"?><!-- c --><?pi x?><methodResponse><!-- c --><params><param><value><i4>1</i4></value></param></params></methodResponse><!-- end -->\n';
		assert.deepEqual(parseMethodResponse(xml), { ok: true, value: 1 });
	});
});

// ------------------------------------------------------------------------------------------
describe('method calls and responses for a server (emulator side)', () => {
	test('parseMethodCall reads our call and the xmlrpc library\'s call', () => {
		const params = ['key', 7, { Email: 'a@b.c', Tags: [1, 2] }, true, 2.5];
		assert.deepEqual(parseMethodCall(encodeMethodCall('ContactService.addWithDupCheck', params)), {
			method: 'ContactService.addWithDupCheck',
			params,
		});
		assert.deepEqual(parseMethodCall(serializer.serializeMethodCall('DataService.getUserInfo', [])), {
			method: 'DataService.getUserInfo',
			params: [],
		});
		assert.deepEqual(parseMethodCall('<methodCall><methodName>system.listMethods</methodName></methodCall>'), {
			method: 'system.listMethods',
			params: [],
		});
	});

	test('encodeMethodResponse and encodeFault are read back by the xmlrpc library', async () => {
		const [value] = await theirParse('response', encodeMethodResponse({ Id: 5, Name: 'x', Tags: [1, 2] }));
		assert.deepEqual(value, { Id: 5, Name: 'x', Tags: [1, 2] });
		await assert.rejects(theirParse('response', encodeFault(5, '[RecordNotFound]nope')), (err) => {
			assert.equal(err.faultCode, 5);
			assert.equal(err.faultString, '[RecordNotFound]nope');
			return true;
		});
		assert.deepEqual(parseMethodResponse(encodeFault(2, '[InvalidKey]Invalid Key')).fault.name, 'InvalidKey');
		assert.throws(() => encodeFault(1.5, 'x'), RangeError);
	});
});

// ------------------------------------------------------------------------------------------
describe('Keap dates', () => {
	test('formatKeapDate: instants go to New York wall time (EST/EDT)', () => {
		assert.equal(formatKeapDate(new Date('2024-01-15T17:30:45.999Z')), '20240115T12:30:45');
		assert.equal(formatKeapDate(new Date('2024-07-15T17:30:45Z')), '20240715T13:30:45');
		assert.equal(formatKeapDate('2024-07-15T17:30:45Z'), '20240715T13:30:45');
		assert.equal(formatKeapDate('2024-07-15T19:30:45+02:00'), '20240715T13:30:45');
		assert.equal(formatKeapDate('2024-07-15T13:30:45-0400'), '20240715T13:30:45');
		assert.equal(formatKeapDate(new Date('0099-03-01T12:00:00Z')).slice(0, 8), '00990301');
	});

	test('formatKeapDate: zone-less text is already Keap wall time', () => {
		assert.equal(formatKeapDate('2024-03-05'), '20240305T00:00:00');
		assert.equal(formatKeapDate('2024-03-05T10:00'), '20240305T10:00:00');
		assert.equal(formatKeapDate('2024-03-05 10:00:07.5'), '20240305T10:00:07');
		assert.equal(formatKeapDate('20240305T10:00:07'), '20240305T10:00:07');
		assert.equal(formatKeapDate('20240305T100007'), '20240305T10:00:07');
	});

	test('formatKeapDate rejects what is not an ISO date', () => {
		for (const bad of ['', 'March 5, 2024', '2024-02-30', '2024-13-01', '2024-03-05T24:00:00', '2024-0305', '2024-03-05T10:00:00+25:00', 'x'.repeat(1000)]) {
			assert.throws(() => formatKeapDate(bad), RangeError, bad);
		}
		assert.throws(() => formatKeapDate(new Date(NaN)), RangeError);
		assert.throws(() => formatKeapDate(new Date('+010000-01-01T00:00:00Z')), RangeError);
		assert.throws(() => formatKeapDate(12345), TypeError);
	});

	test('parseKeapDate: New York wall time to ISO 8601 with the right offset', () => {
		assert.equal(parseKeapDate('20171208T11:56:04'), '2017-12-08T11:56:04-05:00');
		assert.equal(parseKeapDate('20240704T12:00:00'), '2024-07-04T12:00:00-04:00');
		assert.equal(parseKeapDate('2024-07-04T12:00:00'), '2024-07-04T12:00:00-04:00');
		assert.equal(parseKeapDate('19800101'), '1980-01-01T00:00:00-05:00');
		assert.equal(parseKeapDate('20240704T12:00:00.250'), '2024-07-04T12:00:00.250-04:00');
		assert.equal(parseKeapDate('20240704T12:00:00Z'), '2024-07-04T12:00:00Z');
		assert.equal(parseKeapDate('20240704T12:00:00+02:00'), '2024-07-04T12:00:00+02:00');
		assert.equal(parseKeapDate('20240704T12:00:00', 'Asia/Kolkata'), '2024-07-04T12:00:00+05:30');
		assert.equal(Date.parse(parseKeapDate('20171208T11:56:04')), Date.UTC(2017, 11, 8, 16, 56, 4));
	});

	test('parseKeapDate: DST gap moves forward, DST overlap takes the earlier instant', () => {
		// 2024-03-10 02:30 does not exist in New York; 2024-11-03 01:30 happens twice.
		assert.equal(parseKeapDate('20240310T02:30:00'), '2024-03-10T03:30:00-04:00');
		assert.equal(parseKeapDate('20241103T01:30:00'), '2024-11-03T01:30:00-04:00');
		assert.equal(parseKeapDate('20241103T02:30:00'), '2024-11-03T02:30:00-05:00');
	});

	test('parseKeapDate throws XmlRpcParseError on junk', () => {
		for (const bad of ['', 'yesterday', '20240230T00:00:00', '20240101T12:60:00', '2024-01-01T']) {
			assert.throws(() => parseKeapDate(bad), XmlRpcParseError, bad);
		}
	});

	test('format -> parse is the identity on the instant (seconds) outside the DST overlap', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
				const ms = Math.floor(d.getTime() / 1000) * 1000;
				const back = Date.parse(parseKeapDate(formatKeapDate(d)));
				// In the repeated fall-back hour the wall time names two instants; we pick the earlier.
				assert.ok(back === ms || back === ms - 3600000, `${d.toISOString()} -> ${new Date(back).toISOString()}`);
				assert.equal(formatKeapDate(new Date(back)), formatKeapDate(d));
			}),
			{ seed: SEED, numRuns: 400 },
		);
	});

	test('our New York conversion agrees with the xmlrpc library running with TZ=America/New_York', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
				const theirXml = serializer.serializeMethodResponse(d);
				const theirText = /<dateTime\.iso8601>([^<]*)</.exec(theirXml)[1];
				assert.equal(formatKeapDate(d), theirText);
			}),
			{ seed: SEED, numRuns: 400 },
		);
	});
});

// ------------------------------------------------------------------------------------------
// Round trips against the xmlrpc library.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// Marker keys for dates and bytes; generated struct keys never contain U+0000.
const DATE = '\u0000date';
const BYTES = '\u0000bytes';

/** Turns a value into something both sides can be compared on. */
function comparable(v) {
	if (v instanceof XmlRpcDateTime) return { [DATE]: Date.parse(parseKeapDate(v.text)) };
	if (v instanceof Date) return { [DATE]: v.getTime() };
	if (v instanceof XmlRpcBase64) return { [BYTES]: Buffer.from(v.toBytes()).toString('hex') };
	if (Buffer.isBuffer(v)) return { [BYTES]: v.toString('hex') };
	if (v instanceof XmlRpcDouble) return v.value;
	if (Array.isArray(v)) return v.map(comparable);
	if (v && typeof v === 'object') {
		const out = {};
		for (const k of Object.keys(v)) out[k] = comparable(v[k]);
		return out;
	}
	return v;
}

// Characters XML can carry, with the troublesome ones over-represented. No CR: the xmlrpc
// library writes CR raw inside CDATA, which any XML parser must read back as LF.
const xmlChar = fc.oneof(
	{ weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
	{ weight: 2, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", ']]>', '&amp;', ' ', '  ', '\n', '\t', '<![CDATA[') },
	{ weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
	{ weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCharCode(c)) },
	{ weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const xmlString = fc.string({ unit: xmlChar, maxLength: 30 });
const keyString = fc.string({ unit: xmlChar, maxLength: 12 }).filter((k) => k !== '__proto__');
const nonIntegralDouble = fc
	.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })
	.filter((x) => !Number.isInteger(x));
const secondDate = fc
	.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
	.map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

function valueArb(scalars) {
	return fc.letrec((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small', withCrossShrink: true },
			scalars,
			fc.array(tie('value'), { maxLength: 4 }),
			fc.dictionary(keyString, tie('value'), { maxKeys: 4 }),
		),
	})).value;
}

const sharedScalars = [
	xmlString,
	fc.integer({ min: INT32_MIN, max: INT32_MAX }),
	nonIntegralDouble,
	fc.boolean(),
	fc.constant(null),
];

describe('round trips with the xmlrpc library', () => {
	test('fixed cases, both directions', async () => {
		const cases = [
			'',
			'plain',
			'  spaced  \n\t',
			'<tag attr="x">&amp;</tag>',
			'a]]>b<c',
			'😀 astral 𝄞 and 中文',
			0,
			-1,
			INT32_MAX,
			INT32_MIN,
			1.5,
			-0.001,
			1e-7,
			123456.789,
			true,
			false,
			null,
			[],
			{},
			[1, 'two', [3, [4, { five: 5 }]]],
			{ FirstName: 'Severus', LastName: 'Snape', Id: 3606, Groups: '91,93', Score: 9.5, OptIn: true },
			{ 'key with spaces & <symbols>': { nested: ['deep', null] } },
		];
		for (const input of cases) {
			const [theirs] = await theirParse('call', encodeMethodCall('Test.echo', [input])).then(([, params]) => [params[0]]);
			assert.deepEqual(theirs, input, `ours -> theirs: ${JSON.stringify(input)}`);
			const ours = parseMethodResponse(serializer.serializeMethodResponse(input));
			assert.deepEqual(ours, { ok: true, value: input }, `theirs -> ours: ${JSON.stringify(input)}`);
		}
	});

	test('large safe integers: we send <double>, they read the same number', async () => {
		for (const n of [2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), 1e15]) {
			const [, params] = await theirParse('call', encodeMethodCall('m', [n]));
			assert.equal(params[0], n);
		}
	});

	test('dates and base64, both directions', async () => {
		const d = new Date('2024-11-03T05:30:00Z'); // 01:30 EDT, the first of the two 01:30s
		const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
		const [, params] = await theirParse('call', encodeMethodCall('m', [d, XmlRpcBase64.fromBytes(bytes)]));
		assert.equal(params[0].getTime(), d.getTime());
		assert.deepEqual(params[1], bytes);
		const ours = parseMethodResponse(serializer.serializeMethodResponse([d, bytes])).value;
		assert.equal(Date.parse(parseKeapDate(ours[0].text)), d.getTime());
		assert.deepEqual(Buffer.from(ours[1].toBytes()), bytes);
	});

	test('generated values: our encoder -> their deserializer', async () => {
		// Our encoder drops XML-forbidden characters; generate them too and expect them gone.
		const rawChar = fc.oneof(
			{ weight: 6, arbitrary: xmlChar },
			{ weight: 1, arbitrary: fc.constantFrom('\u0000', '\u0001', '\u000b', '\u001f', '\ufffe', '\uffff', '\ud800', '\udfff', '\r', '\r\n') },
		);
		const rawString = fc.string({ unit: rawChar, maxLength: 30 });
		const stripForbidden = (s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
		const expectOf = (v) => {
			if (typeof v === 'string') return stripForbidden(v);
			if (Array.isArray(v)) return v.map(expectOf);
			if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof XmlRpcBase64)) {
				const out = {};
				for (const k of Object.keys(v)) out[k] = expectOf(v[k]);
				return out;
			}
			return comparable(v);
		};
		const arb = valueArb(
			fc.oneof(
				...sharedScalars,
				rawString,
				fc.maxSafeInteger(),
				secondDate,
				fc.uint8Array({ maxLength: 20 }).map((b) => XmlRpcBase64.fromBytes(b)),
			),
		);
		await fc.assert(
			fc.asyncProperty(fc.array(arb, { maxLength: 3 }), async (params) => {
				const xml = encodeMethodCall('Gen.call', params);
				const [method, theirs] = await theirParse('call', xml);
				assert.equal(method, 'Gen.call');
				const expected = params.map(expectOf);
				const got = comparable(theirs);
				// Dates: the wall time round trip may land on the other instant of a repeated hour.
				assert.deepEqual(normaliseDates(got), normaliseDates(expected));
				// And we read our own output back to the same thing.
				assert.deepEqual(normaliseDates(comparable(parseMethodCall(xml).params)), normaliseDates(expected));
			}),
			{ seed: SEED, numRuns: 300 },
		);
	});

	test('generated values: their serializer -> our parser', async () => {
		const arb = valueArb(
			fc.oneof(...sharedScalars, secondDate, fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b))),
		);
		fc.assert(
			fc.property(arb, (value) => {
				const parsed = parseMethodResponse(serializer.serializeMethodResponse(value));
				assert.equal(parsed.ok, true);
				assert.deepEqual(normaliseDates(comparable(parsed.value)), normaliseDates(comparable(value)));
			}),
			{ seed: SEED, numRuns: 300 },
		);
	});

	test('generated faults: their serializeFault -> our parser', () => {
		const name = fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/);
		fc.assert(
			fc.property(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.option(name, { nil: undefined }), xmlString, (code, faultName, text) => {
				const faultString = faultName === undefined ? text : `[${faultName}]${text}`;
				const { ok, fault } = parseMethodResponse(serializer.serializeFault({ faultCode: code, faultString }));
				assert.equal(ok, false);
				assert.equal(fault.code, code);
				assert.equal(fault.string, faultString);
				const split = splitFaultString(faultString);
				assert.equal(fault.name, split.name);
				assert.equal(fault.message, split.message);
				if (faultName !== undefined) {
					assert.equal(fault.name, faultName);
					assert.equal(fault.message, text.trim() || faultName);
				}
			}),
			{ seed: SEED, numRuns: 300 },
		);
	});
});

/**
 * Dates compare by wall time in New York: in the repeated fall-back hour one wall time names two
 * instants, and both libraries are allowed to pick either.
 */
function normaliseDates(v) {
	if (Array.isArray(v)) return v.map(normaliseDates);
	if (v && typeof v === 'object') {
		if (DATE in v) return { [DATE]: formatKeapDate(new Date(v[DATE])) };
		const out = {};
		for (const k of Object.keys(v)) out[k] = normaliseDates(v[k]);
		return out;
	}
	return v;
}
