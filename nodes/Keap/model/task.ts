/**
 * Keap tasks (REST v2 only; XML-RPC has no task operations here) in a neutral shape: the task,
 * what a write is made of, a listing's query, and the due-date range, which Keap's v2 listing
 * cannot filter on (its since_time/until_time do not say which time they compare), so it is
 * applied to each page here.
 */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';
import type { CustomFieldValue } from './customFieldValues';

export const TASK_PRIORITIES = ['CRITICAL', 'ESSENTIAL', 'NONESSENTIAL'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** The reminder offsets Keap's document allows, in minutes before the due time. */
export const TASK_REMINDER_MINUTES = [5, 10, 15, 30, 60, 120, 240, 480, 1440, 2880] as const;

export interface Task {
	id: string;
	title: string | null;
	description: string | null;
	type: string | null;
	priority: TaskPriority | null;
	completed: boolean;
	/** ISO 8601 date-times (UTC as Keap sends them). */
	completion_time: string | null;
	due_time: string | null;
	remind_time_mins: number | null;
	assigned_to_user_id: string | null;
	contact_id: string | null;
	opportunity_id: string | null;
	accepted: boolean;
	created_by_user_id: string | null;
	last_updated_by_user_id: string | null;
	create_time: string | null;
	update_time: string | null;
	custom_fields: CustomFieldValue[];
}

/** A task write: only the properties set are written (`null` clears a property). */
export interface TaskInput {
	title?: string;
	description?: string;
	type?: string;
	priority?: TaskPriority;
	due_time?: string;
	remind_time_mins?: number;
	assigned_to_user_id?: string;
	contact_id?: string;
	opportunity_id?: string;
	accepted?: boolean;
	completed?: boolean;
	completion_time?: string;
	custom_fields?: CustomFieldValue[];
}

export type TaskOrderField = 'id' | 'create_time' | 'due_time' | 'update_time';

/** What Get Many asks for. Everything but the due range is a filter of Keap's v2 listing. */
export interface TaskQuery {
	contact_id?: string;
	/** A user ID, or 'UNASSIGNED' for tasks assigned to nobody (Keap's own value). */
	user_id?: string;
	opportunity_id?: string;
	completed?: boolean;
	priority?: TaskPriority;
	/** A title prefix ("Follow*") or an exact title. */
	title?: string;
	/** Only tasks that have a due date (Keap's has_due_date). */
	has_due_date?: boolean;
	/** Due at or after / at or before (ISO 8601): applied by the node, see `dueWithin`. */
	due_after?: string;
	due_before?: string;
	order_by?: TaskOrderField;
	order_direction?: 'asc' | 'desc';
}

/** Whether a task falls inside the query's due range (inclusive); tasks without a due date never do. */
export function dueWithin(task: Task, query: Pick<TaskQuery, 'due_after' | 'due_before'>): boolean {
	if (!query.due_after && !query.due_before) return true;
	if (!task.due_time) return false;
	const due = Date.parse(task.due_time);
	if (query.due_after && due < Date.parse(query.due_after)) return false;
	if (query.due_before && due > Date.parse(query.due_before)) return false;
	return true;
}

/**
 * Whether no later page can hold a task inside the due range: the listing is sorted by due time
 * and this task is already past the range's far end (after `due_before` ascending, before
 * `due_after` descending).
 */
export function pastDueRange(task: Task, query: TaskQuery): boolean {
	if (query.order_by !== 'due_time' || !task.due_time) return false;
	const due = Date.parse(task.due_time);
	if (query.order_direction === 'desc') return Boolean(query.due_after) && due < Date.parse(query.due_after!);
	return Boolean(query.due_before) && due > Date.parse(query.due_before!);
}

export function simplifyTask(t: Task): IDataObject {
	return compact({
		id: t.id,
		title: t.title,
		type: t.type,
		priority: t.priority,
		completed: t.completed,
		due_time: t.due_time,
		assigned_to_user_id: t.assigned_to_user_id,
		contact_id: t.contact_id,
		opportunity_id: t.opportunity_id,
	}) as IDataObject;
}
