import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../../server/domain/errors.js';
import { DEFAULT_SLA } from '../../../../server/domain/follow-up/calendar.js';
import {
  allowedStatuses,
  assign,
  autoClose,
  changeStatus,
  openFollowUp,
  recordAskerReply,
  recordOfficerAnswer,
  type Clock,
} from '../../../../server/domain/follow-up/lifecycle.js';
import { FOLLOW_UP_STATUSES, type FollowUp, type FollowUpStatus } from '../../../../server/domain/follow-up/model.js';
import type { WorkCalendar } from '../../../../server/domain/follow-up/working-time.js';
import { calendar, iso, wib } from './helpers.js';

// December 2026: Mon 7 … Fri 11, Mon 14 … Fri 18, Mon 21 … Thu 24, Fri 25 (Christmas), Mon 28 … Thu 31.
// Office hours: Mon–Thu 07:30–16:00 (510 min), Fri 07:30–16:30 (540 min). Targets: first response 240 min,
// resolution 2400 min; a follow-up opened Mon 7 Dec 07:30 is due 11:30 for the first response and
// Fri 11 Dec 13:30 for the resolution (Mon–Thu 4 × 510 = 2040, Fri 07:30 + 360 = 13:30).

const cal = calendar();
const clock = (local: string, c: WorkCalendar = cal): Clock => ({ calendar: c, now: wib(local) });
const SETTINGS = { sla: { ...DEFAULT_SLA, categories: { pensiun: { resolutionMinutes: 4800 } } }, autoCloseWorkingDays: 10 };

function open(local = '2026-12-07 07:30', c: WorkCalendar = cal, category = 'mutasi'): FollowUp {
  return openFollowUp(
    { threadId: 'th1', site: 'kanreg1', category, tracking: 'KR1-2026-000001', reason: 'asker_request', settings: SETTINGS },
    clock(local, c),
  );
}

const answered = (f: FollowUp, local = '2026-12-07 08:00', c: WorkCalendar = cal) => recordOfficerAnswer(f, { officerId: 'p1' }, clock(local, c));
const move = (f: FollowUp, to: FollowUpStatus, local: string, c: WorkCalendar = cal) =>
  changeStatus(f, { to, officerId: 'p1', expectedVersion: f.version }, clock(local, c));

function refused(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === code, `expected ${code}`);
}

/** A follow-up in `status`, answered by an officer wherever the status allows it. */
function reach(status: FollowUpStatus): FollowUp {
  const f = open();
  if (status === 'baru') return f;
  const working = answered(f);
  if (status === 'diproses') return working;
  if (status === 'menunggu_penanya') return move(working, 'menunggu_penanya', '2026-12-07 09:00');
  const resolved = move(working, 'selesai', '2026-12-07 09:00');
  return status === 'selesai' ? resolved : move(resolved, 'ditutup', '2026-12-07 09:30');
}

describe('opening a follow-up', () => {
  it('starts both clocks now, as baru, version 1', () => {
    const f = open();
    assert.equal(f.status, 'baru');
    assert.equal(f.version, 1);
    assert.equal(f.firstResponseDue, iso(wib('2026-12-07 11:30')));
    assert.equal(f.resolutionDue, iso(wib('2026-12-11 13:30')));
    assert.equal(f.slaState, 'ok');
    assert.equal(f.pausedWorkingMinutes, 0);
    assert.deepEqual(f.history, [{ at: iso(wib('2026-12-07 07:30')), from: null, to: 'baru', cause: 'opened' }]);
  });

  it('takes the category own targets and keeps them on the record', () => {
    // 4800 min: the week of 7 Dec gives 2580; 2220 left: Mon 14–Thu 17 4 × 510 = 2040; Fri 18 07:30 + 180 = 10:30.
    const f = open('2026-12-07 07:30', cal, 'pensiun');
    assert.equal(f.resolutionMinutes, 4800);
    assert.equal(f.firstResponseMinutes, 240);
    assert.equal(f.resolutionDue, iso(wib('2026-12-18 10:30')));
  });

  it('counts from Monday morning when asked on Saturday', () => {
    assert.equal(open('2026-12-05 10:00').firstResponseDue, iso(wib('2026-12-07 11:30')));
  });
});

describe("an officer's answer", () => {
  it('moves baru to diproses and records the first response, once', () => {
    const first = answered(open(), '2026-12-07 08:00');
    assert.equal(first.status, 'diproses');
    assert.equal(first.firstRespondedAt, iso(wib('2026-12-07 08:00')));
    assert.equal(first.version, 2);
    assert.deepEqual(first.history.at(-1), { at: iso(wib('2026-12-07 08:00')), from: 'baru', to: 'diproses', cause: 'officer_answer', by: 'p1' });
    const second = answered(first, '2026-12-07 09:00');
    assert.equal(second.firstRespondedAt, first.firstRespondedAt);
    assert.equal(second.status, 'diproses');
    assert.equal(second.version, 3, 'every answer makes other officers\u2019 views stale');
    assert.equal(second.history.length, 2);
  });

  it('checks the version the officer saw when one is given', () => {
    const f = answered(open());
    refused(() => recordOfficerAnswer(f, { officerId: 'p2', expectedVersion: 1 }, clock('2026-12-07 08:05')), 'stale_view');
    assert.equal(recordOfficerAnswer(f, { officerId: 'p2', expectedVersion: 2 }, clock('2026-12-07 08:05')).version, 3);
  });
});

describe('officer transitions', () => {
  // Written out by hand (not read from the module) so that a change to the table shows up here.
  const ALLOWED: Record<FollowUpStatus, FollowUpStatus[]> = {
    baru: ['diproses', 'ditutup'],
    diproses: ['menunggu_penanya', 'selesai'],
    menunggu_penanya: ['diproses', 'selesai'],
    selesai: ['diproses', 'ditutup'],
    ditutup: ['diproses'],
  };

  for (const from of FOLLOW_UP_STATUSES) {
    for (const to of FOLLOW_UP_STATUSES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to}: ${allowed ? 'allowed' : 'refused with invalid_transition'}`, () => {
        const f = reach(from);
        const before = structuredClone(f);
        if (allowed) {
          const next = move(f, to, '2026-12-07 10:00');
          assert.equal(next.status, to);
          assert.equal(next.version, f.version + 1);
          assert.deepEqual(next.history.at(-1), { at: iso(wib('2026-12-07 10:00')), from, to, cause: 'officer', by: 'p1' });
        } else {
          refused(() => move(f, to, '2026-12-07 10:00'), 'invalid_transition');
        }
        assert.deepEqual(f, before, 'the input is never changed');
      });
    }
  }

  it('needs an officer answer before waiting for the asker or resolving', () => {
    const pickedUp = move(open(), 'diproses', '2026-12-07 08:00');
    assert.equal(pickedUp.firstRespondedAt, undefined, 'picking up is not a response');
    assert.deepEqual(allowedStatuses(pickedUp), []);
    refused(() => move(pickedUp, 'menunggu_penanya', '2026-12-07 08:10'), 'invalid_transition');
    refused(() => move(pickedUp, 'selesai', '2026-12-07 08:10'), 'invalid_transition');
    const replied = answered(pickedUp, '2026-12-07 08:20');
    assert.deepEqual(allowedStatuses(replied), ['menunggu_penanya', 'selesai']);
    assert.deepEqual(allowedStatuses(open()), ['diproses', 'ditutup']);
  });

  it('keeps a note with the change', () => {
    const f = changeStatus(open(), { to: 'ditutup', officerId: 'p1', expectedVersion: 1, note: 'duplikat KR1-2026-000007' }, clock('2026-12-07 08:00'));
    assert.equal(f.history.at(-1)!.note, 'duplikat KR1-2026-000007');
  });
});

describe('versions', () => {
  it('let one of two officers resolve from the same view; the other gets stale_view', () => {
    const seen = answered(open());
    const first = changeStatus(seen, { to: 'selesai', officerId: 'p1', expectedVersion: seen.version }, clock('2026-12-07 09:00'));
    refused(() => changeStatus(first, { to: 'selesai', officerId: 'p2', expectedVersion: seen.version }, clock('2026-12-07 09:00')), 'stale_view');
  });

  it('report a stale view before judging the transition', () => {
    const f = answered(open());
    refused(() => changeStatus(f, { to: 'baru', officerId: 'p1', expectedVersion: 1 }, clock('2026-12-07 09:00')), 'stale_view');
  });

  it('move with assignment, and not when nothing changes', () => {
    const f = open();
    const mine = assign(f, { assigneeId: 'p1', expectedVersion: 1 }, clock('2026-12-07 08:00'));
    assert.equal(mine.assigneeId, 'p1');
    assert.equal(mine.version, 2);
    assert.equal(assign(mine, { assigneeId: 'p1', expectedVersion: 2 }, clock('2026-12-07 08:01')), mine);
    refused(() => assign(mine, { assigneeId: 'p2', expectedVersion: 1 }, clock('2026-12-07 08:01')), 'stale_view');
    const nobody = assign(mine, { assigneeId: null, expectedVersion: 2 }, clock('2026-12-07 08:02'));
    assert.equal('assigneeId' in nobody, false);
    assert.equal(nobody.version, 3);
    assert.equal(nobody.history.length, 1, 'assignments are not status changes');
  });

  it('move when the asker adds to an open follow-up, not when it is closed', () => {
    const working = answered(open());
    assert.equal(recordAskerReply(working, clock('2026-12-07 09:00')).version, working.version + 1);
    assert.equal(recordAskerReply(working, clock('2026-12-07 09:00')).status, 'diproses');
    const closed = reach('ditutup');
    assert.equal(recordAskerReply(closed, clock('2026-12-08 09:00')), closed);
  });
});

describe('waiting for the asker', () => {
  it('pauses both clocks; the reply resumes them and pushes the due time by the paused working time', () => {
    const waiting = move(answered(open()), 'menunggu_penanya', '2026-12-07 10:00');
    assert.equal(waiting.slaState, 'paused');
    assert.equal(waiting.pausedAt, iso(wib('2026-12-07 10:00')));
    // Paused Mon 10:00 → 16:00 (360) + Tue 07:30 → 09:00 (90) = 450 working minutes.
    // Resolution due Fri 11 Dec 13:30 + 450: Fri → 16:30 is 180, 270 left: Mon 14 07:30 + 270 = 12:00.
    const resumed = recordAskerReply(waiting, clock('2026-12-08 09:00'));
    assert.equal(resumed.status, 'diproses');
    assert.equal(resumed.pausedAt, undefined);
    assert.equal(resumed.pausedWorkingMinutes, 450);
    assert.equal(resumed.resolutionDue, iso(wib('2026-12-14 12:00')));
    assert.equal(resumed.firstResponseDue, waiting.firstResponseDue, 'already answered: the first-response due stays');
    assert.equal(resumed.slaState, 'ok');
    assert.deepEqual(resumed.history.at(-1), { at: iso(wib('2026-12-08 09:00')), from: 'menunggu_penanya', to: 'diproses', cause: 'asker_reply' });
  });

  it('does not push anything for a pause outside working hours', () => {
    // Pension: due Fri 18 Dec 10:30. Waiting from Fri 11 Dec 16:30 (closing) to Mon 14 07:00: 0 working minutes.
    const waiting = move(answered(open('2026-12-07 07:30', cal, 'pensiun')), 'menunggu_penanya', '2026-12-11 16:30');
    const resumed = recordAskerReply(waiting, clock('2026-12-14 07:00'));
    assert.equal(resumed.resolutionDue, iso(wib('2026-12-18 10:30')));
    assert.equal(resumed.pausedWorkingMinutes, 0);
  });

  it('keeps a due time that was already missed before the pause', () => {
    // Due Fri 11 Dec 13:30, waiting from Mon 14 08:00 to Tue 15 08:00: 480 + 30 = 510 paused minutes.
    const waiting = move(answered(open()), 'menunggu_penanya', '2026-12-14 08:00');
    const resumed = recordAskerReply(waiting, clock('2026-12-15 08:00'));
    assert.equal(resumed.resolutionDue, iso(wib('2026-12-11 13:30')));
    assert.equal(resumed.pausedWorkingMinutes, 510);
    assert.equal(resumed.slaState, 'breached');
  });

  it('judges a resolution straight from waiting against the pushed due time', () => {
    // Waiting Mon 7 Dec 10:00 → Mon 14 Dec 12:30: 360 + 3 × 510 + 540 + 300 = 2730 working minutes.
    // Due Fri 11 13:30 + 2730: Fri 180, Mon 14–Thu 17 4 × 510 = 2040 (2220), Fri 18 07:30 + 510 = 16:00.
    const waiting = move(answered(open()), 'menunggu_penanya', '2026-12-07 10:00');
    const resolved = move(waiting, 'selesai', '2026-12-14 12:30');
    assert.equal(resolved.resolutionDue, iso(wib('2026-12-18 16:00')));
    assert.equal(resolved.pausedWorkingMinutes, 2730);
    assert.equal(resolved.slaState, 'met');
  });

  it('pushes the first-response due too when a dismissed follow-up is reopened', () => {
    // Dismissed Mon 08:30, reopened Tue 07:30: 450 stopped minutes (Mon 08:30 → 16:00).
    // First response 11:30 + 450: Mon → 16:00 is 270, Tue 07:30 + 180 = 10:30.
    const dismissed = move(open(), 'ditutup', '2026-12-07 08:30');
    assert.equal(dismissed.slaState, 'met', 'dismissed before the first-response due');
    const reopened = move(dismissed, 'diproses', '2026-12-08 07:30');
    assert.equal(reopened.firstResponseDue, iso(wib('2026-12-08 10:30')));
    assert.equal(reopened.resolutionDue, iso(wib('2026-12-14 12:00')));
    assert.equal(reopened.closedAt, undefined);
    assert.equal(reopened.slaState, 'ok');
  });
});

describe('resolving and closing', () => {
  it('resolves, and the asker reply reopens it with the resolution clock where it stopped', () => {
    // Resolved Wed 9 Dec 10:00: auto-close at the end of the 10th working day after Wednesday:
    // Thu 10, Fri 11, Mon 14 … Fri 18, Mon 21, Tue 22, Wed 23 (10th) → Wed 23 Dec 16:00.
    const resolved = move(answered(open()), 'selesai', '2026-12-09 10:00');
    assert.equal(resolved.resolvedAt, iso(wib('2026-12-09 10:00')));
    assert.equal(resolved.autoCloseAt, iso(wib('2026-12-23 16:00')));
    assert.equal(resolved.slaState, 'met');
    // Reply Thu 10 Dec 08:00: stopped Wed 10:00 → 16:00 (360) + Thu 07:30 → 08:00 (30) = 390.
    // Due Fri 11 13:30 + 390: Fri 180, Mon 14 07:30 + 210 = 11:00.
    const reopened = recordAskerReply(resolved, clock('2026-12-10 08:00'));
    assert.equal(reopened.status, 'diproses');
    assert.equal(reopened.resolvedAt, undefined);
    assert.equal(reopened.autoCloseAt, undefined);
    assert.equal(reopened.resolutionDue, iso(wib('2026-12-14 11:00')));
    assert.equal(reopened.pausedWorkingMinutes, 390);
    assert.equal(reopened.history.at(-1)!.cause, 'asker_reply');
  });

  it('closes by itself after 10 working days with holidays inside, not a moment before', () => {
    const holidays = calendar({ holidays: ['2026-12-24', '2026-12-25'] });
    // Resolved Tue 15 Dec 10:00. After it: Wed 16, Thu 17, Fri 18, Mon 21, Tue 22, Wed 23 (6),
    // Thu 24 and Fri 25 closed, Mon 28, Tue 29, Wed 30, Thu 31 (10) → Thu 31 Dec 16:00.
    const resolved = move(answered(open('2026-12-14 07:30', holidays), '2026-12-14 08:00', holidays), 'selesai', '2026-12-15 10:00', holidays);
    assert.equal(resolved.autoCloseAt, iso(wib('2026-12-31 16:00')));
    refused(() => autoClose(resolved, clock('2026-12-31 15:59', holidays)), 'invalid_transition');
    const closed = autoClose(resolved, clock('2026-12-31 16:00', holidays));
    assert.equal(closed.status, 'ditutup');
    assert.equal(closed.closedAt, iso(wib('2026-12-31 16:00')));
    assert.equal(closed.resolvedAt, resolved.resolvedAt);
    assert.equal(closed.autoCloseAt, undefined);
    assert.equal(closed.version, resolved.version + 1);
    assert.deepEqual(closed.history.at(-1), { at: iso(wib('2026-12-31 16:00')), from: 'selesai', to: 'ditutup', cause: 'auto_close' });
    assert.equal(closed.slaState, 'met');
    refused(() => autoClose(closed, clock('2027-01-04 08:00', holidays)), 'invalid_transition');
  });

  it('lets an officer close a resolved follow-up at once and reopen a closed one', () => {
    const closed = move(reach('selesai'), 'ditutup', '2026-12-07 11:00');
    assert.equal(closed.closedAt, iso(wib('2026-12-07 11:00')));
    assert.equal(closed.pausedAt, iso(wib('2026-12-07 09:00')), 'the clocks stopped at the resolution');
    const reopened = move(closed, 'diproses', '2026-12-08 07:30');
    assert.equal(reopened.status, 'diproses');
    assert.equal(reopened.resolvedAt, undefined);
    // Stopped Mon 09:00 → 16:00 = 420; due Fri 11 13:30 + 420: Fri 180, Mon 14 07:30 + 240 = 11:30.
    assert.equal(reopened.resolutionDue, iso(wib('2026-12-14 11:30')));
  });
});
