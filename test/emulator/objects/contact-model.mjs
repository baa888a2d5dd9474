// The contact model: GET /contacts/model (custom fields + optional properties) and contact custom
// field create / delete (the v2 document has no PATCH for contact custom fields). The fields are
// `store.customFields`, which the contact mapping and XML-RPC read.
import { modelRoutes } from './custom-fields.mjs';
import { V2_OPTIONAL } from '../contact-map.mjs';

export const v2Routes = modelRoutes({
	base: '/contacts', record: 'CONTACT', records: (s) => s.contacts.values(), optional: V2_OPTIONAL, patch: false,
});
