import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { RateLimiter } from '../../../server/domain/rate-limit.js';

describe('rate limits', () => {
  it('allow a burst, then refuse with the time until the next token', () => {
    let t = 0;
    const limiter = new RateLimiter(() => t);
    const rule = { capacity: 3, perMinute: 6 };
    for (let i = 0; i < 3; i++) limiter.take('k', rule);
    assert.throws(() => limiter.take('k', rule), (e: unknown) => e instanceof DomainError && e.code === 'rate_limited' && e.details.retryAfterMs === 10_000);
    t = 10_000;
    assert.doesNotThrow(() => limiter.take('k', rule));
    assert.doesNotThrow(() => limiter.take('other', rule), 'keys are independent');
  });

  it('count per WIB day and reset at midnight WIB', () => {
    let t = Date.parse('2026-11-20T16:00:00Z'); // 23:00 WIB
    const limiter = new RateLimiter(() => t);
    limiter.takeDaily('d', 2);
    limiter.takeDaily('d', 2);
    assert.throws(() => limiter.takeDaily('d', 2), (e: unknown) => e instanceof DomainError && e.details.retryAfterMs === 3_600_000);
    t += 3_600_000;
    assert.doesNotThrow(() => limiter.takeDaily('d', 2));
  });
});
