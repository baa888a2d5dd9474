import type {
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, keapCredentials, tagLocator } from '../Keap/actions/common/descriptions';
import { listSearch } from '../Keap/methods';
import { optionSubtitle } from '../Keap/subtitle';
import { KeapSession } from '../Keap/transport';
import { advanceCursor, type PollCursor } from './cursor';
import { sourceFor, type Hit } from './sources';

const CONTACT_EVENTS: INodePropertyOptions[] = [
	{ name: 'Contact Created', value: 'contactCreated' },
	{ name: 'Contact Created or Updated', value: 'contactUpdated' },
	{ name: 'Tag Applied', value: 'tagApplied', description: 'A given tag was applied to a contact' },
];

/** The objects besides contacts, each with a Created and a Created or Updated event. */
const OBJECTS: Array<{ name: string; value: string }> = [
	{ name: 'Company', value: 'company' },
	{ name: 'Opportunity', value: 'opportunity' },
	{ name: 'Order', value: 'order' },
	{ name: 'Task', value: 'task' },
];

const objectEvents = (o: { name: string; value: string }): INodePropertyOptions[] => [
	{ name: `${o.name} Created`, value: `${o.value}Created` },
	{ name: `${o.name} Created or Updated`, value: `${o.value}Updated` },
];

const POLL_EVENTS: INodePropertyOptions[] = [...CONTACT_EVENTS, ...OBJECTS.flatMap(objectEvents)];

/** One Event parameter per object (the contact one is the original: workflows without Object keep it). */
const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		options: CONTACT_EVENTS,
		default: 'contactCreated',
		displayOptions: { show: { object: ['contact'] } },
	},
	...OBJECTS.map(
		(o): INodeProperties => ({
			displayName: 'Event',
			name: 'event',
			type: 'options',
			options: objectEvents(o),
			default: `${o.value}Created`,
			displayOptions: { show: { object: [o.value] } },
		}),
	),
];

export class KeapCrmPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Keap CRM Polling Trigger',
		name: 'keapCrmPollingTrigger',
		icon: { light: 'file:keap.svg', dark: 'file:keap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: optionSubtitle('event', POLL_EVENTS),
		description:
			'Starts the workflow when contacts, companies, opportunities, orders or tasks change in Keap, by asking Keap on a schedule (no public URL needed)',
		defaults: { name: 'Keap CRM Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: keapCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Object',
				name: 'object',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Contact', value: 'contact' }, ...OBJECTS],
				default: 'contact',
				description: 'Which Keap records to watch',
			},
			...eventProperties,
			{
				...tagLocator('tag', 'Tag', 'The tag whose application starts the workflow'),
				required: true,
				displayOptions: { show: { object: ['contact'], event: ['tagApplied'] } },
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'Full Records', value: 'full' },
					{ name: 'Simplified Records', value: 'simplified' },
				],
				default: 'full',
			},
		],
	};

	methods = { listSearch: { searchTags: listSearch.searchTags } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const session = new KeapSession(this);
		const event = this.getNodeParameter('event') as string;
		const simple = this.getNodeParameter('output', 'full') === 'simplified';
		const source = await sourceFor(this, session, event);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest matching record, without touching the cursor.
			const newest = await source.newest();
			return newest ? wrap(await source.render([newest], simple)) : null;
		}

		// The cursor is written only at the end of a poll that read and rendered everything it
		// found: a poll that fails anywhere (a page, the custom field model, a contact fetch)
		// leaves it where it was, and the next poll finds the same records again.
		const staticData = this.getWorkflowStaticData('node') as { cursor?: PollCursor; scope?: string };
		// Another event or tag than the cursor was made for: start again.
		const current = staticData.scope === source.scope ? staticData.cursor : undefined;
		if (!current) {
			// First poll after activation: what Keap holds now is the past. Start from Keap's newest
			// record and count everything within the overlap window before it as seen, so the next
			// poll emits only what changes from now on. An empty account starts at 1970.
			const newest = await source.newest();
			let baseline: Hit[] = [];
			if (newest) baseline = [newest, ...(await source.since(advanceCursor(undefined, [newest]).cursor.since))];
			staticData.cursor = advanceCursor(undefined, baseline).cursor;
			staticData.scope = source.scope;
			return null;
		}

		const { cursor, fresh } = advanceCursor(current, await source.since(current.since));
		const items = fresh.length ? await source.render(fresh, simple) : [];
		staticData.cursor = cursor;
		return wrap(items);
	}
}

function wrap(items: Array<INodeExecutionData['json']>): INodeExecutionData[][] | null {
	return items.length ? [items.map((json) => ({ json }))] : null;
}
