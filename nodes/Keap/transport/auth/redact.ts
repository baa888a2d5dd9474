/**
 * No token, key or secret of a credential ever appears in an error this node reports: every
 * message built from something Keap, n8n or the network said goes through `redactSecrets`
 * with the secrets of the credential in use.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { TOKEN_PAIR } from '../../../../credentials/common/tokenPair';

/** Fields whose values must never appear in an error. */
const SECRET_FIELDS = [
	'apiKey',
	'clientSecret',
	TOKEN_PAIR.refreshToken,
	TOKEN_PAIR.accessToken,
	TOKEN_PAIR.session,
];

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The secrets a credential holds (API key, client secret, tokens), for `redactSecrets`. */
export function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	const values = SECRET_FIELDS.map((field) => str(credentials[field]));
	const tokenData = credentials.oauthTokenData as IDataObject | undefined;
	if (tokenData && typeof tokenData === 'object') {
		values.push(str(tokenData.access_token), str(tokenData.refresh_token));
	}
	return values.filter((value) => value.length >= 4);
}

/** Replaces every secret of the credential in `text` with a fixed mask. */
export function redactSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) out = out.split(secret).join('***');
	return out
		.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
		.replace(/(refresh_token|access_token|client_secret)=[^&\s"']+/gi, '$1=***');
}
