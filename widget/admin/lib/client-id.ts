const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A 21-character idempotency key of [A-Za-z0-9_-] for one official answer (64 symbols, so no modulo bias). */
export function newClientId(): string {
  let id = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(21))) id += ALPHABET[byte & 63];
  return id;
}
