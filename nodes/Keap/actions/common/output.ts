/**
 * The Output parameter every operation that returns Keap records shares: All Fields (the
 * neutral shape, whichever API answered), Simplified (a few fields a workflow needs most),
 * Selected Fields (the All Fields output cut down to the fields the user names: the mode n8n
 * recommends for nodes used as AI tools, where every extra field costs the model tokens) and
 * Raw (the record exactly as Keap sent it).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { InputError } from '../../model/validate';

export type OutputMode = 'normalized' | 'simplified' | 'selected' | 'raw';

export interface OutputOptions {
	displayOptions?: INodeProperties['displayOptions'];
	/** What All Fields holds for this object. */
	allFields?: string;
	/** What Simplified holds; without it the mode is not offered. */
	simplified?: string;
	/** Field names to suggest in the Fields hint, e.g. "ID, email, tag_ids". */
	fieldExamples: string;
}

/** The Output parameter and the Fields parameter shown with Selected Fields. */
export function outputProperties(options: OutputOptions): INodeProperties[] {
	const modes = [
		{
			name: 'All Fields',
			value: 'normalized',
			description: options.allFields ?? 'Every field, in one shape whichever Keap API answered',
		},
		...(options.simplified ? [{ name: 'Simplified', value: 'simplified', description: options.simplified }] : []),
		{
			name: 'Selected Fields',
			value: 'selected',
			description: 'Only the fields named below, taken from the All Fields output',
		},
		{ name: 'Raw', value: 'raw', description: 'The record exactly as Keap returned it' },
	];
	const show = (mode: string): INodeProperties['displayOptions'] => ({
		...options.displayOptions,
		show: { ...options.displayOptions?.show, output: [mode] },
	});
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'normalized',
			displayOptions: options.displayOptions,
			options: modes,
			description: 'Which fields of each record the node outputs',
		},
		{
			displayName: 'Fields',
			name: 'selectedFields',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show('selected'),
			placeholder: options.fieldExamples,
			description: `Comma-separated names of the fields to output, as they appear in the All Fields output (for example ${options.fieldExamples}); a dot reaches into an object, e.g. custom_fields.Favorite Color`,
		},
	];
}

/** The field names of a Selected Fields list, checked. */
export function selectedFieldNames(value: unknown): string[] {
	if (typeof value !== 'string') throw new InputError('Fields', 'must be a comma-separated list of field names');
	const names = value
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '');
	if (names.length === 0) throw new InputError('Fields', 'name at least one field to output, e.g. id');
	return names;
}

/** The named fields of a record (a dotted name reaches into objects); absent fields are left out. */
export function pickFields(record: IDataObject, names: string[]): IDataObject {
	const out: IDataObject = {};
	for (const name of names) {
		const path = name.split('.');
		let value: unknown = record;
		for (const key of path) {
			value = value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
		}
		if (value === undefined) continue;
		let target = out;
		for (const key of path.slice(0, -1)) {
			target[key] ??= {};
			target = target[key] as IDataObject;
		}
		target[path[path.length - 1]] = value as IDataObject[string];
	}
	return out;
}

export interface RecordShapes<T> {
	/** The All Fields output. */
	normalized: (record: WithRaw<T>) => IDataObject | Promise<IDataObject>;
	simplified?: (record: WithRaw<T>) => IDataObject;
}

/** Formats one record for output in the mode the user chose for item i; `extra` (what the operation adds, e.g. the tags it applied) is always added. */
export async function formatRecord<T>(
	ctx: IExecuteFunctions,
	i: number,
	record: WithRaw<T>,
	shapes: RecordShapes<T>,
	extra: IDataObject = {},
): Promise<IDataObject> {
	const mode = ctx.getNodeParameter('output', i, 'normalized') as OutputMode;
	if (mode === 'raw') return { ...record.raw, ...extra };
	if (mode === 'simplified' && shapes.simplified) return { ...shapes.simplified(record), ...extra };
	const all = await shapes.normalized(record);
	if (mode !== 'selected') return { ...all, ...extra };
	return { ...pickFields(all, selectedFieldNames(ctx.getNodeParameter('selectedFields', i, ''))), ...extra };
}
