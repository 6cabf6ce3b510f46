/**
 * Link keys, in plain JavaScript so that `scripts/links.mjs` and the end-to-end tests compute
 * exactly what the app checks (`auth.ts` re-exports these). Server only: they take the secret.
 * They stay with the app, not in @tandem/protocol: only the app makes and checks them (the sync
 * server sees generations in token claims, never keys), and node:crypto has no place in a browser bundle.
 */
import { createHmac } from 'node:crypto';

/** Separates the link keys from anything else the secret signs. */
const KEY_DOMAIN = 'tandem-link-v1';

/** HMAC-SHA256(secret, message), 128 bits, base64url (22 characters). */
export function mac(secret, message) {
  return createHmac('sha256', secret).update(message).digest().subarray(0, 16).toString('base64url');
}

/**
 * The key for a link: HMAC-SHA256(secret, purpose + doc + generation), 128 bits, base64url (22
 * characters). Generation 0 leaves the generation out, so links made before generations existed
 * keep working until their first reset.
 */
export function linkKey(secret, purpose, docName = '', generation = 0) {
  const message = `${KEY_DOMAIN}\n${purpose}\n${docName}`;
  return mac(secret, generation === 0 ? message : `${message}\n${generation}`);
}
