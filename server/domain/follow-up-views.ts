/**
 * Officers' views of follow-ups (server/domain/follow-up/): the follow-up with its clocks as the page shows
 * it, queue items, notifications, and the queue's opaque cursor. Pure: the service passes the records, the
 * member summaries and the time.
 */
import type { FollowUpView, MemberSummary, NotificationView, QueueItem, ThreadView } from '../protocol.js';
import { DomainError } from './errors.js';
import { allowedStatuses, slaView, type FollowUp, type OfficerNotification, type WorkCalendar } from './follow-up/index.js';
import type { FollowUpCursor } from '../store/store.js';
import type { Authors } from './views.js';

/** Member ids a follow-up view names (assignee, officers in its history), to fetch their summaries once. */
export function followUpMemberIds(followUp: FollowUp): string[] {
  const ids = followUp.history.flatMap((h) => (h.by ? [h.by] : []));
  if (followUp.assigneeId) ids.push(followUp.assigneeId);
  return ids;
}

/** An officer who left (account removed) still shows by id rather than disappearing from the history. */
function person(id: string, people: Authors): MemberSummary {
  return people.get(id) ?? { id, name: id, reputation: 1, level: 'baru', officer: true };
}

export function followUpView(followUp: FollowUp, calendar: WorkCalendar, now: number, people: Authors): FollowUpView {
  const sla = slaView(followUp, calendar, now);
  const view: FollowUpView = {
    threadId: followUp.threadId,
    site: followUp.site,
    tracking: followUp.tracking,
    status: followUp.status,
    reason: followUp.reason,
    createdAt: followUp.createdAt,
    updatedAt: followUp.updatedAt,
    firstResponseDue: followUp.firstResponseDue,
    resolutionDue: followUp.resolutionDue,
    // The state at `now`, not as last stored: between two clock passes the page must not show a stale word.
    slaState: sla.state,
    timeZone: calendar.timeZone,
    version: followUp.version,
    allowedStatuses: allowedStatuses(followUp),
    history: followUp.history.map((h) => ({
      at: h.at,
      from: h.from,
      to: h.to,
      cause: h.cause,
      ...(h.by !== undefined && { by: person(h.by, people) }),
      ...(h.note !== undefined && { note: h.note }),
    })),
  };
  if (followUp.assigneeId) view.assignee = person(followUp.assigneeId, people);
  if (followUp.firstRespondedAt) view.firstRespondedAt = followUp.firstRespondedAt;
  if (followUp.resolvedAt) view.resolvedAt = followUp.resolvedAt;
  if (followUp.autoCloseAt) view.autoCloseAt = followUp.autoCloseAt;
  if (followUp.closedAt) view.closedAt = followUp.closedAt;
  // Minutes left only while a clock runs: paused and finished targets show their state word alone.
  if (sla.minutesLeft !== undefined && sla.state !== 'paused') view.minutesLeft = Math.round(sla.minutesLeft);
  return view;
}

export function queueItem(thread: ThreadView, followUp: FollowUp, calendar: WorkCalendar, now: number, people: Authors): QueueItem {
  return { thread, followUp: followUpView(followUp, calendar, now, people) };
}

export function notificationView(n: OfficerNotification): NotificationView {
  return { id: n.id, at: n.at, kind: n.kind, threadId: n.threadId, tracking: n.tracking, site: n.site, target: n.target, read: n.read };
}

/** The store's cursor as an opaque token for the URL (clients must not build or read it). */
export function encodeCursor(cursor: FollowUpCursor): string {
  return Buffer.from(JSON.stringify([cursor.dueAt, cursor.threadId]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): FollowUpCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0]))) {
      return { dueAt: value[0], threadId: value[1] };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new DomainError('bad_request', 'cursor: not a cursor this server gave out', { field: 'cursor' });
}
