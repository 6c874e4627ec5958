/**
 * The follow-up record: one per thread that entered the officers' queue. Times are ISO 8601 strings like
 * every stored record (server/domain/model.ts); the arithmetic works in epoch milliseconds.
 */

/**
 * Where a follow-up stands, in the words officers and askers already know from LAPOR!:
 * - `baru` — new, no officer has answered yet;
 * - `diproses` — an officer is on it;
 * - `menunggu_penanya` — waiting for the asker's reply; both clocks are paused;
 * - `selesai` — resolved; closes by itself after the site's autoCloseWorkingDays unless the asker replies;
 * - `ditutup` — closed.
 */
export const FOLLOW_UP_STATUSES = ['baru', 'diproses', 'menunggu_penanya', 'selesai', 'ditutup'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * The one-word SLA summary shown in the inbox (see sla.ts for which target it speaks of):
 * `ok`, `warning` (75% of the target's working time used), `breached` (past due), `paused` (waiting for
 * the asker), `met` (resolved or closed in time).
 */
export const SLA_STATES = ['ok', 'warning', 'breached', 'paused', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Why the thread entered the queue: the asker asked, or one of the site's queue rules fired. */
export const FOLLOW_UP_REASONS = ['asker_request', 'unanswered', 'no_official_answer', 'flagged', 'negative_score'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

/** What caused a status change, for the history and the audit log. */
export type StatusCause = 'opened' | 'officer' | 'officer_answer' | 'asker_reply' | 'auto_close';

/** One status change. `by` is the officer's member id; absent for the asker and for the system. */
export interface StatusChange {
  at: string;
  from: FollowUpStatus | null;
  to: FollowUpStatus;
  cause: StatusCause;
  by?: string;
  /** The officer's short reason, e.g. why a new follow-up was closed without an answer. */
  note?: string;
}

export interface FollowUp {
  threadId: string;
  site: string;
  /** The thread's category when the follow-up opened: it chose the SLA targets. */
  category: string;
  /** PREFIX-YYYY-NNNNNN, given by the store's per-site, per-year counter (tracking.ts). */
  tracking: string;
  status: FollowUpStatus;
  reason: FollowUpReason;
  assigneeId?: string;
  /** When the follow-up opened; both clocks start here (counting from the next opening if closed). */
  createdAt: string;
  updatedAt: string;
  /** The targets in force when the follow-up opened; later changes to the site's settings do not move them. */
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** createdAt + firstResponseMinutes working minutes, pushed later by pauses that began before it. */
  firstResponseDue: string;
  /** createdAt + resolutionMinutes working minutes, pushed likewise. */
  resolutionDue: string;
  /** The first officer answer while the clocks ran; never cleared. */
  firstRespondedAt?: string;
  /** Set on `selesai`, cleared when the follow-up reopens. */
  resolvedAt?: string;
  /** When `selesai` turns into `ditutup` by itself, unless the asker replies first (working days, site zone). */
  autoCloseAt?: string;
  /** The site's autoCloseWorkingDays when the follow-up opened. */
  autoCloseWorkingDays: number;
  /** Set on `ditutup`, cleared when an officer reopens. */
  closedAt?: string;
  /**
   * When the clocks stopped: on `menunggu_penanya`, `selesai` and `ditutup`. Moving back to `diproses`
   * pushes the due times later by the working time since then; absent while the clocks run.
   */
  pausedAt?: string;
  /** Working minutes spent with stopped clocks that were later resumed (may have a fraction). */
  pausedWorkingMinutes: number;
  /**
   * The SLA state as last computed (by every lifecycle change and by the clock sweep), so that the store
   * can filter and count by it. Refreshing it is not a change: it does not bump `version`.
   */
  slaState: SlaState;
  /** Bumped by every change a person (or auto-close) makes; officers' writes carry the version they saw. */
  version: number;
  /** Status changes, oldest first, starting with the opening. */
  history: StatusChange[];
}

/** Whether the follow-up still needs officers: not resolved and not closed. */
export function isOpen(followUp: Pick<FollowUp, 'status'>): boolean {
  return followUp.status === 'baru' || followUp.status === 'diproses' || followUp.status === 'menunggu_penanya';
}
