/**
 * Tracking numbers, as LAPOR! gives every report one: `PREFIX-YYYY-NNNNNN`, e.g. `KR1-2026-000042`.
 * PREFIX is the site's trackingPrefix, YYYY the year in the site's zone when the follow-up opened, and
 * NNNNNN the follow-up's place in that site's count for that year, from 1. The count itself is the store's
 * (it must survive restarts and concurrent requests without gaps or repeats); this module only formats,
 * parses and says which year an instant belongs to.
 */
import { yearInZone } from './zone.js';

export interface TrackingNumber {
  prefix: string;
  year: number;
  /** 1 … 999,999 */
  number: number;
}

export const MAX_TRACKING_NUMBER = 999_999;
const PREFIX = /^[A-Z0-9]{2,6}$/;
const TRACKING = /^([A-Z0-9]{2,6})-(\d{4})-(\d{6})$/;

/** `formatTracking('KR1', 2026, 42)` → `KR1-2026-000042`. Throws RangeError for a value it cannot write. */
export function formatTracking(prefix: string, year: number, n: number): string {
  if (!PREFIX.test(prefix)) throw new RangeError(`tracking prefix "${prefix}" is not 2–6 capital letters or digits`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`tracking year ${year} is not a four-digit year`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TRACKING_NUMBER) throw new RangeError(`tracking number ${n} is not between 1 and ${MAX_TRACKING_NUMBER}`);
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * The parts of a tracking number, or undefined when the text is not one. Surrounding spaces and lower case
 * are accepted (people type them into the search box: " kr1-2026-000042").
 */
export function parseTracking(text: string): TrackingNumber | undefined {
  const m = TRACKING.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const number = Number(m[3]);
  if (number < 1) return undefined;
  return { prefix: m[1]!, year: Number(m[2]), number };
}

/** The year a follow-up opened at `ms` is numbered in: the site zone's, so 31 Dec 20:00 UTC is already next year in WIB. */
export function trackingYear(ms: number, timeZone: string): number {
  return yearInZone(ms, timeZone);
}
