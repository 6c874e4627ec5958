import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemberChangeLog } from '../../../server/domain/member-changes.js';

const at = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('the member change log', () => {
  it('names the members changed at or after a seq, on every site', () => {
    const log = new MemberChangeLog(10);
    log.open('a', 5);
    log.open('b', 2);
    log.note('m1', at({ a: 6, b: 2 }));
    log.note('m2', at({ a: 8, b: 2 }));
    assert.deepEqual(log.since('a', 6), ['m1', 'm2']);
    assert.deepEqual(log.since('a', 7), ['m2']);
    assert.deepEqual(log.since('a', 9), []);
    // A change made while the site stood at the client's seq may have come after the client left.
    assert.deepEqual(log.since('b', 3), []);
    assert.equal(log.since('b', 2), undefined, 'b was at 2 when the log opened: earlier changes are unknown');
  });

  it('cannot answer for seqs from before it opened, except on a site that had no events', () => {
    const log = new MemberChangeLog(10);
    log.open('busy', 40);
    log.open('new', 0);
    assert.equal(log.since('busy', 40), undefined);
    assert.equal(log.since('busy', 12), undefined);
    assert.deepEqual(log.since('busy', 41), []);
    assert.deepEqual(log.since('new', 0), []);
    assert.equal(log.since('unknown', 1), undefined);
  });

  it('keeps one entry per member, at its latest change', () => {
    const log = new MemberChangeLog(10);
    log.open('a', 1);
    log.note('m1', at({ a: 3 }));
    log.note('m2', at({ a: 4 }));
    log.note('m1', at({ a: 5 }));
    assert.deepEqual(log.since('a', 2), ['m2', 'm1']);
    assert.deepEqual(log.since('a', 5), ['m1']);
  });

  it('forgets the oldest change past its capacity and refuses the seqs that change could concern', () => {
    const log = new MemberChangeLog(2);
    log.open('a', 1);
    log.note('m1', at({ a: 3 }));
    log.note('m2', at({ a: 4 }));
    log.note('m3', at({ a: 6 }));
    assert.equal(log.since('a', 3), undefined);
    assert.deepEqual(log.since('a', 4), ['m2', 'm3']);
    log.clear();
    assert.equal(log.since('a', 4), undefined, 'after clear it knows nothing until opened again');
  });
});
