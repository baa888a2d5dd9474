/**
 * What the task operations share: picking a task, the task client and custom field model of an
 * execution, the task fields of Create and Update (parameters and their reading into a checked
 * TaskInput), and the task output.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WithRaw } from '../../model/common';
import { customFieldsByLabel } from '../../model/customFieldValues';
import { simplifyTask, TASK_PRIORITIES, TASK_REMINDER_MINUTES, type Task, type TaskInput, type TaskPriority } from '../../model/task';
import { checkDateTime, checkId, checkRequiredText, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { RestTasks } from '../../transport/rest/tasks';
import { locatorValue, userLocator } from '../common/assignee';
import { contactLocator } from '../common/contact';
import { contactIdOf } from '../common/contactRef';
import { formatRecord, outputProperties, type RecordShapes } from '../common/output';
import { perExecution, readCustomFieldValues } from '../common/recordCustomFields';
import { opportunityLocator } from '../opportunity/shared';

export const tasks = (session: KeapSession) => new RestTasks(session.rest);

export const taskCustomFields = (session: KeapSession) =>
	perExecution(session, 'task custom fields', async () => await tasks(session).customFields());

export function taskLocator(): INodeProperties {
	return {
		displayName: 'Task',
		name: 'task',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Keap task: pick it from the list (search by title) or give its ID (digits)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTasks', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '9001',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Keap task ID is a whole number' } }],
			},
		],
	};
}

export function taskIdOf(ctx: IExecuteFunctions, i: number): string {
	return checkId('Task', locatorValue(ctx.getNodeParameter('task', i)).value);
}

export function notFound(ctx: IExecuteFunctions, i: number, id: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Keap has no task with ID ${id}`, { itemIndex: i });
}

export const priorityOptions = [
	{ name: 'Critical', value: 'CRITICAL' },
	{ name: 'Essential', value: 'ESSENTIAL' },
	{ name: 'Nonessential', value: 'NONESSENTIAL' },
];

/** The optional task fields of Create (`additionalFields`) and Update (`updateFields`, which adds the ones Create has on top). */
export function taskFieldOptions(forUpdate: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Accepted',
			name: 'accepted',
			type: 'boolean',
			default: false,
			description: 'Whether the assigned user has accepted the task',
		},
		{
			displayName: 'Completed',
			name: 'completed',
			type: 'boolean',
			default: false,
			description: 'Whether the task is done (true) or open (false; reopens a completed task)',
		},
		{ ...contactLocator(undefined), required: false, description: 'The Keap contact the task is about' },
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'Notes on the task for the assigned user (plain text)',
		},
		{
			displayName: 'Due Time',
			name: 'due_time',
			type: 'dateTime',
			default: '',
			description: 'When the task is due, as an ISO 8601 date and time (e.g. 2025-03-18T17:00:00Z)',
		},
		{ ...opportunityLocator('opportunity', false), description: 'The Keap opportunity the task belongs to' },
		{
			displayName: 'Priority',
			name: 'priority',
			type: 'options',
			options: priorityOptions,
			default: 'ESSENTIAL',
			description: 'How important the task is',
		},
		{
			displayName: 'Reminder',
			name: 'remind_time_mins',
			type: 'options',
			options: TASK_REMINDER_MINUTES.map((m) => ({
				name: m < 60 ? `${m} Minutes Before` : m < 1440 ? `${m / 60} Hour${m === 60 ? '' : 's'} Before` : `${m / 1440} Day${m === 1440 ? '' : 's'} Before`,
				value: m,
			})),
			default: 30,
			description: 'When Keap reminds the assigned user, before the due time',
		},
		{
			displayName: 'Type Name or ID',
			name: 'type',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTaskTypes' },
			default: '',
			description:
				'The task type as Keap lists it (e.g. Call, Email). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	];
	if (forUpdate) {
		fields.push(
			userLocator('assignedTo', 'Assigned To', 'The Keap user to assign the task to'),
			{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The new title of the task' },
		);
		fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	return fields;
}

export const taskOutputProperties: INodeProperties[] = outputProperties({
	allFields: 'Every field, custom fields by name',
	simplified: 'ID, title, type, priority, completion, due time, assigned user, contact and opportunity',
	fieldExamples: 'id, title, due_time, completed',
});

/** The task fields of item i read into a checked TaskInput (nothing is sent when one is wrong). */
export async function readTaskFields(
	ctx: IExecuteFunctions,
	session: KeapSession,
	i: number,
	fieldsParameter: 'additionalFields' | 'updateFields',
): Promise<TaskInput> {
	const fields = ctx.getNodeParameter(fieldsParameter, i, {}) as IDataObject;
	const input: TaskInput = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (raw === undefined || raw === null || raw === '') continue;
		switch (key) {
			case 'title':
				input.title = checkRequiredText('Title', raw);
				break;
			case 'description':
				input.description = String(raw);
				break;
			case 'type':
				input.type = String(raw).trim();
				break;
			case 'priority':
				if (!TASK_PRIORITIES.includes(raw as TaskPriority)) {
					throw new InputError('Priority', `"${String(raw)}" is not one of ${TASK_PRIORITIES.join(', ')}`);
				}
				input.priority = raw as TaskPriority;
				break;
			case 'due_time':
				input.due_time = checkDateTime('Due Time', String(raw));
				break;
			case 'remind_time_mins': {
				const m = Number(raw);
				if (!(TASK_REMINDER_MINUTES as readonly number[]).includes(m)) {
					throw new InputError('Reminder', `${String(raw)} is not one of ${TASK_REMINDER_MINUTES.join(', ')} minutes`);
				}
				input.remind_time_mins = m;
				break;
			}
			case 'accepted':
			case 'completed':
				input[key] = raw === true || raw === 'true';
				break;
			case 'contact': {
				const ref = locatorValue(raw);
				if (ref.value) input.contact_id = await contactIdOf(ctx, session, i, ref, 'Contact');
				break;
			}
			case 'opportunity': {
				const ref = locatorValue(raw);
				if (ref.value) input.opportunity_id = checkId('Opportunity', ref.value);
				break;
			}
			case 'assignedTo': {
				const ref = locatorValue(raw);
				if (ref.value) input.assigned_to_user_id = checkId('Assigned To', ref.value);
				break;
			}
			default:
				throw new InputError(key, `"${key}" is not a task field this node knows`);
		}
	}
	const custom = await readCustomFieldValues(ctx, i, 'task', () => taskCustomFields(session));
	if (custom) input.custom_fields = custom;
	return input;
}

/** All Fields and Simplified of a task (also the polling trigger's output). */
export function taskShapes(session: KeapSession): RecordShapes<Task> {
	return {
		normalized: async ({ value }) => ({
			...(value as unknown as IDataObject),
			custom_fields: customFieldsByLabel(value.custom_fields, value.custom_fields.length ? await taskCustomFields(session) : []),
		}),
		simplified: ({ value }) => simplifyTask(value),
	};
}

export async function formatTask(ctx: IExecuteFunctions, session: KeapSession, i: number, record: WithRaw<Task>): Promise<IDataObject> {
	return await formatRecord(ctx, i, record, taskShapes(session));
}
