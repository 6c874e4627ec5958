import type pg from 'pg';
import type { AuditEntry, ChangeEvent, Flag, MemberPatch, NewPost, NewThread, Post, Thread, VerificationRequest, Visitor, Vote } from '../../domain/model.js';
import type { StoreLog } from '../json-store.js';
import { clientKey } from '../memory-records.js';
import { clientIdReused, jsonCopy } from '../record-patch.js';
import type { CommitResult, ListThreadsRequest, PostPatch, Store } from '../store.js';
import { earlierPost, earlierThread, findByClientId } from './client-keys.js';
import { createPool, describeUrl, type Queryable } from './db.js';
import { currentSeq, eventsSince } from './events.js';
import { WriteLane, type LaneOp } from './lanes.js';
import { createVisitorOp, findMemberByUsername, getMembers, getVisitor, renameVisitorOp, updateMemberOp } from './members.js';
import { migrate } from './migrate.js';
import { createPostOp, getPost, hiddenPosts, postsBy, updatePostOp } from './posts.js';
import { SiteDirectory } from './site-directory.js';
import { createThreadOp, getThread, getThreadRecord, listThreads, setAcceptedOp, threadsBy } from './threads.js';
import { addFlagOp, appendAuditOp, clearFlagsOp, createRequestOp, decideRequestOp, flagsFor, getRequest, listAudit, listRequests } from './trust.js';
import { allVotes, getVote, putVoteOp, votesBy, votesFor, votesInThreads } from './votes.js';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Keep the tables in this schema (created when missing) instead of the connection's default. */
  schema?: string;
  /** Events kept per site for eventsSince (and across restarts). */
  eventRetention?: number;
  /** Connections in the pool. */
  poolSize?: number;
  log?: StoreLog;
}

type PendingKey = { kind: 'thread'; result: Promise<CommitResult<Thread>> } | { kind: 'post'; result: Promise<CommitResult<Post> | undefined> };

/**
 * The Store on PostgreSQL (docs/STORAGE.md, "PostgreSQL"). Nothing is loaded at start-up: open()
 * only connects and applies missing migrations. Every write is acknowledged after COMMIT.
 *
 * Sequenced changes go through one WriteLane per site (group commit under the site's row lock);
 * members, flags, verification requests and audit entries through one lane without a seq. Lanes
 * keep call order, as the other stores do: a write whose site must first be looked up (an edit or
 * a vote removal names only the post) holds back the writes called after it until it is queued.
 */
export class PgStore implements Store {
  readonly kind = 'postgres';

  private readonly options: PgStoreOptions;
  private readonly log: StoreLog;
  private status: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private pool: pg.Pool | undefined;
  private readonly lanes = new Map<string, WriteLane>();
  private unsequenced: WriteLane | undefined;
  private readonly sites: SiteDirectory;
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  /** Creates in flight by (authorId, clientId): a retry arriving meanwhile waits for the original. */
  private readonly pendingKeys = new Map<string, PendingKey>();
  /** Writes waiting for their site to be looked up, in call order. */
  private admission: Promise<void> = Promise.resolve();
  private waitingForSite = 0;

  constructor(options: PgStoreOptions) {
    this.options = options;
    this.log = options.log ?? (() => {});
    this.sites = new SiteDirectory(() => this.db);
  }

  async open(): Promise<void> {
    if (this.status !== 'new') throw new Error(`PgStore.open: store is ${this.status}`);
    const started = performance.now();
    const pool = createPool({
      url: this.options.url,
      schema: this.options.schema,
      max: this.options.poolSize,
      onIdleError: (err) => this.log('warn', 'idle PostgreSQL connection failed', { error: err.message }),
    });
    try {
      const { applied, version } = await migrate(pool, { schema: this.options.schema });
      this.log('info', 'postgres schema ready', { version, applied });
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`PostgreSQL store at ${describeUrl(this.options.url)}: ${(err as Error).message}`, { cause: err });
    }
    this.pool = pool;
    this.unsequenced = this.newLane(undefined);
    this.status = 'open';
    this.log('info', 'store loaded', { kind: this.kind, database: describeUrl(this.options.url), ms: Math.round(performance.now() - started) });
  }

  async close(): Promise<void> {
    if (this.status !== 'open') return;
    this.status = 'closing';
    await this.idle();
    await this.pool!.end();
    this.status = 'closed';
  }

  /** Resolves once every write called so far has been committed or refused (tests, benchmarks). */
  async idle(): Promise<void> {
    await this.admission;
    for (const lane of [this.unsequenced, ...this.lanes.values()]) await lane?.idle();
  }

  async createVisitor(req: { visitor: Visitor }): Promise<Visitor> {
    return this.unsequencedWrite(createVisitorOp(jsonCopy(req.visitor)));
  }

  async getVisitor(req: { id: string }): Promise<Visitor | undefined> {
    return getVisitor(this.db, req.id);
  }

  async renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined> {
    return this.unsequencedWrite(renameVisitorOp(req));
  }

  async updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined> {
    return this.unsequencedWrite(updateMemberOp(req));
  }

  async getMembers(req: { ids: string[] }): Promise<Visitor[]> {
    return getMembers(this.db, req.ids);
  }

  async findMemberByUsername(req: { username: string }): Promise<Visitor | undefined> {
    return findMemberByUsername(this.db, req.username);
  }

  async activityOf(req: { memberId: string }): Promise<{ threads: Thread[]; posts: Post[] }> {
    const [threads, posts] = await Promise.all([threadsBy(this.db, req.memberId), postsBy(this.db, req.memberId)]);
    return { threads, posts };
  }

  async createThread(req: { thread: NewThread }): Promise<CommitResult<Thread>> {
    this.assertWritable();
    const { authorId, clientId, site, id } = req.thread;
    const key = clientKey(authorId, clientId);
    const inFlight = this.pendingKeys.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'thread') throw clientIdReused(clientId, 'an answer');
      return inFlight.result.then((r) => ({ record: r.record, created: false }));
    }
    this.sites.remember('thread', id, site);
    const result = this.sequencedWrite(site, createThreadOp(req.thread, (db) => earlierThread(db, authorId, clientId)));
    this.trackKey(key, { kind: 'thread', result });
    return result;
  }

  async createPost(req: { post: NewPost }): Promise<CommitResult<Post> | undefined> {
    this.assertWritable();
    const { authorId, clientId, site, id } = req.post;
    const key = clientKey(authorId, clientId);
    const inFlight = this.pendingKeys.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'post') throw clientIdReused(clientId, 'a thread');
      return inFlight.result.then((r) => r && { record: r.record, created: false });
    }
    this.sites.remember('post', id, site);
    const result = this.sequencedWrite(site, createPostOp(req.post, (db) => earlierPost(db, authorId, clientId)));
    this.trackKey(key, { kind: 'post', result });
    return result;
  }

  async getPost(req: { id: string }): Promise<Post | undefined> {
    return getPost(this.db, req.id);
  }

  async updatePost(req: { id: string; patch: PostPatch }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    return this.sequencedWrite(() => this.sites.of('post', req.id), updatePostOp(req));
  }

  async setAccepted(req: { threadId: string; postId: string | null; at: string }): Promise<{ thread: Thread; event: ChangeEvent } | undefined> {
    return this.sequencedWrite(() => this.sites.of('thread', req.threadId), setAcceptedOp(req));
  }

  async getVote(req: { postId: string; voterId: string }): Promise<Vote | undefined> {
    return getVote(this.db, req.postId, req.voterId);
  }

  async putVote(req: { vote: Vote } | { remove: { postId: string; voterId: string; at: string } }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    const postId = 'vote' in req ? req.vote.postId : req.remove.postId;
    return this.sequencedWrite(() => this.sites.of('post', postId), putVoteOp(req));
  }

  async votesFor(req: { authorId: string }): Promise<Vote[]> {
    return votesFor(this.db, req.authorId);
  }

  async votesBy(req: { voterId: string }): Promise<Vote[]> {
    return votesBy(this.db, req.voterId);
  }

  async votesInThreads(req: { threadIds: string[] }): Promise<Vote[]> {
    return votesInThreads(this.db, req.threadIds);
  }

  async allVotes(): Promise<Vote[]> {
    return allVotes(this.db);
  }

  async addFlag(req: { flag: Flag }): Promise<Flag[]> {
    return this.unsequencedWrite(addFlagOp(jsonCopy(req.flag)));
  }

  async flagsFor(req: { postId: string }): Promise<Flag[]> {
    return flagsFor(this.db, req.postId);
  }

  async clearFlags(req: { postId: string }): Promise<void> {
    return this.unsequencedWrite(clearFlagsOp(req.postId));
  }

  async hiddenPosts(req: { status: 'pending' | 'removed'; limit: number }): Promise<Post[]> {
    return hiddenPosts(this.db, req);
  }

  async createVerificationRequest(req: { request: VerificationRequest }): Promise<VerificationRequest> {
    return this.unsequencedWrite(createRequestOp(jsonCopy(req.request)));
  }

  async getVerificationRequest(req: { id: string }): Promise<VerificationRequest | undefined> {
    return getRequest(this.db, req.id);
  }

  async decideVerificationRequest(req: {
    id: string;
    status: 'approved' | 'rejected';
    decidedAt: string;
    decidedBy: string;
    decisionNote?: string;
  }): Promise<VerificationRequest | undefined> {
    return this.unsequencedWrite(decideRequestOp(req));
  }

  async listVerificationRequests(req: { status?: VerificationRequest['status']; memberId?: string; limit: number }): Promise<VerificationRequest[]> {
    return listRequests(this.db, req);
  }

  async appendAudit(req: { entry: AuditEntry }): Promise<void> {
    return this.unsequencedWrite(appendAuditOp(jsonCopy(req.entry)));
  }

  async listAudit(req: { memberId?: string; limit: number }): Promise<AuditEntry[]> {
    return listAudit(this.db, req);
  }

  async getThreadRecord(req: { id: string }): Promise<Thread | undefined> {
    return getThreadRecord(this.db, req.id);
  }

  async getThread(req: { id: string }): Promise<{ thread: Thread; posts: Post[] } | undefined> {
    return getThread(this.db, req.id);
  }

  async findByClientId(req: { authorId: string; clientId: string }): Promise<{ thread?: Thread; post?: Post } | undefined> {
    return findByClientId(this.db, req.authorId, req.clientId);
  }

  async listThreads(req: ListThreadsRequest): Promise<{ threads: Thread[]; nextBeforeSeq?: number }> {
    return listThreads(this.db, req);
  }

  async currentSeq(req: { site: string }): Promise<number> {
    return currentSeq(this.db, req.site);
  }

  async eventsSince(req: { site: string; afterSeq: number; limit: number }): Promise<ChangeEvent[] | undefined> {
    return eventsSince(this.db, req);
  }

  /**
   * Listeners hear each change this process committed, after COMMIT and before the write resolves,
   * in seq order per site (a site's lane commits one transaction at a time). A fan-out to other
   * instances subscribes here and publishes what it hears; changes committed by other instances
   * reach them through that fan-out, or through eventsSince.
   */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get db(): Queryable {
    if (!this.pool) throw new Error('PgStore: the store is not open');
    return this.pool;
  }

  private assertWritable(): void {
    if (this.status !== 'open') throw new Error(`PgStore: cannot write, the store is ${this.status === 'new' ? 'not open' : this.status}`);
  }

  private newLane(site: string | undefined): WriteLane {
    return new WriteLane({ pool: this.pool!, site, eventRetention: this.options.eventRetention ?? 1000, announce: (events) => this.announce(events) });
  }

  private unsequencedWrite<T>(op: LaneOp<T>): Promise<T> {
    this.assertWritable();
    return this.unsequenced!.run(op);
  }

  /**
   * Queues `op` on its site's lane in call order. `site` is a name, or finds it (at once when the
   * directory knows it, else by a look-up that resolves undefined when the record does not exist, and
   * then the write resolves undefined).
   */
  private sequencedWrite<T>(site: string, op: LaneOp<T>): Promise<T>;
  private sequencedWrite<T>(site: () => string | Promise<string | undefined>, op: LaneOp<T | undefined>): Promise<T | undefined>;
  private sequencedWrite<T>(site: string | (() => string | Promise<string | undefined>), op: LaneOp<T>): Promise<T | undefined> {
    this.assertWritable();
    const found = typeof site === 'string' ? site : site();
    if (typeof found === 'string' && this.waitingForSite === 0) return this.lane(found).run(op);
    // A look-up that fails while earlier writes are still being queued is reported by `await found` below.
    if (typeof found !== 'string') found.catch(() => {});
    this.waitingForSite++;
    let result: Promise<T | undefined> = Promise.resolve(undefined);
    const queued = this.admission.then(async () => {
      try {
        const name = await found;
        if (name !== undefined) result = this.lane(name).run(op);
      } finally {
        this.waitingForSite--;
      }
    });
    // The next write waits until this one is queued, not until it is committed.
    this.admission = queued.then(
      () => {},
      () => {},
    );
    return queued.then(() => result);
  }

  private lane(site: string): WriteLane {
    let lane = this.lanes.get(site);
    if (!lane) {
      lane = this.newLane(site);
      this.lanes.set(site, lane);
    }
    return lane;
  }

  private trackKey(key: string, pending: PendingKey): void {
    this.pendingKeys.set(key, pending);
    const forget = () => this.pendingKeys.delete(key);
    pending.result.then(forget, forget);
  }

  private announce(events: ChangeEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.log('error', 'store listener threw', { error: (err as Error).message, site: event.site, seq: event.seq });
        }
      }
    }
  }
}
