import type pg from 'pg';
import type { FollowUp, NewFollowUp, OfficerNotification } from '../../domain/follow-up/model.js';
import type { AuditEntry, ChangeEvent, Flag, MemberPatch, NewPost, NewThread, OfficerSession, Post, Thread, VerificationRequest, Visitor, Vote } from '../../domain/model.js';
import type { SessionEndReason, SlaState } from '../../protocol.js';
import type { StoreLog } from '../json-store.js';
import { clientKey } from '../memory-records.js';
import { clientIdReused, jsonCopy } from '../record-patch.js';
import type { AuthorUpdate, CommitResult, ListThreadsRequest, PostPatch, Store, StoreHealth } from '../store.js';
import type { FollowUpCommit, FollowUpCounts, FollowUpCursor, FollowUpQuery, FollowUpUpdate } from '../store.js';
import { earlierPost, earlierThread, findManyByClientId } from './client-keys.js';
import { createPool, describeUrl, type Queryable } from './db.js';
import { currentSeq, eventsSince } from './events.js';
import { activeFollowUps, countFollowUps, followUpSites, getFollowUp, getFollowUps, openFollowUpOp, queryFollowUps, setSlaStatesOp, updateFollowUpOp } from './follow-ups.js';
import { DatabaseHealth, unavailable } from './health.js';
import { WriteLane, type LaneOp } from './lanes.js';
import { createVisitorOp, findMemberByUsername, getMembers, lockMembers, renameVisitorOp, updateMemberOp } from './members.js';
import { Lease } from './lease.js';
import { PgMemberChanges } from './member-changes.js';
import { migrate } from './migrate.js';
import { addNotificationsOp, listNotifications, markReadOp } from './notifications.js';
import { createPostOp, getPost, hiddenPosts, postsBy, updatePostOp } from './posts.js';
import { createSessionOp, endSessionOp, endSessionsOfOp, getSession, touchSessionOp } from './sessions.js';
import { ReadBatcher } from './read-batcher.js';
import { SiteDirectory } from './site-directory.js';
import { createThreadOp, getThread, getThreadRecords, listThreads, postsInThreads, setAcceptedOp, threadsBy } from './threads.js';
import { WriteRouter, type SiteOf } from './write-router.js';
import { addFlagOp, appendAuditOp, clearFlagsOp, createRequestOp, decideRequestOp, flagsFor, flagsOn, getRequest, listAudit, listRequests } from './trust.js';
import { allVotes, getVote, putVoteOp, votesBy, votesFor, votesInThreads, votesOn } from './votes.js';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Keep the tables in this schema (created when missing) instead of the connection's default. */
  schema?: string;
  /** Events kept per site for eventsSince (and across restarts). */
  eventRetention?: number;
  /** Connections in the pool (one more is kept for health checks). */
  poolSize?: number;
  /** A health check that cannot connect or answer within this long reports the database unavailable. */
  healthTimeoutMs?: number;
  /** How long a health check's answer (reachable, generation) is reused. */
  healthCacheMs?: number;
  log?: StoreLog;
}

type PendingKey = { kind: 'thread'; result: Promise<CommitResult<Thread>> } | { kind: 'post'; result: Promise<CommitResult<Post> | undefined> };

/**
 * The Store on PostgreSQL (docs/STORAGE.md, "PostgreSQL"). Nothing is loaded at start-up: open()
 * only connects and applies missing migrations. Every write is acknowledged after COMMIT.
 *
 * Sequenced changes go through one WriteLane per site (group commit under the site's row lock);
 * members, flags, verification requests, audit entries and officer sessions through one lane without
 * a seq (write-router.ts). A database that cannot be reached refuses writes and reads with
 * StoreUnavailableError (health.ts), so the domain answers 503 `unavailable`.
 */
export class PgStore implements Store {
  readonly kind = 'postgres';

  private readonly options: PgStoreOptions;
  private readonly log: StoreLog;
  private status: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private pool: pg.Pool | undefined;
  private databaseHealth: DatabaseHealth | undefined;
  private router: WriteRouter | undefined;
  private readonly sites: SiteDirectory;
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  /** Creates in flight by (authorId, clientId): a retry arriving meanwhile waits for the original. */
  private readonly pendingKeys = new Map<string, PendingKey>();
  /** The reads every request makes by key, gathered into one statement each turn (read-batcher.ts). */
  private readonly threadReads = new ReadBatcher<string, Thread>({
    key: (id) => id,
    fetch: async (ids) => new Map((await getThreadRecords(this.db, ids)).map((t) => [t.id, t])),
    copy: jsonCopy,
  });
  private readonly clientKeyReads = new ReadBatcher<{ authorId: string; clientId: string }, { thread?: Thread; post?: Post }>({
    key: (k) => clientKey(k.authorId, k.clientId),
    fetch: (keys) => findManyByClientId(this.db, keys),
    copy: jsonCopy,
  });
  /** Members by id: every authenticated request reads its visitor, every event its author. */
  private readonly memberReads = new ReadBatcher<string, Visitor>({
    key: (id) => id,
    fetch: async (ids) => new Map((await getMembers(this.db, ids)).map((m) => [m.id, m])),
    copy: jsonCopy,
  });

  constructor(options: PgStoreOptions) {
    this.options = options;
    this.log = options.log ?? (() => {});
    this.sites = new SiteDirectory(() => this.db);
  }

  async open(): Promise<void> {
    if (this.status !== 'new') throw new Error(`PgStore.open: store is ${this.status}`);
    const started = performance.now();
    const { url, schema } = this.options;
    const pool = createPool({
      url,
      schema,
      max: this.options.poolSize,
      onIdleError: (err) => this.log('warn', 'idle PostgreSQL connection failed', { error: err.message }),
    });
    const health = new DatabaseHealth({ url, schema, timeoutMs: this.options.healthTimeoutMs ?? 2000, cacheMs: this.options.healthCacheMs ?? 1000, log: this.log });
    try {
      const { applied, version } = await migrate(pool, { schema });
      this.log('info', 'postgres schema ready', { version, applied });
      await health.start();
    } catch (err) {
      await Promise.all([pool.end(), health.close()]).catch(() => {});
      throw new Error(`PostgreSQL store at ${describeUrl(url)}: ${(err as Error).message}`, { cause: err });
    }
    // A new connection may lead to another server (a failover): the generation is checked again before it is next given.
    pool.on('connect', () => health.connected());
    this.pool = pool;
    this.databaseHealth = health;
    this.router = new WriteRouter({ newLane: (site) => this.newLane(site), refusal: (err) => health.refusal(err) });
    this.status = 'open';
    this.log('info', 'store loaded', { kind: this.kind, database: describeUrl(url), generation: await health.generation(), ms: Math.round(performance.now() - started) });
  }

  async close(): Promise<void> {
    if (this.status !== 'open') return;
    this.status = 'closing';
    await this.idle();
    await Promise.all([this.pool!.end(), this.databaseHealth!.close()]);
    this.status = 'closed';
  }

  /** The generation as of a check at most `healthCacheMs` old; renewed when the database cannot vouch for its history (generation.ts). */
  async generation(): Promise<string> {
    if (!this.databaseHealth) throw new Error('PgStore.generation: the store is not open');
    return this.databaseHealth.generation();
  }

  async health(): Promise<StoreHealth> {
    if (this.status !== 'open') return { ok: false, reason: 'stopping', message: `The store is ${this.status === 'new' ? 'not open' : this.status}` };
    return this.databaseHealth!.health();
  }

  /** Resolves once every write called so far has been committed or refused (tests, benchmarks). */
  async idle(): Promise<void> {
    await this.router?.idle();
  }

  async createVisitor(req: { visitor: Visitor }): Promise<Visitor> {
    return this.unsequencedWrite(createVisitorOp(jsonCopy(req.visitor)));
  }

  async getVisitor(req: { id: string }): Promise<Visitor | undefined> {
    this.assertOpen();
    return this.memberReads.get(req.id);
  }

  async renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined> {
    return this.unsequencedWrite(renameVisitorOp(req));
  }

  async updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined> {
    return this.unsequencedWrite(updateMemberOp(req));
  }

  async getMembers(req: { ids: string[] }): Promise<Visitor[]> {
    this.assertOpen();
    const found = await Promise.all([...new Set(req.ids)].map((id) => this.memberReads.get(id)));
    return found.filter((m): m is Visitor => m !== undefined);
  }

  async findMemberByUsername(req: { username: string }): Promise<Visitor | undefined> {
    return findMemberByUsername(this.db, req.username);
  }

  async activityOf(req: { memberId: string }): Promise<{ threads: Thread[]; posts: Post[] }> {
    const [threads, posts] = await Promise.all([threadsBy(this.db, req.memberId), postsBy(this.db, req.memberId)]);
    return { threads, posts };
  }

  async createThread(req: { thread: NewThread; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Thread>> {
    this.assertWritable();
    const { authorId, clientId, site, id } = req.thread;
    const key = clientKey(authorId, clientId);
    const inFlight = this.pendingKeys.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'thread') throw clientIdReused(clientId, 'an answer');
      return inFlight.result.then((r) => ({ record: r.record, created: false }));
    }
    this.sites.remember('thread', id, site);
    const result = this.sequencedWrite(site, createThreadOp(req.thread, (db) => earlierThread(db, authorId, clientId), req.authorUpdate));
    this.trackKey(key, { kind: 'thread', result });
    return result;
  }

  /**
   * With an author update, the thread's site is known first (from this process's reads, else a look-up):
   * the update is asked only for an answer that can be made, as in the other stores.
   */
  async createPost(req: { post: NewPost; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Post> | undefined> {
    this.assertWritable();
    const { authorId, clientId, site, id } = req.post;
    const key = clientKey(authorId, clientId);
    const inFlight = this.pendingKeys.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'post') throw clientIdReused(clientId, 'a thread');
      return inFlight.result.then((r) => r && { record: r.record, created: false });
    }
    this.sites.remember('post', id, site);
    const op = createPostOp(req.post, (db) => earlierPost(db, authorId, clientId), req.authorUpdate);
    const result = req.authorUpdate ? this.sequencedWrite(() => this.sites.ofAnswer(req.post), op) : this.sequencedWrite(site, op);
    this.trackKey(key, { kind: 'post', result });
    return result;
  }

  async getPost(req: { id: string }): Promise<Post | undefined> {
    return this.sites.noted('post', await getPost(this.db, req.id));
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

  async votesOn(req: { voterId: string; postIds: string[] }): Promise<Vote[]> {
    return votesOn(this.db, req.voterId, req.postIds);
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

  async flagsOn(req: { postIds: string[]; memberId?: string }): Promise<Flag[]> {
    return flagsOn(this.db, req.postIds, req.memberId);
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

  createOfficerSession(req: { session: OfficerSession; endOthers: boolean }): Promise<OfficerSession> {
    return this.unsequencedWrite(createSessionOp(jsonCopy(req.session), req.endOthers));
  }

  async getOfficerSession(req: { id: string }): Promise<OfficerSession | undefined> {
    return getSession(this.db, req.id);
  }

  touchOfficerSession(req: { id: string; at: string }): Promise<void> {
    return this.unsequencedWrite(touchSessionOp(req));
  }

  endOfficerSession(req: { id: string; at: string; reason: SessionEndReason }): Promise<void> {
    return this.unsequencedWrite(endSessionOp(req));
  }

  endOfficerSessions(req: { officerId: string; at: string; reason: SessionEndReason }): Promise<void> {
    return this.unsequencedWrite(endSessionsOfOp(req));
  }

  /** Follow-up writes go through the thread's site lane (follow-ups.ts); none is written for no such thread. */
  openFollowUp(req: { followUp: NewFollowUp; prefix: string; year: number }): Promise<FollowUpCommit | undefined> {
    return this.sequencedWrite(() => this.sites.of('thread', req.followUp.threadId), openFollowUpOp(req));
  }

  async getFollowUp(req: { threadId: string }): Promise<FollowUp | undefined> {
    return getFollowUp(this.db, req.threadId);
  }

  async getFollowUps(req: { threadIds: string[] }): Promise<FollowUp[]> {
    return getFollowUps(this.db, req.threadIds);
  }

  async updateFollowUp(req: { followUp: FollowUp; expectedVersion: number }): Promise<FollowUpUpdate> {
    const result = await this.sequencedWrite(() => this.sites.of('thread', req.followUp.threadId), updateFollowUpOp(req));
    return result ?? { ok: false, current: undefined };
  }

  /** Through each site's lane, like every write of its follow-ups (follow-ups.ts); no seq is taken. */
  async setSlaStates(req: { changes: Array<{ threadId: string; slaState: SlaState }> }): Promise<void> {
    if (req.changes.length === 0) return;
    const sites = await followUpSites(this.db, [...new Set(req.changes.map((c) => c.threadId))]);
    const bySite = new Map<string, typeof req.changes>();
    for (const change of req.changes) {
      const site = sites.get(change.threadId);
      if (site === undefined) continue;
      const list = bySite.get(site) ?? [];
      list.push(change);
      bySite.set(site, list);
    }
    await Promise.all([...bySite].map(([site, changes]) => this.sequencedWrite(site, setSlaStatesOp(site, changes))));
  }

  async queryFollowUps(req: FollowUpQuery): Promise<{ followUps: FollowUp[]; next?: FollowUpCursor }> {
    return queryFollowUps(this.db, req);
  }

  async countFollowUps(req: { sites: string[] }): Promise<FollowUpCounts> {
    return countFollowUps(this.db, req.sites);
  }

  async activeFollowUps(): Promise<FollowUp[]> {
    return activeFollowUps(this.db);
  }

  async addNotifications(req: { notifications: OfficerNotification[] }): Promise<void> {
    if (req.notifications.length > 0) await this.unsequencedWrite(addNotificationsOp(req.notifications));
  }

  async listNotifications(req: { officerId: string; limit: number }): Promise<OfficerNotification[]> {
    return listNotifications(this.db, req);
  }

  async markNotificationsRead(req: { officerId: string; ids: string[] }): Promise<void> {
    if (req.ids.length > 0) await this.unsequencedWrite(markReadOp(req));
  }

  async getThreadRecord(req: { id: string }): Promise<Thread | undefined> {
    this.assertOpen();
    return this.sites.noted('thread', await this.threadReads.get(req.id));
  }

  async getThreadRecords(req: { ids: string[] }): Promise<Thread[]> {
    const threads = await getThreadRecords(this.db, req.ids);
    for (const thread of threads) this.sites.noted('thread', thread);
    return threads;
  }

  async postsInThreads(req: { threadIds: string[] }): Promise<Post[]> {
    return postsInThreads(this.db, req.threadIds);
  }

  async getThread(req: { id: string }): Promise<{ thread: Thread; posts: Post[] } | undefined> {
    const found = await getThread(this.db, req.id);
    this.sites.noted('thread', found?.thread);
    return found;
  }

  async findByClientId(req: { authorId: string; clientId: string }): Promise<{ thread?: Thread; post?: Post } | undefined> {
    this.assertOpen();
    return this.clientKeyReads.get({ authorId: req.authorId, clientId: req.clientId });
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

  /** The member change log in this store's schema, shared by every instance on it. */
  memberChanges(): PgMemberChanges {
    return new PgMemberChanges(() => this.db, this.options.eventRetention ?? 1000);
  }

  /** A named lease in this store's schema (lease.ts): work that runs on one instance at a time. */
  lease(name: string, ttlMs: number): Lease {
    return new Lease(() => this.db, name, ttlMs);
  }

  /** The pool, whose failures to reach the database are StoreUnavailableErrors (503, not 500). */
  private get db(): Queryable {
    const pool = this.pool;
    const health = this.databaseHealth;
    if (!pool || !health) throw new Error('PgStore: the store is not open');
    return {
      query: (query: string | pg.QueryConfig, values?: unknown[]) =>
        pool.query(query, values).catch((err: unknown) => {
          throw health.refusal(err);
        }),
    } as Queryable;
  }

  /** Reads gathered by a ReadBatcher fail at once, as a read of its own would, when the store is not open. */
  private assertOpen(): void {
    if (!this.pool || !this.databaseHealth) throw new Error('PgStore: the store is not open');
  }

  private assertWritable(): void {
    if (this.status === 'new') throw new Error('PgStore: cannot write, the store is not open');
    if (this.status !== 'open') throw unavailable('stopping', `PgStore: cannot write, the store is ${this.status} (stopping); retry shortly`);
    this.databaseHealth!.assertReachable();
  }

  private newLane(site: string | undefined): WriteLane {
    const health = this.databaseHealth!;
    return new WriteLane({
      pool: this.pool!,
      site,
      eventRetention: this.options.eventRetention ?? 1000,
      announce: (events) => this.announce(events),
      lockMembers,
      onConnectFailure: (err) => health.connectFailed(err),
      onCommit: () => health.reachable(),
      onRollback: (err, writes) => {
        const { message, code } = err as { message?: string; code?: string };
        this.log('warn', 'transaction rolled back; its writes are tried one per transaction', { site, writes, error: message, code });
      },
    });
  }

  private unsequencedWrite<T>(op: LaneOp<T>): Promise<T> {
    this.assertWritable();
    return this.router!.unsequenced(op);
  }

  private sequencedWrite<T>(site: string, op: LaneOp<T>): Promise<T>;
  private sequencedWrite<T>(site: SiteOf, op: LaneOp<T | undefined>): Promise<T | undefined>;
  private sequencedWrite<T>(site: SiteOf, op: LaneOp<T>): Promise<T | undefined> {
    this.assertWritable();
    return this.router!.sequenced(site, op);
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
