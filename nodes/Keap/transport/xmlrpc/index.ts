/** The KeapClient over XML-RPC: contacts, tags and their look-ups on one XmlRpcClient. */
import type { KeapClient } from '../client';
import type { RestCustomFields } from '../rest/customFields';
import type { RestLookups } from '../rest/lookups';
import type { XmlRpcClient } from './client';
import { XmlRpcContacts } from './contacts';
import { XmlRpcCustomFields, XmlRpcLookups } from './lookups';
import { XmlRpcTags } from './tags';

/**
 * `restCustomFields` serves the custom field definitions should XML-RPC not expose them;
 * `restLookups` the contact types (XML-RPC has them only through an undocumented call).
 */
export function xmlRpcKeapClient(rpc: XmlRpcClient, restCustomFields: RestCustomFields, restLookups: RestLookups): KeapClient {
	const customFields = new XmlRpcCustomFields(rpc, restCustomFields);
	return {
		api: 'xmlrpc',
		contacts: new XmlRpcContacts(rpc, customFields),
		tags: new XmlRpcTags(rpc),
		customFields,
		lookups: new XmlRpcLookups(rpc, restLookups),
	};
}
