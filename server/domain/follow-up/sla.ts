/**
 * SLA clocks of a follow-up, in working time: the state of each target, the one-word `slaState` the inbox
 * shows, the working minutes left ("sisa 2 jam kerja") and the instant the state will change by itself, so
 * that a timer sleeps until then instead of polling.
 *
 * Two targets, each with its due time on the follow-up record:
 * - first response: met by the first officer answer;
 * - resolution: met by `selesai` (or by `ditutup` straight from `baru`, an officer's dismissal).
 * A running target is `ok`, then `warning` once 75% of its working time is used (at the exact 75% instant),
 * then `breached` once the due instant has passed (at the due instant itself it is still `warning`, with 0
 * minutes left; an answer at that instant meets it). While the asker is awaited both clocks are `paused`.
 *
 * `slaState` speaks of the target that is next due: the first response until an officer has answered, then
 * the resolution. Once the clocks have stopped for good it is `met` or `breached` for the target that was
 * running then. A late first response therefore shows as `breached` until it is answered and then follows
 * the resolution; `targetView` gives each target on its own for the thread's panel and for reports.
 */
import { MINUTE_MS } from './zone.js';
import type { FollowUp, SlaState } from './model.js';
import type { WorkCalendar } from './working-time.js';

export type SlaTarget = 'firstResponse' | 'resolution';

export interface TargetView {
  target: SlaTarget;
  state: SlaState;
  /** The target's due instant (ms). */
  due: number;
  /**
   * Working minutes from now (from the pause while paused) to the due instant; negative once it has passed
   * (working minutes late). Absent once the target is met or missed for good.
   */
  minutesLeft?: number;
  /** When `state` changes by itself (the warning, the breach); absent when only a person can change it. */
  nextChangeAt?: number;
}

export interface SlaView extends TargetView {
  /** For `selesai`: when the follow-up closes by itself unless the asker replies. */
  autoCloseAt?: number;
}

/** The warning starts when this share of a target's working time is used. */
export const WARNING_SHARE = 0.75;

/** The inbox view of a follow-up's clocks at `now`. */
export function slaView(followUp: FollowUp, calendar: WorkCalendar, now: number): SlaView {
  return viewAt(followUp, calendar, now, calendar.position(now));
}

export function slaState(followUp: FollowUp, calendar: WorkCalendar, now: number): SlaState {
  return slaView(followUp, calendar, now).state;
}

/** One target on its own, e.g. the first response of a follow-up now waiting on its resolution. */
export function targetView(followUp: FollowUp, target: SlaTarget, calendar: WorkCalendar, now: number): TargetView {
  return evaluate(followUp, target, calendar, now, calendar.position(now));
}

/** The follow-up with `slaState` brought up to date; the same object when nothing changed (no version bump). */
export function refreshSla(followUp: FollowUp, calendar: WorkCalendar, now: number): FollowUp {
  const state = slaState(followUp, calendar, now);
  return state === followUp.slaState ? followUp : { ...followUp, slaState: state };
}

export interface SlaChange {
  followUp: FollowUp;
  from: SlaState;
  to: SlaState;
  view: SlaView;
}

export interface SweepResult {
  /** Follow-ups whose `slaState` differs from the stored one: store `{ ...followUp, slaState: to }`. */
  changed: SlaChange[];
  /** `selesai` follow-ups whose auto-close time has come: pass each to lifecycle's autoClose(). */
  dueToClose: FollowUp[];
  /** The earliest instant after `now` at which one of them changes by itself; absent when none will. */
  nextWakeAt?: number;
}

/** Finds a site's calendar; a Map or a function. */
export type CalendarLookup = ReadonlyMap<string, WorkCalendar> | ((site: string) => WorkCalendar | undefined);

/**
 * The clock sweep: every follow-up's state at `now`, the ones that changed, the ones to auto-close and when
 * to run again. `now`'s position is computed once per calendar, so each follow-up costs two binary
 * searches and no date formatting.
 */
export function sweep(followUps: Iterable<FollowUp>, now: number, calendars: CalendarLookup): SweepResult {
  const lookup = typeof calendars === 'function' ? calendars : (site: string) => calendars.get(site);
  const nowPositions = new Map<WorkCalendar, number>();
  const bySite = new Map<string, { calendar: WorkCalendar; nowPosition: number }>();
  const changed: SlaChange[] = [];
  const dueToClose: FollowUp[] = [];
  let nextWakeAt = Infinity;
  for (const followUp of followUps) {
    let site = bySite.get(followUp.site);
    if (!site) {
      const calendar = lookup(followUp.site);
      if (!calendar) throw new RangeError(`no working calendar for site "${followUp.site}"`);
      let nowPosition = nowPositions.get(calendar);
      if (nowPosition === undefined) nowPositions.set(calendar, (nowPosition = calendar.position(now)));
      site = { calendar, nowPosition };
      bySite.set(followUp.site, site);
    }
    const view = viewAt(followUp, site.calendar, now, site.nowPosition);
    if (view.state !== followUp.slaState) changed.push({ followUp, from: followUp.slaState, to: view.state, view });
    if (view.nextChangeAt !== undefined && view.nextChangeAt < nextWakeAt) nextWakeAt = view.nextChangeAt;
    if (view.autoCloseAt !== undefined) {
      if (view.autoCloseAt <= now) dueToClose.push(followUp);
      else if (view.autoCloseAt < nextWakeAt) nextWakeAt = view.autoCloseAt;
    }
  }
  return nextWakeAt === Infinity ? { changed, dueToClose } : { changed, dueToClose, nextWakeAt };
}

function viewAt(followUp: FollowUp, calendar: WorkCalendar, now: number, nowPosition: number): SlaView {
  const view: SlaView = evaluate(followUp, currentTarget(followUp), calendar, now, nowPosition);
  if (followUp.status === 'selesai' && followUp.autoCloseAt) view.autoCloseAt = Date.parse(followUp.autoCloseAt);
  return view;
}

/** The target `slaState` speaks of: the first response until one was given (or the clocks stopped without it). */
function currentTarget(followUp: FollowUp): SlaTarget {
  return followUp.firstRespondedAt === undefined ? 'firstResponse' : 'resolution';
}

function evaluate(followUp: FollowUp, target: SlaTarget, calendar: WorkCalendar, now: number, nowPosition: number): TargetView {
  const first = target === 'firstResponse';
  const due = Date.parse(first ? followUp.firstResponseDue : followUp.resolutionDue);
  // A target is over once it was met (first answer, resolution) or its clock stopped for good (ditutup).
  const doneAt = first
    ? followUp.firstRespondedAt ?? (followUp.status === 'ditutup' ? followUp.closedAt : undefined)
    : followUp.resolvedAt ?? (followUp.status === 'ditutup' ? followUp.closedAt : undefined);
  if (doneAt !== undefined) return { target, due, state: Date.parse(doneAt) <= due ? 'met' : 'breached' };

  const duePosition = calendar.position(due);
  if (followUp.pausedAt !== undefined) {
    return { target, due, state: 'paused', minutesLeft: (duePosition - calendar.position(Date.parse(followUp.pausedAt))) / MINUTE_MS };
  }
  const minutesLeft = (duePosition - nowPosition) / MINUTE_MS;
  if (now > due) return { target, due, state: 'breached', minutesLeft };
  const warningLeft = (1 - WARNING_SHARE) * (first ? followUp.firstResponseMinutes : followUp.resolutionMinutes) * MINUTE_MS;
  if (duePosition - nowPosition <= warningLeft) return { target, due, state: 'warning', minutesLeft, nextChangeAt: due + 1 };
  return { target, due, state: 'ok', minutesLeft, nextChangeAt: calendar.instantAt(duePosition - warningLeft) };
}
