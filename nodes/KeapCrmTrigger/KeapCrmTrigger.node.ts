import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { authenticationProperty, keapCredentials } from '../Keap/actions/common/descriptions';
import { NodeOperationError, NodeConnectionTypes, sleep } from 'n8n-workflow';

import { optionSubtitle } from '../Keap/subtitle';
import { KeapSession } from '../Keap/transport';
import { baseUrlOf } from '../Keap/transport/auth/request';
import { handshakeExpected, whileHandshaking } from '../Keap/transport/hookHandshake';
import { RestHooks, type RestHook } from '../Keap/transport/rest/hooks';
import { EVENTS, eventOptions, FALLBACK_EVENT_KEYS, MAX_OBJECTS_PER_DELIVERY, parseDelivery } from './events';
import { hydratedItems, rawItems } from './hydrate';

/** How long a "no handshake is under way" answer from Keap is remembered (strangers' POSTs cost at most one call per this). */
const KEAP_CHECK_MEMO_MS = 10_000;
const notVerifying = new Map<string, number>();

/** Our hook at Keap: at this node's URL, for its event. */
function ours(list: RestHook[], url: string, event: string): RestHook | undefined {
	return list.find((h) => h.hookUrl === url && h.eventKey === event);
}

/** An error with the webhook URL (the hook's only secret) and its id cut out of every text. */
function withoutUrl(ctx: IHookFunctions, error: unknown, url: string): NodeOperationError {
	const secrets = [url, ctx.getNode().webhookId].filter((x): x is string => typeof x === 'string' && x.length > 0);
	const scrub = (text: unknown) => {
		let t = typeof text === 'string' ? text : '';
		for (const s of secrets) t = t.split(s).join('<webhook URL>');
		return t;
	};
	const e = error as { message?: unknown; description?: unknown };
	return new NodeOperationError(ctx.getNode(), scrub(e?.message) || 'Keap refused the hook', {
		description: scrub(e?.description) || undefined,
	});
}

async function guarded<T>(ctx: IHookFunctions, call: (url: string) => Promise<T>): Promise<T> {
	const url = ctx.getNodeWebhookUrl('default') as string;
	try {
		return await call(url);
	} catch (error) {
		throw withoutUrl(ctx, error, url);
	}
}

export class KeapCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Keap CRM Trigger',
		name: 'keapCrmTrigger',
		icon: { light: 'file:keap.svg', dark: 'file:keap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: optionSubtitle('event', EVENTS),
		// n8n's nodes panel merges this trigger into the Keap CRM entry ("<node>Trigger" matches
		// "<node>") and shows the trigger's description for both: it describes the two.
		description: 'Create, update and tag Keap (Infusionsoft) contacts, or start a workflow when Keap reports a change',
		defaults: { name: 'Keap CRM Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: keapCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			authenticationProperty,
			{
				displayName: 'Event Name or ID',
				name: 'event',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getEvents', loadOptionsDependsOn: ['authentication'] },
				default: 'contact.add',
				required: true,
				description:
					'The Keap event, from the list Keap offers (this package’s list when Keap’s cannot be read). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'Full Records',
						value: 'full',
						description: `The changed records fetched in full, with as few calls as Keap allows (contacts: custom fields by label; tags: with their contacts). At most ${MAX_OBJECTS_PER_DELIVERY} objects per delivery, as Keap sends.`,
					},
					{ name: 'Simplified Records', value: 'simplified', description: 'Contacts with their main fields only (other records in full)' },
					{ name: 'Raw Event', value: 'raw', description: 'One item per changed object, as Keap sent it (no API call)' },
				],
				default: 'full',
			},
			{
				displayName:
					'Keap must be able to reach this n8n instance (set WEBHOOK_URL to its public address). If it cannot, use the Keap CRM Polling Trigger instead.',
				name: 'reachNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = {
		loadOptions: {
			/** Keap's event keys, grouped by object; this package's list when Keap's cannot be read. */
			async getEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				try {
					const keys = await new RestHooks(new KeapSession(this).rest).eventKeys();
					if (keys.length) return eventOptions(keys);
				} catch {
					// no credential yet, Keap unreachable, an answer we cannot read: the known list
				}
				return eventOptions(FALLBACK_EVENT_KEYS);
			},
		},
	};

	webhookMethods = {
		default: {
			/** Only a Verified hook exists: an Inactive or Unverified one is missing, so activation (create) re-verifies it. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await guarded(this, async (url) => {
					const event = this.getNodeParameter('event') as string;
					const hook = ours(await new RestHooks(new KeapSession(this).rest).list(), url, event);
					if (!hook || hook.status !== 'Verified') return false;
					this.getWorkflowStaticData('node').hookKey = hook.key;
					return true;
				});
			},

			/** Re-verifies our hook when Keap still has it (Inactive, Unverified), else creates it. */
			async create(this: IHookFunctions): Promise<boolean> {
				return await guarded(this, async (url) => {
					const hooks = new RestHooks(new KeapSession(this).rest);
					const event = this.getNodeParameter('event') as string;
					const existing = ours(await hooks.list(), url, event);
					const hook = await whileHandshaking(url, async () => {
						const h = existing ?? (await hooks.create(event, url));
						return h.status === 'Verified' ? h : await hooks.verify(h.key);
					});
					if (hook.status !== 'Verified') {
						await hooks.delete(hook.key);
						throw new NodeOperationError(
							this.getNode(),
							'Keap could not verify the webhook: this n8n must be reachable from the internet (check WEBHOOK_URL), or use the Keap CRM Polling Trigger',
							{ description: `Keap left the hook ${hook.status || 'unverified'}; it has been removed.` },
						);
					}
					this.getWorkflowStaticData('node').hookKey = hook.key;
					return true;
				});
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				// Only our own subscription: the key create() stored, or (when the static data was
				// lost) the one at this node's own URL for its event. Other hooks are never touched.
				return await guarded(this, async (url) => {
					const staticData = this.getWorkflowStaticData('node');
					const hooks = new RestHooks(new KeapSession(this).rest);
					let keys = typeof staticData.hookKey === 'string' && staticData.hookKey ? [staticData.hookKey] : [];
					if (!keys.length) {
						const event = this.getNodeParameter('event') as string;
						keys = (await hooks.list()).filter((h) => h.hookUrl === url && h.eventKey === event).map((h) => h.key);
					}
					for (const key of keys) await hooks.delete(key);
					delete staticData.hookKey;
					return true;
				});
			},
		},
	};

	/**
	 * How long a delivery may wait for its records before Keap gets its answer anyway (Keap
	 * gives up after 30 s and counts a failure; four failures make the hook Inactive). Within
	 * the budget a failed fetch answers 500 and Keap delivers again later; after it, Keap has
	 * its 200 and a failed fetch fails the execution. Static so tests can shorten it.
	 */
	static ackBudgetMs = 20_000;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const headers = this.getHeaderData() as IDataObject;
		const secret = headers['x-hook-secret'];
		const event = this.getNodeParameter('event') as string;
		if (secret !== undefined) {
			// Keap's handshake: echo the secret with a 200 so the subscription becomes Verified,
			// but only while one of our hooks is being created or verified.
			if (typeof secret === 'string' && secret && (await handshakeUnderWay(this, event))) {
				res.set('X-Hook-Secret', secret);
				res.status(200).end();
			} else {
				res.status(403).json({ message: 'No verification of this hook is under way' });
			}
			return { noWebhookResponse: true };
		}
		const session = new KeapSession(this);
		const baseUrl = baseUrlOf(await this.getCredentials(session.http.credentialType));
		const delivery = parseDelivery(this.getBodyData(), event, baseUrl);
		if ('error' in delivery) {
			res.status(400).json({ message: `Not a Keap ${event} delivery: ${delivery.error}` });
			return { noWebhookResponse: true };
		}
		const output = this.getNodeParameter('output', 'full') as string;
		if (output === 'raw') return { workflowData: [rawItems(delivery).map((json) => ({ json }))] };

		const fetching = hydratedItems(session, delivery, output === 'simplified');
		const budget = new AbortController();
		const first = await Promise.race([
			fetching.then(
				(items) => ({ items }),
				(error: unknown) => ({ error }),
			),
			sleep(KeapCrmTrigger.ackBudgetMs, budget.signal).then(
				() => ({ late: true }),
				() => ({ late: true }),
			),
		]);
		budget.abort();
		if ('error' in first) throw first.error;
		if ('items' in first) return { workflowData: [first.items.map((json) => ({ json }))] };
		// Still fetching: answer Keap now, emit when the records are in.
		res.status(200).json({ message: 'Workflow was started' });
		const items = await fetching;
		return { noWebhookResponse: true, workflowData: [items.map((json) => ({ json }))] };
	}
}

/**
 * Whether Keap is verifying one of our hooks now: a window this process opened (activation,
 * Account > Get Hooks), or, for a create or verify another n8n process asked for, Keap listing
 * our hook as not Verified (one call, its "no" remembered for 10 s).
 */
async function handshakeUnderWay(ctx: IWebhookFunctions, event: string): Promise<boolean> {
	const url = ctx.getNodeWebhookUrl('default') as string;
	if (handshakeExpected(url, ctx.getNode().webhookId)) return true;
	const memo = notVerifying.get(url);
	if (memo !== undefined && Date.now() - memo < KEAP_CHECK_MEMO_MS) return false;
	try {
		const hook = ours(await new RestHooks(new KeapSession(ctx).rest).list(), url, event);
		if (hook && hook.status !== 'Verified') return true;
	} catch {
		// cannot tell: no
	}
	notVerifying.set(url, Date.now());
	return false;
}
