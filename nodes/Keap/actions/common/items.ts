/**
 * Per-item execution: every input item yields exactly one result slot — its output item(s) or,
 * with Continue On Fail, one error item — always with `pairedItem`. Nothing is dropped.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputError } from '../../model/validate';

export type ItemResult = IDataObject | IDataObject[];

/** Turns anything thrown for item i into a node error that names the item. */
export function itemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context) error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof InputError) {
		// Bad input never reached Keap: say which item and which field.
		return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}, ${error.field}: ${error.message}`, {
			itemIndex,
			description: `The item was not sent to Keap. Check the "${error.field}" value of item ${itemIndex} (counting from 0).`,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), message, { itemIndex });
}

export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	return { json, pairedItem: { item: itemIndex }, error };
}

function toItems(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/**
 * Runs `fn` for every item, `concurrency` at a time, and returns the outputs in item order.
 * Errors stop the node unless Continue On Fail is set, in which case they become error items.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	count: number,
	fn: (itemIndex: number) => Promise<ItemResult>,
	concurrency = 1,
): Promise<INodeExecutionData[]> {
	const slots: INodeExecutionData[][] = new Array(count);
	let next = 0;
	let fatal: unknown;
	const worker = async () => {
		while (fatal === undefined && next < count) {
			const i = next++;
			try {
				slots[i] = toItems(await fn(i), i);
			} catch (error) {
				const err = itemError(ctx, error, i);
				if (!ctx.continueOnFail()) {
					fatal ??= err;
					return;
				}
				slots[i] = [errorItem(err, i)];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
	if (fatal !== undefined) throw fatal;
	return slots.flat();
}
