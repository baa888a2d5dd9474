// Shared set-up for the Keap node's engine tests: an emulator, a credential store pointing at
// it, and a `keap(parameters, items)` call that runs the real node through n8n-core's engine.
import { startEmulator } from '../emulator/index.mjs';
import { CredentialStore, runNode } from './harness.mjs';

export const PAT = 'KeapPAT-emulator-pat';

export async function keapFixture(options = {}) {
	const emu = await startEmulator({ port: 0, quiet: true, ...options });
	const newStore = () =>
		new CredentialStore({ pat: { type: 'keapCrmApiKeyApi', data: { apiKey: PAT, baseUrl: emu.url } } });
	/** Runs the Keap CRM node once on `items` with the API-key credential. */
	const keap = async (parameters, items = [{}], { continueOnFail = false, store = newStore() } = {}) =>
		await runNode({
			type: 'keapCrm',
			parameters: { authentication: 'apiKey', ...parameters },
			credentials: { keapCrmApiKeyApi: 'pat' },
			items,
			store,
			continueOnFail,
		});
	/** Calls counted by the emulator between two points. */
	const calls = () => emu.counters().total ?? 0;
	return { emu, keap, newStore, calls, close: () => emu.close() };
}

/** The json of every output item, failing loudly when the node errored. */
export function jsonOf(result) {
	if (result.error) throw new Error(`node failed: ${result.error.message}${result.error.description ? ` — ${result.error.description}` : ''}`);
	return result.items.map((i) => i.json);
}

export const email = (tag) => `${tag}-${Math.random().toString(36).slice(2, 8)}@example.com`;
