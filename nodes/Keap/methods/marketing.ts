/**
 * Editor look-ups of the Email, File, Campaign and Affiliate resources: searchable lists of
 * email records, files, campaigns, a campaign's sequences and affiliates (resource locators'
 * From List), the email templates (an option list) and the affiliate custom fields as
 * resource-mapper columns.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { KeapSession } from '../transport';
import { RestAffiliates } from '../transport/rest/affiliates';
import { RestCampaigns } from '../transport/rest/automations';
import { RestEmails } from '../transport/rest/emails';
import { RestFiles } from '../transport/rest/files';

const SEARCH_PAGE = 50;

/** A search term as a v2 prefix match (Keap's wildcard), or nothing. */
const prefix = (filter?: string) => (filter?.trim() ? `${filter.trim().replace(/[;*]/g, '')}*` : undefined);

export const marketingListSearch = {
	/** Email records, newest first; an address lists the emails sent to it. */
	async searchEmails(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const emails = new RestEmails(new KeapSession(this).rest);
		const term = filter?.trim() ?? '';
		const page = await emails.list({ email: term.includes('@') ? term : undefined, order_direction: 'desc' }, SEARCH_PAGE, paginationToken);
		const text = term.includes('@') ? '' : term.toLowerCase();
		const results = page.items
			.map(({ value: e }) => ({
				name: [`#${e.id}`, e.subject ?? '(no subject)', e.sent_to_address && `→ ${e.sent_to_address}`, e.sent_time && `· ${e.sent_time.slice(0, 10)}`]
					.filter(Boolean)
					.join(' '),
				value: e.id,
			}))
			.filter((r) => !text || r.name.toLowerCase().includes(text));
		return { results, paginationToken: page.next };
	},

	async searchFiles(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const files = new RestFiles(new KeapSession(this).rest);
		const page = await files.list({ file_name: prefix(filter), order_by: 'file_name' }, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: f }) => ({
				name: [f.file_name ?? `File ${f.id}`, f.file_size !== null && `(${f.file_size.toLocaleString('en-US')} bytes)`, f.contact_id && `· contact ${f.contact_id}`]
					.filter(Boolean)
					.join(' '),
				value: f.id,
			})),
			paginationToken: page.next,
		};
	},

	/** Campaigns whose name holds the search text (Keap's campaign name filter matches anywhere). */
	async searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const campaigns = new RestCampaigns(new KeapSession(this).rest);
		const name = filter?.trim().replace(/[;*]/g, '') || undefined;
		const page = await campaigns.listCampaigns({ name, order_by: 'name', order_direction: 'asc' }, SEARCH_PAGE, paginationToken);
		return {
			results: page.items.map(({ value: c }) => ({
				name: `${c.name ?? `Campaign ${c.id}`}${c.published === false ? ' (draft)' : ''}`,
				value: c.id,
			})),
			paginationToken: page.next,
		};
	},

	/** The sequences of the campaign chosen in the Campaign parameter. */
	async searchSequences(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const raw = this.getCurrentNodeParameter('campaign') as { value?: unknown } | string | undefined;
		const id = String(typeof raw === 'object' && raw ? (raw.value ?? '') : (raw ?? '')).trim();
		if (!/^\d+$/.test(id)) return { results: [] };
		const sequences = await new RestCampaigns(new KeapSession(this).rest).sequences(id);
		const text = filter?.trim().toLowerCase() ?? '';
		return {
			results: sequences
				.map((s) => ({ name: s.name ?? `Sequence ${s.id}`, value: s.id }))
				.filter((r) => !text || r.name.toLowerCase().includes(text)),
		};
	},

	/** Affiliates by name prefix; a search that looks like a code also finds the affiliate with exactly that code. */
	async searchAffiliates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const affiliates = new RestAffiliates(new KeapSession(this).rest);
		const page = await affiliates.list({ name: prefix(filter), order_by: 'name' }, SEARCH_PAGE, paginationToken);
		const term = filter?.trim() ?? '';
		const byCode = term && !paginationToken && /^\S+$/.test(term) ? (await affiliates.list({ code: term }, 1)).items : [];
		const seen = new Set<string>();
		const results = [...byCode, ...page.items]
			.filter(({ value: a }) => !seen.has(a.id) && seen.add(a.id))
			.map(({ value: a }) => ({ name: `${a.name ?? `Affiliate ${a.id}`} (${a.code ?? a.id})${a.status === 'INACTIVE' ? ' · inactive' : ''}`, value: a.id }));
		return { results, paginationToken: page.next };
	},
};

export const marketingLoadOptions = {
	async getEmailTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const emails = new RestEmails(new KeapSession(this).rest);
		const out: INodePropertyOptions[] = [];
		let cursor: string | undefined;
		do {
			const page = await emails.listTemplates(emails.maxPageSize, cursor);
			for (const { value: t } of page.items) {
				out.push({ name: t.title ?? `Template ${t.id}`, value: t.id, ...(t.subject ? { description: `Subject: ${t.subject}` } : {}) });
			}
			cursor = page.next;
		} while (cursor);
		return out.sort((a, b) => a.name.localeCompare(b.name));
	},
};

const FIELD_TYPES: Record<string, ResourceMapperField['type']> = {
	WHOLE_NUMBER: 'number',
	DECIMAL_NUMBER: 'number',
	CURRENCY: 'number',
	PERCENT: 'number',
	DATE: 'dateTime',
	DATE_TIME: 'dateTime',
	YES_NO: 'boolean',
	DROPDOWN: 'options',
	RADIO: 'options',
};

export const marketingResourceMapping = {
	async getAffiliateCustomFieldColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const defs = await new RestAffiliates(new KeapSession(this).rest).customFields();
		const fields = defs.map((d): ResourceMapperField => {
			const type = FIELD_TYPES[d.field_type] ?? 'string';
			const field: ResourceMapperField = {
				id: d.id,
				displayName: d.label,
				required: false,
				defaultMatch: false,
				display: true,
				type: type === 'options' && !d.options?.length ? 'string' : type,
			};
			if (field.type === 'options') field.options = d.options!.map((o) => ({ name: o.label, value: o.label }));
			return field;
		});
		return { fields, emptyFieldsNotice: 'This Keap account has no affiliate custom fields' };
	},
};
