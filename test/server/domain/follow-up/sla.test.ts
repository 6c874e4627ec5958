import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SLA } from '../../../../server/domain/follow-up/calendar.js';
import { changeStatus, openFollowUp, recordOfficerAnswer, type Clock } from '../../../../server/domain/follow-up/lifecycle.js';
import type { FollowUp } from '../../../../server/domain/follow-up/model.js';
import { refreshSla, slaView, sweep, targetView } from '../../../../server/domain/follow-up/sla.js';
import type { WorkCalendar } from '../../../../server/domain/follow-up/working-time.js';
import { calendar, iso, wib, wit, wita } from './helpers.js';

// Office hours: Mon–Thu 07:30–16:00, Fri 07:30–16:30. First response 240 working minutes: the warning
// starts when 180 are used (75%), i.e. with 60 left; the breach comes after the due instant.

const cal = calendar();
const at = (now: number, c: WorkCalendar = cal): Clock => ({ calendar: c, now });

function open(now: number, c: WorkCalendar = cal, site = 'kanreg1', threadId = 'th1'): FollowUp {
  return openFollowUp(
    { threadId, site, category: 'mutasi', tracking: 'KR1-2026-000001', reason: 'asker_request', settings: { sla: DEFAULT_SLA, autoCloseWorkingDays: 10 } },
    at(now, c),
  );
}

describe('the first-response clock', () => {
  // Opened Mon 7 Dec 07:30: due 11:30; 75% used (180 min) at 10:30.
  const f = open(wib('2026-12-07 07:30'));

  it('warns at exactly 75% of the working time and breaches only after the due instant', () => {
    const view = (t: number) => slaView(f, cal, t);
    assert.equal(view(wib('2026-12-07 10:29:59.999')).state, 'ok');
    assert.equal(view(wib('2026-12-07 10:30')).state, 'warning');
    assert.equal(view(wib('2026-12-07 10:30')).minutesLeft, 60);
    assert.equal(view(wib('2026-12-07 11:30')).state, 'warning', 'at the due instant an answer still meets it');
    assert.equal(view(wib('2026-12-07 11:30')).minutesLeft, 0);
    assert.equal(view(wib('2026-12-07 11:30:00.001')).state, 'breached');
    assert.equal(view(wib('2026-12-07 13:30')).minutesLeft, -120, 'two working hours late');
  });

  it('says when it will change next, so that a timer can sleep until then', () => {
    assert.equal(iso(slaView(f, cal, wib('2026-12-07 08:00')).nextChangeAt!), iso(wib('2026-12-07 10:30')));
    assert.equal(iso(slaView(f, cal, wib('2026-12-07 10:45')).nextChangeAt!), iso(wib('2026-12-07 11:30:00.001')));
    assert.equal(slaView(f, cal, wib('2026-12-07 12:00')).nextChangeAt, undefined);
  });

  it('keeps counting only working minutes over the weekend ("sisa 2 jam kerja")', () => {
    // Opened Fri 4 Dec 14:30: Fri → 16:30 gives 120; due Mon 07:30 + 120 = 09:30; warning with 60 left: Mon 08:30.
    const friday = open(wib('2026-12-04 14:30'));
    assert.equal(friday.firstResponseDue, iso(wib('2026-12-07 09:30')));
    const saturday = slaView(friday, cal, wib('2026-12-05 12:00'));
    assert.equal(saturday.state, 'ok');
    assert.equal(saturday.minutesLeft, 120);
    assert.equal(iso(saturday.nextChangeAt!), iso(wib('2026-12-07 08:30')));
  });

  it('turns to warning at Friday closing time when 75% is used by then', () => {
    // Opened Fri 13:30: Fri → 16:30 gives 180 = 75% at 16:30 exactly; due Mon 07:30 + 60 = 08:30.
    const late = open(wib('2026-12-04 13:30'));
    assert.equal(slaView(late, cal, wib('2026-12-04 16:29')).state, 'ok');
    assert.equal(iso(slaView(late, cal, wib('2026-12-04 16:29')).nextChangeAt!), iso(wib('2026-12-04 16:30')));
    assert.equal(slaView(late, cal, wib('2026-12-04 16:30')).state, 'warning');
    assert.equal(slaView(late, cal, wib('2026-12-06 20:00')).minutesLeft, 60);
    assert.equal(slaView(late, cal, wib('2026-12-07 08:30:00.001')).state, 'breached');
  });
});

describe('slaState', () => {
  it('follows the resolution once an officer answered, and each target can be read on its own', () => {
    // Answered late, at 12:00. Resolution due Fri 11 Dec 13:30; 600 min left (25% of 2400) at Thu 10 12:00
    // (Fri 07:30 → 13:30 = 360, Thu 12:00 → 16:00 = 240).
    const f = recordOfficerAnswer(open(wib('2026-12-07 07:30')), { officerId: 'p1' }, at(wib('2026-12-07 12:00')));
    assert.equal(f.slaState, 'ok');
    assert.equal(targetView(f, 'firstResponse', cal, wib('2026-12-07 12:00')).state, 'breached');
    assert.equal(slaView(f, cal, wib('2026-12-10 11:59')).state, 'ok');
    assert.equal(slaView(f, cal, wib('2026-12-10 12:00')).state, 'warning');
    assert.equal(slaView(f, cal, wib('2026-12-10 12:00')).target, 'resolution');
    assert.equal(slaView(f, cal, wib('2026-12-11 13:30:00.001')).state, 'breached');
  });

  it('is paused while waiting for the asker, with the minutes left frozen', () => {
    // Paused Mon 10:00 after 150 working minutes: 2400 − 150 = 2250 left, whatever the time now.
    const answered = recordOfficerAnswer(open(wib('2026-12-07 07:30')), { officerId: 'p1' }, at(wib('2026-12-07 08:00')));
    const waiting = changeStatus(answered, { to: 'menunggu_penanya', officerId: 'p1', expectedVersion: 2 }, at(wib('2026-12-07 10:00')));
    for (const now of [wib('2026-12-07 15:00'), wib('2026-12-21 09:00')]) {
      const view = slaView(waiting, cal, now);
      assert.equal(view.state, 'paused');
      assert.equal(view.minutesLeft, 2250);
      assert.equal(view.nextChangeAt, undefined);
    }
  });

  it('is met or breached for good once resolved', () => {
    const answered = recordOfficerAnswer(open(wib('2026-12-07 07:30')), { officerId: 'p1' }, at(wib('2026-12-07 08:00')));
    const onTime = changeStatus(answered, { to: 'selesai', officerId: 'p1', expectedVersion: 2 }, at(wib('2026-12-11 13:30')));
    assert.equal(onTime.slaState, 'met');
    assert.equal(slaView(onTime, cal, wib('2027-03-01 09:00')).state, 'met');
    assert.equal(slaView(onTime, cal, wib('2027-03-01 09:00')).minutesLeft, undefined);
    const late = changeStatus(answered, { to: 'selesai', officerId: 'p1', expectedVersion: 2 }, at(wib('2026-12-11 13:31')));
    assert.equal(late.slaState, 'breached');
    assert.equal(slaView(late, cal, wib('2026-12-11 14:00')).autoCloseAt !== undefined, true);
  });

  it('is refreshed without a version bump', () => {
    const f = open(wib('2026-12-07 07:30'));
    assert.equal(refreshSla(f, cal, wib('2026-12-07 08:00')), f, 'unchanged: the same object');
    const warned = refreshSla(f, cal, wib('2026-12-07 10:30'));
    assert.equal(warned.slaState, 'warning');
    assert.equal(warned.version, f.version);
  });
});

describe('the clock sweep', () => {
  const jakarta = calendar({ timeZone: 'Asia/Jakarta' });
  const makassar = calendar({ timeZone: 'Asia/Makassar' });
  const jayapura = calendar({ timeZone: 'Asia/Jayapura' });
  const calendars = new Map([['kanreg1', jakarta], ['kanreg4', makassar], ['kanreg9', jayapura]]);

  it('returns what changed, what must close, and when to wake next', () => {
    // All opened Mon 7 Dec 07:30 local time; swept at 02:30 UTC = 09:30 WIB = 10:30 WITA = 11:30 WIT.
    const a = open(wib('2026-12-07 07:30'), jakarta, 'kanreg1', 'a'); // 120 used: ok, warning at 10:30 WIB
    const b = open(wita('2026-12-07 07:30'), makassar, 'kanreg4', 'b'); // 180 used: warning now
    const c = open(wit('2026-12-07 07:30'), jayapura, 'kanreg9', 'c'); // 240 used: at the due instant, warning
    const resolved = changeStatus(
      recordOfficerAnswer(open(wib('2026-11-16 07:30'), jakarta, 'kanreg1', 'd'), { officerId: 'p1' }, at(wib('2026-11-16 08:00'), jakarta)),
      { to: 'selesai', officerId: 'p1', expectedVersion: 2 },
      at(wib('2026-11-20 10:00'), jakarta),
    ); // auto-close: 10th working day after Fri 20 Nov is Fri 4 Dec, 16:30
    assert.equal(resolved.autoCloseAt, iso(wib('2026-12-04 16:30')));
    const now = Date.parse('2026-12-07T02:30:00Z');
    const result = sweep([a, b, c, resolved], now, calendars);
    assert.deepEqual(
      result.changed.map((ch) => [ch.followUp.threadId, ch.from, ch.to]),
      [['b', 'ok', 'warning'], ['c', 'ok', 'warning']],
    );
    assert.deepEqual(result.dueToClose.map((f) => f.threadId), ['d']);
    // Next: a's warning at 10:30 WIB (03:30 UTC) or c's breach just after 11:30 WIT (02:30:00.001 UTC).
    assert.equal(iso(result.nextWakeAt!), '2026-12-07T02:30:00.001Z');

    const later = sweep([a, b, c], result.nextWakeAt!, (site) => calendars.get(site));
    assert.deepEqual(later.changed.map((ch) => [ch.followUp.threadId, ch.to]), [['b', 'warning'], ['c', 'breached']]);
    assert.equal(iso(later.nextWakeAt!), iso(wib('2026-12-07 10:30')));
  });

  it('refuses a follow-up of a site it has no calendar for', () => {
    assert.throws(() => sweep([open(wib('2026-12-07 07:30'), cal, 'kanreg99')], wib('2026-12-07 08:00'), calendars), /kanreg99/);
  });

  it('has nothing to wake for when nothing will change by itself', () => {
    assert.deepEqual(sweep([], wib('2026-12-07 08:00'), calendars), { changed: [], dueToClose: [] });
  });
});
