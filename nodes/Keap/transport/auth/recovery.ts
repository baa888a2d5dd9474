/**
 * Recovery across processes. Inside one n8n process the refresh of a credential is single
 * flight (oauth2.ts, and credentials/common/tokenPair.ts for the token pair); across processes
 * (queue-mode workers, several mains) none of that is shared. n8n >= 2.29 coordinates OAuth2
 * refreshes across processes itself (a Redis lease in queue mode). What is left is handled the
 * way Keap recommends: when Keap rejects a refresh (invalid_grant / invalid_request) the
 * refresh token may simply have been rotated by another process, so the stored credential is
 * read again (getCredentials reads the database), a few times with a short backoff to cover
 * the moment between the other process's refresh and its save. If it has moved on, the
 * request goes round again with what the other process stored; only if it never moves on does
 * the rejection reach the user. Bounded: at most MAX_RECOVERIES such recoveries per request.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readCredentials, type KeapAuthContext, type KeapCredentialType } from './request';

/** Re-reads of the stored credential after a rejected refresh: waits 0, 150, 300, 600, 1200 ms. */
const RECOVERY_READS = 5;
const RECOVERY_BASE_DELAY_MS = 150;
/** Rejected refreshes one request may recover from by using what another process stored. */
export const MAX_RECOVERIES = 2;

/**
 * Whether the stored credential moves on (`movedOn` says what that means for the kind) within
 * RECOVERY_READS reads with a doubling backoff. `readNow: false` skips the first, immediate
 * read, for a caller that has just read the credential itself.
 */
export async function storedCredentialMovesOn(
	ctx: KeapAuthContext,
	credentialType: KeapCredentialType,
	movedOn: (current: ICredentialDataDecryptedObject) => boolean,
	readNow: boolean,
): Promise<boolean> {
	for (let read = readNow ? 0 : 1; read < RECOVERY_READS; read++) {
		if (read > 0) await sleep(RECOVERY_BASE_DELAY_MS * 2 ** (read - 1));
		if (movedOn(await readCredentials(ctx, credentialType))) return true;
	}
	return false;
}
