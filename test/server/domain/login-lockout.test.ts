import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { LoginLockout } from '../../../server/domain/login-lockout.js';

const MINUTE = 60_000;

function lockedFor(lockout: LoginLockout, username: string): number | undefined {
  try {
    lockout.check(username);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof DomainError && err.code === 'login_locked');
    return err.details.retryAfterMs;
  }
}

describe('per-username sign-in lockout', () => {
  it('locks a username after 5 failures within 15 minutes, for the rest of the window, then lifts by itself', () => {
    let clock = 0;
    const lockout = new LoginLockout({ failures: 5, windowMinutes: 15 }, () => clock);
    for (let i = 0; i < 5; i++) {
      assert.equal(lockedFor(lockout, 'petugas1'), undefined, `failure ${i} is answered normally`);
      lockout.fail('petugas1');
      clock += MINUTE;
    }
    // First failure at 0, now at 5 minutes: locked until 15.
    assert.equal(lockedFor(lockout, 'petugas1'), 10 * MINUTE);
    assert.equal(lockedFor(lockout, 'petugas2'), undefined, 'another username is not affected');
    clock = 15 * MINUTE - 1;
    assert.equal(lockedFor(lockout, 'petugas1'), 1);
    clock = 15 * MINUTE;
    assert.equal(lockedFor(lockout, 'petugas1'), undefined, 'lifted once the first failure left the window');
  });

  it('does not lock on failures spread wider than the window', () => {
    let clock = 0;
    const lockout = new LoginLockout({ failures: 5, windowMinutes: 15 }, () => clock);
    for (let i = 0; i < 20; i++) {
      lockout.fail('petugas1');
      assert.equal(lockedFor(lockout, 'petugas1'), undefined);
      clock += 4 * MINUTE;
    }
  });

  it('treats an unknown username exactly like a known one, and a success clears the count', () => {
    let clock = 0;
    const lockout = new LoginLockout({ failures: 5, windowMinutes: 15 }, () => clock);
    for (let i = 0; i < 4; i++) lockout.fail('petugas1');
    lockout.succeed('petugas1');
    lockout.fail('petugas1');
    assert.equal(lockedFor(lockout, 'petugas1'), undefined);
    for (let i = 0; i < 5; i++) lockout.fail('tidak-ada');
    clock += 1000;
    assert.equal(lockedFor(lockout, 'tidak-ada'), 15 * MINUTE - 1000);
  });
});
