import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { authenticationProperty, keapCredentials } from '../Keap/actions/common/descriptions';
import { NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import { hydrateContacts, normalizedContact } from '../Keap/actions/common/contact';
import { simplifyContact } from '../Keap/model/contact';
import { optionSubtitle } from '../Keap/subtitle';
import { KeapSession } from '../Keap/transport';
import { RestHooks } from '../Keap/transport/rest/hooks';
import { EVENTS, parseDelivery, type Delivery } from './events';

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
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: EVENTS,
				default: 'contact.add',
				required: true,
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'Full Records',
						value: 'full',
						description: 'Contacts fetched in full (up to 1000 per call); tags with their names',
					},
					{ name: 'Simplified Records', value: 'simplified', description: 'Contacts with their main fields only' },
					{ name: 'Raw Event', value: 'raw', description: 'One item per changed object, as Keap sent it' },
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

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const hooks = new RestHooks(new KeapSession(this).rest);
				const url = this.getNodeWebhookUrl('default');
				const event = this.getNodeParameter('event') as string;
				const staticData = this.getWorkflowStaticData('node');
				const ours = (await hooks.list()).find((h) => h.hookUrl === url && h.eventKey === event);
				if (!ours) return false;
				if (ours.status !== 'Verified') {
					const again = await hooks.verify(ours.key);
					if (again.status !== 'Verified') {
						await hooks.delete(ours.key);
						return false;
					}
				}
				staticData.hookKey = ours.key;
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const hooks = new RestHooks(new KeapSession(this).rest);
				const url = this.getNodeWebhookUrl('default') as string;
				const event = this.getNodeParameter('event') as string;
				let hook = await hooks.create(event, url);
				if (hook.status !== 'Verified') hook = await hooks.verify(hook.key);
				if (hook.status !== 'Verified') {
					await hooks.delete(hook.key);
					throw new NodeOperationError(
						this.getNode(),
						`Keap could not verify the webhook at ${url}: it must be reachable from the internet (check WEBHOOK_URL), or use the Keap CRM Polling Trigger`,
					);
				}
				this.getWorkflowStaticData('node').hookKey = hook.key;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				// Only our own subscription: the key create() stored, or (when the static data was
				// lost) the one at this node's own URL for its event. Other hooks are never touched.
				const staticData = this.getWorkflowStaticData('node');
				const hooks = new RestHooks(new KeapSession(this).rest);
				let keys = typeof staticData.hookKey === 'string' && staticData.hookKey ? [staticData.hookKey] : [];
				if (!keys.length) {
					const url = this.getNodeWebhookUrl('default');
					const event = this.getNodeParameter('event') as string;
					keys = (await hooks.list()).filter((h) => h.hookUrl === url && h.eventKey === event).map((h) => h.key);
				}
				for (const key of keys) await hooks.delete(key);
				delete staticData.hookKey;
				return true;
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
		if (typeof secret === 'string' && secret) {
			// Keap's handshake: echo the secret with a 200 so the subscription becomes Verified.
			res.set('X-Hook-Secret', secret);
			res.status(200).end();
			return { noWebhookResponse: true };
		}
		const event = this.getNodeParameter('event') as string;
		const delivery = parseDelivery(this.getBodyData(), event);
		if ('error' in delivery) {
			res.status(400).json({ message: `Not a Keap ${event} delivery: ${delivery.error}` });
			return { noWebhookResponse: true };
		}
		const output = this.getNodeParameter('output', 'full') as string;
		if (output === 'raw') return { workflowData: [rawItems(delivery).map((json) => ({ json }))] };

		const fetching = hydratedItems(new KeapSession(this), delivery, output === 'simplified');
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

function eventInfo(delivery: Delivery, entry: { timestamp?: string }): IDataObject {
	return { key: delivery.eventKey, object_type: delivery.objectType, timestamp: entry.timestamp ?? null };
}

function rawItems(delivery: Delivery): IDataObject[] {
	return delivery.entries.map((e) => ({ ...e.raw, event: eventInfo(delivery, e) }));
}

async function hydratedItems(session: KeapSession, delivery: Delivery, simple: boolean): Promise<IDataObject[]> {
	const contactIds =
		delivery.objectType === 'contact' && !delivery.eventKey.endsWith('.delete')
			? delivery.entries.map((e) => e.id)
			: delivery.entries.flatMap((e) => e.contactIds);
	const contacts = contactIds.length ? await hydrateContacts(session.client.contacts, contactIds) : new Map();
	const defs = !simple && [...contacts.values()].some((c) => c.value.custom_fields.length) ? await session.getCustomFields() : [];
	const render = (id: string): IDataObject | null => {
		const c = contacts.get(id);
		if (!c) return null;
		return simple ? simplifyContact(c.value) : normalizedContact(c.value, defs);
	};

	if (delivery.objectType === 'contact') {
		return delivery.entries.map((e) => {
			const event = eventInfo(delivery, e);
			if (delivery.eventKey.endsWith('.delete')) return { id: e.id, deleted: true, event };
			return render(e.id) ? { ...render(e.id), event } : { id: e.id, not_found: true, event };
		});
	}
	if (delivery.objectType === 'contactGroup') {
		const out: IDataObject[] = [];
		for (const e of delivery.entries) {
			const tag = (await session.resolveTag(e.id, false)) ?? { id: e.id, name: null };
			const event = eventInfo(delivery, e);
			if (!e.contactIds.length) {
				out.push({ tag, event });
				continue;
			}
			for (const contactId of e.contactIds) {
				out.push({ tag, contact: render(contactId) ?? { id: contactId, not_found: true }, event });
			}
		}
		return out;
	}
	return rawItems(delivery);
}
