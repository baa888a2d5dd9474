/**
 * Custom fields of the records with a model of their own (tasks, opportunities): the Custom
 * Fields parameter (a resource mapper over the record type's model), reading it into checked
 * values, and the model fetched at most once per execution.
 */
import type { IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import type { CustomFieldDefinition } from '../../model/customField';
import { customFieldValues, type CustomFieldValue } from '../../model/customFieldValues';
import type { KeapSession } from '../../transport';

const memos = new WeakMap<KeapSession, Map<string, Promise<unknown>>>();

/** `load()` once per session (one execution) and `key`; every later call shares its answer. */
export async function perExecution<T>(session: KeapSession, key: string, load: () => Promise<T>): Promise<T> {
	let memo = memos.get(session);
	if (!memo) memos.set(session, (memo = new Map()));
	let pending = memo.get(key) as Promise<T> | undefined;
	if (!pending) {
		pending = load();
		memo.set(key, pending);
		// A failed look-up is not kept: the next item asks again.
		pending.catch(() => memo!.delete(key));
	}
	return await pending;
}

/** The Custom Fields parameter of a record type whose columns `resourceMapperMethod` lists. */
export function customFieldsProperty(resourceMapperMethod: string, what: string): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: `Values for the ${what} custom fields of this Keap account, by field. Dates as YYYY-MM-DD, date-times as ISO 8601, Yes/No as true or false, dropdowns by option label.`,
		typeOptions: {
			loadOptionsDependsOn: ['authentication'],
			resourceMapper: {
				resourceMapperMethod,
				mode: 'add',
				fieldWords: { singular: 'custom field', plural: 'custom fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
	};
}

/**
 * The checked custom field values item i sets, or undefined when it sets none (the model is
 * only fetched then). `what` names the record type in errors ("task").
 */
export async function readCustomFieldValues(
	ctx: IExecuteFunctions,
	i: number,
	what: string,
	definitions: () => Promise<CustomFieldDefinition[]>,
): Promise<CustomFieldValue[] | undefined> {
	const mapper = ctx.getNodeParameter('customFields', i, null) as ResourceMapperValue | null;
	const entries = Object.entries(mapper?.value ?? {}).filter(([, v]) => v !== undefined);
	if (!entries.length) return undefined;
	return customFieldValues(await definitions(), entries, what);
}
