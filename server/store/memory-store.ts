import type { AuditEntry, ChangeEvent, Flag, MemberPatch, NewPost, NewThread, OfficerSession, Post, Thread, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import type { SessionEndReason } from '../protocol.js';
import { newGeneration } from './generation.js';
import { recordEvent, type JournalRecord } from './journal.js';
import { FollowUpWrites } from './json-store-follow-ups.js';
import { OfficerSessionWrites } from './json-store-sessions.js';
import { applyMemberPatch, copyPost, copyThread, copyVisitor, patchRecord, voteKey } from './memory-records.js';
import { MemoryReads, storeReads, type StoreReads } from './memory-reads.js';
import { MemoryState } from './memory-state.js';
import { PendingWrites } from './pending-writes.js';
import { clientIdReused, jsonCopy, patchPost, patchTime, withoutUndefined } from './record-patch.js';
import type { AuthorUpdate, CommitResult, PostPatch, Store, StoreHealth } from './store.js';

export interface MemoryStoreOptions {
  /** Events kept per site for eventsSince. */
  eventRetention?: number;
  /** The data of an earlier MemoryStore, to open again as a restart would (tests). */
  state?: MemoryState;
}

// The reads of the committed state (memory-reads.ts) are shared with the JSON store: see the constructor.
export interface MemoryStore extends StoreReads {}

/**
 * A Store that keeps everything in this process's memory and nothing on disk: for tests and
 * trying things out. It applies each change at once through MemoryState (the code the JSON store
 * replays its journal with), so call order is commit order and nothing is ever "in flight".
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  /** The committed data; hand it to a new MemoryStore to "restart" over it. */
  readonly state: MemoryState;

  private status: 'new' | 'open' | 'closed' = 'new';
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  /** Nothing outlives the process, so each instance is a history of its own. */
  private readonly generationId = newGeneration();
  private readonly sessions: OfficerSessionWrites;
  private readonly followUps: FollowUpWrites;
  private readonly reads = new MemoryReads(() => this.state);

  constructor(options: MemoryStoreOptions = {}) {
    Object.assign(this, storeReads(this.reads));
    this.state = options.state ?? new MemoryState(options.eventRetention ?? 1000);
    this.sessions = new OfficerSessionWrites({
      state: () => this.state.officerSessions,
      commit: async (record) => {
        this.assertWritable();
        this.commit(record);
      },
    });
    const store = this;
    // The JSON store's follow-up code over a commit that applies at once, so nothing is ever pending.
    this.followUps = new FollowUpWrites({
      pending: new PendingWrites(this.state),
      get state() {
        return store.state;
      },
      assertWritable: () => this.assertWritable(),
      commit: async (record, settle) => {
        try {
          this.commit(record);
        } finally {
          settle();
        }
      },
    });
  }

  async open(): Promise<void> {
    if (this.status !== 'new') throw new Error(`MemoryStore.open: store is ${this.status}`);
    this.status = 'open';
  }

  async close(): Promise<void> {
    this.status = 'closed';
  }

  async generation(): Promise<string> {
    return this.generationId;
  }

  /** Always able to write while open: nothing here can fill up or go away. */
  async health(): Promise<StoreHealth> {
    return this.status === 'open' ? { ok: true } : { ok: false, reason: 'stopping', message: `The store is ${this.status === 'new' ? 'not open' : 'closed'}` };
  }

  async createVisitor(req: { visitor: Visitor }): Promise<Visitor> {
    this.assertWritable();
    if (this.state.visitors.has(req.visitor.id)) throw new Error(`visitor ${req.visitor.id} already exists`);
    const visitor = jsonCopy(req.visitor);
    this.commit({ t: 'visitor.created', visitor });
    return copyVisitor(visitor);
  }

  async renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined> {
    this.assertWritable();
    if (!this.state.visitors.has(req.id)) return undefined;
    this.commit({ t: 'visitor.renamed', id: req.id, name: req.name, at: req.at });
    return this.getVisitor(req);
  }

  async updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined> {
    this.assertWritable();
    const current = this.state.visitors.get(req.id);
    if (!current) return undefined;
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(req.patch)) {
      if (key !== 'id' && key !== 'createdAt') patch[key] = value === undefined || value === null ? null : jsonCopy(value);
    }
    this.commit({ t: 'visitor.updated', id: req.id, patch });
    return copyVisitor(applyMemberPatch(current, patch));
  }

  async createThread(req: { thread: NewThread; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Thread>> {
    this.assertWritable();
    const earlier = this.state.byClientId(req.thread.authorId, req.thread.clientId);
    if (earlier) {
      if (!earlier.thread) throw clientIdReused(req.thread.clientId, 'an answer');
      return { record: copyThread(earlier.thread), created: false };
    }
    const author = this.authorChange(req.thread.authorId, req.authorUpdate);
    const thread: Thread = { ...withoutUndefined(req.thread), seq: this.nextSeq(req.thread.site) };
    const event: ChangeEvent = { site: thread.site, seq: thread.seq, at: thread.createdAt, change: { kind: 'thread.created', thread: { ...thread } } };
    this.commit({ t: 'change', event, ...(author && { member: author.record }) });
    return { record: { ...thread }, created: true, event, ...(author && { author: copyVisitor(author.updated) }) };
  }

  async createPost(req: { post: NewPost; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Post> | undefined> {
    this.assertWritable();
    const earlier = this.state.byClientId(req.post.authorId, req.post.clientId);
    if (earlier) {
      if (!earlier.post) throw clientIdReused(req.post.clientId, 'a thread');
      return { record: copyPost(earlier.post), created: false };
    }
    const thread = this.state.threads.get(req.post.threadId)?.thread;
    if (!thread) return undefined;
    if (thread.site !== req.post.site) throw new Error(`post for thread ${thread.id} names site ${req.post.site}, the thread is on ${thread.site}`);
    const author = this.authorChange(req.post.authorId, req.authorUpdate);
    const post: Post = jsonCopy({ ...req.post, seq: this.nextSeq(thread.site) });
    const change = { kind: 'post.created' as const, post, answerCount: thread.answerCount + 1, lastActivityAt: post.createdAt };
    const event: ChangeEvent = { site: post.site, seq: post.seq, at: post.createdAt, change };
    this.commit({ t: 'change', event, ...(author && { member: author.record }) });
    return { record: copyPost(post), created: true, event, ...(author && { author: copyVisitor(author.updated) }) };
  }

  async updatePost(req: { id: string; patch: PostPatch }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const post = this.state.posts.get(req.id);
    if (!post) return undefined;
    const updated = patchPost(post, req.patch);
    const event: ChangeEvent = { site: post.site, seq: this.nextSeq(post.site), at: patchTime(req.patch), change: { kind: 'post.updated', post: updated } };
    this.commit({ t: 'change', event });
    return { post: copyPost(updated), event };
  }

  async setAccepted(req: { threadId: string; postId: string | null; at: string }): Promise<{ thread: Thread; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const thread = this.state.threads.get(req.threadId)?.thread;
    if (!thread) return undefined;
    const updated: Thread = { ...thread };
    if (req.postId === null) {
      delete updated.acceptedPostId;
      delete updated.acceptedAt;
    } else {
      if (this.state.posts.get(req.postId)?.threadId !== thread.id) return undefined;
      updated.acceptedPostId = req.postId;
      updated.acceptedAt = req.at;
    }
    const event: ChangeEvent = { site: thread.site, seq: this.nextSeq(thread.site), at: req.at, change: { kind: 'thread.updated', thread: updated } };
    this.commit({ t: 'change', event });
    return { thread: { ...updated }, event };
  }

  async putVote(req: { vote: Vote } | { remove: { postId: string; voterId: string; at: string } }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.assertWritable();
    const vote = 'vote' in req ? jsonCopy(req.vote) : undefined;
    const { postId, voterId } = vote ?? (req as { remove: { postId: string; voterId: string } }).remove;
    const post = this.state.posts.get(postId);
    if (!post) return undefined;
    if (vote) {
      if (vote.value !== 1 && vote.value !== -1) throw new Error(`vote value must be 1 or -1, not ${JSON.stringify(vote.value)}`);
      if (vote.site !== post.site || vote.threadId !== post.threadId || vote.authorId !== post.authorId) {
        throw new Error(`vote on post ${postId} names another site, thread or author than the post has`);
      }
    }
    const before = this.state.votes.get(voteKey(postId, voterId));
    let up = post.up ?? 0;
    let down = post.down ?? 0;
    if (before) before.value === 1 ? up-- : down--;
    if (vote) vote.value === 1 ? up++ : down++;
    const updated: Post = { ...copyPost(post), up, down };
    const at = vote ? vote.castAt : (req as { remove: { at: string } }).remove.at;
    const event: ChangeEvent = { site: post.site, seq: this.nextSeq(post.site), at, change: { kind: 'post.updated', post: updated } };
    this.commit(vote ? { t: 'vote', vote, event } : { t: 'vote', remove: { postId, voterId }, event });
    return { post: copyPost(updated), event };
  }

  async addFlag(req: { flag: Flag }): Promise<Flag[]> {
    this.assertWritable();
    const flag = jsonCopy(req.flag);
    if (!this.state.posts.has(flag.postId)) throw new Error(`cannot flag post ${flag.postId}: it does not exist`);
    if (!this.state.flaggedBy(flag.postId).has(flag.memberId)) this.commit({ t: 'flag.added', flag });
    return this.state.flagsFor(flag.postId);
  }

  async clearFlags(req: { postId: string }): Promise<void> {
    this.assertWritable();
    this.commit({ t: 'flags.cleared', postId: req.postId });
  }

  async createVerificationRequest(req: { request: VerificationRequest }): Promise<VerificationRequest> {
    this.assertWritable();
    const request = jsonCopy(req.request);
    if (this.state.requests.has(request.id)) throw new Error(`verification request ${request.id} already exists`);
    this.commit({ t: 'verification.created', request });
    return { ...request };
  }

  async decideVerificationRequest(req: {
    id: string;
    status: 'approved' | 'rejected';
    decidedAt: string;
    decidedBy: string;
    decisionNote?: string;
  }): Promise<VerificationRequest | undefined> {
    this.assertWritable();
    if (!this.state.requests.has(req.id)) return undefined;
    const { id, status, decidedAt, decidedBy, decisionNote } = req;
    this.commit({ t: 'verification.decided', id, status, decidedAt, decidedBy, ...(decisionNote === undefined ? {} : { decisionNote }) });
    return this.getVerificationRequest({ id });
  }

  async appendAudit(req: { entry: AuditEntry }): Promise<void> {
    this.assertWritable();
    this.commit({ t: 'audit', entry: jsonCopy(req.entry) });
  }

  // Officer sessions: the JSON store's code (json-store-sessions.ts), applied at once.
  createOfficerSession(req: { session: OfficerSession; endOthers: boolean }): Promise<OfficerSession> {
    return this.sessions.create(req);
  }

  getOfficerSession(req: { id: string }): Promise<OfficerSession | undefined> {
    return this.sessions.get(req);
  }

  touchOfficerSession(req: { id: string; at: string }): Promise<void> {
    return this.sessions.touch(req);
  }

  endOfficerSession(req: { id: string; at: string; reason: SessionEndReason }): Promise<void> {
    return this.sessions.end(req);
  }

  endOfficerSessions(req: { officerId: string; at: string; reason: SessionEndReason }): Promise<void> {
    return this.sessions.endAllOf(req);
  }

  // The officers' follow-up queue: json-store-follow-ups.ts (one line each, so that this file does not grow).
  readonly openFollowUp: Store['openFollowUp'] = (req) => this.followUps.open(req);
  readonly getFollowUp: Store['getFollowUp'] = (req) => this.followUps.get(req);
  readonly getFollowUps: Store['getFollowUps'] = (req) => this.followUps.getMany(req);
  readonly updateFollowUp: Store['updateFollowUp'] = (req) => this.followUps.update(req);
  readonly setSlaStates: Store['setSlaStates'] = (req) => this.followUps.setSlaStates(req);
  readonly queryFollowUps: Store['queryFollowUps'] = (req) => this.followUps.query(req);
  readonly countFollowUps: Store['countFollowUps'] = (req) => this.followUps.count(req);
  readonly activeFollowUps: Store['activeFollowUps'] = () => this.followUps.active();
  readonly addNotifications: Store['addNotifications'] = (req) => this.followUps.addNotifications(req);
  readonly listNotifications: Store['listNotifications'] = (req) => this.followUps.listNotifications(req);
  readonly markNotificationsRead: Store['markNotificationsRead'] = (req) => this.followUps.markNotificationsRead(req);


  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private assertWritable(): void {
    if (this.status !== 'open') throw new Error(`MemoryStore: cannot write, the store is ${this.status === 'new' ? 'not open' : this.status}`);
  }

  /** A new post's change to its author (the author as stored: nothing here is ever in flight); undefined for none. */
  private authorChange(id: string, update: AuthorUpdate | undefined): { record: { id: string; patch: Record<string, unknown> }; updated: Visitor } | undefined {
    const current = update && this.state.visitors.get(id);
    const patch = current && update!(copyVisitor(current));
    if (!patch) return undefined;
    const record = patchRecord(patch);
    return { record: { id, patch: record }, updated: applyMemberPatch(current!, record) };
  }

  private nextSeq(site: string): number {
    return (this.state.sites.get(site)?.seq ?? 0) + 1;
  }

  private commit(record: JournalRecord): void {
    this.state.apply(record);
    const event = recordEvent(record);
    if (!event) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the change is committed and the other listeners still hear it.
      }
    }
  }
}
