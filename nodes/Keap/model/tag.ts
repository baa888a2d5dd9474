/** Keap tags (XML-RPC calls them ContactGroup) in the shape every API's answer is read into. */

export interface Tag {
	id: string;
	name: string;
	description?: string | null;
	category_id?: string | null;
	category_name?: string | null;
}

/** What a new tag is made of. */
export interface TagInput {
	name: string;
	description?: string;
	category_id?: string;
}

export interface TagQuery {
	/** An exact name: Keap's /v2/tags filter documents no wildcard (prefixes: KeapSession.tagsStartingWith). */
	name?: string;
	category_id?: string;
}

/** A tag as applied to one contact. */
export interface AppliedTag extends Tag {
	applied_time?: string | null;
}

/** One contact a tag was applied to, and when (REST v2's tag contact listing). */
export interface TagApplication {
	contact_id: string;
	applied_time: string | null;
}

/** Per-contact outcome of a tag apply/remove, as Keap reports it (SUCCESS, DUPLICATE, ...). */
export type TagResultMap = Record<string, string>;
