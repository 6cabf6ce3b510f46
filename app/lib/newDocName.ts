import { isValidDocName } from '@tandem/protocol';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A fresh, URL-friendly document name: 10 characters, about 50 bits of randomness. */
export function newDocName(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  const name = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  if (!isValidDocName(name)) throw new Error(`generated an invalid document name: ${name}`);
  return name;
}
