/**
 * Picking the Keap user a task or an opportunity is assigned to (a resource locator over the
 * v2 user list, searched by name or email) and reading any resource locator's value.
 */
import type { INodeProperties } from 'n8n-workflow';

export interface LocatorValue {
	mode: string;
	value: string;
}

/** A resource locator's mode and trimmed value; a plain string (an expression's result) is an ID. */
export function locatorValue(raw: unknown): LocatorValue {
	if (raw && typeof raw === 'object' && 'value' in raw) {
		const { mode, value } = raw as { mode?: unknown; value?: unknown };
		return { mode: String(mode ?? 'id'), value: String(value ?? '').trim() };
	}
	return { mode: 'id', value: String(raw ?? '').trim() };
}

/** A user picker: From List (searchable by name or email) or By ID. */
export function userLocator(name: string, displayName: string, description: string, required = false): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchAssignableUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '3',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap user ID is a whole number' } }],
			},
		],
	};
}
