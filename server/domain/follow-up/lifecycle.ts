/**
 * The follow-up lifecycle: a pure state machine. Each function takes a follow-up and returns the next one
 * (a new object; the input is never changed) or throws a DomainError:
 * - `stale_view` (409) when an officer's write carries a version other than the current one — checked
 *   first, because the officer decided on what they saw;
 * - `invalid_transition` (409) when the lifecycle does not allow the change.
 *
 * Every change bumps `version` by one and appends status changes to `history`, which is the follow-up's own
 * record of who moved it when. Assignments are not in `history`; the caller writes them (and every officer
 * action) to the audit log as it does for other officer actions.
 */
import { DomainError } from '../errors.js';
import { slaTargetsFor, type SiteFollowUpSettings } from './calendar.js';
import type { FollowUp, FollowUpReason, FollowUpStatus, StatusCause, StatusChange } from './model.js';
import { slaState } from './sla.js';
import type { WorkCalendar } from './working-time.js';
import { MINUTE_MS } from './zone.js';

/** The site's calendar and the current instant (injected, so tests and replays choose the time). */
export interface Clock {
  calendar: WorkCalendar;
  now: number;
}

/**
 * What an officer may do from each status, as in LAPOR! and Freshdesk:
 * - `baru` → `diproses` (pick it up) or `ditutup` (dismiss: spam, a duplicate, not BKN's matter). Not
 *   `menunggu_penanya` or `selesai`: both presuppose that the asker was answered (see REQUIRES_ANSWER),
 *   and a new report must not be parked to stop its first-response clock.
 * - `diproses` → `menunggu_penanya` (asked the asker something) or `selesai`. Not `ditutup`: once worked,
 *   a follow-up closes through `selesai`, which gives the asker autoCloseWorkingDays to object (LAPOR!'s
 *   "ditutup otomatis 10 hari kerja"); an officer can close a `selesai` one at once if needed.
 * - `menunggu_penanya` → `diproses` (resume without a reply, e.g. the asker phoned) or `selesai`.
 * - `selesai` → `diproses` (reopen) or `ditutup` (close now, e.g. the asker said thanks).
 * - `ditutup` → `diproses`: an officer may reopen a closed follow-up (Freshdesk allows it; LAPOR!'s admins
 *   reopen on appeal). An asker's reply does not reopen a closed one.
 * Moving to the same status is refused: it would change nothing but the version.
 */
export const OFFICER_TRANSITIONS: Readonly<Record<FollowUpStatus, readonly FollowUpStatus[]>> = {
  baru: ['diproses', 'ditutup'],
  diproses: ['menunggu_penanya', 'selesai'],
  menunggu_penanya: ['diproses', 'selesai'],
  selesai: ['diproses', 'ditutup'],
  ditutup: ['diproses'],
};

/** Statuses an officer can only choose once an officer has answered the asker. */
const REQUIRES_ANSWER: ReadonlySet<FollowUpStatus> = new Set(['menunggu_penanya', 'selesai']);

export interface OpenFollowUpInput {
  threadId: string;
  site: string;
  category: string;
  /** From the store's per-site, per-year counter (formatTracking). */
  tracking: string;
  reason: FollowUpReason;
  assigneeId?: string;
  settings: Pick<SiteFollowUpSettings, 'sla' | 'autoCloseWorkingDays'>;
}

/** A new follow-up (`baru`, version 1): both clocks start now, with the category's targets. */
export function openFollowUp(input: OpenFollowUpInput, clock: Clock): FollowUp {
  const { calendar, now } = clock;
  const targets = slaTargetsFor(input.settings.sla, input.category);
  const at = iso(now);
  const followUp: FollowUp = {
    threadId: input.threadId,
    site: input.site,
    category: input.category,
    tracking: input.tracking,
    status: 'baru',
    reason: input.reason,
    ...(input.assigneeId !== undefined && { assigneeId: input.assigneeId }),
    createdAt: at,
    updatedAt: at,
    firstResponseMinutes: targets.firstResponseMinutes,
    resolutionMinutes: targets.resolutionMinutes,
    firstResponseDue: iso(calendar.addWorkingMs(now, targets.firstResponseMinutes * MINUTE_MS)),
    resolutionDue: iso(calendar.addWorkingMs(now, targets.resolutionMinutes * MINUTE_MS)),
    autoCloseWorkingDays: input.settings.autoCloseWorkingDays,
    pausedWorkingMinutes: 0,
    slaState: 'ok',
    version: 1,
    history: [{ at, from: null, to: 'baru', cause: 'opened' }],
  };
  return { ...followUp, slaState: slaState(followUp, calendar, now) };
}

/** The statuses an officer may move this follow-up to now (for the buttons the page shows). */
export function allowedStatuses(followUp: FollowUp): FollowUpStatus[] {
  return OFFICER_TRANSITIONS[followUp.status].filter((to) => refusal(followUp, to) === undefined);
}

export interface StatusChangeInput {
  to: FollowUpStatus;
  officerId: string;
  /** The version the officer saw. */
  expectedVersion: number;
  note?: string;
}

/** An officer moves the follow-up (`POST /api/officer/threads/:id/status`). */
export function changeStatus(followUp: FollowUp, input: StatusChangeInput, clock: Clock): FollowUp {
  checkVersion(followUp, input.expectedVersion);
  const why = refusal(followUp, input.to);
  if (why) throw new DomainError('invalid_transition', why);
  return moveTo(followUp, input.to, clock, { cause: 'officer', by: input.officerId, ...(input.note !== undefined && { note: input.note }) });
}

/**
 * An officer posted an answer. The first one while the clocks run is the first response and moves `baru`
 * to `diproses`. Any answer bumps the version: another officer's view is stale once someone replied.
 * `expectedVersion` (the answer's followUpVersion) is checked when given.
 */
export function recordOfficerAnswer(followUp: FollowUp, input: { officerId: string; expectedVersion?: number }, clock: Clock): FollowUp {
  if (input.expectedVersion !== undefined) checkVersion(followUp, input.expectedVersion);
  const running = followUp.status === 'baru' || followUp.status === 'diproses';
  const answered: FollowUp =
    running && followUp.firstRespondedAt === undefined ? { ...followUp, firstRespondedAt: iso(clock.now) } : followUp;
  if (followUp.status === 'baru') return moveTo(answered, 'diproses', clock, { cause: 'officer_answer', by: input.officerId });
  return touch(answered, clock);
}

/**
 * The asker replied in the thread. Waiting for them (`menunggu_penanya`) resumes the clocks; a resolved
 * follow-up (`selesai`) reopens; both move to `diproses`. On `baru`/`diproses` only the version moves (the
 * officers' view is stale). A closed follow-up is returned unchanged.
 */
export function recordAskerReply(followUp: FollowUp, clock: Clock): FollowUp {
  switch (followUp.status) {
    case 'menunggu_penanya':
    case 'selesai':
      return moveTo(followUp, 'diproses', clock, { cause: 'asker_reply' });
    case 'baru':
    case 'diproses':
      return touch(followUp, clock);
    case 'ditutup':
      return followUp;
  }
}

/** Assigns the follow-up to an officer, or to nobody with `null`. Unchanged (same version) if already so. */
export function assign(followUp: FollowUp, input: { assigneeId: string | null; expectedVersion: number }, clock: Clock): FollowUp {
  checkVersion(followUp, input.expectedVersion);
  if ((followUp.assigneeId ?? null) === input.assigneeId) return followUp;
  const { assigneeId: _previous, ...rest } = followUp;
  return touch(input.assigneeId === null ? rest : { ...rest, assigneeId: input.assigneeId }, clock);
}

/** `selesai` → `ditutup` by the system, once `autoCloseAt` has come (see sweep's dueToClose). */
export function autoClose(followUp: FollowUp, clock: Clock): FollowUp {
  if (followUp.status !== 'selesai' || !followUp.autoCloseAt || Date.parse(followUp.autoCloseAt) > clock.now) {
    throw new DomainError('invalid_transition', `follow-up ${followUp.tracking} is not due to close by itself`);
  }
  return moveTo(followUp, 'ditutup', clock, { cause: 'auto_close' });
}

/** Throws `stale_view` unless the officer saw the current version. */
export function checkVersion(followUp: FollowUp, expectedVersion: number): void {
  if (expectedVersion !== followUp.version) {
    throw new DomainError('stale_view', `follow-up ${followUp.tracking} is at version ${followUp.version}, not ${expectedVersion}: reload it`);
  }
}

/** Why an officer may not move the follow-up to `to`, or undefined when they may. */
function refusal(followUp: FollowUp, to: FollowUpStatus): string | undefined {
  const allowed: readonly string[] = OFFICER_TRANSITIONS[followUp.status] ?? [];
  if (!allowed.includes(to)) return `a follow-up cannot go from ${followUp.status} to ${String(to)}`;
  if (REQUIRES_ANSWER.has(to) && followUp.firstRespondedAt === undefined) return `${to} needs an officer's answer to the asker first`;
  return undefined;
}

function moveTo(followUp: FollowUp, to: FollowUpStatus, clock: Clock, change: Omit<StatusChange, 'at' | 'from' | 'to'> & { cause: StatusCause }): FollowUp {
  const at = iso(clock.now);
  // Leaving a stopped state first accounts for the pause, so that `selesai` from `menunggu_penanya` is
  // judged against the pushed due time.
  let next: FollowUp = to === 'diproses' || (to === 'selesai' && followUp.status === 'menunggu_penanya') ? resume(followUp, clock) : { ...followUp };
  switch (to) {
    case 'diproses': {
      const { resolvedAt: _r, closedAt: _c, autoCloseAt: _a, ...open } = next;
      next = open;
      break;
    }
    case 'menunggu_penanya':
      next.pausedAt = at;
      break;
    case 'selesai':
      next.resolvedAt = at;
      next.pausedAt = at;
      next.autoCloseAt = iso(clock.calendar.closingOfWorkingDayAfter(clock.now, followUp.autoCloseWorkingDays));
      break;
    case 'ditutup': {
      const { autoCloseAt: _a, ...closed } = next;
      next = { ...closed, closedAt: at, pausedAt: next.pausedAt ?? at };
      break;
    }
    case 'baru':
      throw new DomainError('invalid_transition', 'a follow-up never goes back to baru');
  }
  next.status = to;
  next.history = [...followUp.history, { at, from: followUp.status, to, ...change }];
  return touch(next, clock);
}

/**
 * Restarts stopped clocks: each due time that had not passed when they stopped moves later by the working
 * time they were stopped (as Znuny's EscalationSuspend and Freshdesk's "pending" do; a target already
 * missed stays missed). The first-response due moves only while no officer has answered.
 */
function resume(followUp: FollowUp, clock: Clock): FollowUp {
  if (followUp.pausedAt === undefined) return { ...followUp };
  const { pausedAt, ...running } = followUp;
  const stoppedAt = Date.parse(pausedAt);
  const pausedMs = Math.max(0, clock.calendar.workingMsBetween(stoppedAt, clock.now));
  const push = (dueIso: string) => {
    const due = Date.parse(dueIso);
    return stoppedAt <= due ? iso(clock.calendar.addWorkingMs(due, pausedMs)) : dueIso;
  };
  return {
    ...running,
    ...(followUp.firstRespondedAt === undefined && { firstResponseDue: push(followUp.firstResponseDue) }),
    resolutionDue: push(followUp.resolutionDue),
    pausedWorkingMinutes: followUp.pausedWorkingMinutes + pausedMs / MINUTE_MS,
  };
}

/** Every change: one more version, the time, and the SLA state recomputed. */
function touch(followUp: FollowUp, clock: Clock): FollowUp {
  const next: FollowUp = { ...followUp, version: followUp.version + 1, updatedAt: iso(clock.now) };
  next.slaState = slaState(next, clock.calendar, clock.now);
  return next;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
