import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTracking, parseTracking, trackingYear } from '../../../../server/domain/follow-up/tracking.js';

describe('tracking numbers', () => {
  it('are PREFIX-YYYY-NNNNNN with the number zero-padded', () => {
    assert.equal(formatTracking('KR1', 2026, 42), 'KR1-2026-000042');
    assert.equal(formatTracking('KR14', 2027, 1), 'KR14-2027-000001');
    assert.equal(formatTracking('KANREG', 2026, 999_999), 'KANREG-2026-999999');
  });

  it('round-trip through parseTracking', () => {
    for (const [prefix, year, n] of [['KR1', 2026, 42], ['AB', 1999, 1], ['X9Y8Z7', 2100, 123_456]] as const) {
      assert.deepEqual(parseTracking(formatTracking(prefix, year, n)), { prefix, year, number: n });
    }
  });

  it('are recognised as typed into a search box', () => {
    assert.deepEqual(parseTracking('  kr1-2026-000042 '), { prefix: 'KR1', year: 2026, number: 42 });
    for (const text of ['KR1-2026-42', 'KR1-26-000042', 'K-2026-000042', 'KR1 2026 000042', 'KR1-2026-000000', 'mutasi pegawai']) {
      assert.equal(parseTracking(text), undefined, text);
    }
  });

  it('refuse values they cannot write', () => {
    assert.throws(() => formatTracking('kr1', 2026, 1), RangeError);
    assert.throws(() => formatTracking('KR1-', 2026, 1), RangeError);
    assert.throws(() => formatTracking('KR1', 26, 1), RangeError);
    assert.throws(() => formatTracking('KR1', 2026, 0), RangeError);
    assert.throws(() => formatTracking('KR1', 2026, 1_000_000), RangeError);
    assert.throws(() => formatTracking('KR1', 2026, 1.5), RangeError);
  });

  it('take the year of the site zone: 31 Dec 20:00 UTC is already 1 Jan in WIB', () => {
    const evening = Date.parse('2026-12-31T20:00:00Z'); // 1 Jan 2027 03:00 WIB
    assert.equal(trackingYear(evening, 'Asia/Jakarta'), 2027);
    assert.equal(trackingYear(evening, 'UTC'), 2026);
    // Midnight in each zone: WIB 17:00 UTC, WITA 16:00 UTC, WIT 15:00 UTC on 31 Dec.
    assert.equal(trackingYear(Date.parse('2026-12-31T16:59:59.999Z'), 'Asia/Jakarta'), 2026);
    assert.equal(trackingYear(Date.parse('2026-12-31T17:00:00Z'), 'Asia/Jakarta'), 2027);
    assert.equal(trackingYear(Date.parse('2026-12-31T15:59:59.999Z'), 'Asia/Makassar'), 2026);
    assert.equal(trackingYear(Date.parse('2026-12-31T16:00:00Z'), 'Asia/Makassar'), 2027);
    assert.equal(trackingYear(Date.parse('2026-12-31T14:59:59.999Z'), 'Asia/Jayapura'), 2026);
    assert.equal(trackingYear(Date.parse('2026-12-31T15:00:00Z'), 'Asia/Jayapura'), 2027);
  });
});
