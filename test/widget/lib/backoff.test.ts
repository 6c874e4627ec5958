import { expect } from '@esm-bundle/chai';
import { backoffDelay } from '../../../widget/lib/backoff.js';
import { newClientId } from '../../../widget/lib/client-id.js';

describe('reconnect backoff (full jitter)', () => {
  it('waits at most the base, doubled per attempt, never above the cap', () => {
    const highest = (attempt: number) => backoffDelay(attempt, 500, 15_000, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 10, 50].map(highest)).to.deep.equal([499, 999, 1999, 3999, 7999, 14999, 14999, 14999]);
  });

  it('spreads retries from zero upwards, so widgets do not return together', () => {
    expect(backoffDelay(6, 500, 15_000, () => 0)).to.equal(0);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
    expect(delays.size).to.be.greaterThan(40);
  });
});

describe('client ids for posts', () => {
  it('are what the server accepts (8-64 of A-Z a-z 0-9 _ -) and never repeat', () => {
    const ids = Array.from({ length: 1000 }, newClientId);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{8,64}$/.test(id))).to.equal(true);
    expect(new Set(ids).size).to.equal(1000);
  });
});
