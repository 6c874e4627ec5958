/**
 * Rate limits and officers' sign-in lockouts counted in Redis, so that several instances count one person once
 * (rate-limiter-flexible, RateLimiterRedis). While Redis cannot be reached each instance counts in its own memory
 * (the library's insurance limiter): limits then hold per instance, never not at all.
 *
 * The library counts in fixed windows rather than token buckets: a bucket of `capacity` refilled at `perMinute`
 * becomes `capacity` actions per `capacity / perMinute` minutes — the same sustained rate, with at most one extra
 * burst where two windows meet.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../domain/errors.js';
import type { Lockout, LockoutRule } from '../../domain/login-lockout.js';
import { dailyLimitReached, type BucketRule, type Limiter } from '../../domain/rate-limit.js';
import { wibDay } from '../../domain/trust.js';
import type { RedisConnections } from './connection.js';

/** A limiter per rule (points and window), made on first use and kept: the rules come from configuration. */
class Windows {
  readonly #byRule = new Map<string, RateLimiterRedis>();

  constructor(
    private readonly redis: RedisConnections,
    private readonly name: string,
  ) {}

  get(points: number, durationSeconds: number): RateLimiterRedis {
    const id = `${points}/${durationSeconds}`;
    let limiter = this.#byRule.get(id);
    if (!limiter) {
      const keyPrefix = `${this.redis.prefix}${this.name}`;
      limiter = new RateLimiterRedis({
        storeClient: this.redis.client,
        keyPrefix,
        points,
        duration: durationSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      });
      this.#byRule.set(id, limiter);
    }
    return limiter;
  }
}

export class RedisRateLimiter implements Limiter {
  readonly #windows: Windows;

  constructor(
    redis: RedisConnections,
    private readonly now: () => number = Date.now,
  ) {
    this.#windows = new Windows(redis, 'rl');
  }

  async take(key: string, rule: BucketRule): Promise<void> {
    const seconds = Math.max(1, Math.ceil((rule.capacity * 60) / rule.perMinute));
    try {
      await this.#windows.get(rule.capacity, seconds).consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new DomainError('rate_limited', 'Too many requests; try again later', { retryAfterMs: Math.max(1, err.msBeforeNext) });
    }
  }

  async takeDaily(key: string, limit: number): Promise<void> {
    const t = this.now();
    // The day is part of the key; two days' window only bounds how long a finished day's count is kept.
    try {
      await this.#windows.get(limit, 2 * 86_400).consume(`${key}:${wibDay(t)}`);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw dailyLimitReached(limit, t);
    }
  }
}

/** login-lockout.ts's rule on Redis: `failures` failed sign-ins within a window lock the username until it ends. */
export class RedisLoginLockout implements Lockout {
  readonly #failures: RateLimiterRedis;

  constructor(
    redis: RedisConnections,
    private readonly rule: LockoutRule,
  ) {
    this.#failures = new Windows(redis, 'login-fail').get(rule.failures, rule.windowMinutes * 60);
  }

  async check(username: string): Promise<void> {
    const seen = await this.#failures.get(username);
    if (seen && seen.consumedPoints >= this.rule.failures) {
      throw new DomainError('login_locked', 'Too many failed sign-ins for this username; try again later', { retryAfterMs: Math.max(1, seen.msBeforeNext) });
    }
  }

  async fail(username: string): Promise<void> {
    // Past the limit the library rejects; the failure is counted all the same.
    await this.#failures.consume(username).catch((err) => {
      if (!(err instanceof RateLimiterRes)) throw err;
    });
  }

  async succeed(username: string): Promise<void> {
    await this.#failures.delete(username);
  }
}
