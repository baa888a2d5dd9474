/** Picking a Keap company: a resource locator and its resolution to an id. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { locatorValue } from './locator';

/** A company picker: From List (searchable by name), By ID, and By Name when `byName`. */
export function companyLocator(
	name: string,
	displayName: string,
	description: string,
	options: { required?: boolean; byName?: boolean; displayOptions?: INodeProperties['displayOptions'] } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required,
		displayOptions: options.displayOptions,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '5001',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap company ID is a whole number' } }],
			},
			...(options.byName ? [{ displayName: 'By Name', name: 'name', type: 'string' as const, placeholder: 'Acme Plumbing' }] : []),
		],
	};
}

/**
 * The company id a company locator value names (`field` names the parameter in errors); ''
 * when empty. By Name takes the oldest company with that exact name (case-insensitive).
 */
export async function resolveCompanyRef(
	ctx: IExecuteFunctions,
	session: KeapSession,
	raw: unknown,
	field: string,
	i: number,
): Promise<string> {
	const { mode, value } = locatorValue(raw);
	if (value === '') return '';
	if (mode !== 'name') return checkId(field, value);
	if (value.includes(';')) throw new InputError(field, 'a company name looked up by name cannot contain ";"');
	const [oldest] = await new RestCompanies(session.rest).findByName(value, i);
	if (!oldest) throw new NodeOperationError(ctx.getNode(), `Keap has no company named "${value}"`, { itemIndex: i });
	return oldest.value.id;
}

/** The id of the required company picker `name` of item i. */
export async function companyIdOf(ctx: IExecuteFunctions, session: KeapSession, i: number, name = 'company'): Promise<string> {
	const id = await resolveCompanyRef(ctx, session, ctx.getNodeParameter(name, i), 'Company', i);
	if (!id) throw new InputError('Company', 'choose a company (from the list, by ID or by name)');
	return id;
}
