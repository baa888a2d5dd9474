/** Reading a resource locator's value, also from parameters saved before they were locators. */

export interface LocatorValue {
	/** The mode the user picked: list, id, name, email, url, ... ('id' for a plain string). */
	mode: string;
	value: string;
}

/**
 * The mode and trimmed value of a resource locator parameter (`{ __rl, mode, value }`), or of a
 * plain string or number (an older workflow, or an expression), which counts as an ID.
 */
export function locatorValue(raw: unknown): LocatorValue {
	if (raw !== null && typeof raw === 'object' && 'value' in raw) {
		const rl = raw as { mode?: unknown; value?: unknown };
		return { mode: String(rl.mode ?? 'id'), value: String(rl.value ?? '').trim() };
	}
	return { mode: 'id', value: raw === undefined || raw === null ? '' : String(raw).trim() };
}
