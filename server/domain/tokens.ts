import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.js';

/**
 * Tokens: `v1.<payload>.<signature>`, payload = base64url JSON `{ sub, iat, exp, sid? }`, signature =
 * HMAC-SHA256 over `v1.<payload>`. Nothing but the subject (and an officer's session id) is trusted from a
 * token; roles and badges always come from the store, and an officer's session is checked there too.
 */
export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
  /** Officer tokens only: the session (server/domain/officer-sessions.ts) the token belongs to. */
  sid?: string;
}

export class TokenSigner {
  readonly #secret: Buffer;

  constructor(secret: string | Buffer, private readonly ttlSeconds: number) {
    this.#secret = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.#secret.length < 32) throw new Error('token secret must be at least 32 bytes');
  }

  sign(subject: string, nowMs: number, ttlSeconds = this.ttlSeconds, sessionId?: string): { token: string; expiresAt: string } {
    const iat = Math.floor(nowMs / 1000);
    const claims: TokenClaims = { sub: subject, iat, exp: iat + ttlSeconds, ...(sessionId === undefined ? {} : { sid: sessionId }) };
    const body = `v1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${body}.${this.#mac(body)}`, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  /** The token's claims; throws `unauthorized` for anything malformed or forged, `token_expired` after expiry. */
  verify(token: string, nowMs: number): TokenClaims {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') throw unauthorized();
    const expected = Buffer.from(this.#mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized();
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      throw unauthorized();
    }
    if (typeof claims?.sub !== 'string' || typeof claims.exp !== 'number') throw unauthorized();
    if (claims.sid !== undefined && typeof claims.sid !== 'string') throw unauthorized();
    if (claims.exp * 1000 <= nowMs) throw new DomainError('token_expired', 'Token has expired');
    return claims;
  }

  #mac(data: string): string {
    return createHmac('sha256', this.#secret).update(data).digest('base64url');
  }
}

const unauthorized = () => new DomainError('unauthorized', 'Missing or invalid token');
