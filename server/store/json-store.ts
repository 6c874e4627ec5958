import { unlink } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import type { AuditEntry, ChangeEvent, Flag, MemberPatch, NewPost, NewThread, Post, Thread, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import { lockDir } from './dir-lock.js';
import { loadState, SNAPSHOT_FILE } from './json-store-load.js';
import { DurableJsonFile, fsyncDir } from './durable-file-adapter.js';
import { JournalWriter, listSegments, type JournalRecord } from './journal.js';
import { applyMemberPatch, clientKey, copyAudit, copyPost, copyVisitor, voteKey } from './memory-records.js';
import { MemoryState } from './memory-state.js';
import { clientIdReused, jsonCopy, patchPost, patchTime, withoutUndefined } from './record-patch.js';
import { emptySnapshot, snapshotProblem, type StoredSnapshot } from './snapshot-format.js';
import { type CommitResult, type ListThreadsRequest, type PostPatch, type Store } from './store.js';

export { SNAPSHOT_FILE };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StoreLog = (level: LogLevel, msg: string, fields: Record<string, unknown>) => void;

export interface JsonStoreOptions {
  /** Data directory; created when missing. */
  dir: string;
  /** Events kept per site for eventsSince (and across restarts). */
  eventRetention?: number;
  /** Journal records between snapshots. */
  snapshotEvery?: number;
  log?: StoreLog;
}


/** Changes made but not yet durable: writers see them, readers do not. */
class Pending<T> {
  private readonly items = new Map<string, { value: T; count: number }>();

  get(id: string): T | undefined {
    return this.items.get(id)?.value;
  }

  set(id: string, value: T): void {
    const item = this.items.get(id);
    this.items.set(id, { value, count: (item?.count ?? 0) + 1 });
  }

  /** One of the pending changes to `id` is now committed. */
  settle(id: string): void {
    const item = this.items.get(id);
    if (item && --item.count === 0) this.items.delete(id);
  }
}

type PendingCommit = { kind: 'thread'; result: Promise<CommitResult<Thread>> } | { kind: 'post'; result: Promise<CommitResult<Post> | undefined> };

/**
 * The embedded store: an append-only, checksummed NDJSON journal with group commit, plus periodic
 * snapshots written through lowdb with a durable adapter. docs/STORAGE.md explains the design.
 *
 * State is applied in memory only after its journal record is durable, so every read, seq and
 * event a caller sees has survived a crash. Writes in flight are tracked in `pending*` so that
 * seqs, answer counts and idempotent retries stay right before the commit lands.
 */
export class JsonStore implements Store {
  readonly kind = 'json';

  private readonly dir: string;
  private readonly eventRetention: number;
  private readonly snapshotEvery: number;
  private readonly log: StoreLog;
  private readonly snapshotDb: Low<StoredSnapshot>;

  private status: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private state: MemoryState;
  private journal: JournalWriter | undefined;
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  private readonly assignedSeq = new Map<string, number>();
  private readonly pendingThreads = new Pending<Thread>();
  private readonly pendingVisitors = new Pending<Visitor>();
  private readonly pendingClients = new Map<string, PendingCommit>();
  private readonly pendingPosts = new Pending<Post>();
  /** By voteKey; `vote` undefined: a removal in flight. */
  private readonly pendingVotes = new Pending<{ vote?: Vote }>();
  /** By post: who will have flagged it once the writes in flight land, and the last of those writes. */
  private readonly pendingFlags = new Pending<{ members: Set<string>; done: Promise<void> }>();
  private readonly pendingRequests = new Pending<VerificationRequest>();

  private recordsSinceSnapshot = 0;
  private unlock: (() => void) | undefined;
  private snapshotting: Promise<void> | undefined;

  constructor(options: JsonStoreOptions) {
    this.dir = options.dir;
    this.eventRetention = options.eventRetention ?? 1000;
    this.snapshotEvery = options.snapshotEvery ?? 50_000;
    this.log = options.log ?? (() => {});
    this.state = new MemoryState(this.eventRetention);
    this.snapshotDb = new Low(new DurableJsonFile<StoredSnapshot>(path.join(this.dir, SNAPSHOT_FILE), snapshotProblem), emptySnapshot());
  }

  async open(): Promise<void> {
    if (this.status !== 'new') throw new Error(`JsonStore.open: store is ${this.status}`);
    mkdirSync(this.dir, { recursive: true });
    const started = performance.now();
    this.unlock = lockDir(this.dir);
    try {
      await this.load(started);
    } catch (err) {
      this.unlock();
      throw err;
    }
  }

  private async load(started: number): Promise<void> {
    const { state, lastRecord, replayed, segment } = await loadState({
      dir: this.dir,
      snapshotDb: this.snapshotDb,
      eventRetention: this.eventRetention,
      log: this.log,
    });
    this.state = state;
    for (const [name, site] of this.state.sites) this.assignedSeq.set(name, site.seq);
    this.recordsSinceSnapshot = replayed;
    this.journal = await JournalWriter.open(this.dir, segment, lastRecord + 1, () => this.afterBatch());
    this.status = 'open';
    this.log('info', 'store loaded', {
      dir: this.dir,
      threads: this.state.threads.size,
      replayedRecords: replayed,
      ms: Math.round(performance.now() - started),
    });
  }

  async close(): Promise<void> {
    if (this.status !== 'open') return;
    this.status = 'closing';
    const journal = this.journal!;
    await journal.drain();
    await this.snapshotting;
    if (!journal.failed && this.recordsSinceSnapshot > 0) await (await journal.exclusive(() => this.startSnapshot())).done;
    await journal.close();
    this.unlock?.();
    this.status = 'closed';
  }

  /** Writes a snapshot now and waits until it is durable (the server may call it on demand). */
  async snapshot(): Promise<void> {
    this.assertWritable();
    await this.snapshotting;
    const started = await this.journal!.exclusive(async () => (this.recordsSinceSnapshot > 0 && !this.snapshotting ? this.startSnapshot() : undefined));
    await (started?.done ?? this.snapshotting);
  }

  /** Resolves once queued writes and any background snapshot have finished (tests, benchmarks). */
  async idle(): Promise<void> {
    await this.journal?.drain();
    while (this.snapshotting) await this.snapshotting;
  }

  async createVisitor(req: { visitor: Visitor }): Promise<Visitor> {
    this.assertWritable();
    const { visitor } = req;
    if (this.projectedVisitor(visitor.id)) throw new Error(`visitor ${visitor.id} already exists`);
    const stored = jsonCopy(visitor);
    this.pendingVisitors.set(visitor.id, stored);
    await this.commit({ t: 'visitor.created', visitor: stored }, () => this.pendingVisitors.settle(visitor.id));
    return copyVisitor(stored);
  }

  async getVisitor(req: { id: string }): Promise<Visitor | undefined> {
    const visitor = this.state.visitors.get(req.id);
    return visitor && copyVisitor(visitor);
  }

  async renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined> {
    this.assertWritable();
    const current = this.projectedVisitor(req.id);
    if (!current) return undefined;
    const renamed = { ...current, name: req.name, updatedAt: req.at };
    this.pendingVisitors.set(req.id, renamed);
    await this.commit({ t: 'visitor.renamed', id: req.id, name: req.name, at: req.at }, () => this.pendingVisitors.settle(req.id));
    return copyVisitor(renamed);
  }

  /** A patch value that is `null`, or present but `undefined`, removes that field. */
  async updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined> {
    this.assertWritable();
    const current = this.projectedVisitor(req.id);
    if (!current) return undefined;
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(req.patch)) {
      if (key !== 'id' && key !== 'createdAt') patch[key] = value === undefined || value === null ? null : jsonCopy(value);
    }
    const updated = applyMemberPatch(current, patch);
    this.pendingVisitors.set(req.id, updated);
    await this.commit({ t: 'visitor.updated', id: req.id, patch }, () => this.pendingVisitors.settle(req.id));
    return copyVisitor(updated);
  }

  async getMembers(req: { ids: string[] }): Promise<Visitor[]> {
    const out: Visitor[] = [];
    for (const id of new Set(req.ids)) {
      const visitor = this.state.visitors.get(id);
      if (visitor) out.push(copyVisitor(visitor));
    }
    return out;
  }

  async findMemberByUsername(req: { username: string }): Promise<Visitor | undefined> {
    const id = this.state.usernames.get(req.username);
    const visitor = id === undefined ? undefined : this.state.visitors.get(id);
    return visitor && copyVisitor(visitor);
  }

  async activityOf(req: { memberId: string }): Promise<{ threads: Thread[]; posts: Post[] }> {
    return this.state.activityOf(req.memberId);
  }

  createThread(req: { thread: NewThread }): Promise<CommitResult<Thread>> {
    try {
      this.assertWritable();
    } catch (err) {
      return Promise.reject(err);
    }
    const key = clientKey(req.thread.authorId, req.thread.clientId);
    const earlier = this.state.byClientId(req.thread.authorId, req.thread.clientId);
    if (earlier) {
      if (!earlier.thread) return Promise.reject(clientIdReused(req.thread.clientId, 'an answer'));
      return Promise.resolve({ record: { ...earlier.thread }, created: false });
    }
    const inFlight = this.pendingClients.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'thread') return Promise.reject(clientIdReused(req.thread.clientId, 'an answer'));
      return inFlight.result.then((r) => ({ record: r.record, created: false }));
    }

    const seq = this.nextSeq(req.thread.site);
    const thread: Thread = { ...withoutUndefined(req.thread), seq };
    const event: ChangeEvent = { site: thread.site, seq, at: thread.createdAt, change: { kind: 'thread.created', thread: { ...thread } } };
    this.pendingThreads.set(thread.id, thread);
    const result = this.commit({ t: 'change', event }, () => {
      this.pendingThreads.settle(thread.id);
      this.pendingClients.delete(key);
    }).then(() => ({ record: { ...thread }, created: true, event }));
    this.pendingClients.set(key, { kind: 'thread', result });
    return result;
  }

  createPost(req: { post: NewPost }): Promise<CommitResult<Post> | undefined> {
    try {
      this.assertWritable();
    } catch (err) {
      return Promise.reject(err);
    }
    const key = clientKey(req.post.authorId, req.post.clientId);
    const earlier = this.state.byClientId(req.post.authorId, req.post.clientId);
    if (earlier) {
      if (!earlier.post) return Promise.reject(clientIdReused(req.post.clientId, 'a thread'));
      return Promise.resolve({ record: { ...earlier.post }, created: false });
    }
    const inFlight = this.pendingClients.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'post') return Promise.reject(clientIdReused(req.post.clientId, 'a thread'));
      return inFlight.result.then((r) => r && { record: r.record, created: false });
    }

    const thread = this.projectedThread(req.post.threadId);
    if (!thread) return Promise.resolve(undefined);
    if (thread.site !== req.post.site) {
      return Promise.reject(new Error(`post for thread ${thread.id} names site ${req.post.site}, the thread is on ${thread.site}`));
    }
    const seq = this.nextSeq(thread.site);
    const post: Post = jsonCopy({ ...req.post, seq });
    const answerCount = thread.answerCount + 1;
    const lastActivityAt = post.createdAt;
    const event: ChangeEvent = { site: post.site, seq, at: post.createdAt, change: { kind: 'post.created', post, answerCount, lastActivityAt } };
    this.pendingThreads.set(thread.id, { ...thread, answerCount, lastActivityAt });
    this.pendingPosts.set(post.id, post);
    const result = this.commit({ t: 'change', event }, () => {
      this.pendingThreads.settle(thread.id);
      this.pendingPosts.settle(post.id);
      this.pendingClients.delete(key);
    }).then(() => ({ record: copyPost(post), created: true, event }));
    this.pendingClients.set(key, { kind: 'post', result });
    return result;
  }

  async getThreadRecord(req: { id: string }): Promise<Thread | undefined> {
    const entry = this.state.threads.get(req.id);
    return entry && { ...entry.thread };
  }

  async getThread(req: { id: string }): Promise<{ thread: Thread; posts: Post[] } | undefined> {
    const entry = this.state.threads.get(req.id);
    if (!entry) return undefined;
    return { thread: { ...entry.thread }, posts: entry.posts.map(copyPost) };
  }

  async findByClientId(req: { authorId: string; clientId: string }): Promise<{ thread?: Thread; post?: Post } | undefined> {
    const entry = this.state.byClientId(req.authorId, req.clientId);
    if (!entry) return undefined;
    return entry.thread ? { thread: { ...entry.thread } } : { post: copyPost(entry.post!) };
  }

  async getPost(req: { id: string }): Promise<Post | undefined> {
    const post = this.state.posts.get(req.id);
    return post && copyPost(post);
  }

  async updatePost(req: { id: string; patch: PostPatch }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const post = this.projectedPost(req.id);
    if (!post) return undefined;
    const updated = patchPost(post, req.patch);
    const event: ChangeEvent = { site: post.site, seq: this.nextSeq(post.site), at: patchTime(req.patch), change: { kind: 'post.updated', post: updated } };
    this.pendingPosts.set(post.id, updated);
    await this.commit({ t: 'change', event }, () => this.pendingPosts.settle(post.id));
    return { post: copyPost(updated), event };
  }

  async setAccepted(req: { threadId: string; postId: string | null; at: string }): Promise<{ thread: Thread; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const thread = this.projectedThread(req.threadId);
    if (!thread) return undefined;
    const updated: Thread = { ...thread };
    if (req.postId === null) {
      delete updated.acceptedPostId;
      delete updated.acceptedAt;
    } else {
      if (this.projectedPost(req.postId)?.threadId !== thread.id) return undefined;
      updated.acceptedPostId = req.postId;
      updated.acceptedAt = req.at;
    }
    const event: ChangeEvent = { site: thread.site, seq: this.nextSeq(thread.site), at: req.at, change: { kind: 'thread.updated', thread: updated } };
    this.pendingThreads.set(thread.id, updated);
    await this.commit({ t: 'change', event }, () => this.pendingThreads.settle(thread.id));
    return { thread: { ...updated }, event };
  }

  async getVote(req: { postId: string; voterId: string }): Promise<Vote | undefined> {
    const vote = this.state.votes.get(voteKey(req.postId, req.voterId));
    return vote && { ...vote };
  }

  /**
   * The counts move by the difference to the voter's previous vote as it will be when this one
   * lands (a vote still in flight counts), so concurrent votes keep them equal to the stored votes.
   */
  async putVote(
    req: { vote: Vote } | { remove: { postId: string; voterId: string; at: string } },
  ): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const vote = 'vote' in req ? jsonCopy(req.vote) : undefined;
    const { postId, voterId } = vote ?? (req as { remove: { postId: string; voterId: string } }).remove;
    const post = this.projectedPost(postId);
    if (!post) return undefined;
    if (vote) {
      if (vote.value !== 1 && vote.value !== -1) throw new Error(`vote value must be 1 or -1, not ${JSON.stringify(vote.value)}`);
      if (vote.site !== post.site || vote.threadId !== post.threadId || vote.authorId !== post.authorId) {
        throw new Error(`vote on post ${postId} names another site, thread or author than the post has`);
      }
    }
    const key = voteKey(postId, voterId);
    const before = this.projectedVote(key);
    let up = post.up ?? 0;
    let down = post.down ?? 0;
    if (before) before.value === 1 ? up-- : down--;
    if (vote) vote.value === 1 ? up++ : down++;
    const updated: Post = { ...post, up, down };
    const at = vote ? vote.castAt : (req as { remove: { at: string } }).remove.at;
    const event: ChangeEvent = { site: post.site, seq: this.nextSeq(post.site), at, change: { kind: 'post.updated', post: updated } };
    this.pendingPosts.set(postId, updated);
    this.pendingVotes.set(key, { vote });
    const record: JournalRecord = vote ? { t: 'vote', vote, event } : { t: 'vote', remove: { postId, voterId }, event };
    await this.commit(record, () => {
      this.pendingPosts.settle(postId);
      this.pendingVotes.settle(key);
    });
    return { post: copyPost(updated), event };
  }

  async votesFor(req: { authorId: string }): Promise<Vote[]> {
    return this.state.votesFor(req.authorId);
  }

  async votesBy(req: { voterId: string }): Promise<Vote[]> {
    return this.state.votesBy(req.voterId);
  }

  async votesInThreads(req: { threadIds: string[] }): Promise<Vote[]> {
    return this.state.votesInThreads(req.threadIds);
  }

  async allVotes(): Promise<Vote[]> {
    return this.state.allVotes();
  }

  async addFlag(req: { flag: Flag }): Promise<Flag[]> {
    this.assertWritable();
    const flag = jsonCopy(req.flag);
    if (!this.projectedPost(flag.postId)) throw new Error(`cannot flag post ${flag.postId}: it does not exist`);
    const pending = this.pendingFlags.get(flag.postId);
    const members = pending?.members ?? this.state.flaggedBy(flag.postId);
    if (members.has(flag.memberId)) {
      await pending?.done;
    } else {
      const done = this.commit({ t: 'flag.added', flag }, () => this.pendingFlags.settle(flag.postId));
      this.pendingFlags.set(flag.postId, { members: new Set(members).add(flag.memberId), done });
      await done;
    }
    return this.state.flagsFor(flag.postId);
  }

  async flagsFor(req: { postId: string }): Promise<Flag[]> {
    return this.state.flagsFor(req.postId);
  }

  async clearFlags(req: { postId: string }): Promise<void> {
    this.assertWritable();
    const pending = this.pendingFlags.get(req.postId);
    const members = pending?.members ?? this.state.flaggedBy(req.postId);
    if (members.size === 0) {
      await pending?.done;
      return;
    }
    const done = this.commit({ t: 'flags.cleared', postId: req.postId }, () => this.pendingFlags.settle(req.postId));
    this.pendingFlags.set(req.postId, { members: new Set(), done });
    await done;
  }

  async hiddenPosts(req: { status: 'pending' | 'removed'; limit: number }): Promise<Post[]> {
    return this.state.hiddenPosts(req.status, req.limit);
  }

  async createVerificationRequest(req: { request: VerificationRequest }): Promise<VerificationRequest> {
    this.assertWritable();
    const request = jsonCopy(req.request);
    if (this.projectedRequest(request.id)) throw new Error(`verification request ${request.id} already exists`);
    this.pendingRequests.set(request.id, request);
    await this.commit({ t: 'verification.created', request }, () => this.pendingRequests.settle(request.id));
    return { ...request };
  }

  async getVerificationRequest(req: { id: string }): Promise<VerificationRequest | undefined> {
    const request = this.state.requests.get(req.id);
    return request && { ...request };
  }

  async decideVerificationRequest(req: {
    id: string;
    status: 'approved' | 'rejected';
    decidedAt: string;
    decidedBy: string;
    decisionNote?: string;
  }): Promise<VerificationRequest | undefined> {
    this.assertWritable();
    const current = this.projectedRequest(req.id);
    if (!current) return undefined;
    const { id, status, decidedAt, decidedBy, decisionNote } = req;
    const decided: VerificationRequest = { ...current, status, decidedAt, decidedBy };
    if (decisionNote === undefined) delete decided.decisionNote;
    else decided.decisionNote = decisionNote;
    this.pendingRequests.set(id, decided);
    const record: JournalRecord = { t: 'verification.decided', id, status, decidedAt, decidedBy, ...(decisionNote === undefined ? {} : { decisionNote }) };
    await this.commit(record, () => this.pendingRequests.settle(id));
    return { ...decided };
  }

  async listVerificationRequests(req: { status?: VerificationRequest['status']; memberId?: string; limit: number }): Promise<VerificationRequest[]> {
    return this.state.listRequests(req);
  }

  async appendAudit(req: { entry: AuditEntry }): Promise<void> {
    this.assertWritable();
    await this.commit({ t: 'audit', entry: jsonCopy(req.entry) }, () => {});
  }

  /** Newest first means last appended first. */
  async listAudit(req: { memberId?: string; limit: number }): Promise<AuditEntry[]> {
    return this.state.listAudit(req).map(copyAudit);
  }

  async listThreads(req: ListThreadsRequest): Promise<{ threads: Thread[]; nextBeforeSeq?: number }> {
    return this.state.listThreads(req);
  }

  async currentSeq(req: { site: string }): Promise<number> {
    return this.state.sites.get(req.site)?.seq ?? 0;
  }

  async eventsSince(req: { site: string; afterSeq: number; limit: number }): Promise<ChangeEvent[] | undefined> {
    const site = this.state.sites.get(req.site);
    const current = site?.seq ?? 0;
    const afterSeq = Math.max(req.afterSeq, 0);
    if (!site || afterSeq >= current || req.limit <= 0) return [];
    const oldest = site.events.oldestSeq ?? current + 1;
    if (afterSeq < oldest - 1) return undefined;
    return site.events.since(afterSeq, req.limit);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private assertWritable(): void {
    if (this.status !== 'open') throw new Error(`JsonStore: cannot write, the store is ${this.status === 'new' ? 'not open' : this.status}`);
    if (this.journal!.failed) throw this.journal!.failed;
  }

  /** Journals `record`; once durable, applies it, settles pending state, tells listeners. */
  private commit(record: JournalRecord, settle: () => void): Promise<void> {
    return this.journal!.append(record, () => {
      this.state.apply(record);
      this.recordsSinceSnapshot++;
      settle();
      if (record.t === 'change' || record.t === 'vote') this.emit(record.event);
    });
  }

  private emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log('error', 'store listener threw', { error: (err as Error).message, site: event.site, seq: event.seq });
      }
    }
  }

  private nextSeq(site: string): number {
    const seq = (this.assignedSeq.get(site) ?? 0) + 1;
    this.assignedSeq.set(site, seq);
    return seq;
  }

  private projectedThread(id: string): Thread | undefined {
    return this.pendingThreads.get(id) ?? this.state.threads.get(id)?.thread;
  }

  private projectedVisitor(id: string): Visitor | undefined {
    return this.pendingVisitors.get(id) ?? this.state.visitors.get(id);
  }

  private projectedPost(id: string): Post | undefined {
    return this.pendingPosts.get(id) ?? this.state.posts.get(id);
  }

  private projectedVote(key: string): Vote | undefined {
    const pending = this.pendingVotes.get(key);
    return pending ? pending.vote : this.state.votes.get(key);
  }

  private projectedRequest(id: string): VerificationRequest | undefined {
    return this.pendingRequests.get(id) ?? this.state.requests.get(id);
  }

  /** Runs between journal batches: the moment the committed state matches the journal exactly. */
  private async afterBatch(): Promise<void> {
    if (this.recordsSinceSnapshot < this.snapshotEvery || this.snapshotting || this.status !== 'open') return;
    try {
      await this.startSnapshot();
    } catch (err) {
      this.log('error', 'snapshot failed to start; the journal still has everything', { error: (err as Error).message });
    }
  }

  /**
   * Rotates the journal and serialises the state synchronously (so it matches the rotation point
   * exactly); the file write and the removal of old segments go on in the background.
   */
  private async startSnapshot(): Promise<{ done: Promise<void> }> {
    const journal = this.journal!;
    const { segment, lastRecord } = await journal.rotate();
    this.recordsSinceSnapshot = 0;
    this.snapshotDb.data = this.state.toSnapshot({ journalRecord: lastRecord, journalSegment: segment });
    const started = performance.now();
    const done = this.snapshotDb
      .write()
      .then(async () => {
        this.snapshotDb.data = emptySnapshot(); // let the arrays go
        await this.removeSegmentsBefore(segment);
        this.log('info', 'snapshot written', { journalRecord: lastRecord, segment, ms: Math.round(performance.now() - started) });
      })
      .catch((err: Error) => {
        this.log('error', 'snapshot failed; the journal still has everything', { error: err.message });
      })
      .finally(() => {
        this.snapshotting = undefined;
      });
    this.snapshotting = done;
    return { done };
  }

  private async removeSegmentsBefore(segment: number): Promise<void> {
    for (const old of await listSegments(this.dir)) {
      if (old.number < segment) await unlink(old.path);
    }
    await fsyncDir(this.dir);
  }
}
