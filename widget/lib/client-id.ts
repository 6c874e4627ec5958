const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/**
 * A 21-character url-safe idempotency key for one post. getRandomValues rather than randomUUID because the
 * latter needs a secure context and many regional sites are still served over plain http.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(21));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}
