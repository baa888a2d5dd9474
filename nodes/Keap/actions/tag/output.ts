import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import type { Tag } from '../../model/tag';
import { formatRecord, outputProperties } from '../common/output';

export const tagOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'The same shape whichever Keap API answered',
	fieldExamples: 'id, name, category',
});

export async function formatTag(ctx: IExecuteFunctions, i: number, tag: WithRaw<Tag>): Promise<IDataObject> {
	return await formatRecord(ctx, i, tag, { normalized: ({ value }) => ({ ...value }) as IDataObject });
}
