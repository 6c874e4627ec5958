import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { TokenSigner } from '../../../server/domain/tokens.js';

const SECRET = 'x'.repeat(32);
const signer = new TokenSigner(SECRET, 3600);
const now = Date.UTC(2026, 10, 23);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 'accepted';
};

describe('visitor tokens', () => {
  it('round-trip the subject', () => {
    const { token, expiresAt } = signer.sign('visitor-1', now);
    assert.equal(signer.verify(token, now).sub, 'visitor-1');
    assert.equal(expiresAt, new Date(now + 3600_000).toISOString());
  });

  it('are refused once expired', () => {
    const { token } = signer.sign('visitor-1', now);
    assert.equal(code(() => signer.verify(token, now + 3600_000)), 'token_expired');
    assert.equal(code(() => signer.verify(token, now + 3599_000)), 'accepted');
  });

  it('are refused when signed with another secret', () => {
    const { token } = new TokenSigner('y'.repeat(32), 3600).sign('visitor-1', now);
    assert.equal(code(() => signer.verify(token, now)), 'unauthorized');
  });

  it('are refused when the payload is changed, even with the old signature', () => {
    const { token } = signer.sign('visitor-1', now);
    const [v, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'visitor-2', iat: 0, exp: 9e9 })).toString('base64url');
    assert.equal(code(() => signer.verify(`${v}.${forged}.${sig}`, now)), 'unauthorized');
  });

  it('are refused when malformed', () => {
    for (const bad of ['', 'abc', 'v1.a', 'v2.a.b', 'v1..', `v1.${'a'.repeat(10)}.${'b'.repeat(43)}`]) {
      assert.equal(code(() => signer.verify(bad, now)), 'unauthorized', bad);
    }
  });

  it('need a secret of at least 32 bytes', () => {
    assert.throws(() => new TokenSigner('short', 60));
    assert.ok(new DomainError('unauthorized', 'x') instanceof Error);
  });
});
