import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addWorkingMinutes,
  calendarFor,
  workingMinutesBetween,
  WorkCalendar,
} from '../../../../server/domain/follow-up/working-time.js';
import { DEFAULT_WORKING_HOURS } from '../../../../server/domain/follow-up/calendar.js';
import { calendar, iso, MIN, wib, wit, wita } from './helpers.js';

// December 2026: Tue 1, Wed 2, Thu 3, Fri 4, Sat 5, Sun 6, Mon 7 … Thu 24, Fri 25 (Christmas), Mon 28 … Thu 31.
// Office hours (the default): Mon–Thu 07:30–16:00 (510 min), Fri 07:30–16:30 (540 min).

describe('adding working minutes', () => {
  it('carries Friday afternoon over the weekend into Monday', () => {
    // Fri 15:00 → 16:30 is 90 min; 240 − 90 = 150 left; Mon 07:30 + 150 min = 10:00.
    assert.equal(iso(addWorkingMinutes(calendar(), wib('2026-12-04 15:00'), 240)), iso(wib('2026-12-07 10:00')));
  });

  it('ends at closing time when the minutes fit exactly, not at the next opening', () => {
    // Fri 15:00 + 90 min = 16:30, the Friday closing time.
    assert.equal(iso(addWorkingMinutes(calendar(), wib('2026-12-04 15:00'), 90)), iso(wib('2026-12-04 16:30')));
  });

  it('skips a holiday on Monday', () => {
    // Fri 90 min as above; Mon 7 Dec closed; Tue 07:30 + 150 min = 10:00.
    const cal = calendar({ holidays: ['2026-12-07'] });
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-04 15:00'), 240)), iso(wib('2026-12-08 10:00')));
  });

  it('skips Christmas and cuti bersama in the middle of the count', () => {
    // Wed 23 Dec 14:00 → 16:00 = 120; Thu 24 (cuti bersama) and Fri 25 (Natal) closed; weekend;
    // Mon 28 07:30 + (600 − 120 = 480) min = 15:30.
    const cal = calendar({ holidays: ['2026-12-24', '2026-12-25'] });
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-23 14:00'), 600)), iso(wib('2026-12-28 15:30')));
  });

  it('counts the same instant in each site own zone (WIB, WITA, WIT)', () => {
    const start = Date.parse('2026-12-04T09:00:00Z'); // Fri 16:00 WIB = 17:00 WITA = 18:00 WIT
    // WIB: Fri 16:00 → 16:30 = 30; 210 left; Mon 07:30 + 210 = 11:00 WIB.
    assert.equal(iso(addWorkingMinutes(calendar({ timeZone: 'Asia/Jakarta' }), start, 240)), iso(wib('2026-12-07 11:00')));
    // WITA: Friday already closed at 16:30 WITA; Mon 07:30 + 240 = 11:30 WITA.
    assert.equal(iso(addWorkingMinutes(calendar({ timeZone: 'Asia/Makassar' }), start, 240)), iso(wita('2026-12-07 11:30')));
    // WIT: closed too; Mon 07:30 + 240 = 11:30 WIT, which is still Monday 02:30 UTC.
    assert.equal(iso(addWorkingMinutes(calendar({ timeZone: 'Asia/Jayapura' }), start, 240)), '2026-12-07T02:30:00.000Z');
    assert.equal(iso(wit('2026-12-07 11:30')), '2026-12-07T02:30:00.000Z');
  });

  it('starts counting at the next opening when started in the evening, at night or at the weekend', () => {
    const cal = calendar();
    // Wed 19:00 → Thu 07:30 + 60 = 08:30.
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-02 19:00'), 60)), iso(wib('2026-12-03 08:30')));
    // Tue 06:00 → Tue 07:30 + 30 = 08:00.
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-01 06:00'), 30)), iso(wib('2026-12-01 08:00')));
    // Sat 10:00 → Mon 07:30 + 60 = 08:30.
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-05 10:00'), 60)), iso(wib('2026-12-07 08:30')));
    assert.equal(iso(cal.nextWorkingInstant(wib('2026-12-05 10:00'))), iso(wib('2026-12-07 07:30')));
    assert.equal(iso(cal.nextWorkingInstant(wib('2026-12-07 09:15'))), iso(wib('2026-12-07 09:15')));
  });

  it('leaves out a break when a day has several ranges', () => {
    const cal = calendar({ workingHours: { ...DEFAULT_WORKING_HOURS, mon: '07:30-12:00,13:00-16:00' } });
    // Mon 11:00 → 12:00 = 60; break; 13:00 + 60 = 14:00.
    assert.equal(iso(addWorkingMinutes(cal, wib('2026-12-07 11:00'), 120)), iso(wib('2026-12-07 14:00')));
    assert.equal(cal.isWorkingTime(wib('2026-12-07 12:30')), false);
    assert.equal(cal.isWorkingTime(wib('2026-12-07 13:00')), true);
    assert.equal(cal.isWorkingTime(wib('2026-12-07 16:00')), false, 'a closing instant is already closed');
  });

  it('returns the start for zero minutes and refuses negative ones', () => {
    const cal = calendar();
    assert.equal(addWorkingMinutes(cal, wib('2026-12-05 10:00'), 0), wib('2026-12-05 10:00'));
    assert.throws(() => addWorkingMinutes(cal, wib('2026-12-05 10:00'), -1), RangeError);
  });
});

describe('working minutes between two instants', () => {
  it('counts only opening hours', () => {
    const cal = calendar();
    assert.equal(workingMinutesBetween(cal, wib('2026-12-04 15:00'), wib('2026-12-07 10:00')), 240);
    assert.equal(workingMinutesBetween(cal, wib('2026-12-07 10:00'), wib('2026-12-04 15:00')), -240);
    assert.equal(workingMinutesBetween(cal, wib('2026-12-05 00:00'), wib('2026-12-06 23:59')), 0, 'a weekend has none');
    // Thu 12:00 → 16:00 = 240, Fri 07:30 → 12:00 = 270.
    assert.equal(workingMinutesBetween(cal, wib('2026-12-03 12:00'), wib('2026-12-04 12:00')), 510);
    assert.equal(workingMinutesBetween(cal, wib('2026-12-07 09:00'), wib('2026-12-07 09:00:30')), 0.5, 'fractions are kept');
  });

  it('counts a holiday as closed', () => {
    // Mon 28 Dec 07:30 → Wed 30 Dec 07:30 is 2 × 510 = 1020 min; with Tue 29 a holiday, 510.
    assert.equal(workingMinutesBetween(calendar(), wib('2026-12-28 07:30'), wib('2026-12-30 07:30')), 1020);
    assert.equal(workingMinutesBetween(calendar({ holidays: ['2026-12-29'] }), wib('2026-12-28 07:30'), wib('2026-12-30 07:30')), 510);
  });

  it('gives the same answers before and after the calendar lays out further years', () => {
    const cal = calendar();
    // A full office week: 4 × 510 + 540 = 2580 min.
    const week = () => workingMinutesBetween(cal, wib('2026-12-07 07:30'), wib('2026-12-14 07:30'));
    assert.equal(week(), 2580);
    assert.equal(workingMinutesBetween(cal, wib('2029-01-01 07:30'), wib('2029-01-08 07:30')), 2580, 'Mon 1 Jan 2029, far ahead');
    assert.equal(workingMinutesBetween(cal, wib('2020-01-06 07:30'), wib('2020-01-13 07:30')), 2580, 'Mon 6 Jan 2020, far behind');
    assert.equal(week(), 2580);
    // Two years across the re-layouts, against a plain day-by-day sum (no holidays configured).
    const from = wib('2027-01-04 07:30');
    const to = wib('2029-01-01 07:30');
    assert.equal(workingMinutesBetween(cal, from, to), dayByDay(from, to));
  });
});

describe('working days', () => {
  it('close at the end of the n-th working day after the day, skipping holidays', () => {
    const cal = calendar({ holidays: ['2026-12-24', '2026-12-25'] });
    // After Tue 15 Dec: Wed 16 (1), Thu 17 (2), Fri 18 (3), Mon 21 (4), Tue 22 (5), Wed 23 (6),
    // [Thu 24, Fri 25 holidays], Mon 28 (7), Tue 29 (8), Wed 30 (9), Thu 31 (10) → closes 16:00.
    assert.equal(iso(cal.closingOfWorkingDayAfter(wib('2026-12-15 10:00'), 10)), iso(wib('2026-12-31 16:00')));
    // From a Saturday, Monday is the first: Mon 7 (1), Tue 8 (2).
    assert.equal(iso(cal.closingOfWorkingDayAfter(wib('2026-12-05 10:00'), 2)), iso(wib('2026-12-08 16:00')));
    assert.equal(cal.isWorkingDay('2026-12-25'), false);
    assert.equal(cal.isWorkingDay('2026-12-26'), false);
    assert.equal(cal.isWorkingDay('2026-12-28'), true);
    assert.equal(cal.localDate(Date.parse('2026-12-31T17:00:00Z')), '2027-01-01');
  });
});

describe('the calendar', () => {
  it('refuses settings it cannot count with', () => {
    assert.throws(() => calendar({ workingHours: {} }), /no day has working hours/);
    assert.throws(() => calendar({ workingHours: { mon: '7:30-16' } }), /workingHours\.mon: "7:30-16" is not HH:MM-HH:MM/);
    assert.throws(() => calendar({ holidays: ['2026-02-30'] }), /"2026-02-30" is not a real date/);
    assert.throws(() => calendar({ timeZone: 'Asia/Atlantis' }), RangeError);
  });

  it('asks the zone database for offsets, so a zone with daylight saving time counts right too', () => {
    // New York: EST (UTC−5) until Sun 8 Mar 2026 02:00, EDT (UTC−4) after. Not a BKN zone, but it proves
    // that nothing assumes a fixed offset.
    const weekdays = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };
    const ny = calendar({ timeZone: 'America/New_York', workingHours: { ...weekdays, sun: '09:00-17:00' } });
    // Sun 8 Mar opens at 09:00 EDT = 13:00 UTC (it would be 14:00 UTC in EST): 12:00–13:30 UTC holds 30 min.
    assert.equal(workingMinutesBetween(ny, Date.parse('2026-03-08T12:00:00Z'), Date.parse('2026-03-08T13:30:00Z')), 30);
    // Fri 6 Mar 16:00 EST (21:00 UTC) + 120: Fri 60 min; Sun 8 Mar 09:00 EDT + 60 = 10:00 EDT = 14:00 UTC.
    assert.equal(iso(addWorkingMinutes(ny, Date.parse('2026-03-06T21:00:00Z'), 120)), '2026-03-08T14:00:00.000Z');
    // Open around the clock: the short local day of 8 Mar has 23 hours, no more, no less.
    const always = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, '00:00-24:00']));
    const nonstop = calendar({ timeZone: 'America/New_York', workingHours: always });
    assert.equal(workingMinutesBetween(nonstop, Date.parse('2026-03-08T05:00:00Z'), Date.parse('2026-03-09T04:00:00Z')), 23 * 60);
    assert.equal(nonstop.localDate(Date.parse('2026-03-09T03:59:59Z')), '2026-03-08');
    assert.equal(nonstop.localDate(Date.parse('2026-03-09T04:00:00Z')), '2026-03-09');
  });

  it('is built once per settings object', () => {
    const settings = { timeZone: 'Asia/Makassar', workingHours: DEFAULT_WORKING_HOURS, holidays: [] };
    assert.equal(calendarFor(settings), calendarFor(settings));
    assert.notEqual(calendarFor(settings), calendarFor({ ...settings }));
    assert.ok(calendarFor(settings) instanceof WorkCalendar);
  });

  it('agrees with minute-by-minute counting on random cases in every zone', () => {
    const random = seeded(7);
    const holidays = ['2026-12-24', '2026-12-25', '2027-01-01', '2026-12-08'];
    const hours = { ...DEFAULT_WORKING_HOURS, wed: '07:30-12:00,13:00-16:00', sat: '08:00-12:00' };
    for (const [timeZone, offsetHours] of [['Asia/Jakarta', 7], ['Asia/Makassar', 8], ['Asia/Jayapura', 9]] as const) {
      const cal = calendar({ timeZone, holidays, workingHours: hours });
      const oracle = minuteOracle(offsetHours, holidays, hours);
      for (let i = 0; i < 60; i++) {
        const start = Date.parse('2026-11-25T00:00:00Z') + Math.floor(random() * 40 * 1440) * MIN;
        const minutes = Math.floor(random() * 2500);
        const end = oracle.add(start, minutes);
        assert.equal(iso(addWorkingMinutes(cal, start, minutes)), iso(end), `${timeZone} ${iso(start)} + ${minutes}`);
        const other = start + Math.floor(random() * 20 * 1440) * MIN;
        assert.equal(workingMinutesBetween(cal, start, other), oracle.between(start, other), `${timeZone} ${iso(start)} → ${iso(other)}`);
      }
    }
  });
});

/** Office working minutes from `from` to `to` (both at 07:30 WIB), day by day with a fixed +7 offset. */
function dayByDay(from: number, to: number): number {
  let total = 0;
  for (let t = from; t < to; t += 86_400_000) {
    const weekday = new Date(t + 7 * 3_600_000).getUTCDay();
    total += weekday === 5 ? 540 : weekday >= 1 && weekday <= 4 ? 510 : 0;
  }
  return total;
}

/** The slow, obvious way: look at every minute (fixed offset, whole-minute instants only). */
function minuteOracle(offsetHours: number, holidays: string[], hours: Record<string, string>) {
  const DAY = 86_400_000;
  const closed = new Set(holidays.map((d) => Date.parse(`${d}T00:00:00Z`) / DAY));
  const byWeekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((day) =>
    (hours[day] ?? '')
      .split(',')
      .filter(Boolean)
      .map((range) => range.split('-').map((hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))) as [number, number]),
  );
  const working = (t: number) => {
    const local = t + offsetHours * 3_600_000;
    const day = Math.floor(local / DAY);
    if (closed.has(day)) return false;
    const minute = (local - day * DAY) / MIN;
    return byWeekday[(day + 4) % 7]!.some(([s, e]) => minute >= s && minute < e);
  };
  return {
    add(start: number, minutes: number): number {
      let t = start;
      for (let left = minutes; left > 0; t += MIN) if (working(t)) left--;
      return t;
    },
    between(a: number, b: number): number {
      let n = 0;
      for (let t = Math.min(a, b); t < Math.max(a, b); t += MIN) if (working(t)) n++;
      return a <= b ? n : -n;
    },
  };
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}
