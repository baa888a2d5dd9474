// XML-RPC codec against hostile and broken input: every case must end in XmlRpcParseError
// (never a hang, a stack overflow or another error type), and large inputs must parse in
// roughly linear time. Needs `npx tsc -p tsconfig.json` first.
import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const {
	parseMethodResponse,
	parseMethodCall,
	encodeMethodCall,
	encodeMethodResponse,
	XmlRpcParseError,
	XMLRPC_MAX_DEPTH,
} = { ...require('../../dist/nodes/Keap/transport/xmlrpc/codec.js'), ...require('./xmlrpc-server.cjs') };

const SEED = 20250611;

function wrapResponse(valueXml) {
	return `<?xml version="1.0" encoding="utf-8"?><methodResponse><params><param>${valueXml}</param></params></methodResponse>`;
}

/** Asserts XmlRpcParseError whose message matches `pattern`, and returns it. */
function rejects(xml, pattern) {
	let caught;
	try {
		parseMethodResponse(xml);
	} catch (error) {
		caught = error;
	}
	assert.ok(caught, `expected an error for ${JSON.stringify(String(xml).slice(0, 120))}`);
	assert.ok(caught instanceof XmlRpcParseError, `not an XmlRpcParseError: ${caught && caught.stack}`);
	if (pattern) assert.match(caught.message, pattern);
	return caught;
}

function nestedArrays(depth, leaf = '<value>x</value>') {
	return '<value><array><data>'.repeat(depth) + leaf + '</data></array></value>'.repeat(depth);
}

function nestedStructs(depth) {
	return '<value><struct><member><name>a</name>'.repeat(depth) + '<value>x</value>' + '</member></struct></value>'.repeat(depth);
}

describe('nesting limit', () => {
	test(`exactly ${XMLRPC_MAX_DEPTH} nested arrays or structs parse`, () => {
		let expected = 'x';
		for (let i = 0; i < XMLRPC_MAX_DEPTH; i++) expected = [expected];
		assert.deepEqual(parseMethodResponse(wrapResponse(nestedArrays(XMLRPC_MAX_DEPTH))).value, expected);
		let s = parseMethodResponse(wrapResponse(nestedStructs(XMLRPC_MAX_DEPTH))).value;
		for (let i = 0; i < XMLRPC_MAX_DEPTH; i++) s = s.a;
		assert.equal(s, 'x');
	});

	test('one more level is refused', () => {
		rejects(wrapResponse(nestedArrays(XMLRPC_MAX_DEPTH + 1)), /nested more than 100 deep/);
		rejects(wrapResponse(nestedStructs(XMLRPC_MAX_DEPTH + 1)), /nested more than 100 deep/);
	});

	test('100,000 levels of elements fail fast, without a stack overflow', () => {
		const started = Date.now();
		rejects(wrapResponse(nestedArrays(100000)), /nested more than \d+ deep/);
		rejects('<a>'.repeat(200000), /nested more than \d+ deep/);
		assert.ok(Date.now() - started < 10000);
	});
});

describe('malformed documents', () => {
	const good = wrapResponse('<value><struct><member><name>Id</name><value><i4>7</i4></value></member><member><name>Name</name><value>A &amp; B</value></member></struct></value>');

	test('the intact document parses (control)', () => {
		assert.deepEqual(parseMethodResponse(good).value, { Id: 7, Name: 'A & B' });
	});

	test('every truncation of a response is refused', () => {
		for (let cut = 0; cut < good.length; cut++) {
			rejects(good.slice(0, cut));
		}
	});

	test('truncated and empty bodies say so', () => {
		rejects('', /empty document/);
		rejects('   \n', /empty document/);
		rejects('<?xml version="1.0"?>', /no root element/);
		rejects(good.slice(0, 60), /unexpected end of input/);
	});

	test('mismatched and stray tags', () => {
		rejects(wrapResponse('<value><i4>1</int></value>'), /mismatched end tag <\/int>, expected <\/i4>/);
		rejects('<methodResponse></methodresponse>', /mismatched end tag/);
		rejects('</methodResponse>', /without a start tag/);
		rejects(`${good}<methodResponse/>`, /second root element/);
		rejects(`${good}trailing`, /text after the root element/);
		rejects('<methodResponse><params><param><value><i4>1</i4></value></param></params>', /not closed/);
	});

	test('bad syntax inside tags, entities and references', () => {
		rejects('<methodResponse <params/>', /invalid tag or attribute name/);
		rejects('<methodResponse a="1"b="2"/>', /expected whitespace/);
		rejects('<methodResponse a=1/>', /quoted attribute/);
		rejects('<methodResponse a="<"/>', /not allowed in an attribute value/);
		rejects('<1abc/>', /invalid tag or attribute name/);
		rejects(wrapResponse('<value>a & b</value>'), /does not start an entity reference/);
		rejects(wrapResponse('<value>&nbsp;</value>'), /unknown entity &nbsp;/);
		rejects(wrapResponse('<value>&#0;</value>'), /not an allowed XML character/);
		rejects(wrapResponse('<value>&#xD800;</value>'), /not an allowed XML character/);
		rejects(wrapResponse('<value>&#x110000;</value>'), /not an allowed XML character/);
		rejects(wrapResponse('<value>&#xZZ;</value>'), /not an allowed XML character/);
		rejects(wrapResponse('<value>a]]>b</value>'), /']]>' is not allowed/);
		rejects(wrapResponse('<value><![CDATA[never closed</value>'), /unterminated CDATA/);
		rejects('<!-- never closed <methodResponse/>', /unterminated comment/);
		rejects('<methodResponse/><?xml version="1.0"?>', /XML declaration is only allowed at the very start/);
		rejects('<![CDATA[x]]><methodResponse/>', /CDATA section outside the root/);
	});

	test('characters XML 1.0 forbids are refused, raw', () => {
		for (const ch of ['\u0000', '\u0007', '\u000b', '\u001f', '\ufffe', '\uffff', '\ud800', '\udc00']) {
			rejects(wrapResponse(`<value>a${ch}b</value>`), /not allowed in XML|unpaired surrogate/);
			rejects(wrapResponse(`<value><![CDATA[a${ch}b]]></value>`), /not allowed in XML|unpaired surrogate/);
		}
	});

	test('XML-RPC structure errors', () => {
		rejects('<methodCall><methodName>x</methodName></methodCall>', /expected <methodResponse> as the root element, found <methodCall>/);
		rejects('<methodResponse/>', /either <params> or <fault>/);
		rejects('<methodResponse><params></params></methodResponse>', /exactly one <param>/);
		rejects('<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>', /exactly one <param>/);
		rejects(wrapResponse('<value><i4>1</i4><i4>2</i4></value>'), /second one/);
		rejects(wrapResponse('<value>text<i4>1</i4></value>'), /mixes text/);
		rejects(wrapResponse('<value><long>1</long></value>'), /unknown XML-RPC type <long>/);
		rejects(wrapResponse('<value><foo:string>1</foo:string></value>'), /unknown XML-RPC type <foo:string>/);
		rejects(wrapResponse('<value><i4>1.5</i4></value>'), /not an integer/);
		rejects(wrapResponse('<value><i4></i4></value>'), /not an integer/);
		rejects(wrapResponse('<value><int>0x10</int></value>'), /not an integer/);
		rejects(wrapResponse('<value><double>NaN</double></value>'), /not a number/);
		rejects(wrapResponse('<value><double>Infinity</double></value>'), /not a number/);
		rejects(wrapResponse('<value><double>1e999</double></value>'), /out of range/);
		rejects(wrapResponse('<value><double></double></value>'), /not a number/);
		rejects(wrapResponse('<value><boolean>true</boolean></value>'), /not 0 or 1/);
		rejects(wrapResponse('<value><base64>@@@@</base64></value>'), /not valid base64/);
		rejects(wrapResponse('<value><base64>abc</base64></value>'), /not valid base64/);
		rejects(wrapResponse('<value><dateTime.iso8601> </dateTime.iso8601></value>'), /empty <dateTime.iso8601>/);
		rejects(wrapResponse('<value><nil>x</nil></value>'), /<nil> must be empty/);
		rejects(wrapResponse('<value><string><b>x</b></string></value>'), /unexpected element <b> inside <string>/);
		rejects(wrapResponse('<value><array><value>1</value></array></value>'), /exactly one <data>/);
		rejects(wrapResponse('<value><array><data>junk<value>1</value></data></array></value>'), /unexpected text "junk" inside <data>/);
		rejects(wrapResponse('<value><struct><member><name>a</name></member></struct></value>'), /needs one <name> and one <value>/);
		rejects(wrapResponse('<value><struct><value>1</value></struct></value>'), /may only contain <member>/);
		rejects('<methodResponse><fault><value><string>oops</string></value></fault></methodResponse>', /must be a struct/);
		rejects('<methodResponse><fault><value><struct><member><name>faultString</name><value>x</value></member></struct></value></fault></methodResponse>', /no integer faultCode/);
	});

	test('error messages give line and column', () => {
		const err = rejects('<methodResponse>\n  <params>\n    <oops>\n</methodResponse>', /mismatched end tag/);
		assert.match(err.message, /line 4, column 1/);
		assert.equal(typeof err.position, 'number');
	});

	test('non-string input', () => {
		for (const v of [undefined, null, 42, {}, Buffer.from('<methodResponse/>')]) {
			assert.throws(() => parseMethodResponse(v), XmlRpcParseError);
		}
	});
});

describe('no DTDs, no entity expansion', () => {
	test('billion laughs is refused at the DOCTYPE', () => {
		const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<methodResponse><params><param><value>&lol3;</value></param></params></methodResponse>`;
		rejects(lol, /DOCTYPE and ENTITY declarations are not allowed/);
	});

	test('external entity (XXE) is refused', () => {
		const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value>&x;</value></param></params></methodResponse>';
		rejects(xxe, /DOCTYPE/);
		// Without the DOCTYPE the reference is just unknown.
		rejects(wrapResponse('<value>&x;</value>'), /unknown entity &x;/);
		rejects('<!doctype methodResponse><methodResponse/>', /DOCTYPE/);
		rejects('<methodResponse><!ENTITY x "y"></methodResponse>', /DOCTYPE and ENTITY/);
	});
});

describe('what gateways and proxies send instead of XML-RPC', () => {
	test('an nginx 502 page', () => {
		const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
		rejects(page, /HTML page, not XML-RPC \("502 Bad Gateway"\)/);
	});

	test('a well-formed XHTML error page', () => {
		const page = '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><p>Try later</p></body></html>';
		rejects(page, /HTML page, not XML-RPC \("Service Unavailable"\)/);
		rejects('<html><head><title>Oops</title></head><body/></html>', /expected <methodResponse> as the root element, found <html>; the body is an HTML page, not XML-RPC \("Oops"\)/);
	});

	test('the Apigee JSON 401 body and plain text', () => {
		rejects('{"fault":{"faultstring":"Invalid Access Token","detail":{"errorcode":"keymanagement.service.invalid_access_token"}}}', /text before the root element/);
		rejects('Bad Gateway', /text before the root element/);
	});

	test('random junk never throws anything but XmlRpcParseError', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.boolean(), (bytes, latin1) => {
				const text = Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8');
				rejects(text);
			}),
			{ seed: SEED, numRuns: 400 },
		);
	});

	test('mutated valid responses parse or throw XmlRpcParseError, nothing else', () => {
		const base = wrapResponse(
			'<value><struct><member><name>Id</name><value><i4>7</i4></value></member><member><name>Tags</name><value><array><data><value>a&amp;b</value><value><double>1.5</double></value><value><boolean>1</boolean></value><value><dateTime.iso8601>20240101T00:00:00</dateTime.iso8601></value><value><base64>aGk=</base64></value><value><nil/></value></data></array></value></member></struct></value>',
		);
		const piece = fc.constantFrom('<', '>', '/', '&', ';', '"', '<value>', '</value>', '<![CDATA[', ']]>', '<!--', '-->', '&#', 'x', ' ', '\u0000', '\ud800');
		const edit = fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 8 }), piece);
		let parsedSome = 0;
		fc.assert(
			fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
				let s = base;
				for (const [at, del, ins] of edits) {
					const p = Math.min(at, s.length);
					s = s.slice(0, p) + ins + s.slice(p + del);
				}
				try {
					parseMethodResponse(s);
					parsedSome++;
				} catch (error) {
					assert.ok(error instanceof XmlRpcParseError, `${error && error.stack}\ninput: ${JSON.stringify(s)}`);
				}
			}),
			{ seed: SEED, numRuns: 1000 },
		);
		// Some edits land in text and leave a valid document: the property really ran both paths.
		assert.ok(parsedSome > 0);
	});
});

describe('large inputs', () => {
	test('a 5 MB string value, with entities and astral characters, round-trips', () => {
		const unit = 'Keap & Co. <note> "quoted" 😀 é\n';
		const big = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
		const started = Date.now();
		const call = encodeMethodCall('ContactService.update', ['key', 1, { ContactNotes: big }]);
		assert.equal(parseMethodCall(call).params[2].ContactNotes, big);
		const response = encodeMethodResponse({ ContactNotes: big });
		assert.equal(parseMethodResponse(response).value.ContactNotes, big);
		// Loose bound: linear work on ~13 MB of XML takes well under a second here.
		assert.ok(Date.now() - started < 20000, `took ${Date.now() - started} ms`);
	});

	test('a 5 MB bare string and a 5 MB CDATA section parse', () => {
		const big = 'x'.repeat(5 * 1024 * 1024);
		assert.equal(parseMethodResponse(wrapResponse(`<value>${big}</value>`)).value.length, big.length);
		assert.equal(parseMethodResponse(wrapResponse(`<value><![CDATA[${big}]]></value>`)).value.length, big.length);
	});

	test('time grows about linearly with size (1 MB vs 4 MB of entities)', () => {
		const timeFor = (mb) => {
			const text = '&amp;&#x1F600;a'.repeat(Math.ceil((mb * 1024 * 1024) / 15));
			const xml = wrapResponse(`<value>${text}</value>`);
			const started = process.hrtime.bigint();
			parseMethodResponse(xml);
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		timeFor(1); // warm up
		const small = Math.max(timeFor(1), 1);
		const large = timeFor(4);
		// Linear would be ~4x; quadratic would be ~16x. Allow plenty of noise.
		assert.ok(large < small * 12, `1 MB: ${small.toFixed(1)} ms, 4 MB: ${large.toFixed(1)} ms`);
	});

	test('pathological shapes fail in linear time', () => {
		const started = Date.now();
		const MB = 1024 * 1024;
		rejects(wrapResponse(`<value><double>${'1'.repeat(MB)}x</double></value>`), /not a number/);
		rejects(wrapResponse(`<value><i4>${'9'.repeat(MB)}x</i4></value>`), /not an integer/);
		rejects(wrapResponse(`<value>${'&'.repeat(MB)}</value>`), /entity reference/);
		rejects(`<methodResponse${' a="1"'.repeat(MB / 6)}`, /unexpected end of input/);
		rejects(`<!--${'-'.repeat(MB)}`, /unterminated comment/);
		rejects(`${'<!-- -->'.repeat(MB / 8)}<methodResponse>`, /not closed/);
		rejects(`<methodResponse>${'<params/>'.repeat(MB / 9)}</methodResponse>`, /either <params> or <fault>/);
		assert.ok(Date.now() - started < 20000, `took ${Date.now() - started} ms`);
	});
});
