import { DomainError } from './errors.js';
import { wibDay } from './trust.js';

export interface BucketRule {
  /** Burst size. */
  capacity: number;
  /** Tokens added per minute. */
  perMinute: number;
}

/**
 * What the domain asks of a rate limiter. In memory (RateLimiter) for one process; on Redis
 * (server/store/redis/rate-limits.ts) so that several instances count one person once.
 */
export interface Limiter {
  /** Takes one token or throws (or rejects with) `rate_limited` with the time until one is available. */
  take(key: string, rule: BucketRule): void | Promise<void>;
  /** Counts one more action today (WIB) or throws (or rejects with) `rate_limited` until midnight WIB. */
  takeDaily(key: string, limit: number): void | Promise<void>;
}

/**
 * Token buckets keyed by strings such as `vote:member:<id>` or `post:ip:<addr>`, plus per-day counters.
 * In memory: one instance guards one server process; with several instances the Redis limiter is used instead
 * (server/store/redis/rate-limits.ts, docs/SCALING.md).
 */
export class RateLimiter implements Limiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #daily = new Map<string, { day: string; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one token or throws `rate_limited` with the time until one is available. */
  take(key: string, rule: BucketRule): void {
    const t = this.now();
    const refillPerMs = rule.perMinute / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: rule.capacity, at: t };
    b.tokens = Math.min(rule.capacity, b.tokens + (t - b.at) * refillPerMs);
    b.at = t;
    if (b.tokens < 1) {
      this.#buckets.set(key, b);
      throw new DomainError('rate_limited', 'Too many requests; try again later', { retryAfterMs: Math.ceil((1 - b.tokens) / refillPerMs) });
    }
    b.tokens -= 1;
    this.#buckets.set(key, b);
    if (this.#buckets.size > 100_000) this.#sweep(t, refillPerMs, rule.capacity);
  }

  /** Counts one more action today (WIB) or throws `rate_limited` until midnight WIB. */
  takeDaily(key: string, limit: number): void {
    const t = this.now();
    const day = wibDay(t);
    const c = this.#daily.get(key);
    const count = c && c.day === day ? c.count : 0;
    if (count >= limit) throw dailyLimitReached(limit, t);
    this.#daily.set(key, { day, count: count + 1 });
    if (this.#daily.size > 100_000) for (const [k, v] of this.#daily) if (v.day !== day) this.#daily.delete(k);
  }

  // Full buckets carry no information; dropping them bounds memory under many one-off keys.
  #sweep(t: number, refillPerMs: number, capacity: number): void {
    for (const [k, b] of this.#buckets) if (b.tokens + (t - b.at) * refillPerMs >= capacity) this.#buckets.delete(k);
  }
}

/** `rate_limited` until the next midnight WIB, when daily counts start again. */
export function dailyLimitReached(limit: number, t: number): DomainError {
  const nextMidnightWib = (Math.floor((t + WIB_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - WIB_OFFSET_MS;
  return new DomainError('rate_limited', `Daily limit of ${limit} reached`, { retryAfterMs: nextMidnightWib - t });
}

const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;
