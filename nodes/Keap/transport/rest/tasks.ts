/**
 * Tasks over REST v2: create, get, list, update (PATCH with update_mask; completing a task is
 * such a PATCH of `completed`, as neither v1 nor v2 has a complete route), delete, the task
 * custom field model, and the task types (REST v1's application configuration: v2 lists none).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Page, WithRaw } from '../../model/common';
import { text } from '../../model/common';
import type { CustomFieldDefinition } from '../../model/customField';
import { mergeCustomFieldValues } from '../../model/customFieldValues';
import type { Task, TaskInput, TaskPriority, TaskQuery } from '../../model/task';
import { nextPageToken, RestClient, V1, V2, V2_MAX_PAGE_SIZE, v2Filter } from './client';
import { customFieldValuesFromV2, readCustomFieldModel } from './recordModel';

/** Optional task properties v2 leaves out unless asked for. */
const TASK_FIELDS = 'custom_fields';

const id = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value));

export function taskFromV2(raw: IDataObject): Task {
	const remind = raw.remind_time_mins;
	return {
		id: String(raw.id),
		title: text(raw.title),
		description: text(raw.description),
		type: text(raw.type),
		priority: (text(raw.priority) as TaskPriority | null) ?? null,
		completed: raw.completed === true,
		completion_time: text(raw.completion_time),
		due_time: text(raw.due_time),
		remind_time_mins: remind === undefined || remind === null || remind === '' ? null : Number(remind),
		assigned_to_user_id: id(raw.assigned_to_user_id),
		contact_id: id(raw.contact_id),
		opportunity_id: id(raw.opportunity_id),
		accepted: raw.accepted === true,
		created_by_user_id: id(raw.created_by_user_id),
		last_updated_by_user_id: id(raw.last_updated_by_user_id),
		create_time: text(raw.create_time),
		update_time: text(raw.modification_time),
		custom_fields: customFieldValuesFromV2(raw),
	};
}

/** The v2 body of a task write: the input's properties under their v2 names (they are the same). */
function taskToV2(input: TaskInput): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(input)) {
		if (value === undefined) continue;
		body[key] = key === 'custom_fields' ? (value as TaskInput['custom_fields'])!.map((c) => ({ id: c.id, content: c.content })) : value;
	}
	return body;
}

const withRaw = (raw: IDataObject): WithRaw<Task> => ({ value: taskFromV2(raw), raw });

export class RestTasks {
	readonly maxPageSize = V2_MAX_PAGE_SIZE;

	constructor(private readonly rest: RestClient) {}

	async create(input: TaskInput, itemIndex?: number): Promise<WithRaw<Task>> {
		const res = await this.rest.json('POST', `${V2}/tasks`, { qs: { fields: TASK_FIELDS }, body: taskToV2(input), itemIndex });
		return withRaw(res.body);
	}

	/** null when Keap has no task with this ID. */
	async get(taskId: string, itemIndex?: number): Promise<WithRaw<Task> | null> {
		const res = await this.rest.json('GET', `${V2}/tasks/${encodeURIComponent(taskId)}`, {
			qs: { fields: TASK_FIELDS },
			acceptStatus: [404],
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/**
	 * One page of tasks matching Keap's filters in `query` (its due range is not sent: the caller
	 * applies it with `dueWithin`, and asks for `has_due_date` to narrow the pages).
	 */
	async list(query: TaskQuery, pageSize: number, cursor?: string, itemIndex?: number): Promise<Page<WithRaw<Task>>> {
		const bool = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
		const filter = v2Filter([
			['contact_id', query.contact_id],
			['user_id', query.user_id],
			['opportunity_id', query.opportunity_id],
			['is_completed', bool(query.completed)],
			['has_due_date', bool(query.has_due_date)],
			['priority', query.priority],
			['title', query.title],
		]);
		const qs: IDataObject = { page_size: pageSize, fields: TASK_FIELDS };
		if (filter) qs.filter = filter;
		if (query.order_by) qs.order_by = `${query.order_by} ${query.order_direction ?? 'asc'}`;
		if (cursor) qs.page_token = cursor;
		const res = await this.rest.json('GET', `${V2}/tasks`, { qs, itemIndex });
		return { items: ((res.body.tasks as IDataObject[] | undefined) ?? []).map(withRaw), next: nextPageToken(res.body) };
	}

	/**
	 * PATCH with update_mask naming exactly what is written; null when Keap has no such task.
	 * Custom fields are merged into the task's current values first (v2 replaces the list whole).
	 */
	async update(taskId: string, input: TaskInput, itemIndex?: number): Promise<WithRaw<Task> | null> {
		const write = { ...input };
		if (input.custom_fields) {
			const current = await this.get(taskId, itemIndex);
			if (!current) return null;
			write.custom_fields = mergeCustomFieldValues(current.value.custom_fields, input.custom_fields);
		}
		const body = taskToV2(write);
		const res = await this.rest.json('PATCH', `${V2}/tasks/${encodeURIComponent(taskId)}`, {
			qs: { update_mask: Object.keys(body), fields: TASK_FIELDS },
			body,
			acceptStatus: [404],
			idempotent: true, // it sets values: sending it twice leaves the same task
			itemIndex,
		});
		return res.status === 404 ? null : withRaw(res.body);
	}

	/** false when Keap had no task with this ID. */
	async delete(taskId: string, itemIndex?: number): Promise<boolean> {
		const res = await this.rest.json('DELETE', `${V2}/tasks/${encodeURIComponent(taskId)}`, { acceptStatus: [404], itemIndex });
		return res.status !== 404;
	}

	/** The task custom fields (Keap keeps one list for tasks, notes and appointments). */
	async customFields(): Promise<CustomFieldDefinition[]> {
		return await readCustomFieldModel(this.rest, `${V2}/tasks/model`);
	}

	/** The task types of the account (REST v1 application configuration, `task.appointment_types`). */
	async listTypes(): Promise<string[]> {
		const res = await this.rest.json('GET', `${V1}/setting/application/configuration`);
		const task = (res.body.task as IDataObject | undefined) ?? {};
		return String(task.appointment_types ?? '')
			.split(',')
			.map((t) => t.trim())
			.filter(Boolean);
	}
}
