/**
 * A site's follow-up settings: its time zone and working calendar, response-time targets (SLA), tracking
 * prefix, auto-close delay and the rules that put a thread into the officers' queue.
 *
 * server/config.ts embeds `siteFollowUpSettingsSchema` into its site schema (spread its `.shape` into the
 * site object, or nest it under one key) and then calls `siteFollowUpProblems` for the checks that need the
 * rest of the site (its id and categories). Every message names the value and what was expected, e.g.
 * `workingHours.mon: "7:30-16" is not HH:MM-HH:MM`, once config.ts prefixes the path as it does for all
 * settings.
 */
import { z } from 'zod';
import { parseLocalDate } from './zone.js';

/** BKN's regional offices are in WIB, WITA or WIT. */
export const FOLLOW_UP_TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export type FollowUpTimeZone = (typeof FOLLOW_UP_TIME_ZONES)[number];

/** Day keys of `workingHours`, indexed like Date#getUTCDay (Sunday 0). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Opening hours per day in the site's zone: "07:30-16:00", or several ranges "07:30-12:00,13:00-16:00" to
 * leave out a break. A day that is missing is closed.
 */
export type WorkingHours = Partial<Record<Weekday, string>>;

/** Working minutes to the first officer answer and to resolution ("selesai"). */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaSettings extends SlaTargets {
  /** Per-category overrides, e.g. `{ "pensiun": { "resolutionMinutes": 4800 } }`; missing fields fall back. */
  categories: Record<string, Partial<SlaTargets>>;
}

/**
 * When a thread enters the follow-up queue without the asker asking (each rule can be switched off:
 * `false`). Times are working time in the site's zone, counted from the thread's creation.
 */
export interface QueueRules {
  /** No answer at all after this many working minutes. */
  unansweredMinutes: number | false;
  /** No accepted answer and no officer's answer after this many working hours. */
  noOfficialAnswerHours: number | false;
  /** One of its answers is flagged by members. */
  flagged: boolean;
  /** One of its answers has a score (up − down) below zero. */
  negativeScore: boolean;
}

export interface SiteFollowUpSettings {
  timeZone: FollowUpTimeZone;
  workingHours: WorkingHours;
  /** Closed days in the site's zone, "YYYY-MM-DD" (libur nasional and cuti bersama). */
  holidays: string[];
  sla: SlaSettings;
  /** First part of tracking numbers, e.g. KR1 → KR1-2026-000042. Derived from the site id when missing. */
  trackingPrefix?: string;
  /** A "selesai" follow-up closes by itself at the end of this many working days after it was resolved. */
  autoCloseWorkingDays: number;
  queueRules: QueueRules;
  /**
   * Who a new follow-up goes to: `manual` (nobody until an officer takes it or a supervisor assigns it) or
   * `round_robin` (the next officer of the site in turn; follow-up/assignment.ts).
   */
  assignment: FollowUpAssignment;
}

export const FOLLOW_UP_ASSIGNMENTS = ['manual', 'round_robin'] as const;
export type FollowUpAssignment = (typeof FOLLOW_UP_ASSIGNMENTS)[number];

/** Government office hours (Mon–Thu 07:30–16:00, Fri 07:30–16:30), WIB. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  mon: '07:30-16:00',
  tue: '07:30-16:00',
  wed: '07:30-16:00',
  thu: '07:30-16:00',
  fri: '07:30-16:30',
};

export const DEFAULT_SLA: SlaSettings = { firstResponseMinutes: 240, resolutionMinutes: 2400, categories: {} };

export const DEFAULT_QUEUE_RULES: QueueRules = {
  unansweredMinutes: 120,
  noOfficialAnswerHours: 16,
  flagged: true,
  negativeScore: true,
};

/** What a site gets when its configuration says nothing about follow-ups. */
export const DEFAULT_FOLLOW_UP_SETTINGS: SiteFollowUpSettings = {
  timeZone: 'Asia/Jakarta',
  workingHours: DEFAULT_WORKING_HOURS,
  holidays: [],
  sla: DEFAULT_SLA,
  autoCloseWorkingDays: 10,
  queueRules: DEFAULT_QUEUE_RULES,
  assignment: 'manual',
};

/** A year of minutes: a longer target is a typo, not a policy. */
const MAX_TARGET_MINUTES = 525_600;

/** A time range in minutes since local midnight, [start, end). */
export type MinuteRange = readonly [start: number, end: number];

/**
 * Parses one day's hours ("07:30-16:00" or "07:30-12:00,13:00-16:00") into ascending ranges, or returns the
 * message that explains what is wrong. "24:00" is allowed as an end.
 */
export function parseDayHours(text: string): MinuteRange[] | string {
  const ranges: MinuteRange[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part.trim());
    const start = m ? clockMinutes(m[1]!, m[2]!, false) : undefined;
    const end = m ? clockMinutes(m[3]!, m[4]!, true) : undefined;
    if (start === undefined || end === undefined) return `"${text}" is not HH:MM-HH:MM`;
    if (start >= end) return `"${text}": the start must be before the end`;
    if (ranges.length && start < ranges[ranges.length - 1]![1]) return `"${text}": ranges must be in order and must not overlap`;
    ranges.push([start, end]);
  }
  return ranges;
}

function clockMinutes(hh: string, mm: string, isEnd: boolean): number | undefined {
  const h = Number(hh);
  const m = Number(mm);
  if (m > 59 || h > 24 || (h === 24 && (m !== 0 || !isEnd))) return undefined;
  return h * 60 + m;
}

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(min, `must be between ${min} and ${max} ${what}`)
    .max(max, `must be between ${min} and ${max} ${what}`);

const targetMinutes = wholeNumber('minutes', 1, MAX_TARGET_MINUTES);
const CATEGORY_ID = /^[a-z0-9-]{1,40}$/;

// Values are checked in the refinement rather than by their own schemas so that every bad entry is
// reported at once (zod skips refinements when an element already failed).
const workingHoursSchema = z
  .record(z.string(), z.unknown())
  .superRefine((hours, ctx) => {
    for (const [day, text] of Object.entries(hours)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        ctx.addIssue({ code: 'custom', path: [day], message: `unknown day; use ${WEEKDAYS.join(', ')}` });
        continue;
      }
      if (typeof text !== 'string') {
        ctx.addIssue({ code: 'custom', path: [day], message: 'must be text like "07:30-16:00"' });
        continue;
      }
      const parsed = parseDayHours(text);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', path: [day], message: parsed });
    }
    if (Object.keys(hours).length === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one day needs working hours, e.g. {"mon":"07:30-16:00"}' });
    }
  })
  .transform((hours) => hours as WorkingHours);

const holidaysSchema = z
  .array(z.unknown())
  .max(2000, 'at most 2000 holidays')
  .superRefine((days, ctx) => {
    const seen = new Set<string>();
    days.forEach((day, i) => {
      if (typeof day !== 'string') ctx.addIssue({ code: 'custom', path: [i], message: 'must be a date "YYYY-MM-DD"' });
      else if (parseLocalDate(day) === undefined) ctx.addIssue({ code: 'custom', path: [i], message: `"${day}" is not a real date YYYY-MM-DD` });
      else if (seen.has(day)) ctx.addIssue({ code: 'custom', path: [i], message: `"${day}" is listed twice` });
      if (typeof day === 'string') seen.add(day);
    });
  })
  .transform((days) => days as string[]);

const slaSchema = z
  .strictObject({
    firstResponseMinutes: targetMinutes.default(DEFAULT_SLA.firstResponseMinutes),
    resolutionMinutes: targetMinutes.default(DEFAULT_SLA.resolutionMinutes),
    categories: z
      .record(z.string(), z.strictObject({ firstResponseMinutes: targetMinutes.optional(), resolutionMinutes: targetMinutes.optional() }))
      .default({}),
  })
  .superRefine((sla, ctx) => {
    for (const category of Object.keys(sla.categories)) {
      if (!CATEGORY_ID.test(category)) ctx.addIssue({ code: 'custom', path: ['categories', category], message: 'not a category id (1–40 of a-z 0-9 -)' });
    }
    const check = (targets: SlaTargets, path: string[]) => {
      // A value already refused above needs no second message.
      const valid = [targets.firstResponseMinutes, targets.resolutionMinutes].every((m) => targetMinutes.safeParse(m).success);
      if (valid && targets.firstResponseMinutes > targets.resolutionMinutes) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `firstResponseMinutes (${targets.firstResponseMinutes}) must not exceed resolutionMinutes (${targets.resolutionMinutes})`,
        });
      }
    };
    check(sla, []);
    for (const category of Object.keys(sla.categories)) check(slaTargetsFor(sla, category), ['categories', category]);
  });

const rule = (what: string, max: number) => {
  const message = `must be a whole number of ${what} (1–${max}) or false to switch it off`;
  return z.union([z.literal(false), z.number().int(message).min(1, message).max(max, message)], { error: message });
};

const queueRulesSchema = z.strictObject({
  unansweredMinutes: rule('working minutes', MAX_TARGET_MINUTES).default(DEFAULT_QUEUE_RULES.unansweredMinutes),
  noOfficialAnswerHours: rule('working hours', MAX_TARGET_MINUTES / 60).default(DEFAULT_QUEUE_RULES.noOfficialAnswerHours),
  flagged: z.boolean({ error: 'must be true or false' }).default(DEFAULT_QUEUE_RULES.flagged),
  negativeScore: z.boolean({ error: 'must be true or false' }).default(DEFAULT_QUEUE_RULES.negativeScore),
});

/** The follow-up part of a site's settings; every key may be left out and takes its default. */
export const siteFollowUpSettingsSchema = z.strictObject({
  timeZone: z
    .enum(FOLLOW_UP_TIME_ZONES, { error: 'must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)' })
    .default(DEFAULT_FOLLOW_UP_SETTINGS.timeZone),
  workingHours: workingHoursSchema.default(DEFAULT_WORKING_HOURS),
  holidays: holidaysSchema.default([]),
  sla: slaSchema.default(DEFAULT_SLA),
  trackingPrefix: z.string().regex(/^[A-Z0-9]{2,6}$/, 'must be 2–6 capital letters or digits, e.g. KR1').optional(),
  autoCloseWorkingDays: wholeNumber('working days', 1, 60).default(DEFAULT_FOLLOW_UP_SETTINGS.autoCloseWorkingDays),
  queueRules: queueRulesSchema.default(DEFAULT_QUEUE_RULES),
  assignment: z.enum(FOLLOW_UP_ASSIGNMENTS, { error: 'must be manual or round_robin' }).default(DEFAULT_FOLLOW_UP_SETTINGS.assignment),
});

// The schema's output and the documented interface must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.output<typeof siteFollowUpSettingsSchema>, SiteFollowUpSettings> = true;
void sameShape;

/** Parses follow-up settings on their own (e.g. in tests); config.ts embeds the schema instead. */
export function parseFollowUpSettings(raw: unknown): SiteFollowUpSettings {
  return siteFollowUpSettingsSchema.parse(raw ?? {});
}

/** The targets that apply to a category: its overrides, else the site's. */
export function slaTargetsFor(sla: SlaSettings, category: string): SlaTargets {
  const own = Object.hasOwn(sla.categories, category) ? sla.categories[category] : undefined;
  return {
    firstResponseMinutes: own?.firstResponseMinutes ?? sla.firstResponseMinutes,
    resolutionMinutes: own?.resolutionMinutes ?? sla.resolutionMinutes,
  };
}

/** "kanreg1" → "KR1", "kanreg-xiv" → "KRXIV", otherwise the id's first letters and digits, upper case. */
export function defaultTrackingPrefix(siteId: string): string {
  const kanreg = /^kanreg-?([a-z0-9]+)$/.exec(siteId);
  const letters = (kanreg ? `KR${kanreg[1]}` : siteId).toUpperCase().replace(/[^A-Z0-9]/g, '');
  return letters.slice(0, 6).padEnd(2, '0');
}

/**
 * Checks that need the whole list of sites: unknown categories in `sla.categories` and two sites with the
 * same tracking prefix (a tracking number must say which site it belongs to). One message per problem,
 * in config.ts's style ("<site>.sla.categories.x: …").
 */
export function siteFollowUpProblems(
  sites: ReadonlyArray<{ id: string; categories: ReadonlyArray<{ id: string }> } & Pick<SiteFollowUpSettings, 'sla' | 'trackingPrefix'>>,
): string[] {
  const problems: string[] = [];
  const prefixes = new Map<string, string>();
  for (const site of sites) {
    const known = new Set(site.categories.map((c) => c.id));
    for (const category of Object.keys(site.sla.categories)) {
      if (!known.has(category)) problems.push(`${site.id}.sla.categories.${category}: not one of the site's categories`);
    }
    const prefix = site.trackingPrefix ?? defaultTrackingPrefix(site.id);
    const other = prefixes.get(prefix);
    if (other) problems.push(`${site.id}.trackingPrefix: "${prefix}" is already used by site "${other}"`);
    else prefixes.set(prefix, site.id);
  }
  return problems;
}
