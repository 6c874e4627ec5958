import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.js';

/** Officers' passwords are kept only as `scrypt$N$r$p$saltB64$hashB64`. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 10) throw new Error('an officer password needs at least 10 characters');
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (!n || !r || !p || n > 1 << 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  // Parameters scrypt refuses (N not a power of two, too much memory) make a hash that never matches.
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), n, r, p).catch(() => undefined);
  return key !== undefined && expected.length === key.length && timingSafeEqual(expected, key);
}

export function isPasswordHash(value: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(value);
}

/** How many password checks may run at once, and how many may wait for a turn. */
export interface HashingLimits {
  concurrent: number;
  queued: number;
}

/** One check at a time: scrypt runs on libuv's 4-thread pool, which the journal's fsyncs need too. */
export const DEFAULT_HASHING_LIMITS: HashingLimits = { concurrent: 1, queued: 4 };

/**
 * Bounds concurrent password hashing so that a flood of sign-ins can never starve writes. Beyond
 * `concurrent` running and `queued` waiting, a check is refused at once with `unavailable` and a
 * `retryAfterMs` estimated from recent check times. `'unbounded'` (benchmarks only) runs everything.
 */
export class HashingQueue {
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  /** Moving average of one check's duration, for the retry estimate. */
  #averageMs = 50;

  constructor(readonly limits: HashingLimits | 'unbounded' = DEFAULT_HASHING_LIMITS) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#slot();
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.#averageMs = 0.8 * this.#averageMs + 0.2 * (performance.now() - started);
      this.#release();
    }
  }

  async #slot(): Promise<void> {
    const limits = this.limits;
    if (limits === 'unbounded' || this.#running < limits.concurrent) {
      this.#running++;
      return;
    }
    if (this.#waiting.length >= limits.queued) {
      const turns = (limits.queued + limits.concurrent) / limits.concurrent;
      throw new DomainError('unavailable', 'Too many sign-ins are being checked; try again shortly', {
        retryAfterMs: Math.max(1000, Math.ceil(this.#averageMs * turns)),
      });
    }
    // The slot is handed over by #release without being freed, so nobody can take it in between.
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }
}
