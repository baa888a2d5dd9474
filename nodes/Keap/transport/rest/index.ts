/** The KeapClient over REST: the REST module of each object both wire formats serve. */
import type { KeapClient } from '../client';
import type { RestClient } from './client';
import { RestContacts } from './contacts';
import { RestCustomFields } from './customFields';
import { RestLookups } from './lookups';
import { RestTags } from './tags';

export function restKeapClient(rest: RestClient): KeapClient {
	return {
		api: 'rest',
		contacts: new RestContacts(rest),
		tags: new RestTags(rest),
		customFields: new RestCustomFields(rest),
		lookups: new RestLookups(rest),
	};
}
