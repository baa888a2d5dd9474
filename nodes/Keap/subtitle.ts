/**
 * Canvas subtitles ("Create or Update: Contact", "Contact Created") from the option names users
 * see, not the parameter values behind them ("upsert: contact", "contact.add"). n8n evaluates
 * a node's `subtitle` as an expression over its parameters; these build that expression.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** `={{ ... }}` that looks `key` up in `labels`, showing the raw value when it is not there. */
function lookup(labels: Record<string, string>, key: string): string {
	return `={{ ${JSON.stringify(labels)}[${key}] || ${key} }}`;
}

/**
 * "<Operation>: <Resource>" for every operation of every resource. `resources` maps a resource
 * value to its name and its description (whose first `operation` property lists the operations).
 */
export function operationSubtitle(resources: Record<string, [name: string, description: INodeProperties[]]>): string {
	const labels: Record<string, string> = {};
	for (const [resource, [resourceName, properties]] of Object.entries(resources)) {
		const operation = properties.find((p) => p.name === 'operation');
		for (const option of (operation?.options ?? []) as INodePropertyOptions[]) {
			labels[`${resource}.${String(option.value)}`] = `${option.name}: ${resourceName}`;
		}
	}
	return lookup(labels, '$parameter["resource"] + "." + $parameter["operation"]');
}

/** The name of the chosen option of `parameter` (e.g. an event list). */
export function optionSubtitle(parameter: string, options: INodePropertyOptions[]): string {
	return lookup(Object.fromEntries(options.map((o) => [String(o.value), o.name])), `$parameter[${JSON.stringify(parameter)}]`);
}
