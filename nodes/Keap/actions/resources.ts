/**
 * The Keap CRM node's resources, in the order their parameters appear: the one list a new
 * resource is added to (an import and an entry). The node's Resource options (one list per
 * API) and the router are built from it. A resource module (`<object>/<Object>.resource.ts`)
 * exports `resource` (its option and the APIs that offer it), `description` (its Operation
 * parameter and the operations' parameters) and one namespace per operation value.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { KeapApi } from '../transport/client';
import * as account from './account/Account.resource';
import * as company from './company/Company.resource';
import * as contact from './contact/Contact.resource';
import * as customField from './customField/CustomField.resource';
import * as emailStatus from './emailStatus/EmailStatus.resource';
import * as note from './note/Note.resource';
import * as tag from './tag/Tag.resource';
import * as user from './user/User.resource';
import * as xmlRpc from './xmlrpc/XmlRpc.resource';

export interface ResourceInfo {
	name: string;
	value: string;
	/** The values of the node's API parameter this resource is offered with. */
	apis: KeapApi[];
}

export interface Resource {
	resource: ResourceInfo;
	description: INodeProperties[];
}

export const resources: Resource[] = [contact, tag, company, note, user, emailStatus, customField, account, xmlRpc];

/** The Resource options offered with one API, by name. */
export function resourceOptions(api: KeapApi): INodePropertyOptions[] {
	return resources
		.filter((r) => r.resource.apis.includes(api))
		.map((r) => ({ name: r.resource.name, value: r.resource.value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
