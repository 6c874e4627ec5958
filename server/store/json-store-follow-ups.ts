import type { FollowUp, NewFollowUp, OfficerNotification } from '../domain/follow-up/model.js';
import { formatTracking } from '../domain/follow-up/tracking.js';
import type { ChangeEvent, Thread } from '../domain/model.js';
import type { SlaState } from '../protocol.js';
import { copyFollowUp, type FollowUpRecord } from './follow-up-state.js';
import { jsonCopy } from './memory-records.js';
import type { WriteContext } from './pending-writes.js';
import type { FollowUpCommit, FollowUpCounts, FollowUpCursor, FollowUpQuery, FollowUpUpdate } from './store.js';

/**
 * The officers' follow-up queue (Store: openFollowUp … markNotificationsRead) of the stores built on
 * MemoryState: the JSON store, where each write is one journal record applied once durable, and the memory
 * store, whose commit applies at once. Like ContentWrites, a write works from the state as it will be once the
 * writes queued before it land (`pending`): tracking numbers, seqs and versions are handed out in journal
 * order, so concurrent opens get consecutive numbers and of concurrent updates with one expected version
 * exactly one finds it. Reads see durable state only.
 */
export class FollowUpWrites {
  constructor(private readonly store: WriteContext) {}

  private get pending() {
    return this.store.pending;
  }

  private get state() {
    return this.store.state.followUps;
  }

  open(req: { followUp: NewFollowUp; prefix: string; year: number }): Promise<FollowUpCommit | undefined> {
    try {
      this.store.assertWritable();
    } catch (err) {
      return Promise.reject(err);
    }
    const threadId = req.followUp.threadId;
    const thread = this.pending.thread(threadId);
    if (!thread) return Promise.resolve(undefined);
    const stored = this.state.get(threadId);
    if (stored) return Promise.resolve({ followUp: copyFollowUp(stored), created: false });
    const inFlight = this.pending.followUpOpens.get(threadId);
    if (inFlight) return inFlight.then((r) => ({ followUp: copyFollowUp(r.followUp), created: false }));
    if (req.followUp.site !== thread.site) {
      return Promise.reject(new Error(`follow-up of thread ${threadId} names site ${req.followUp.site}, the thread is on ${thread.site}`));
    }

    const { prefix, year } = req;
    const number = this.pending.lastTracking(prefix, year) + 1;
    let tracking: string;
    try {
      // Before the number is taken: a refused prefix or a full year must not leave a gap.
      tracking = formatTracking(prefix, year, number);
    } catch (err) {
      return Promise.reject(err);
    }
    this.pending.takeTracking(prefix, year, number);
    const followUp: FollowUp = { ...jsonCopy(req.followUp), tracking };
    const updated: Thread = { ...thread, followUp: { tracking, status: followUp.status } };
    const event = this.threadEvent(updated, followUp.createdAt);
    this.pending.threads.set(threadId, updated);
    this.pending.followUps.set(threadId, followUp);
    const record: FollowUpRecord = { t: 'follow-up.opened', followUp, prefix, year, number, event };
    let settled = false;
    const result = this.commit(threadId, record, () => {
      settled = true;
      this.pending.threads.settle(threadId);
      this.pending.followUps.settle(threadId);
      this.pending.followUpOpens.delete(threadId);
    }).then(() => ({ followUp: copyFollowUp(followUp), created: true, event }));
    // The memory store commits at once: then there is nothing in flight to remember.
    if (!settled) this.pending.followUpOpens.set(threadId, result);
    return result;
  }

  async get(req: { threadId: string }): Promise<FollowUp | undefined> {
    const followUp = this.state.get(req.threadId);
    return followUp && copyFollowUp(followUp);
  }

  async getMany(req: { threadIds: string[] }): Promise<FollowUp[]> {
    const out: FollowUp[] = [];
    for (const id of new Set(req.threadIds)) {
      const followUp = this.state.get(id);
      if (followUp) out.push(copyFollowUp(followUp));
    }
    return out;
  }

  async update(req: { followUp: FollowUp; expectedVersion: number }): Promise<FollowUpUpdate> {
    this.store.assertWritable();
    const threadId = req.followUp.threadId;
    const current = this.pending.followUp(threadId);
    if (!current || current.version !== req.expectedVersion) {
      // Answer with durable data: the write that moved the version on may still be in flight.
      await this.pending.followUpWrites.get(threadId);
      const durable = this.state.get(threadId);
      return { ok: false, current: durable && copyFollowUp(durable) };
    }
    const followUp = jsonCopy(req.followUp);
    if (followUp.tracking !== current.tracking || followUp.site !== current.site) {
      throw new Error(`an update of follow-up ${current.tracking} may not change its tracking number or site`);
    }
    let event: ChangeEvent | undefined;
    if (followUp.status !== current.status) {
      const updated: Thread = { ...this.pending.thread(threadId)!, followUp: { tracking: followUp.tracking, status: followUp.status } };
      event = this.threadEvent(updated, followUp.updatedAt);
      this.pending.threads.set(threadId, updated);
    }
    this.pending.followUps.set(threadId, followUp);
    const record: FollowUpRecord = { t: 'follow-up.updated', followUp, expectedVersion: req.expectedVersion, ...(event && { event }) };
    await this.commit(threadId, record, () => {
      if (event) this.pending.threads.settle(threadId);
      this.pending.followUps.settle(threadId);
    });
    return event ? { ok: true, followUp: copyFollowUp(followUp), event } : { ok: true, followUp: copyFollowUp(followUp) };
  }

  async setSlaStates(req: { changes: Array<{ threadId: string; slaState: SlaState }> }): Promise<void> {
    this.store.assertWritable();
    const changes = req.changes.filter(({ threadId, slaState }) => {
      const followUp = this.pending.followUp(threadId);
      return followUp !== undefined && followUp.slaState !== slaState;
    });
    if (changes.length === 0) return;
    // A follow-up with a write in flight gets the state on top of that write.
    const inFlight = changes.filter(({ threadId }) => this.pending.followUps.get(threadId) !== undefined);
    for (const { threadId, slaState } of inFlight) this.pending.followUps.set(threadId, { ...this.pending.followUps.get(threadId)!, slaState });
    await this.store.commit({ t: 'follow-up.sla', changes: jsonCopy(changes) }, () => {
      for (const { threadId } of inFlight) this.pending.followUps.settle(threadId);
    });
  }

  async query(req: FollowUpQuery): Promise<{ followUps: FollowUp[]; next?: FollowUpCursor }> {
    return this.state.query(req);
  }

  async count(req: { sites: string[] }): Promise<FollowUpCounts> {
    return this.state.count(req.sites);
  }

  async active(): Promise<FollowUp[]> {
    return this.state.active();
  }

  async addNotifications(req: { notifications: OfficerNotification[] }): Promise<void> {
    this.store.assertWritable();
    if (req.notifications.length === 0) return;
    const ids = new Set<string>();
    for (const n of req.notifications) {
      if (this.state.notification(n.id) || ids.has(n.id)) throw new Error(`notification ${n.id} already exists`);
      ids.add(n.id);
    }
    await this.store.commit({ t: 'notifications.added', notifications: jsonCopy(req.notifications) }, () => {});
  }

  async listNotifications(req: { officerId: string; limit: number }): Promise<OfficerNotification[]> {
    return this.state.listNotifications(req.officerId, req.limit);
  }

  async markNotificationsRead(req: { officerId: string; ids: string[] }): Promise<void> {
    this.store.assertWritable();
    const ids = [...new Set(req.ids)].filter((id) => {
      const n = this.state.notification(id);
      return n !== undefined && n.officerId === req.officerId && !n.read;
    });
    if (ids.length === 0) return;
    await this.store.commit({ t: 'notifications.read', officerId: req.officerId, ids }, () => {});
  }

  private threadEvent(thread: Thread, at: string): ChangeEvent {
    return { site: thread.site, seq: this.pending.nextSeq(thread.site), at, change: { kind: 'thread.updated', thread } };
  }

  /** Journals a write of one follow-up, remembering it as that follow-up's last write in flight. */
  private commit(threadId: string, record: FollowUpRecord, settle: () => void): Promise<void> {
    const write = this.store.commit(record, settle);
    const settled = write.then(
      () => {},
      () => {},
    );
    this.pending.followUpWrites.set(threadId, settled);
    void settled.then(() => {
      if (this.pending.followUpWrites.get(threadId) === settled) this.pending.followUpWrites.delete(threadId);
    });
    return write;
  }
}
