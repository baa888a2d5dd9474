/**
 * Custom fields by name on the objects that have a model (companies, notes): the resource mapper
 * parameter, and reading its values into checked, typed `{ id, content }` pairs. The contact
 * fields have their own mapper (contact/fields.ts), which works the same way.
 */
import type { IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import type { ContactCustomFieldValue } from '../../model/contact';
import { checkCustomFieldValue, type CustomFieldDefinition } from '../../model/customField';
import { InputError } from '../../model/validate';

/** The Custom Fields parameter, filled by the resource mapper method `method`. */
export function customFieldsProperty(method: string, objectName: string): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: `Values for the ${objectName} custom fields of your Keap account, by name; each value is checked against its field's type (numbers, dates as YYYY-MM-DD, yes/no, one of a dropdown's options)`,
		typeOptions: {
			loadOptionsDependsOn: ['authentication'],
			resourceMapper: {
				resourceMapperMethod: method,
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
 * The custom field values item i sets (undefined when none), checked and typed against the
 * definitions, which are only fetched when there are values. A key is a field id or a label.
 */
export async function readCustomFieldValues(
	ctx: IExecuteFunctions,
	i: number,
	getDefinitions: () => Promise<CustomFieldDefinition[]>,
	objectName: string,
): Promise<ContactCustomFieldValue[] | undefined> {
	const mapper = ctx.getNodeParameter('customFields', i, null) as ResourceMapperValue | null;
	const entries = Object.entries(mapper?.value ?? {}).filter(([, v]) => v !== undefined);
	if (!entries.length) return undefined;
	const defs = await getDefinitions();
	return entries.map(([key, value]) => {
		const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.label.toLowerCase() === key.toLowerCase());
		if (!def) throw new InputError(`Custom Fields > ${key}`, `Keap has no ${objectName} custom field "${key}"`);
		return { id: def.id, content: checkCustomFieldValue(def, value) };
	});
}

/** Custom field values keyed by their Keap label, for output. */
export function customFieldsByLabel(values: ContactCustomFieldValue[], defs: CustomFieldDefinition[]): Record<string, string | number | boolean | null> {
	const out: Record<string, string | number | boolean | null> = {};
	for (const v of values) out[defs.find((d) => d.id === v.id)?.label ?? v.id] = v.content;
	return out;
}

const definitionsBySession = new WeakMap<object, Map<string, Promise<CustomFieldDefinition[]>>>();

/** An object's custom field definitions, fetched at most once per execution (per session). */
export function cachedDefinitions(session: object, key: string, load: () => Promise<CustomFieldDefinition[]>): Promise<CustomFieldDefinition[]> {
	let byKey = definitionsBySession.get(session);
	if (!byKey) definitionsBySession.set(session, (byKey = new Map()));
	let pending = byKey.get(key);
	if (!pending) {
		pending = load();
		byKey.set(key, pending);
	}
	return pending;
}
