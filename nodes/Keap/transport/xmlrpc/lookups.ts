/**
 * Look-ups over XML-RPC: contact custom field definitions (DataFormField), users and lead
 * sources, each from its table; contact types from REST v2 with the same credential.
 */
import type { NamedOption } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import type { CustomFieldsApi, LookupsApi } from '../client';
import type { RestCustomFields } from '../rest/customFields';
import type { RestLookups } from '../rest/lookups';
import { idOf, structs, type XmlRpcClient } from './client';

/** Keap's DataFormField.DataType numbers, in the v2 spelling the rest of the node uses. */
const DATA_TYPES: Record<number, string> = {
	1: 'PHONE_NUMBER',
	2: 'SOCIAL_SECURITY_NUMBER',
	3: 'CURRENCY',
	4: 'PERCENT',
	5: 'STATE',
	6: 'YES_NO',
	7: 'YEAR',
	8: 'MONTH',
	9: 'DAY_OF_WEEK',
	10: 'NAME',
	11: 'DECIMAL_NUMBER',
	12: 'WHOLE_NUMBER',
	13: 'DATE',
	14: 'DATE_TIME',
	15: 'TEXT',
	16: 'TEXT_AREA',
	17: 'LIST_BOX',
	18: 'WEBSITE',
	19: 'EMAIL',
	20: 'RADIO',
	21: 'DROPDOWN',
	22: 'USER',
	23: 'DRILLDOWN',
};

export class XmlRpcCustomFields implements CustomFieldsApi {
	private customFields?: Promise<CustomFieldDefinition[]>;

	constructor(
		private readonly rpc: XmlRpcClient,
		/** Where the definitions come from when XML-RPC does not expose DataFormField. */
		private readonly rest: RestCustomFields,
	) {}

	/**
	 * Contact custom fields from DataFormField (FormId -1), once per client. Should the XML-RPC
	 * service answer [NoTableFound]/[NoTableAccess] for DataFormField (e.g. the local emulator,
	 * or a credential without access to that table), the definitions are read
	 * from REST v2's contact model with the same credential instead (the ids are the same).
	 */
	async listContactFields(): Promise<CustomFieldDefinition[]> {
		if (!this.customFields) {
			const pending = this.load();
			this.customFields = pending;
			// A failed look-up is not cached: the next caller tries again.
			pending.catch(() => {
				if (this.customFields === pending) this.customFields = undefined;
			});
		}
		return await this.customFields;
	}

	private async load(): Promise<CustomFieldDefinition[]> {
		const rows = await this.rpc.queryAllOptional('DataFormField', { FormId: -1 }, ['Id', 'Name', 'Label', 'DataType', 'Values']);
		if (rows === undefined) return await this.rest.listContactFields();
		return rows.map((f) => {
			const options = String(f.Values ?? '')
				.split(/\r?\n/)
				.map((o) => o.trim())
				.filter(Boolean);
			return {
				id: idOf(f.Id),
				label: String(f.Label ?? f.Name ?? f.Id),
				field_type: DATA_TYPES[Number(f.DataType)] ?? 'TEXT',
				field_name: f.Name !== undefined ? String(f.Name) : undefined,
				options: options.map((o) => ({ id: o, label: o })),
			};
		});
	}
}

export class XmlRpcLookups implements LookupsApi {
	constructor(
		private readonly rpc: XmlRpcClient,
		/** Where the contact types come from. */
		private readonly rest: RestLookups,
	) {}

	/** Keap users (DataService table User); empty when the service does not expose the table. */
	async listUsers(): Promise<NamedOption[]> {
		const rows = await this.rpc.queryAllOptional('User', {}, ['Id', 'FirstName', 'LastName']);
		return structs(rows ?? []).map((u) => ({
			id: idOf(u.Id),
			name: [u.FirstName, u.LastName].filter((s) => s !== undefined && s !== '').join(' ') || idOf(u.Id),
		}));
	}

	/** Lead sources (DataService table LeadSource); empty when the service does not expose it. */
	async listLeadSources(): Promise<NamedOption[]> {
		const rows = await this.rpc.queryAllOptional('LeadSource', {}, ['Id', 'Name']);
		return structs(rows ?? []).map((s) => ({ id: idOf(s.Id), name: String(s.Name ?? s.Id) }));
	}

	/**
	 * Contact types, from REST v2 (GET /settings/contactOptionTypes) with the same credential:
	 * XML-RPC has them only as the app setting Contact/optiontypes (DataService.getAppSetting),
	 * which Keap documents for the retired legacy API keys only, not for a PAT, SAK or OAuth
	 * token (issue 15, defect 10).
	 */
	async listContactTypes(): Promise<string[]> {
		return await this.rest.listContactTypes();
	}
}
