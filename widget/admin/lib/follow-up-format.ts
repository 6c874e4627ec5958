import type { FollowUpView, OfficerThreadView, QueueItem } from '../../../server/protocol.js';
import type { AdminMessages } from '../i18n.js';
import type { QueueFilters } from './officer-api.js';

/** The zones BKN's regional offices use, in the words Indonesians read on a clock. */
const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** "sisa 2 jam kerja" / "lewat 1 jam kerja": working time left on the target `slaState` speaks of. */
export function dueText(t: AdminMessages, minutesLeft: number | undefined): string {
  if (minutesLeft === undefined) return '';
  const minutes = Math.abs(Math.round(minutesLeft));
  const amount = minutes < 60 ? t.fu.workMinutes(minutes) : t.fu.workHours(Math.round(minutes / 60));
  return minutesLeft < 0 ? t.fu.late(amount) : t.fu.left(amount);
}

/** An instant as a date in the site's zone: "5 Des 2026 14.00 WIB" — the asker's clock, not the officer's. */
export function zoneDate(t: AdminMessages, iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let text: string;
  try {
    text = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    text = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
  return `${text} ${ZONE_NAMES[timeZone] ?? timeZone}`;
}

/** The due instant the queue sorts on: the first response until an officer answered, then the resolution. */
export function nextDue(followUp: FollowUpView): string {
  return followUp.firstRespondedAt ? followUp.resolutionDue : followUp.firstResponseDue;
}

/** Soonest due first, then oldest, as the server sorts. */
export function compareItems(a: QueueItem, b: QueueItem): number {
  return nextDue(a.followUp).localeCompare(nextDue(b.followUp)) || a.followUp.createdAt.localeCompare(b.followUp.createdAt);
}

function listed(filter: string, value: string): boolean {
  return !filter || filter.split(',').includes(value);
}

/**
 * Whether a live item belongs in the list the filters show. Words (`q`) are the server's to match: with words
 * set, a live item only updates a row already shown.
 */
export function matchesFilters(item: QueueItem, filters: QueueFilters, myId: string | undefined): boolean {
  const { followUp, thread } = item;
  if (!listed(filters.site, followUp.site) || !listed(filters.category, thread.category)) return false;
  if (!listed(filters.status, followUp.status) || !listed(filters.sla, followUp.slaState)) return false;
  const assignee = followUp.assignee?.id;
  if (filters.assignee === 'me') return assignee !== undefined && assignee === myId;
  if (filters.assignee === 'none') return assignee === undefined;
  if (filters.assignee) return assignee === filters.assignee;
  return !filters.q.trim();
}

function minutesAgo(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
}

/**
 * What changed between the follow-up this officer saw and the one the server has now (from a `stale_view`
 * refusal and the reloaded thread): "Ani menjawab 1 menit lalu; status kini Diproses".
 */
export function staleChanges(
  t: AdminMessages,
  seen: { followUp: FollowUpView; postIds: ReadonlySet<string> },
  now: { followUp: FollowUpView; view?: OfficerThreadView },
  myId: string | undefined,
  clock = Date.now(),
): string[] {
  const changes: string[] = [];
  for (const post of now.view?.posts ?? []) {
    if (seen.postIds.has(post.id) || post.authorId === myId) continue;
    changes.push(t.fu.staleAnswered(post.author?.name ?? post.authorName, t.fu.ago(minutesAgo(post.createdAt, clock))));
  }
  if (now.followUp.status !== seen.followUp.status) changes.push(t.fu.staleStatus(t.fu.statuses[now.followUp.status]));
  if (now.followUp.assignee?.id !== seen.followUp.assignee?.id) {
    changes.push(now.followUp.assignee ? t.fu.staleAssignee(now.followUp.assignee.name) : t.fu.staleUnassigned);
  }
  if (changes.length === 0) changes.push(t.fu.staleOther);
  return changes;
}
