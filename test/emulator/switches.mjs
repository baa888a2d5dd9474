// Every behaviour of the emulator that Keap's documents leave open, in one place.
//
// Each switch names the settings it can take (the first is the default: the documented, the
// strictest or the most likely answer), which document is silent, and which test suites go
// through a code path that depends on it. `switch-matrix.mjs` runs those suites once per
// non-default setting; `KEAP_EMULATOR_SWITCHES=name=setting,...` sets them for every emulator
// a test process starts (a test that pins a switch in its own `config` still wins).
//
// Settings are written as strings on the command line and in the environment; `value` is what
// the emulator's config holds (a number or a boolean where the switch is one).

import { OBJECT_MODULES } from './objects/index.mjs';

const ENGINE = 'test/engine';
const CONTRACT = `${ENGINE}/contract.test.mjs`;

/**
 * `coveredBy`: a suite that sets every setting of the switch itself (so the matrix need not).
 * @type {Array<{ name: string, settings: Array<{ setting: string, value: unknown, means: string }>, silent: string, suites: string[], coveredBy?: string }>}
 */
export const SWITCHES = [
	// ---- OAuth ---------------------------------------------------------------------------------
	{
		name: 'oauthExchangeBasic',
		settings: [
			{ setting: 'reject', value: 'reject', means: 'a code exchange without client_id/client_secret in the body gets 401 invalid_grant, whatever Basic header it has' },
			{ setting: 'reject-header', value: 'reject-header', means: 'any Authorization header on the code exchange gets 401 invalid_grant (the Keap PHP SDK of toddstoker strips it: Keap "doesn\'t like" it)' },
			{ setting: 'accept', value: 'accept', means: 'HTTP Basic client credentials are accepted on the code exchange when the body has none' },
		],
		silent: 'KEAP-API.md 1.2: Keap documents body credentials for the code exchange; what it does with HTTP Basic there is undocumented',
		suites: ['test/e2e/connect.e2e.mjs'],
	},
	{
		name: 'oauthRefreshCredentials',
		settings: [
			{ setting: 'basic-or-body', value: 'basic-or-body', means: 'the refresh takes client credentials in HTTP Basic or in the form body' },
			{ setting: 'basic-only', value: 'basic-only', means: 'the refresh takes HTTP Basic only (what Keap\'s pages show); body credentials get 401 invalid_grant' },
		],
		silent: 'KEAP-API.md 1.2: Keap shows HTTP Basic on refresh; n8n\'s built-in Keap credential sends body credentials and works, which Keap does not document',
		suites: [
			`${ENGINE}/credentials.test.mjs`, `${ENGINE}/credentials-recovery.test.mjs`, `${ENGINE}/account.test.mjs`,
			'test/e2e/credentials.e2e.mjs', 'test/e2e/credentials-concurrency.e2e.mjs',
		],
	},
	{
		name: 'refreshErrorVariant',
		settings: [
			{ setting: 'invalid_grant', value: 'invalid_grant', means: 'a spent or unknown refresh token: 400 {"error":"invalid_grant","error_description":"Invalid refresh token"}' },
			{ setting: 'invalid_request', value: 'invalid_request', means: 'the same as 400 {"error":"invalid_request","error_description":"Invalid Refresh Token"}' },
		],
		silent: 'KEAP-API.md 1.2: both bodies are reported by Keap users; which one Keap sends today is unverified',
		suites: [`${ENGINE}/credentials.test.mjs`, `${ENGINE}/credentials-recovery.test.mjs`],
	},
	{
		name: 'revokeAccessTokenOnRefresh',
		settings: [
			{ setting: 'false', value: false, means: 'the previous access token keeps working until it expires' },
			{ setting: 'true', value: true, means: 'a refresh revokes the previous access token at once' },
		],
		silent: 'KEAP-API.md 1.2: not documented',
		suites: [`${ENGINE}/credentials.test.mjs`, `${ENGINE}/credentials-recovery.test.mjs`, `${ENGINE}/credentials-legacy.test.mjs`],
	},
	// ---- credentials Keap does not document for a call ----------------------------------------
	{
		name: 'userinfoWithKey',
		settings: [
			{ setting: 'refuse-403', value: 'refuse-403', means: 'GET .../oauth/connect/userinfo with a PAT or SAK: 403 (userinfo is the OAuth identity endpoint)' },
			{ setting: 'refuse-401', value: 'refuse-401', means: 'the same with the gateway\'s 401 Invalid Access Token fault' },
			{ setting: 'allow', value: 'allow', means: 'userinfo answers for a PAT or SAK as for its user' },
		],
		silent: 'KEAP-API.md 1.3 documents userinfo for OAuth access tokens only; Keap says nothing about PAT/SAK there',
		suites: [`${ENGINE}/account.test.mjs`, CONTRACT],
	},
	// ---- REST v1 -------------------------------------------------------------------------------
	{
		name: 'v1NextAlways',
		settings: [
			{ setting: 'true', value: true, means: 'v1 lists always carry `next`, also on the last page' },
			{ setting: 'false', value: false, means: 'v1 lists leave `next` out on the last page' },
		],
		silent: 'KEAP-API.md 3: the v1 paging links are shown, not specified',
		suites: [],
	},
	{
		name: 'v1PatchCollections',
		settings: [
			{ setting: 'merge', value: 'merge', means: 'v1 PATCH and PUT upsert replace collection items by `field` and keep the others' },
			{ setting: 'replace', value: 'replace', means: 'they replace whole email/phone/address lists, as v2 PATCH does' },
		],
		silent: 'KEAP-API.md 3: v1 says it updates "only the values provided"; how it treats the items of a list it is given is undocumented',
		// The node sends no v1 contact write since issue 15 defect 5; the contact suites still run
		// under both settings, to show that Create or Update keeps every list under either.
		suites: [`${ENGINE}/contact.test.mjs`, `${ENGINE}/parity.test.mjs`, CONTRACT],
	},
	{
		name: 'v1UpsertCreateStatus',
		settings: [
			{ setting: '200', value: 200, means: 'a v1 PUT /contacts that created a contact answers 200 (the only status its spec declares)' },
			{ setting: '201', value: 201, means: 'it answers 201 as a create does' },
		],
		silent: 'the v1 OpenAPI document declares 200 only for PUT /contacts',
		// The node sends no v1 PUT /contacts since issue 15 defect 5 (Create or Update is a v2 look-up and write).
		suites: [],
	},
	{
		name: 'upsertLookup',
		settings: [
			{ setting: 'racy', value: 'racy', means: 'an upsert (v1 PUT /contacts, v2 POST with duplicate_option) looks for the duplicate, then writes a little later: two at once may both create' },
			{ setting: 'atomic', value: 'atomic', means: 'look-up and write are one step' },
		],
		silent: 'neither OpenAPI document says whether Keap\'s duplicate check and write are atomic',
		suites: [`${ENGINE}/contact.test.mjs`, CONTRACT],
	},
	// ---- REST v2 -------------------------------------------------------------------------------
	{
		name: 'v2DefaultPageSize',
		settings: [
			{ setting: '50', value: 50, means: 'page size when page_size is absent or 0' },
			{ setting: '10', value: 10, means: 'a smaller default' },
		],
		silent: 'the v2 document gives page_size 0..1000 without a default',
		suites: [`${ENGINE}/contact.test.mjs`, `${ENGINE}/tag.test.mjs`],
	},
	{
		name: 'undocumentedWildcard',
		settings: [
			{ setting: 'literal', value: 'literal', means: 'a trailing * on a filter field Keap documents no wildcard for is a literal character (so it matches only names ending in *)' },
			{ setting: 'reject', value: 'reject', means: 'it is a 400' },
		],
		silent: 'the v2 document lists the wildcard fields (contacts: email, names, city, state, website, lead source name, text custom fields; lead sources); for the others (tags, tag categories, addresses, ...) it says nothing',
		suites: [`${ENGINE}/tag.test.mjs`, `${ENGINE}/contact.test.mjs`, CONTRACT],
	},
	{
		name: 'repeatedFilterField',
		settings: [
			{ setting: 'reject', value: 'reject', means: 'a v2 filter naming one field twice (id>=1;id<=9) is a 400' },
			{ setting: 'accept', value: 'accept', means: 'each clause applies (a range)' },
		],
		silent: 'the v2 document shows `;`-joined clauses of different fields only; it never says whether one field may appear twice',
		suites: [`${ENGINE}/trigger-objects.test.mjs`, `${ENGINE}/trigger-polling-objects.test.mjs`],
	},
	{
		name: 'v2EmailFilter',
		settings: [
			{ setting: 'any-address', value: 'any-address', means: 'filter email==x matches any of a contact\'s addresses' },
			{ setting: 'primary-only', value: 'primary-only', means: 'it matches EMAIL1 only' },
		],
		silent: 'the v2 document names the `email` filter without saying which addresses it searches',
		suites: [`${ENGINE}/contact.test.mjs`, `${ENGINE}/parity.test.mjs`],
	},
	{
		name: 'applyTagsResults',
		settings: [
			{ setting: 'all', value: 'all', means: ':applyTags answers a status for every contact id sent' },
			{ setting: 'omit-not-found', value: 'omit-not-found', means: 'contacts that do not exist are left out of `results`' },
			{ setting: 'none', value: 'none', means: '`results` is empty' },
		],
		silent: 'the v2 document types ApplyTagsResponse.results as a string map with no documented keys or statuses',
		suites: [`${ENGINE}/tag.test.mjs`, CONTRACT],
	},
	{
		name: 'tagBatchMax',
		settings: [
			{ setting: '100', value: 100, means: 'tag apply/remove calls (v1 and v2) with more than 100 contact ids get a 400' },
			{ setting: 'none', value: 'none', means: 'no cap' },
		],
		silent: 'neither OpenAPI document caps contact_ids / ids; Keap\'s own PHP SDK (infusionsoft/infusionsoft-php, src/Infusionsoft/Api/Rest/TagService.php addContacts/removeContacts) refuses more than 100 ("A maximum of 100 contact ids can be modified at once"), the only cap a Keap client shows',
		suites: [`${ENGINE}/tag.test.mjs`, CONTRACT],
	},
	// ---- REST hooks ----------------------------------------------------------------------------
	{
		name: 'hookTagPayload',
		settings: [
			{ setting: 'tag-with-contacts', value: 'tag-with-contacts', means: 'contactGroup.applied/.removed entries carry the tag id as `id` and the contacts as `contactDetails: [{id}]`' },
			{ setting: 'contact-keys', value: 'contact-keys', means: 'one entry per contact: `id` is the contact id, `apiUrl` the contact\'s URL' },
		],
		silent: 'Keap\'s REST hook page shows the generic {id, apiUrl} template only; the tag events\' payload is unverified',
		suites: [`${ENGINE}/trigger-webhook.test.mjs`],
	},
	{
		name: 'hookDeleteApiUrl',
		settings: [
			{ setting: 'empty', value: 'empty', means: 'delete events carry apiUrl ""' },
			{ setting: 'url', value: 'url', means: 'they carry the (now dead) record URL' },
		],
		silent: 'KEAP-API.md 5: unverified',
		suites: [`${ENGINE}/trigger-webhook.test.mjs`],
	},
	// ---- XML-RPC -------------------------------------------------------------------------------
	{
		name: 'limitsWindow',
		settings: [
			{ setting: 'fixed', value: 'fixed', means: 'the second and minute buckets are the current UTC second and minute (a burst across a window edge gets through)' },
			{ setting: 'sliding', value: 'sliding', means: 'the second and minute buckets count the calls of the last 1 s and 60 s (Retry-After: until a call leaves the window)' },
		],
		silent: 'KEAP-API.md section 7: Keap documents the limits per second, minute and day, and the daily reset at 00:00 UTC; whether the second and minute windows are aligned or sliding is undocumented (a test or bench that sets `limits.window` pins it)',
		suites: [`${ENGINE}/pacing.test.mjs`, `${ENGINE}/pacing-door.test.mjs`, `${ENGINE}/account.test.mjs`],
	},
	{
		name: 'xmlrpcBareStrings',
		settings: [
			{ setting: 'true', value: true, means: 'strings as bare <value>text</value>' },
			{ setting: 'false', value: false, means: 'strings as <value><string>text</string></value>' },
		],
		silent: 'XML-RPC allows both; recorded Keap traffic shows bare strings',
		suites: [`${ENGINE}/xmlrpc.test.mjs`],
	},
	{
		name: 'xmlrpcTimeZone',
		settings: [
			{ setting: 'America/New_York', value: 'America/New_York', means: 'date-times are US Eastern wall time' },
			{ setting: 'UTC', value: 'UTC', means: 'date-times are UTC' },
		],
		silent: 'Keap\'s XML-RPC dates carry no zone; Eastern time is community knowledge',
		suites: [`${ENGINE}/xmlrpc.test.mjs`],
	},
	{
		name: 'xmlrpcUnauthenticated',
		settings: [
			{ setting: 'fault', value: 'fault', means: 'no credential at all: [InvalidKey] fault, HTTP 200' },
			{ setting: '401', value: '401', means: 'the gateway\'s 401' },
		],
		silent: 'KEAP-API.md 6: unverified since legacy keys were switched off',
		suites: [],
	},
	{
		name: 'xmlrpcAddToGroupDuplicateResult',
		settings: [
			{ setting: 'false', value: false, means: 'addToGroup of a tag the contact already has returns false' },
			{ setting: 'true', value: true, means: 'it returns true' },
		],
		silent: 'KEAP-API.md 6: community reports only',
		suites: [`${ENGINE}/xmlrpc.test.mjs`],
	},
	{
		name: 'xmlrpcRemoveFromGroupNotApplied',
		settings: [
			{ setting: 'false', value: false, means: 'removeFromGroup of a tag the contact does not have returns false' },
			{ setting: 'true', value: true, means: 'it returns true' },
		],
		silent: 'the XML-RPC docs say removeFromGroup returns a boolean, not when it is false',
		suites: [`${ENGINE}/xmlrpc.test.mjs`, CONTRACT],
	},
	{
		name: 'xmlrpcGetAppSetting',
		settings: [
			{ setting: 'refuse', value: 'refuse', means: 'DataService.getAppSetting: fault 14 [NoAccess] for every credential' },
			{ setting: 'allow', value: 'allow', means: 'it answers Contact/optiontypes' },
		],
		silent: 'getAppSetting is in the 2012 XML-RPC docs (legacy API keys); Keap\'s current XML-RPC page does not list it for PAT/SAK or OAuth',
		suites: [`${ENGINE}/xmlrpc.test.mjs`, CONTRACT],
	},
	{
		name: 'xmlrpcLegacyThrottle',
		settings: [
			{ setting: 'on', value: 'on', means: 'the legacy credit bank: 1 credit per idle xmlrpcCreditMs, at most 2000, 1 per call; without a credit a call waits, and a 4th waiting call gets a fault (HTTP 200)' },
			{ setting: 'off', value: 'off', means: 'no legacy throttle' },
		],
		silent: 'the throttle is documented only in a 2012 copy of the XML-RPC docs (rate_limiting.html); whether today\'s gateway still applies it, and the fault it answers with, are unverified',
		suites: [`${ENGINE}/xmlrpc.test.mjs`],
	},
	{
		name: 'xmlrpcRetired',
		settings: [
			{ setting: 'off', value: 'off', means: 'XML-RPC works' },
			{ setting: 'http-404', value: 'http-404', means: 'the gateway no longer routes /crm/xmlrpc: 404 Apigee fault (messaging.adaptors.http.flow.ApplicationNotFound)' },
			{ setting: 'http-410', value: 'http-410', means: '410 Gone' },
			{ setting: 'http-503', value: 'http-503', means: 'the gateway\'s 503 (no backend behind the route): Apigee fault messaging.adaptors.http.flow.ServiceUnavailable' },
			{ setting: 'html-page', value: 'html-page', means: '200 with an HTML page instead of XML' },
			{ setting: 'fault', value: 'fault', means: 'HTTP 200 with the XML-RPC fault 14 [NoAccess]API access not permitted, once authenticated' },
		],
		silent: 'Keap announced the end of XML-RPC for 2026-12-31 (third-party and Thryv pages); what the endpoint answers afterwards is unknown',
		// Under any setting but off every XML-RPC call fails, as it should: the XML-RPC suites
		// say nothing there. contract.test.mjs (defect 11) runs every setting itself.
		suites: [],
		coveredBy: `${CONTRACT} (defect 11) sets each setting itself`,
	},
];

// ---- the object modules' switches ---------------------------------------------------------------
// Their defaults live in each module's `config` (objects/*.mjs; test/emulator/README.md "Object
// switches" says what each means). Here: the other settings each can take. A boolean switch's
// other setting is its negation; any other kind is listed in OBJECT_ALTERNATIVES (strict.test.mjs
// fails on an object switch with no alternative). The emulator's own tests ignore
// KEAP_EMULATOR_SWITCHES, and crm-objects.test.mjs / commerce-objects.test.mjs set every setting
// themselves; a node suite whose calls depend on one is added to `suites` by name below.
const OBJECT_ALTERNATIVES = {
	customFieldDuplicateLabels: ['allow'],
	emailStatusUnknownAddress: ['nonMarketable'],
	companyDuplicateNames: ['allow'],
	unknownPromoCode: ['ignore'],
	opportunityStageDeleteInUse: ['allow'],
	noteTypes: [['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other', 'Meeting']],
	taskTypes: [['Appointment', 'Call', 'Email', 'Fax', 'Letter', 'Other', 'Errand']],
	taskTimeFilterField: ['due_time'],
	emailSendContactsMax: [1000],
	emailBatchRemoveMax: [100],
	fileMaxBytes: [10_000_000],
	sequenceContactIdsMax: [1000],
	sequenceRemoveNotInSequence: ['SUCCESS'],
	goalNoMatch: ['reject'],
};
/** Node suites whose calls depend on an object switch (none yet): { switchName: [suite, ...] }. */
const OBJECT_SUITES = {};

const settingOf = (value) => ({ setting: Array.isArray(value) ? value.join('|') : String(value), value, means: `config ${JSON.stringify(value)}` });
for (const m of OBJECT_MODULES) {
	for (const [name, value] of Object.entries(m.config ?? {})) {
		const others = typeof value === 'boolean' ? [!value] : (OBJECT_ALTERNATIVES[name] ?? []);
		const first = settingOf(value);
		first.means = `default (the strict reading; test/emulator/README.md "Object switches")`;
		SWITCHES.push({
			name,
			settings: [first, ...others.map(settingOf)],
			silent: 'undocumented object behaviour (objects/ module config; README "Object switches" says which document is silent)',
			suites: OBJECT_SUITES[name] ?? [],
			coveredBy: 'test/emulator/crm-objects.test.mjs or commerce-objects.test.mjs sets each setting itself',
		});
	}
}

const BY_NAME = new Map(SWITCHES.map((s) => [s.name, s]));

/** The default of every switch: { name: value }. */
export function switchDefaults() {
	return Object.fromEntries(SWITCHES.map((s) => [s.name, s.settings[0].value]));
}

/** The config value of `name=setting`; throws on an unknown switch or setting. */
export function switchValue(name, setting) {
	const sw = BY_NAME.get(name);
	if (!sw) throw new Error(`unknown emulator switch "${name}" (known: ${[...BY_NAME.keys()].join(', ')})`);
	const found = sw.settings.find((s) => s.setting === String(setting));
	if (!found) throw new Error(`emulator switch ${name} has no setting "${setting}" (settings: ${sw.settings.map((s) => s.setting).join(', ')})`);
	return found.value;
}

/** Parses "a=x,b=y" (KEAP_EMULATOR_SWITCHES) into { a: value, b: value }. */
export function parseSwitches(text) {
	const out = {};
	for (const part of String(text ?? '').split(',')) {
		const p = part.trim();
		if (!p) continue;
		const eq = p.indexOf('=');
		if (eq < 1) throw new Error(`KEAP_EMULATOR_SWITCHES: "${p}" is not name=setting`);
		out[p.slice(0, eq).trim()] = switchValue(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
	}
	return out;
}

/** The switches set in this process's environment. */
export function envSwitches() {
	return parseSwitches(process.env.KEAP_EMULATOR_SWITCHES);
}
