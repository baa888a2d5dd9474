// Country and US-state names: REST speaks ISO codes (country_code alpha-3, v2 region_code
// ISO 3166-2), XML-RPC and REST `region` speak names.
export const COUNTRIES = {
	USA: 'United States', CAN: 'Canada', MEX: 'Mexico', GBR: 'United Kingdom', IRL: 'Ireland',
	AUS: 'Australia', NZL: 'New Zealand', DEU: 'Germany', FRA: 'France', ESP: 'Spain', ITA: 'Italy',
	NLD: 'Netherlands', BEL: 'Belgium', CHE: 'Switzerland', AUT: 'Austria', SWE: 'Sweden',
	NOR: 'Norway', DNK: 'Denmark', FIN: 'Finland', POL: 'Poland', PRT: 'Portugal', BRA: 'Brazil',
	ARG: 'Argentina', IND: 'India', JPN: 'Japan', CHN: 'China', ZAF: 'South Africa', PHL: 'Philippines',
};

const US = 'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming';
export const US_STATES = Object.fromEntries(US.split('|').map((s) => [`US-${s.slice(0, 2)}`, s.slice(3)]));

export function countryName(code) {
	return code ? (COUNTRIES[code.toUpperCase()] ?? code) : null;
}

export function countryCode(name) {
	if (!name) return null;
	const hit = Object.entries(COUNTRIES).find(([, n]) => n.toLowerCase() === String(name).toLowerCase());
	return hit ? hit[0] : String(name).length === 3 ? String(name).toUpperCase() : name;
}

export function regionName(regionCode) {
	return regionCode ? (US_STATES[regionCode.toUpperCase()] ?? regionCode) : null;
}

export function regionCode(name, country) {
	if (!name) return null;
	if (/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(name)) return name;
	if (country && country !== 'USA') return null;
	const hit = Object.entries(US_STATES).find(([, n]) => n.toLowerCase() === String(name).toLowerCase());
	return hit ? hit[0] : null;
}
