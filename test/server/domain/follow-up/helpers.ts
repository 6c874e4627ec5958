/**
 * Shared by the follow-up tests: instants written as the wall clock of a zone, so that every expected
 * value in a test reads as the time an officer would see. The offsets are written out here on purpose:
 * the code under test must find them through Intl, the tests state them.
 */
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../../../server/domain/follow-up/calendar.js';
import { WorkCalendar } from '../../../../server/domain/follow-up/working-time.js';

/** "2026-12-04 15:00" in WIB (UTC+7) → epoch ms. */
export const wib = (local: string) => Date.parse(`${local.replace(' ', 'T')}+07:00`);
/** … in WITA (UTC+8). */
export const wita = (local: string) => Date.parse(`${local.replace(' ', 'T')}+08:00`);
/** … in WIT (UTC+9). */
export const wit = (local: string) => Date.parse(`${local.replace(' ', 'T')}+09:00`);
export const iso = (ms: number) => new Date(ms).toISOString();
export const MIN = 60_000;

export function calendar(options: { timeZone?: string; holidays?: string[]; workingHours?: WorkingHours } = {}): WorkCalendar {
  return new WorkCalendar({
    timeZone: options.timeZone ?? 'Asia/Jakarta',
    workingHours: options.workingHours ?? DEFAULT_WORKING_HOURS,
    holidays: options.holidays ?? [],
  });
}
