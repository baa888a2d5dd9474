/** What the note operations share: the note picker, its resolution, custom fields and output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { simplifyNote, type Note } from '../../model/note';
import { checkId } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestNotes } from '../../transport/rest/notes';
import { cachedDefinitions, customFieldsByLabel } from '../common/customFields';
import { locatorValue } from '../common/locator';
import { formatRecord, outputProperties } from '../common/output';

export function noteLocator(description: string): INodeProperties {
	return {
		displayName: 'Note',
		name: 'note',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchNotes', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '7001',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap note ID is a whole number' } }],
			},
		],
	};
}

/**
 * The note item i picks, read from Keap. REST v2 addresses a note through its contact, so the
 * note is first found by its id alone (which tells its contact).
 */
export async function resolveNote(ctx: IExecuteFunctions, session: KeapSession, i: number): Promise<WithRaw<Note>> {
	const id = checkId('Note', locatorValue(ctx.getNodeParameter('note', i)).value);
	const note = await new RestNotes(session.rest).find(id, i);
	if (!note) throw new NodeOperationError(ctx.getNode(), `Keap has no note with ID ${id}`, { itemIndex: i });
	return note;
}

/** The custom fields notes (and tasks) share, once per execution. */
export function noteCustomFields(session: KeapSession) {
	return cachedDefinitions(session, 'note', () => new RestNotes(session.rest).customFields());
}

export const noteOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field of the note (custom fields by name)',
	simplified: 'ID, contact, title, type, text, assigned user, pinned and last update',
	fieldExamples: 'id, contact_id, title, text',
});

export async function formatNote(ctx: IExecuteFunctions, session: KeapSession, i: number, note: WithRaw<Note>): Promise<IDataObject> {
	return await formatRecord(ctx, i, note, {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: customFieldsByLabel(value.custom_fields, value.custom_fields.length ? await noteCustomFields(session) : []),
		}),
		simplified: ({ value }) => simplifyNote(value),
	});
}
