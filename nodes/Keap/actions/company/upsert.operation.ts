/**
 * Company > Create or Update, matched on the company name. Keap has no upsert for companies,
 * so duplicates are avoided here: the name (trimmed, case-insensitive) is looked up first and
 * the oldest company with it is updated; within one execution, items that carry the same name
 * are written one after the other and the second one updates the company the first one found
 * or created, so one name is one company. A create that Keap refuses as a conflict (another
 * writer created the name in between) is looked up again and becomes an update.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Company, CompanyInput } from '../../model/company';
import { InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestCompanies } from '../../transport/rest/companies';
import { runPerItem } from '../common/items';
import { SerialByKey } from '../common/serial';
import { companyWriteProperties } from './fields';
import { readCompanyParameters } from './input';
import { formatCompany } from './output';

const properties: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Acme Plumbing',
		description:
			'Name of the company, used to find it: a company with this exact name (ignoring case and surrounding spaces) is updated, otherwise one is created',
	},
	...companyWriteProperties('additionalFields'),
];

const displayOptions = { show: { resource: ['company'], operation: ['upsert'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const companies = new RestCompanies(session.rest);
	/** name key -> the id of the company that name is, once known in this execution. */
	const known = new Map<string, string>();
	/** Items with the same name are written one after the other, in item order. */
	const serial = new SerialByKey();

	const write = async (name: string, input: CompanyInput, i: number): Promise<WithRaw<Company>> => {
		const key = name.toLowerCase();
		let id = known.get(key) ?? (await companies.findByName(name, i))[0]?.value.id;
		let result: WithRaw<Company> | null = null;
		if (id) result = await companies.update(id, input, i);
		result ??= await companies.createUnlessConflict(input, i);
		if (!result) {
			// Keap says the name is taken: someone created it since the look-up.
			id = (await companies.findByName(name, i))[0]?.value.id;
			if (id) result = await companies.update(id, input, i);
			if (!result) {
				throw new NodeOperationError(this.getNode(), `Keap reported a conflict creating the company "${name}", and no company has that name`, {
					itemIndex: i,
				});
			}
		}
		known.set(key, result.value.id);
		return result;
	};

	return await runPerItem(
		this,
		items.length,
		async (i) => {
			const name = String(this.getNodeParameter('companyName', i, '') ?? '').trim();
			if (!name) throw new InputError('Company Name', 'a company needs a name to be created or updated');
			if (name.includes(';')) throw new InputError('Company Name', 'Keap cannot look up a company name containing ";"');
			const company = await serial.run(name.toLowerCase(), async () =>
				await write(name, await readCompanyParameters(this, session, i, 'additionalFields', name), i),
			);
			return await formatCompany(this, session, i, company);
		},
		4,
	);
}
