/**
 * Country and region names and codes, shared by the wire formats that meet names: the
 * XML-RPC Contact table (transport/xmlrpc/contactTable.ts) and REST v1, which reports an
 * address's region by name only (transport/rest/contactsV2.ts reads it for v1 and v2).
 *
 * REST speaks codes (country_code ISO 3166-1 alpha-3, region_code ISO 3166-2 such as US-AZ);
 * the XML-RPC columns Country/Country2/Country3 and State/State2/State3 hold names as a person
 * typed or picked them in Keap ("United States", "Arizona"). Writing over XML-RPC we send the
 * English name of a code; reading we turn a name (or a code someone typed) back into a code.
 * Country names come from the runtime's own ICU data (Intl.DisplayNames, English); region
 * names are tabled here for the United States and Canada only. A value we cannot map is kept
 * as text (region) or left out (country_code): see contactFromXmlRpc.
 * Whether Keap's own country spellings match ICU's English names for every country is
 * unverified; they agree for the common ones ("United States", "United Kingdom", "Canada").
 */

/** ISO 3166-1 alpha-3 -> alpha-2 (Intl.DisplayNames only takes alpha-2). */
const ALPHA3_TO_2: Record<string, string> = Object.fromEntries(
	(
		'ABW AW AFG AF AGO AO AIA AI ALA AX ALB AL AND AD ARE AE ARG AR ARM AM ASM AS ATA AQ ATF TF ATG AG AUS AU AUT AT ' +
		'AZE AZ BDI BI BEL BE BEN BJ BES BQ BFA BF BGD BD BGR BG BHR BH BHS BS BIH BA BLM BL BLR BY BLZ BZ BMU BM BOL BO ' +
		'BRA BR BRB BB BRN BN BTN BT BVT BV BWA BW CAF CF CAN CA CCK CC CHE CH CHL CL CHN CN CIV CI CMR CM COD CD COG CG ' +
		'COK CK COL CO COM KM CPV CV CRI CR CUB CU CUW CW CXR CX CYM KY CYP CY CZE CZ DEU DE DJI DJ DMA DM DNK DK DOM DO ' +
		'DZA DZ ECU EC EGY EG ERI ER ESH EH ESP ES EST EE ETH ET FIN FI FJI FJ FLK FK FRA FR FRO FO FSM FM GAB GA GBR GB ' +
		'GEO GE GGY GG GHA GH GIB GI GIN GN GLP GP GMB GM GNB GW GNQ GQ GRC GR GRD GD GRL GL GTM GT GUF GF GUM GU GUY GY ' +
		'HKG HK HMD HM HND HN HRV HR HTI HT HUN HU IDN ID IMN IM IND IN IOT IO IRL IE IRN IR IRQ IQ ISL IS ISR IL ITA IT ' +
		'JAM JM JEY JE JOR JO JPN JP KAZ KZ KEN KE KGZ KG KHM KH KIR KI KNA KN KOR KR KWT KW LAO LA LBN LB LBR LR LBY LY ' +
		'LCA LC LIE LI LKA LK LSO LS LTU LT LUX LU LVA LV MAC MO MAF MF MAR MA MCO MC MDA MD MDG MG MDV MV MEX MX MHL MH ' +
		'MKD MK MLI ML MLT MT MMR MM MNE ME MNG MN MNP MP MOZ MZ MRT MR MSR MS MTQ MQ MUS MU MWI MW MYS MY MYT YT NAM NA ' +
		'NCL NC NER NE NFK NF NGA NG NIC NI NIU NU NLD NL NOR NO NPL NP NRU NR NZL NZ OMN OM PAK PK PAN PA PCN PN PER PE ' +
		'PHL PH PLW PW PNG PG POL PL PRI PR PRK KP PRT PT PRY PY PSE PS PYF PF QAT QA REU RE ROU RO RUS RU RWA RW SAU SA ' +
		'SDN SD SEN SN SGP SG SGS GS SHN SH SJM SJ SLB SB SLE SL SLV SV SMR SM SOM SO SPM PM SRB RS SSD SS STP ST SUR SR ' +
		'SVK SK SVN SI SWE SE SWZ SZ SXM SX SYC SC SYR SY TCA TC TCD TD TGO TG THA TH TJK TJ TKL TK TKM TM TLS TL TON TO ' +
		'TTO TT TUN TN TUR TR TUV TV TWN TW TZA TZ UGA UG UKR UA UMI UM URY UY USA US UZB UZ VAT VA VCT VC VEN VE VGB VG ' +
		'VIR VI VNM VN VUT VU WLF WF WSM WS XKX XK YEM YE ZAF ZA ZMB ZM ZWE ZW'
	)
		.match(/[A-Z]{3} [A-Z]{2}/g)!
		.map((pair) => pair.split(' ')),
);

/** Other spellings people type for a country, lower-cased -> alpha-3. */
const COUNTRY_ALIASES: Record<string, string> = {
	'united states of america': 'USA',
	'u.s.a.': 'USA',
	'u.s.': 'USA',
	america: 'USA',
	uk: 'GBR',
	'great britain': 'GBR',
	england: 'GBR',
	scotland: 'GBR',
	wales: 'GBR',
	'northern ireland': 'GBR',
	'south korea': 'KOR',
	'korea, republic of': 'KOR',
	russia: 'RUS',
	vietnam: 'VNM',
	'czech republic': 'CZE',
	holland: 'NLD',
	'the netherlands': 'NLD',
};

const US_STATES =
	'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|' +
	'DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|' +
	'KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|' +
	'MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|' +
	'NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|' +
	'SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|' +
	'WV West Virginia|WI Wisconsin|WY Wyoming|AS American Samoa|GU Guam|MP Northern Mariana Islands|' +
	'PR Puerto Rico|VI U.S. Virgin Islands|UM U.S. Minor Outlying Islands';
const CA_PROVINCES =
	'AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|' +
	'NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|YT Yukon';

/** Country alpha-2 -> (subdivision code -> name). */
const REGIONS: Record<string, Map<string, string>> = {
	US: new Map(US_STATES.split('|').map((s) => [s.slice(0, 2), s.slice(3)])),
	CA: new Map(CA_PROVINCES.split('|').map((s) => [s.slice(0, 2), s.slice(3)])),
};
const REGION_CODE = /^([A-Z]{2})-([A-Z0-9]{1,3})$/;

let displayNames: Intl.DisplayNames | undefined;
let byName: Map<string, string> | undefined;

function names(): Intl.DisplayNames {
	displayNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
	return displayNames;
}

/** The English name of an alpha-3 country code, e.g. USA -> "United States". */
export function countryNameOf(alpha3: string): string | undefined {
	const alpha2 = ALPHA3_TO_2[alpha3.toUpperCase()];
	if (!alpha2) return undefined;
	try {
		return names().of(alpha2) ?? undefined;
	} catch {
		return undefined;
	}
}

/** The alpha-3 code of a country name or code as found in Keap ("United States", "usa", "US"). */
export function countryCodeOf(text: string): string | undefined {
	const t = text.trim();
	if (!t) return undefined;
	const upper = t.toUpperCase();
	if (ALPHA3_TO_2[upper]) return upper;
	if (!byName) {
		byName = new Map();
		for (const [a3, a2] of Object.entries(ALPHA3_TO_2)) {
			byName.set(a2.toLowerCase(), a3);
			const name = countryNameOf(a3);
			if (name) byName.set(name.toLowerCase(), a3);
		}
		for (const [alias, a3] of Object.entries(COUNTRY_ALIASES)) byName.set(alias, a3);
	}
	return byName.get(t.toLowerCase());
}

/** What to write in a State column for an ISO 3166-2 code: the name when known (US-AZ -> Arizona). */
export function regionTextOf(regionCode: string): string {
	const m = REGION_CODE.exec(regionCode.toUpperCase());
	if (!m) return regionCode;
	return REGIONS[m[1]]?.get(m[2]) ?? m[2];
}

/**
 * The ISO 3166-2 code and long name of a State column's text, in the context of the address's
 * country (alpha-3, if known): "Arizona" or "AZ" with USA (or no country) -> US-AZ / Arizona.
 */
export function regionOf(text: string, countryAlpha3?: string): { code?: string; name: string } {
	const t = text.trim();
	const coded = REGION_CODE.exec(t.toUpperCase());
	if (coded) return { code: t.toUpperCase(), name: REGIONS[coded[1]]?.get(coded[2]) ?? t };
	const countries = countryAlpha3 ? [ALPHA3_TO_2[countryAlpha3]].filter(Boolean) : ['US', 'CA'];
	for (const c of countries) {
		const table = REGIONS[c];
		if (!table) continue;
		const abbr = t.toUpperCase();
		if (table.has(abbr)) return { code: `${c}-${abbr}`, name: table.get(abbr)! };
		for (const [code, name] of table) if (name.toLowerCase() === t.toLowerCase()) return { code: `${c}-${code}`, name };
	}
	return { name: t };
}

/**
 * Whether an ISO 3166-2 code (US-AZ) names a region of the country (alpha-3, USA): its prefix
 * must be the country's alpha-2 code and, for the countries whose regions are tabled here
 * (United States, Canada), its subdivision one of them.
 */
export function isRegionOf(regionCode: string, countryAlpha3: string): boolean {
	const m = REGION_CODE.exec(regionCode.trim().toUpperCase());
	const alpha2 = ALPHA3_TO_2[countryAlpha3.trim().toUpperCase()];
	if (!m || !alpha2 || m[1] !== alpha2) return false;
	const table = REGIONS[alpha2];
	return table ? table.has(m[2]) : true;
}
