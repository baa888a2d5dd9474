import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { affiliateCodeProblem, type AffiliateInput } from '../../model/affiliate';
import { checkId, checkWholeNumber, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { customFieldInput, customFieldsParameter, optionalText } from '../common/commerce';
import { contactLocator, resolveContactId } from '../common/contact';
import { runPerItem } from '../common/items';
import { affiliateContext, affiliateOutputProperties, formatAffiliate } from './shared';

const properties: INodeProperties[] = [
	{ ...contactLocator(undefined), description: 'The contact who becomes the affiliate' },
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'NOAH10',
		description: 'The affiliate code: starts with a letter, at least 4 characters, no spaces (Keap’s rules)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The affiliate’s name (Keap takes the contact’s name when empty)',
			},
			{
				displayName: 'Notify on Lead',
				name: 'notify_on_lead',
				type: 'boolean',
				default: false,
				description: 'Whether Keap notifies the affiliate of a new lead',
			},
			{
				displayName: 'Notify on Sale',
				name: 'notify_on_sale',
				type: 'boolean',
				default: false,
				description: 'Whether Keap notifies the affiliate of a sale',
			},
			{
				displayName: 'Parent Affiliate ID',
				name: 'parent_affiliate_id',
				type: 'string',
				default: '',
				placeholder: '71',
				description: 'The ID (digits) of the affiliate this one is under',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'The affiliate’s password for Keap’s affiliate portal',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'ACTIVE' },
					{ name: 'Inactive', value: 'INACTIVE' },
				],
				default: 'INACTIVE',
				description: 'Whether the affiliate is active (Keap makes new affiliates inactive)',
			},
			{
				displayName: 'Track Leads (Days)',
				name: 'track_leads_days',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'For how many days a lead is credited to the affiliate, a whole number of 0 or more',
			},
		],
	},
	customFieldsParameter('getAffiliateCustomFieldColumns', 'affiliate'),
	...affiliateOutputProperties,
];

const displayOptions = { show: { resource: ['affiliate'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const { affiliates, model } = affiliateContext(session);
	return await runPerItem(this, items.length, async (i) => {
		const code = optionalText(this.getNodeParameter('code', i));
		if (!code) throw new InputError('Code', 'an affiliate needs a code');
		const problem = affiliateCodeProblem(code);
		if (problem) throw new InputError('Code', `"${code}": ${problem}`);
		const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const input: Omit<AffiliateInput, 'contact_id'> = { code };
		const name = optionalText(extra.name);
		if (name) input.name = name;
		if (extra.status !== undefined) input.status = extra.status === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE';
		const parent = optionalText(extra.parent_affiliate_id);
		if (parent) input.parent_affiliate_id = checkId('Additional Fields > Parent Affiliate ID', parent);
		for (const k of ['notify_on_sale', 'notify_on_lead'] as const) if (extra[k] !== undefined) input[k] = extra[k] === true;
		if (extra.track_leads_days !== undefined) {
			input.track_leads_days = checkWholeNumber('Additional Fields > Track Leads (Days)', extra.track_leads_days, 0);
		}
		const password = optionalText(extra.password);
		if (password) input.password = password;
		const customFields = await customFieldInput(this, i, model, 'affiliate');
		if (customFields) input.custom_fields = customFields;
		const { id: contactId } = await resolveContactId(this, session, i);
		return await formatAffiliate(this, i, await affiliates.create({ ...input, contact_id: contactId }, i), model);
	});
}
