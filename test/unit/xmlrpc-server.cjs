// The server's half of XML-RPC (what a Keap fake sends and reads), for the codec tests: a
// methodResponse and a fault encoder, and a methodCall parser. The package ships only the
// client's half (nodes/Keap/transport/xmlrpc/codec.ts); these are built on it, from dist/
// (build first), so a response is encoded exactly as the client encodes a value and a call is
// read by the client's own value reader.
const { encodeMethodCall } = require('../../dist/nodes/Keap/transport/xmlrpc/codec.js');
const { readXmlRpcDocument } = require('../../dist/nodes/Keap/transport/xmlrpc/parse.js');

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The `<value>` element encodeMethodCall writes for `value` (dates in options.timeZone). */
function valueXml(value, options = {}) {
	const call = encodeMethodCall('v', [value], options);
	return call.slice(call.indexOf('<param>') + '<param>'.length, call.lastIndexOf('</param>'));
}

/** A successful `<methodResponse>` holding `value`. */
function encodeMethodResponse(value, options = {}) {
	return `${DECLARATION}<methodResponse><params><param>${valueXml(value, options)}</param></params></methodResponse>`;
}

/** A fault `<methodResponse>` with an `<i4>` faultCode and a string faultString. */
function encodeFault(code, faultString) {
	if (!Number.isInteger(code) || code < -2147483648 || code > 2147483647) {
		throw new RangeError('An XML-RPC faultCode must be a 32-bit integer');
	}
	return `${DECLARATION}<methodResponse><fault>${valueXml({ faultCode: code, faultString: String(faultString) })}</fault></methodResponse>`;
}

/** A `<methodCall>`: its method name and its params. Throws XmlRpcParseError for anything else. */
function parseMethodCall(xml) {
	const { reader, root } = readXmlRpcDocument(xml);
	if (root.name !== 'methodCall') throw reader.wrongRoot(root, 'methodCall');
	const kids = reader.elements(root);
	if (kids.length < 1 || kids.length > 2 || kids[0].name !== 'methodName' || (kids.length === 2 && kids[1].name !== 'params')) {
		throw reader.fail(root.pos, '<methodCall> must contain <methodName> and optionally <params>');
	}
	const method = reader.text(kids[0]).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
	if (!method) throw reader.fail(kids[0].pos, 'empty <methodName>');
	const params = [];
	if (kids.length === 2) {
		for (const param of reader.elements(kids[1])) {
			if (param.name !== 'param') throw reader.fail(param.pos, `<params> may only contain <param>, found <${param.name}>`);
			params.push(reader.value(reader.only(param, 'value'), 0));
		}
	}
	return { method, params };
}

module.exports = { encodeFault, encodeMethodResponse, parseMethodCall };
