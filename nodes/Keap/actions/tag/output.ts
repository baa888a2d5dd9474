import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Tag } from '../../model/tag';

export const tagOutputProperty: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	default: 'normalized',
	options: [
		{ name: 'Normalized', value: 'normalized', description: 'The same shape whichever Keap API answered' },
		{ name: 'Raw', value: 'raw', description: 'The record exactly as Keap returned it' },
	],
};

export function formatTag(ctx: IExecuteFunctions, i: number, tag: WithRaw<Tag>): IDataObject {
	const mode = ctx.getNodeParameter('output', i, 'normalized') as string;
	return mode === 'raw' ? tag.raw : ({ ...tag.value } as IDataObject);
}
