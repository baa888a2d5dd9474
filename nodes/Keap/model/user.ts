/** Keap users (the people who log in to the Keap app: owners and assignees of records). */
import type { IDataObject } from 'n8n-workflow';

import { compact } from './common';

export interface User {
	id: string;
	given_name: string | null;
	family_name: string | null;
	/** "Given Family", or the email, or the id: what a picker shows. */
	name: string;
	/** The user's first email address (their login). */
	email: string | null;
	/** ACTIVE, INVITED, INACTIVE or NOT_A_USER. */
	status: string | null;
	admin: boolean | null;
	partner: boolean | null;
	title: string | null;
	company_name: string | null;
	phone_numbers: Array<{ field?: string; number: string; extension?: string; type?: string }>;
	create_time: string | null;
	update_time: string | null;
}

export type UserOrder = 'create_time' | 'email' | 'name';

export interface UserQuery {
	/** Exact match on the user's email. */
	email?: string;
	/** Exact match on the first name. */
	given_name?: string;
	user_ids?: string[];
	include_inactive?: boolean;
	include_partners?: boolean;
	order_by?: UserOrder;
	order_direction?: 'asc' | 'desc';
}

/** Compact output: who the user is. */
export function simplifyUser(u: User): IDataObject {
	return compact({ id: u.id, name: u.name, email: u.email, status: u.status, admin: u.admin }) as IDataObject;
}
