/** The marketing (opt-in) status Keap keeps per email address. */

export interface EmailAddressStatus {
	email: string;
	/** Whether Keap may send marketing email to the address. */
	opted_in: boolean;
	/** Keap's status (v2 spelling): SINGLE_OPT_IN, DOUBLE_OPT_IN, CONFIRMED, NON_MARKETABLE, MANUAL (opted out), ... */
	status: string | null;
	create_time: string | null;
	last_sent_time: string | null;
	last_open_time: string | null;
	last_click_time: string | null;
}
