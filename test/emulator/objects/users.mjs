// Users (v2): GET /users (filter email, given_name, include_inactive, include_partners, user_ids;
// order_by create_time, email, name; page_size 1..100 from the document) and GET /users/{user_id}.
// The users are the store's fixture users (store.users).
import {
	RequestError, page, applyFilter, orderBy, compareBy, filterClauses, exactText, boolEquals, idList, clean,
} from './common.mjs';

const USER_TIME = '2020-01-01T00:00:00.000Z';

export const config = {
	/** false: an inactive user cannot be made owner or assignee (company owner_id, note user_id, task assigned_to_user_id, opportunity user_id); true: allowed. */
	inactiveUserAssignable: false,
};

export function userOut(u) {
	return clean({
		id: String(u.id), global_user_id: String(u.global_user_id), keap_id: u.email,
		given_name: u.given_name, family_name: u.family_name,
		email_addresses: [{ email: u.email, field: 'EMAIL1' }], phone_numbers: [], fax_numbers: [], social_accounts: [],
		admin: u.admin, partner: u.partner ?? false, status: u.status.toUpperCase(),
		created_by: 1, create_time: USER_TIME, updated_by: 1, update_time: USER_TIME,
	});
}

function userFilter(field) {
	switch (field) {
		case 'email': return exactText((u) => u.email);
		case 'given_name': return exactText((u) => u.given_name);
		case 'user_ids': return idList((u) => u.id);
		// include_* select rather than test: handled in the route.
		case 'include_inactive':
		case 'include_partners': return { ...boolEquals(() => true), test: () => true };
	}
	return null;
}

export const v2Routes = [
	{
		method: 'GET', path: '/users',
		handler: (ctx) => {
			const clauses = filterClauses(ctx, userFilter);
			const flag = (name) => clauses.some((c) => c.field === name && c.value === 'true');
			let items = ctx.store.users.filter((u) => (flag('include_inactive') || u.status === 'Active') && (flag('include_partners') || !u.partner));
			items = applyFilter(items, clauses);
			const sort = orderBy(ctx, { create_time: () => USER_TIME, email: (u) => u.email, name: (u) => u.family_name }) ?? compareBy((u) => u.id, false);
			items.sort(sort);
			return { status: 200, body: page(ctx, items.map(userOut), 'users') };
		},
	},
	{
		method: 'GET', path: '/users/{user_id}',
		handler: (ctx) => {
			const u = ctx.store.users.find((x) => String(x.id) === ctx.params.user_id);
			if (!u) throw new RequestError(`User ${ctx.params.user_id} not found`, 404);
			return { status: 200, body: userOut(u) };
		},
	},
];
