import { FOLLOW_UP_STATUSES, isOpen, queueDueAt, SLA_STATES, type FollowUp, type OfficerNotification } from '../domain/follow-up/model.js';
import { formatTracking, parseTracking } from '../domain/follow-up/tracking.js';
import type { ChangeEvent, Thread } from '../domain/model.js';
import type { FollowUpStatus, SlaState } from '../protocol.js';
import { compareDesc } from './memory-records.js';
import type { FollowUpCounts, FollowUpCursor, FollowUpQuery } from './store.js';
import { SiteWords } from './follow-up-words.js';

/**
 * The journal records of the officers' follow-up queue. Like every record type they are only ever added to;
 * replay applies them with the same code as a live commit.
 */
export type FollowUpRecord =
  /**
   * A new follow-up, number `number` of the (prefix, year) count, with the `thread.updated` event that puts its
   * public part on the thread: one record, so that a crash keeps all three or none.
   */
  | { t: 'follow-up.opened'; followUp: FollowUp; prefix: string; year: number; number: number; event: ChangeEvent }
  /** A compare-and-set that found `expectedVersion`; `event` when the public part (status) changed. */
  | { t: 'follow-up.updated'; followUp: FollowUp; expectedVersion: number; event?: ChangeEvent }
  /** SLA states from the clock sweep (no version change). */
  | { t: 'follow-up.sla'; changes: Array<{ threadId: string; slaState: SlaState }> }
  | { t: 'notifications.added'; notifications: OfficerNotification[] }
  /** Only the ids of that officer's notifications are marked. */
  | { t: 'notifications.read'; officerId: string; ids: string[] };

export function isFollowUpRecord(record: { t: string }): record is FollowUpRecord {
  return record.t.startsWith('follow-up.') || record.t.startsWith('notifications.');
}

/** The parts of the snapshot this state keeps (snapshot-format.ts). */
export interface FollowUpSnapshot {
  followUps: FollowUp[];
  /** The last number given per `PREFIX-YYYY`. */
  trackingCounters: Record<string, number>;
  /** In the order they were added. */
  notifications: OfficerNotification[];
}

/** A follow-up in its site's queue, under the key the queue is sorted by. */
interface QueueEntry {
  dueAt: string;
  followUp: FollowUp;
  /** The thread's lower-cased title and body, once a word search needed it (a thread's text never changes). */
  text?: string;
}

/** A copy that shares nothing mutable with `followUp`. */
export function copyFollowUp(followUp: FollowUp): FollowUp {
  return { ...followUp, history: followUp.history.map((change) => ({ ...change })) };
}

/**
 * The follow-up part of MemoryState (the JSON and memory stores): follow-ups by thread, each site's queue
 * sorted by (queueDueAt, threadId) so that a page is a binary search and a short walk however long the queue
 * (docs/FOLLOW-UP.md: 20,000 follow-ups over 14 sites), the tracking counters, and officers' notifications.
 * Stored follow-ups are replaced, never changed in place; everything handed out is a copy.
 */
export class FollowUpState {
  readonly #entries = new Map<string, QueueEntry>();
  readonly #queues = new Map<string, QueueEntry[]>();
  readonly #byTracking = new Map<string, QueueEntry>();
  readonly #counters = new Map<string, number>();
  /** Per site, kept with every change, so that counting is not a walk over the queue. */
  readonly #counts = new Map<string, FollowUpCounts>();
  readonly #notifications = new Map<string, OfficerNotification>();
  readonly #notificationsByOfficer = new Map<string, OfficerNotification[]>();
  /** Each site's queue of one assignee (site NUL assignee id), sorted like #queues: "assigned to me" is a short walk. */
  readonly #assigned = new Map<string, QueueEntry[]>();
  /** Per site, for words that the walk in due order does not meet soon (follow-up-words.ts). */
  readonly #words = new Map<string, SiteWords<QueueEntry>>();

  /** @param threadText the lower-cased title and body of a thread, for word search. */
  constructor(private readonly threadText: (threadId: string) => string | undefined) {}

  /** The stored follow-up itself (not a copy): callers copy what they hand out. */
  get(threadId: string): FollowUp | undefined {
    return this.#entries.get(threadId)?.followUp;
  }

  /** The last tracking number given for (prefix, year); 0 before the first. */
  counter(prefix: string, year: number): number {
    return this.#counters.get(counterKey(prefix, year)) ?? 0;
  }

  notification(id: string): OfficerNotification | undefined {
    return this.#notifications.get(id);
  }

  /**
   * Checks `record` against the state, then lets `applyEvent` apply its thread change (which checks its own
   * seq and thread before changing anything), then applies the rest. Throws before changing anything when the
   * record does not fit (replay checks).
   */
  apply(record: FollowUpRecord, applyEvent: (event: ChangeEvent) => void): void {
    switch (record.t) {
      case 'follow-up.opened': {
        const { followUp, prefix, year, number, event } = record;
        if (this.#entries.has(followUp.threadId)) throw new Error(`thread ${followUp.threadId} already has a follow-up`);
        const expected = this.counter(prefix, year) + 1;
        if (number !== expected) throw new Error(`tracking number ${number} of ${counterKey(prefix, year)} where ${expected} was next`);
        if (followUp.tracking !== formatTracking(prefix, year, number)) throw new Error(`follow-up ${followUp.tracking} is not number ${number} of ${counterKey(prefix, year)}`);
        checkEvent(event, followUp);
        applyEvent(event);
        this.#counters.set(counterKey(prefix, year), number);
        this.#add(followUp);
        return;
      }
      case 'follow-up.updated': {
        const { followUp, expectedVersion, event } = record;
        const entry = this.#entries.get(followUp.threadId);
        if (!entry) throw new Error(`update of unknown follow-up of thread ${followUp.threadId}`);
        if (entry.followUp.version !== expectedVersion) throw new Error(`follow-up ${followUp.tracking} is at version ${entry.followUp.version}, not ${expectedVersion}`);
        if (entry.followUp.tracking !== followUp.tracking || entry.followUp.site !== followUp.site) throw new Error(`update of follow-up ${entry.followUp.tracking} changes its tracking number or site`);
        if (event) checkEvent(event, followUp);
        else if (entry.followUp.status !== followUp.status) throw new Error(`follow-up ${followUp.tracking} changes its status without a thread event`);
        if (event) applyEvent(event);
        this.#replace(entry, followUp);
        return;
      }
      case 'follow-up.sla':
        for (const { threadId, slaState } of record.changes) {
          const entry = this.#entries.get(threadId);
          if (!entry) continue;
          // The due time does not depend on the SLA state: the entry keeps its place.
          this.#tally(entry.followUp, -1);
          entry.followUp = { ...entry.followUp, slaState };
          this.#tally(entry.followUp, 1);
        }
        return;
      case 'notifications.added':
        for (const n of record.notifications) if (this.#notifications.has(n.id)) throw new Error(`notification ${n.id} already exists`);
        for (const n of record.notifications) this.#addNotification({ ...n });
        return;
      case 'notifications.read':
        for (const id of record.ids) {
          const n = this.#notifications.get(id);
          if (n && n.officerId === record.officerId) n.read = true;
        }
        return;
    }
  }

  /** A page of the queue over `sites`: soonest due first, then by thread id, starting after `after`. */
  query(req: FollowUpQuery): { followUps: FollowUp[]; next?: FollowUpCursor } {
    if (req.limit <= 0) return { followUps: [] };
    const matches = this.#matcher(req);
    const wanted = req.limit + 1;
    const found: QueueEntry[] = [];
    const tracking = req.words?.length === 1 ? parseTracking(req.words[0]!) : undefined;
    if (tracking) {
      const entry = this.#byTracking.get(formatTracking(tracking.prefix, tracking.year, tracking.number));
      if (entry && req.sites.includes(entry.followUp.site) && (!req.after || compareKeys(entry, req.after) > 0) && matches(entry)) found.push(entry);
    } else {
      // Each site's queue is sorted: take at most limit + 1 matches from each, then merge.
      const words = tracking ? [] : (req.words ?? []).filter((w) => w.length > 0);
      // The longest word is likely the rarest: the one to ask the index for.
      const rarest = words.reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase();
      const assignee = req.assignee !== undefined && req.assignee !== 'none' ? req.assignee.id : undefined;
      for (const site of new Set(req.sites)) {
        const queue = assignee === undefined ? this.#queues.get(site) : this.#assigned.get(assignedKey(site, assignee));
        if (!queue) continue;
        let taken = 0;
        let candidates: Set<QueueEntry> | undefined;
        const start = req.after ? firstAfter(queue, req.after) : 0;
        for (let i = start; i < queue.length && taken < wanted; i++) {
          if (rarest && i - start === WORD_WALK) candidates = this.#words.get(site)?.containing(rarest);
          if (candidates && !candidates.has(queue[i]!)) continue;
          if (matches(queue[i]!)) {
            found.push(queue[i]!);
            taken++;
          }
        }
      }
      found.sort(compareKeys);
    }
    const page = found.slice(0, req.limit);
    const followUps = page.map((entry) => copyFollowUp(entry.followUp));
    if (found.length <= req.limit) return { followUps };
    const last = page.at(-1)!;
    return { followUps, next: { dueAt: last.dueAt, threadId: last.followUp.threadId } };
  }

  count(sites: string[]): FollowUpCounts {
    const total = zeroCounts();
    for (const site of new Set(sites)) {
      const counts = this.#counts.get(site);
      if (!counts) continue;
      for (const s of FOLLOW_UP_STATUSES) total.byStatus[s] += counts.byStatus[s];
      for (const s of SLA_STATES) total.bySla[s] += counts.bySla[s];
    }
    return total;
  }

  /** Copies of every follow-up not yet `ditutup`. */
  active(): FollowUp[] {
    const out: FollowUp[] = [];
    for (const { followUp } of this.#entries.values()) if (followUp.status !== 'ditutup') out.push(copyFollowUp(followUp));
    return out;
  }

  /** An officer's notifications, newest first; among equal times the later added first. */
  listNotifications(officerId: string, limit: number): OfficerNotification[] {
    if (limit <= 0) return [];
    const list = [...(this.#notificationsByOfficer.get(officerId) ?? [])].reverse();
    return list.sort((a, b) => compareDesc(a.at, b.at)).slice(0, limit).map((n) => ({ ...n }));
  }

  toSnapshot(): FollowUpSnapshot {
    return {
      followUps: Array.from(this.#entries.values(), (entry) => entry.followUp),
      trackingCounters: Object.fromEntries(this.#counters),
      notifications: [...this.#notifications.values()],
    };
  }

  load(snapshot: Partial<FollowUpSnapshot>): void {
    for (const [key, n] of Object.entries(snapshot.trackingCounters ?? {})) this.#counters.set(key, n);
    for (const followUp of snapshot.followUps ?? []) this.#add(followUp);
    for (const n of snapshot.notifications ?? []) this.#addNotification({ ...n });
  }

  /** The filters other than sites and the cursor, as one test. */
  #matcher(req: FollowUpQuery): (entry: QueueEntry) => boolean {
    const statuses = nonEmptySet(req.statuses);
    const slaStates = nonEmptySet(req.slaStates);
    const categories = nonEmptySet(req.categories);
    const assignee = req.assignee;
    const tracking = req.words?.length === 1 && parseTracking(req.words[0]!) !== undefined;
    const words = tracking ? [] : (req.words ?? []).map((w) => w.toLowerCase()).filter((w) => w.length > 0);
    return (entry) => {
      const f = entry.followUp;
      if (statuses && !statuses.has(f.status)) return false;
      if (slaStates && !slaStates.has(f.slaState)) return false;
      if (categories && !categories.has(f.category)) return false;
      if (assignee === 'none' ? f.assigneeId !== undefined : assignee !== undefined && f.assigneeId !== assignee.id) return false;
      if (words.length > 0) {
        const text = this.#textOf(entry);
        if (!words.every((w) => text.includes(w))) return false;
      }
      return true;
    };
  }

  #textOf(entry: QueueEntry): string {
    return (entry.text ??= this.threadText(entry.followUp.threadId) ?? '');
  }

  #add(followUp: FollowUp): void {
    const entry: QueueEntry = { dueAt: queueDueAt(followUp), followUp };
    this.#entries.set(followUp.threadId, entry);
    this.#byTracking.set(followUp.tracking, entry);
    let queue = this.#queues.get(followUp.site);
    if (!queue) this.#queues.set(followUp.site, (queue = []));
    queue.splice(firstAfter(queue, keyOf(entry)), 0, entry);
    if (followUp.assigneeId !== undefined) this.#assignedTo(followUp.site, followUp.assigneeId, entry, 1);
    let words = this.#words.get(followUp.site);
    if (!words) this.#words.set(followUp.site, (words = new SiteWords((e) => this.#textOf(e))));
    words.add(entry);
    this.#tally(followUp, 1);
  }

  #replace(entry: QueueEntry, followUp: FollowUp): void {
    const dueAt = queueDueAt(followUp);
    const before = entry.followUp.assigneeId;
    const moved = dueAt !== entry.dueAt || before !== followUp.assigneeId;
    // Out of the assignee's queue under the old key, back in under the new one (below).
    if (moved && before !== undefined) this.#assignedTo(followUp.site, before, entry, -1);
    if (dueAt !== entry.dueAt) {
      const queue = this.#queues.get(followUp.site)!;
      queue.splice(firstAfter(queue, keyOf(entry)) - 1, 1);
      entry.dueAt = dueAt;
      queue.splice(firstAfter(queue, keyOf(entry)), 0, entry);
    }
    this.#tally(entry.followUp, -1);
    entry.followUp = followUp;
    this.#tally(followUp, 1);
    if (moved && followUp.assigneeId !== undefined) this.#assignedTo(followUp.site, followUp.assigneeId, entry, 1);
  }

  /** Puts the entry in (1) or takes it out of (−1) the site's queue of one assignee, at the entry's current key. */
  #assignedTo(site: string, assigneeId: string, entry: QueueEntry, by: 1 | -1): void {
    const key = assignedKey(site, assigneeId);
    let queue = this.#assigned.get(key);
    if (!queue) this.#assigned.set(key, (queue = []));
    if (by === 1) queue.splice(firstAfter(queue, keyOf(entry)), 0, entry);
    else queue.splice(firstAfter(queue, keyOf(entry)) - 1, 1);
  }

  #tally(followUp: FollowUp, by: 1 | -1): void {
    let counts = this.#counts.get(followUp.site);
    if (!counts) this.#counts.set(followUp.site, (counts = zeroCounts()));
    counts.byStatus[followUp.status] += by;
    if (isOpen(followUp)) counts.bySla[followUp.slaState] += by;
  }

  #addNotification(n: OfficerNotification): void {
    this.#notifications.set(n.id, n);
    const list = this.#notificationsByOfficer.get(n.officerId);
    if (list) list.push(n);
    else this.#notificationsByOfficer.set(n.officerId, [n]);
  }
}

/** Entries a word search walks in due order before it asks the site's word index (the word is rare). */
const WORD_WALK = 256;

function zeroCounts(): FollowUpCounts {
  return {
    byStatus: Object.fromEntries(FOLLOW_UP_STATUSES.map((s) => [s, 0])) as Record<FollowUpStatus, number>,
    bySla: Object.fromEntries(SLA_STATES.map((s) => [s, 0])) as Record<SlaState, number>,
  };
}

function assignedKey(site: string, assigneeId: string): string {
  return `${site}\u0000${assigneeId}`;
}

function counterKey(prefix: string, year: number): string {
  return `${prefix}-${year}`;
}

/** The event of a commit that puts the follow-up's public part on its thread. */
function checkEvent(event: ChangeEvent, followUp: FollowUp): void {
  const change = event.change;
  if (change.kind !== 'thread.updated' || change.thread.id !== followUp.threadId || event.site !== followUp.site) {
    throw new Error(`follow-up ${followUp.tracking} carries an event for another change`);
  }
  const shown: Thread['followUp'] = change.thread.followUp;
  if (shown?.tracking !== followUp.tracking || shown.status !== followUp.status) {
    throw new Error(`follow-up ${followUp.tracking} carries a thread event that shows another follow-up`);
  }
}

function keyOf(entry: QueueEntry): FollowUpCursor {
  return { dueAt: entry.dueAt, threadId: entry.followUp.threadId };
}

/** Queue order: due time, then thread id (plain code-unit order, as in the cursor). */
function compareKeys(a: QueueEntry | FollowUpCursor, b: QueueEntry | FollowUpCursor): number {
  const ka = 'followUp' in a ? keyOf(a) : a;
  const kb = 'followUp' in b ? keyOf(b) : b;
  if (ka.dueAt !== kb.dueAt) return ka.dueAt < kb.dueAt ? -1 : 1;
  return ka.threadId < kb.threadId ? -1 : ka.threadId > kb.threadId ? 1 : 0;
}

/** The index of the first entry sorting after `key`. */
function firstAfter(queue: QueueEntry[], key: FollowUpCursor): number {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(queue[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function nonEmptySet<T>(list: T[] | undefined): Set<T> | undefined {
  return list && list.length > 0 ? new Set(list) : undefined;
}
