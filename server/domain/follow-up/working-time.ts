/**
 * Working-time arithmetic in a site's zone: "start + N working minutes" and "working minutes between two
 * instants", skipping closed hours, closed days and holidays.
 *
 * The shape follows Zendesk's `biz` gem, which Zammad uses for its SLA escalations: a schedule is turned
 * into a timeline of concrete working periods (intervals in UTC) and a duration is consumed period by
 * period, never minute by minute; a duration that ends exactly at a period's end lands on that end
 * (Friday 15:00 + 90 min → Friday 16:30, not Monday 07:30). On top of biz's timeline, each period keeps the
 * working time before it (a prefix sum), so both questions are a binary search instead of a walk:
 *   workingMsBetween(a, b) = position(b) − position(a)
 *   addWorkingMs(t, d)     = the earliest instant whose position is position(t) + d.
 * The periods are laid out once per calendar, some months at a time, asking Intl about the zone about once
 * a week; a clock sweep over thousands of follow-ups then does no date formatting at all.
 */
import type { MinuteRange, WorkingHours } from './calendar.js';
import { parseDayHours, WEEKDAYS } from './calendar.js';
import { DAY_MS, dayOf, type DayNumber, MINUTE_MS, parseLocalDate, formatLocalDate, weekdayOf, zonedToUtc, assertTimeZone } from './zone.js';

/** The part of a site's settings the calendar needs. */
export interface CalendarSettings {
  timeZone: string;
  workingHours: WorkingHours;
  holidays: readonly string[];
}

const DAYS_BEHIND = 40;
const DAYS_AHEAD = 200;
/** Beyond this the settings cannot be meant (all days closed by holidays): refuse instead of looping. */
const MAX_RANGE_DAYS = 366 * 30;

/** A site's working calendar. Build one per site (see `calendarFor`) and share it: it caches its layout. */
export class WorkCalendar {
  readonly timeZone: string;
  readonly #week: MinuteRange[][];
  readonly #holidays: ReadonlySet<DayNumber>;
  #firstDay = 0;
  /** Local midnights of #firstDay … #firstDay + days (one more than there are days). */
  #dayStart: number[] = [];
  /** Index of each day's first period; one more entry than there are days. */
  #dayFirst: number[] = [];
  #starts: number[] = [];
  #ends: number[] = [];
  /** Working ms before each period, counted from the first midnight ever laid out, so stable across re-layouts. */
  #before: number[] = [];
  #anchor: number | undefined;

  constructor(settings: CalendarSettings) {
    assertTimeZone(settings.timeZone);
    this.timeZone = settings.timeZone;
    this.#week = WEEKDAYS.map((day) => {
      const text = settings.workingHours[day];
      if (text === undefined) return [];
      const ranges = parseDayHours(text);
      if (typeof ranges === 'string') throw new RangeError(`workingHours.${day}: ${ranges}`);
      return ranges;
    });
    if (this.#week.every((ranges) => ranges.length === 0)) throw new RangeError('workingHours: no day has working hours');
    this.#holidays = new Set(
      settings.holidays.map((text) => {
        const day = parseLocalDate(text);
        if (day === undefined) throw new RangeError(`holidays: "${text}" is not a real date YYYY-MM-DD`);
        return day;
      }),
    );
  }

  /** Working milliseconds from `fromMs` to `toMs`; negative when `toMs` is earlier. */
  workingMsBetween(fromMs: number, toMs: number): number {
    return this.position(toMs) - this.position(fromMs);
  }

  /**
   * The earliest instant at which `ms` working milliseconds have passed since `startMs` (so a start in closed
   * hours counts from the next opening, and an exact fit ends at a closing time). 0 returns `startMs`.
   */
  addWorkingMs(startMs: number, ms: number): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`working time to add must be ≥ 0, got ${ms}`);
    if (ms === 0) return startMs;
    return this.instantAt(this.position(startMs) + ms);
  }

  /** Whether `ms` falls inside working hours (a period's start is inside, its end is not). */
  isWorkingTime(ms: number): boolean {
    this.#cover(ms);
    const i = this.#lastStartAtOrBefore(ms);
    return i >= 0 && ms < this.#ends[i]!;
  }

  /** `ms` itself in working hours, otherwise the next opening. */
  nextWorkingInstant(ms: number): number {
    if (this.isWorkingTime(ms)) return ms;
    return this.instantAt(this.position(ms) + 1) - 1;
  }

  /**
   * The closing time of the `n`-th working day after the local day of `ms` (that day itself does not
   * count). Auto-close uses it: resolved on Tuesday, closed at the end of the 10th working day after.
   */
  closingOfWorkingDayAfter(ms: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
    this.#cover(ms);
    let day = this.#dayIndex(ms);
    for (let counted = 0; ; ) {
      day++;
      if (day >= this.#dayStart.length - 1) this.#relayout(this.#firstDay, this.#lastDay() + this.#days());
      if (this.#dayFirst[day + 1]! > this.#dayFirst[day]!) counted++;
      if (counted === n) return this.#ends[this.#dayFirst[day + 1]! - 1]!;
    }
  }

  /** Whether a local date ("YYYY-MM-DD") has working hours and is not a holiday. */
  isWorkingDay(date: string): boolean {
    const day = parseLocalDate(date);
    if (day === undefined) throw new RangeError(`"${date}" is not a real date YYYY-MM-DD`);
    return !this.#holidays.has(day) && this.#week[weekdayOf(day)]!.length > 0;
  }

  /** The local date ("YYYY-MM-DD") of an instant in this calendar's zone. */
  localDate(ms: number): string {
    this.#cover(ms);
    return formatLocalDate(this.#firstDay + this.#dayIndex(ms));
  }

  /**
   * The instant's place on the working-time line, in ms since an arbitrary origin: only differences mean
   * anything. Exposed so that callers comparing many instants against one `now` compute `now`'s once.
   */
  position(ms: number): number {
    this.#cover(ms);
    return this.#rawPosition(ms);
  }

  /** The earliest instant whose position is at least `position` (the inverse of `position`). */
  instantAt(position: number): number {
    if (this.#anchor === undefined) throw new RangeError('instantAt() needs a position from position() first');
    for (;;) {
      const n = this.#starts.length;
      if (n === 0 || this.#before[n - 1]! + this.#ends[n - 1]! - this.#starts[n - 1]! < position) {
        this.#relayout(this.#firstDay, this.#lastDay() + this.#days());
        continue;
      }
      if (position <= this.#before[0]! && this.#days() < MAX_RANGE_DAYS) {
        this.#relayout(Math.max(this.#firstDay - this.#days(), this.#lastDay() - MAX_RANGE_DAYS), this.#lastDay());
        continue;
      }
      // First period whose end position reaches `position`.
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#before[mid]! + this.#ends[mid]! - this.#starts[mid]! >= position) hi = mid;
        else lo = mid + 1;
      }
      return this.#starts[lo]! + Math.max(0, position - this.#before[lo]!);
    }
  }

  #lastStartAtOrBefore(ms: number): number {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= ms) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  #dayIndex(ms: number): number {
    const starts = this.#dayStart;
    let i = Math.min(starts.length - 2, Math.max(0, Math.floor((ms - starts[0]!) / DAY_MS)));
    while (i > 0 && starts[i]! > ms) i--;
    while (i < starts.length - 2 && starts[i + 1]! <= ms) i++;
    return i;
  }

  #days(): number {
    return this.#dayStart.length - 1;
  }

  #lastDay(): DayNumber {
    return this.#firstDay + this.#days();
  }

  /** Makes sure the layout contains `ms`, growing it (at least doubling) when it does not. */
  #cover(ms: number): void {
    if (this.#anchor === undefined) {
      const day = dayOf(ms, this.timeZone);
      this.#relayout(day - DAYS_BEHIND, day + DAYS_AHEAD);
      return;
    }
    if (ms >= this.#dayStart[0]! && ms < this.#dayStart[this.#dayStart.length - 1]!) return;
    const day = dayOf(ms, this.timeZone);
    if (ms < this.#dayStart[0]!) this.#relayout(Math.min(day - DAYS_BEHIND, this.#firstDay - this.#days()), this.#lastDay());
    else this.#relayout(this.#firstDay, Math.max(day + DAYS_AHEAD, this.#lastDay() + this.#days()));
  }

  /** Lays out the periods of days [first, last) in UTC; Intl only for midnights and for days not 24 hours long. */
  #relayout(first: DayNumber, last: DayNumber): void {
    if (last - first > MAX_RANGE_DAYS) {
      throw new RangeError(`working time beyond ${Math.round(MAX_RANGE_DAYS / 366)} years was asked for: check workingHours and holidays`);
    }
    const dayStart = this.#midnights(first, last);
    const dayFirst: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0, day = first; day < last; i++, day++) {
      dayFirst.push(starts.length);
      if (this.#holidays.has(day)) continue;
      // A day of exactly 24 hours has one offset throughout; otherwise ask the zone for each boundary.
      const plain = dayStart[i + 1]! - dayStart[i]! === DAY_MS;
      for (const [from, to] of this.#week[weekdayOf(day)]!) {
        starts.push(plain ? dayStart[i]! + from * MINUTE_MS : zonedToUtc(day, from, this.timeZone));
        ends.push(plain ? dayStart[i]! + to * MINUTE_MS : zonedToUtc(day, to, this.timeZone));
      }
    }
    dayFirst.push(starts.length);
    const before: number[] = [];
    let sum = 0;
    for (let i = 0; i < starts.length; i++) {
      before.push(sum);
      sum += ends[i]! - starts[i]!;
    }
    this.#firstDay = first;
    this.#dayStart = dayStart;
    this.#dayFirst = dayFirst;
    this.#starts = starts;
    this.#ends = ends;
    this.#before = before;
    // Keep positions stable: the first midnight ever laid out stays at position 0.
    this.#anchor ??= dayStart[0]!;
    const shift = this.#rawPosition(this.#anchor);
    if (shift !== 0) for (let i = 0; i < before.length; i++) before[i] = before[i]! - shift;
  }

  /**
   * Local midnights of days first … last. The zone is asked once a week and, where the offset changed
   * during that week, once for each of its days: a year costs some 50 Intl calls instead of 365. (An
   * offset that changes and changes back within one week would be missed; no zone does that.)
   */
  #midnights(first: DayNumber, last: DayNumber): number[] {
    const midnight = (day: DayNumber, guess?: number) => zonedToUtc(day, 0, this.timeZone, guess);
    const out: number[] = [midnight(first)];
    let offset = first * DAY_MS - out[0]!;
    let checked = 0;
    for (let i = 1, day = first + 1; day <= last; i++, day++) {
      out.push(day * DAY_MS - offset);
      if (i % 7 !== 0 && day !== last) continue;
      const actual = day * DAY_MS - midnight(day, offset);
      if (actual !== offset) {
        for (let j = checked + 1; j <= i; j++) out[j] = midnight(first + j, offset);
        offset = actual;
      }
      checked = i;
    }
    return out;
  }

  #rawPosition(ms: number): number {
    const i = this.#lastStartAtOrBefore(ms);
    if (i < 0) return this.#starts.length ? this.#before[0]! : 0;
    return this.#before[i]! + Math.min(ms, this.#ends[i]!) - this.#starts[i]!;
  }
}

const calendars = new WeakMap<CalendarSettings, WorkCalendar>();

/** The calendar of a settings object, built once and reused for as long as the object lives. */
export function calendarFor(settings: CalendarSettings): WorkCalendar {
  let calendar = calendars.get(settings);
  if (!calendar) {
    calendar = new WorkCalendar(settings);
    calendars.set(settings, calendar);
  }
  return calendar;
}

/** `startMs` plus `minutes` working minutes (see WorkCalendar#addWorkingMs). */
export function addWorkingMinutes(calendar: WorkCalendar, startMs: number, minutes: number): number {
  return calendar.addWorkingMs(startMs, Math.round(minutes * MINUTE_MS));
}

/** Working minutes from `fromMs` to `toMs` (may have a fraction; negative when `toMs` is earlier). */
export function workingMinutesBetween(calendar: WorkCalendar, fromMs: number, toMs: number): number {
  return calendar.workingMsBetween(fromMs, toMs) / MINUTE_MS;
}
