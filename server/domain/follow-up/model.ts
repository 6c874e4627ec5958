/**
 * The follow-up record: one per thread that entered the officers' queue. Times are ISO 8601 strings like
 * every stored record (server/domain/model.ts); the arithmetic works in epoch milliseconds.
 */

// The statuses, SLA states and reasons are part of the wire format (server/protocol.ts, which says what
// each means); the domain uses the same lists.
import type { FollowUpReason, FollowUpStatus, SlaState } from '../../protocol.js';

export { FOLLOW_UP_REASONS, FOLLOW_UP_STATUSES, SLA_STATES } from '../../protocol.js';
export type { FollowUpReason, FollowUpStatus, SlaState };

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

/**
 * The instant the queue sorts a follow-up by ("soonest due first"): the first-response due time until an
 * officer has answered, then the resolution due time; for `selesai` when it closes by itself; for `ditutup`
 * when it closed. Stores keep it beside the record (an indexed column in PostgreSQL) to page by it.
 */
export function queueDueAt(followUp: FollowUp): string {
  if (isOpen(followUp)) return followUp.firstRespondedAt ? followUp.resolutionDue : followUp.firstResponseDue;
  if (followUp.status === 'selesai') return followUp.autoCloseAt ?? followUp.resolutionDue;
  return followUp.closedAt ?? followUp.updatedAt;
}

/** A follow-up before the store numbers it: the store fills in `tracking` from its per-site, per-year counter. */
export type NewFollowUp = Omit<FollowUp, 'tracking'>;

/** A supervisor's notification (an escalation), kept per receiving officer. */
export interface OfficerNotification {
  id: string;
  /** The receiving officer's member id. */
  officerId: string;
  at: string;
  kind: 'sla_breached';
  threadId: string;
  tracking: string;
  site: string;
  target: 'first_response' | 'resolution';
  read: boolean;
}
