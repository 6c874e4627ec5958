/**
 * Wall-clock conversions for an IANA time zone, through Intl.DateTimeFormat only: no offsets are written
 * into the code. WIB, WITA and WIT have no daylight saving time today, but Asia/Jakarta has changed its
 * offset in the past, so every conversion asks the zone database rather than assuming +7/+8/+9.
 *
 * Formatting is the slow part (a few microseconds a call): WorkCalendar calls these once or twice per day
 * it lays out and caches the result, never per minute or per follow-up.
 */

/** A local calendar day as a whole number: days since 1970-01-01 (its weekday is (day + 4) % 7, Sunday 0). */
export type DayNumber = number;

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone for the whole process: creating one costs far more than using it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for a zone the runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The date and time a clock in `timeZone` shows at instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type in out) out[part.type as keyof WallClock] = Number(part.value);
  }
  return out;
}

/** How far the zone's clocks are ahead of UTC at instant `ms`, in milliseconds (WIB: 25,200,000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - mod(ms, 1000));
}

/**
 * The instant at which clocks in `timeZone` show `minuteOfDay` on local day `day`. `guessOffsetMs` (e.g.
 * the previous day's offset) saves one formatting call when it is right, which it nearly always is.
 */
export function zonedToUtc(day: DayNumber, minuteOfDay: number, timeZone: string, guessOffsetMs?: number): number {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  let offset = guessOffsetMs ?? zoneOffsetMs(wall, timeZone);
  // Two rounds settle any offset change between the guess and the answer (the usual Intl technique).
  for (let round = 0; round < 2; round++) {
    const actual = zoneOffsetMs(wall - offset, timeZone);
    if (actual === offset) break;
    offset = actual;
  }
  return wall - offset;
}

/** The local day (see DayNumber) that contains instant `ms` in `timeZone`. */
export function dayOf(ms: number, timeZone: string): DayNumber {
  return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY_MS);
}

/** The calendar year clocks in `timeZone` show at instant `ms`. */
export function yearInZone(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone).year;
}

/** "YYYY-MM-DD" → DayNumber, or undefined when it is not a real date (2026-02-30). */
export function parseLocalDate(text: string): DayNumber | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** DayNumber → "YYYY-MM-DD". */
export function formatLocalDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: DayNumber): number {
  return mod(day + 4, 7);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
