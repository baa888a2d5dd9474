/**
 * Get Many tasks. Contact, assigned user, completion, priority, opportunity and title are
 * filters of Keap's v2 listing. The due range is not: v2 documents `since_time`/`until_time`
 * without saying which time they compare, so the node asks Keap only for tasks that have a due
 * date (`has_due_date`), sorted by due time unless another order is chosen, and keeps the ones
 * inside the range itself; sorted by due time it stops reading once past the range.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dueWithin, pastDueRange, TASK_PRIORITIES, type TaskPriority, type TaskQuery } from '../../model/task';
import { checkDateTime, checkId, InputError } from '../../model/validate';
import type { KeapSession } from '../../transport';
import { locatorValue, userLocator } from '../common/assignee';
import { contactLocator } from '../common/contact';
import { contactIdOf } from '../common/contactRef';
import { returnAllOrLimit } from '../common/descriptions';
import { runPerItem } from '../common/items';
import { opportunityLocator } from '../opportunity/shared';
import { formatTask, priorityOptions, taskOutputProperties, tasks } from './shared';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ ...userLocator('assignedTo', 'Assigned To', 'Only tasks assigned to this Keap user') },
			{
				displayName: 'Completion',
				name: 'completion',
				type: 'options',
				options: [
					{ name: 'Open Tasks Only', value: 'open' },
					{ name: 'Completed Tasks Only', value: 'completed' },
				],
				default: 'open',
			},
			{ ...contactLocator(undefined), required: false, description: 'Only tasks about this Keap contact' },
			{
				displayName: 'Due After',
				name: 'dueAfter',
				type: 'dateTime',
				default: '',
				description: 'Only tasks due at or after this ISO 8601 date and time (tasks without a due date are left out)',
			},
			{
				displayName: 'Due Before',
				name: 'dueBefore',
				type: 'dateTime',
				default: '',
				description: 'Only tasks due at or before this ISO 8601 date and time (tasks without a due date are left out)',
			},
			{
				displayName: 'Has Due Date',
				name: 'hasDueDate',
				type: 'boolean',
				default: true,
				description: 'Whether to return only tasks with a due date (true) or only tasks without one (false)',
			},
			{ ...opportunityLocator('opportunity', false), description: 'Only tasks of this Keap opportunity' },
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				options: priorityOptions,
				default: 'CRITICAL',
				description: 'Only tasks of this priority',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				placeholder: 'Follow*',
				description: 'Only tasks with this title; end with * to match the beginning of the title',
			},
			{
				displayName: 'Unassigned Only',
				name: 'unassigned',
				type: 'boolean',
				default: true,
				description: 'Whether to return only the tasks assigned to nobody',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'Order By',
				name: 'order_by',
				type: 'options',
				options: [
					{ name: 'Created', value: 'create_time' },
					{ name: 'Due Time', value: 'due_time' },
					{ name: 'ID', value: 'id' },
					{ name: 'Updated', value: 'update_time' },
				],
				default: 'due_time',
			},
			{
				displayName: 'Direction',
				name: 'order_direction',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'asc',
			},
		],
	},
	...taskOutputProperties,
];

const displayOptions = { show: { resource: ['task'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

async function readQuery(ctx: IExecuteFunctions, session: KeapSession, i: number): Promise<TaskQuery> {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const sort = ctx.getNodeParameter('sort', i, {}) as IDataObject;
	const query: TaskQuery = {};
	const assigned = locatorValue(filters.assignedTo).value;
	if (assigned && filters.unassigned === true) {
		throw new InputError('Filters > Unassigned Only', 'cannot be combined with Assigned To: choose one');
	}
	if (assigned) query.user_id = checkId('Filters > Assigned To', assigned);
	if (filters.unassigned === true) query.user_id = 'UNASSIGNED';
	const contact = locatorValue(filters.contact);
	if (contact.value) query.contact_id = await contactIdOf(ctx, session, i, contact, 'Filters > Contact');
	const opportunity = locatorValue(filters.opportunity).value;
	if (opportunity) query.opportunity_id = checkId('Filters > Opportunity', opportunity);
	if (filters.completion) query.completed = filters.completion === 'completed';
	if (filters.priority) {
		if (!TASK_PRIORITIES.includes(filters.priority as TaskPriority)) {
			throw new InputError('Filters > Priority', `"${String(filters.priority)}" is not one of ${TASK_PRIORITIES.join(', ')}`);
		}
		query.priority = filters.priority as TaskPriority;
	}
	const title = String(filters.title ?? '').trim();
	if (title) {
		if (title.slice(0, -1).includes('*')) throw new InputError('Filters > Title', 'a * may only end the title');
		query.title = title;
	}
	if (filters.dueAfter) query.due_after = checkDateTime('Filters > Due After', String(filters.dueAfter));
	if (filters.dueBefore) query.due_before = checkDateTime('Filters > Due Before', String(filters.dueBefore));
	if (query.due_after && query.due_before && query.due_after > query.due_before) {
		throw new InputError('Filters > Due Before', 'is earlier than Due After');
	}
	const dueRange = Boolean(query.due_after || query.due_before);
	if (typeof filters.hasDueDate === 'boolean') {
		if (dueRange && !filters.hasDueDate) {
			throw new InputError('Filters > Has Due Date', 'a due range only matches tasks with a due date');
		}
		query.has_due_date = filters.hasDueDate;
	}
	if (dueRange) query.has_due_date = true;
	if (sort.order_by) query.order_by = sort.order_by as TaskQuery['order_by'];
	else if (dueRange) query.order_by = 'due_time';
	if (sort.order_direction) query.order_direction = sort.order_direction as TaskQuery['order_direction'];
	return query;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], session: KeapSession) {
	const client = tasks(session);
	return await runPerItem(this, items.length, async (i) => {
		const returnAll = this.getNodeParameter('returnAll', i) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
		const query = await readQuery(this, session, i);
		// With a due range some records of a page are dropped here: read full pages then.
		const ranged = Boolean(query.due_after || query.due_before);
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		let past = false;
		do {
			const size = ranged || !Number.isFinite(limit) ? client.maxPageSize : Math.min(client.maxPageSize, limit - out.length);
			const page = await client.list(query, size, cursor, i);
			for (const task of page.items) {
				if (out.length >= limit) break;
				if (pastDueRange(task.value, query)) {
					past = true;
					break;
				}
				if (dueWithin(task.value, query)) out.push(await formatTask(this, session, i, task));
			}
			cursor = page.next;
		} while (cursor && !past && out.length < limit);
		return out;
	});
}
