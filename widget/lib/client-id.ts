/**
 * A url-safe idempotency key for one post: 128 random bits as 32 hex digits. getRandomValues rather than
 * randomUUID because the latter needs a secure context and many regional sites are still served over plain http.
 */
export function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
