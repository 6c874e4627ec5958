import type { FollowUp } from '../domain/follow-up/model.js';
import type { Post, Thread, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import type { JournalRecord } from './journal.js';
import type { MemoryState } from './memory-state.js';
import type { CommitResult, FollowUpCommit } from './store.js';

/** Changes made but not yet durable: writers see them, readers do not. */
export class Pending<T> {
  private readonly items = new Map<string, { value: T; count: number }>();

  get(id: string): T | undefined {
    return this.items.get(id)?.value;
  }

  set(id: string, value: T): void {
    const item = this.items.get(id);
    this.items.set(id, { value, count: (item?.count ?? 0) + 1 });
  }

  /** One of the pending changes to `id` is now committed (or was abandoned). */
  settle(id: string): void {
    const item = this.items.get(id);
    if (item && --item.count === 0) this.items.delete(id);
  }
}

export type PendingCommit = { kind: 'thread'; result: Promise<CommitResult<Thread>> } | { kind: 'post'; result: Promise<CommitResult<Post> | undefined> };

/**
 * The JSON store's writes in flight, kept beside the committed state (docs/STORAGE.md, "Writes in flight"):
 * what each record will look like once the writes queued before it land, so that seqs, counts, votes and
 * idempotent retries stay right before the commit does. Every write settles what it set once it is durable,
 * or once it was abandoned (a failed batch), so a failure leaves nothing behind here.
 */
export class PendingWrites {
  readonly threads = new Pending<Thread>();
  readonly visitors = new Pending<Visitor>();
  /** By clientKey(authorId, clientId). */
  readonly clients = new Map<string, PendingCommit>();
  readonly posts = new Pending<Post>();
  /** By voteKey; `vote` undefined: a removal in flight. */
  readonly votes = new Pending<{ vote?: Vote }>();
  /** By post: who will have flagged it once the writes in flight land, and the last of those writes. */
  readonly flags = new Pending<{ members: Set<string>; done: Promise<void> }>();
  readonly requests = new Pending<VerificationRequest>();
  readonly followUps = new Pending<FollowUp>();
  /** Opens in flight by thread: another open of that thread is answered with the first one's follow-up. */
  readonly followUpOpens = new Map<string, Promise<FollowUpCommit>>();
  /** The last write in flight per follow-up (settled either way): a refused compare-and-set waits for it. */
  readonly followUpWrites = new Map<string, Promise<void>>();
  /** The last seq handed out per site, committed or not. */
  private readonly assignedSeq = new Map<string, number>();
  /** The last tracking number handed out per `PREFIX-YYYY`, committed or not. */
  private readonly assignedTracking = new Map<string, number>();

  constructor(private state: MemoryState) {
    this.restart(state);
  }

  /** Starts over from the committed state: at open, and after a failed batch abandoned every write in flight. */
  restart(state: MemoryState): void {
    this.state = state;
    this.assignedSeq.clear();
    this.assignedTracking.clear();
    for (const [name, site] of state.sites) this.assignedSeq.set(name, site.seq);
  }

  /** Also right when the committed state moved on by itself (the memory store applies its other writes directly). */
  nextSeq(site: string): number {
    const seq = Math.max(this.assignedSeq.get(site) ?? 0, this.state.sites.get(site)?.seq ?? 0) + 1;
    this.assignedSeq.set(site, seq);
    return seq;
  }

  /** The last tracking number of (prefix, year) handed out, committed or not; 0 before the first. */
  lastTracking(prefix: string, year: number): number {
    return Math.max(this.assignedTracking.get(`${prefix}-${year}`) ?? 0, this.state.followUps.counter(prefix, year));
  }

  /** Hands out `number` for (prefix, year): the caller journals it next. */
  takeTracking(prefix: string, year: number, number: number): void {
    this.assignedTracking.set(`${prefix}-${year}`, number);
  }

  followUp(threadId: string): FollowUp | undefined {
    return this.followUps.get(threadId) ?? this.state.followUps.get(threadId);
  }

  thread(id: string): Thread | undefined {
    return this.threads.get(id) ?? this.state.threads.get(id)?.thread;
  }

  visitor(id: string): Visitor | undefined {
    return this.visitors.get(id) ?? this.state.visitors.get(id);
  }

  post(id: string): Post | undefined {
    return this.posts.get(id) ?? this.state.posts.get(id);
  }

  vote(key: string): Vote | undefined {
    const pending = this.votes.get(key);
    return pending ? pending.vote : this.state.votes.get(key);
  }

  request(id: string): VerificationRequest | undefined {
    return this.requests.get(id) ?? this.state.requests.get(id);
  }
}

/** What the write modules (json-store-writes.ts, json-store-trust.ts) need of the store. */
export interface WriteContext {
  readonly pending: PendingWrites;
  /** The committed state. */
  readonly state: MemoryState;
  /** Throws (StoreUnavailableError) when the store takes no writes now. */
  assertWritable(): void;
  /** Journals `record`; once durable, applies it, calls `settle` and tells subscribers; if abandoned, only `settle`. */
  commit(record: JournalRecord, settle: () => void): Promise<void>;
}
