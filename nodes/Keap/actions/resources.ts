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
import * as affiliate from './affiliate/Affiliate.resource';
import * as campaign from './campaign/Campaign.resource';
import * as email from './email/Email.resource';
import * as file from './file/File.resource';
import * as company from './company/Company.resource';
import * as contact from './contact/Contact.resource';
import * as order from './order/Order.resource';
import * as payment from './payment/Payment.resource';
import * as product from './product/Product.resource';
import * as subscription from './subscription/Subscription.resource';
import * as opportunity from './opportunity/Opportunity.resource';
import * as opportunityStage from './opportunityStage/OpportunityStage.resource';
import * as tag from './tag/Tag.resource';
import * as task from './task/Task.resource';
import * as transaction from './transaction/Transaction.resource';
import * as customField from './customField/CustomField.resource';
import * as emailStatus from './emailStatus/EmailStatus.resource';
import * as note from './note/Note.resource';
import * as user from './user/User.resource';
import * as xmlRpc from './xmlrpc/XmlRpc.resource';

export interface ResourceInfo {
	name: string;
	value: string;
	/** The values of the node's API parameter this resource is offered with. */
	apis: KeapApi[];
	/** Shown under the option, e.g. which API it needs. */
	description?: string;
}

export interface Resource {
	resource: ResourceInfo;
	description: INodeProperties[];
}

export const resources: Resource[] = [
	contact,
	tag,
	company,
	note,
	user,
	emailStatus,
	customField,
	task,
	opportunity,
	opportunityStage,
	account,
	xmlRpc,
	product,
	order,
	subscription,
	payment,
	transaction,
	email,
	file,
	campaign,
	affiliate,
];

/**
 * The options of the node's one Resource parameter (n8n's nodes panel lists the actions of
 * every parameter named "resource", so one parameter per API would list each action twice),
 * by name; a resource that only one API offers says which.
 */
export function allResourceOptions(): INodePropertyOptions[] {
	return resources
		.map((r) => ({
			name: r.resource.name,
			value: r.resource.value,
			...(r.resource.description ? { description: r.resource.description } : {}),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Resource options offered with one API, by name. */
export function resourceOptions(api: KeapApi): INodePropertyOptions[] {
	return resources
		.filter((r) => r.resource.apis.includes(api))
		.map((r) => ({ name: r.resource.name, value: r.resource.value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
