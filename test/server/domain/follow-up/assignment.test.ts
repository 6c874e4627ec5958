import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundRobinOfficer } from '../../../../server/domain/follow-up/assignment.js';

describe('round-robin assignment', () => {
  it('gives the k-th follow-up of the year to officer (k − 1) mod n, in a stable order whatever the accounts’ order', () => {
    const officers = ['officer-c', 'officer-a', 'officer-b'];
    const turns = [1, 2, 3, 4, 5, 6, 7].map((n) => roundRobinOfficer(officers, `KR1-2026-${String(n).padStart(6, '0')}`));
    assert.deepEqual(turns, ['officer-a', 'officer-b', 'officer-c', 'officer-a', 'officer-b', 'officer-c', 'officer-a']);
    assert.equal(roundRobinOfficer(['officer-b', 'officer-a', 'officer-c'], 'KR1-2026-000002'), 'officer-b');
  });

  it('takes the officers in force: one removed drops out of the turn, one listed twice counts once', () => {
    assert.equal(roundRobinOfficer(['officer-a', 'officer-c'], 'KR1-2026-000002'), 'officer-c');
    assert.equal(roundRobinOfficer(['officer-a', 'officer-a', 'officer-b'], 'KR1-2026-000002'), 'officer-b');
  });

  it('starts again with the new year’s numbering, and gives nobody when the site has no officer or the number is not one', () => {
    assert.equal(roundRobinOfficer(['officer-a', 'officer-b'], 'KR1-2027-000001'), 'officer-a');
    assert.equal(roundRobinOfficer([], 'KR1-2026-000001'), undefined);
    assert.equal(roundRobinOfficer(['officer-a'], ''), undefined);
  });
});
