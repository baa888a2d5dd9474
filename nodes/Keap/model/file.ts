/** Keap files (file box records) in the shape the node outputs and takes. */

/** What a file belongs to (Keap's `file_association`): a contact, a user, or the account's (company) file box. */
export const FILE_ASSOCIATIONS = ['CONTACT', 'USER', 'COMPANY'] as const;
export type FileAssociation = (typeof FILE_ASSOCIATIONS)[number];

/**
 * The largest file the node uploads, in bytes. Keap's v2 document states no limit; the only
 * figure Keap gives is v1's "files larger than 8MB may cause errors when retrieved", so the node
 * refuses more than 8,000,000 bytes before sending (the emulator's `fileMaxBytes`).
 */
export const FILE_MAX_BYTES = 8_000_000;

export interface KeapFile {
	id: string;
	file_name: string | null;
	file_size: number | null;
	is_public: boolean | null;
	contact_id: string | null;
	created_by_id: string | null;
	category: string | null;
	file_box_type: string | null;
	remote_file_key: string | null;
	created_time: string | null;
	updated_time: string | null;
}

export interface FileQuery {
	contact_id?: string;
	user_id?: string;
	file_name?: string;
	is_public?: boolean;
	file_box_type?: string;
	order_by?: 'file_name' | 'updated_time';
	order_direction?: 'asc' | 'desc';
}

export interface FileUpload {
	file_name: string;
	association: FileAssociation;
	/** Only with CONTACT (and required there). */
	contact_id?: string;
	is_public: boolean;
	data: Uint8Array;
}

export function simplifyFile(f: KeapFile) {
	return { id: f.id, file_name: f.file_name, file_size: f.file_size, contact_id: f.contact_id, is_public: f.is_public, updated_time: f.updated_time };
}
