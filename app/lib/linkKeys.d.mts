/** What a link opens: edit (`write`), view only (`read`), or the operator's list (`operator`). */
export type KeyPurpose = 'read' | 'write' | 'operator';

/** HMAC-SHA256(secret, message), 128 bits, base64url (22 characters). */
export function mac(secret: string | Uint8Array, message: string): string;

/** The key for a link (see linkKeys.mjs). */
export function linkKey(secret: string | Uint8Array, purpose: KeyPurpose, docName?: string, generation?: number): string;
