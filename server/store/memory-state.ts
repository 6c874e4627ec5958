import type { AuditEntry, ChangeEvent, Flag, Post, Thread, ThreadFilter, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import type { JournalRecord } from './journal.js';

/**
 * What snapshot.json holds: the whole state as of journal record `journalRecord`. Format 2 added
 * votes, flags, verification requests and the audit log; format 1 files (without them) still load.
 */
export interface SnapshotData {
  format: 2;
  /** Number of the last journal record this snapshot includes (0: none). */
  journalRecord: number;
  /** The segment that was started for the records after it; older segments may be removed. */
  journalSegment: number;
  savedAt: string;
  visitors: Visitor[];
  threads: Thread[];
  /** Grouped by thread, each thread's posts in seq order. */
  posts: Post[];
  /** Latest sequence number per site. */
  seqs: Record<string, number>;
  /** The retained events per site, oldest first. */
  events: Record<string, ChangeEvent[]>;
  votes: Vote[];
  flags: Flag[];
  /** In creation order. */
  verificationRequests: VerificationRequest[];
  /** In append order. */
  audit: AuditEntry[];
}

/** A snapshot as written before trust (format 1): no votes, flags, requests or audit log. */
export type SnapshotDataV1 = Omit<SnapshotData, 'format' | 'votes' | 'flags' | 'verificationRequests' | 'audit'> & { format: 1 };

/** Any snapshot this version can read. */
export type StoredSnapshot = SnapshotData | SnapshotDataV1;

export function emptySnapshot(): SnapshotData {
  return {
    format: 2,
    journalRecord: 0,
    journalSegment: 1,
    savedAt: new Date(0).toISOString(),
    visitors: [],
    threads: [],
    posts: [],
    seqs: {},
    events: {},
    votes: [],
    flags: [],
    verificationRequests: [],
    audit: [],
  };
}

/** Cheap shape check of a parsed snapshot; returns the problem, if any. */
export function snapshotProblem(data: unknown): string | undefined {
  const s = data as Partial<SnapshotData> | Partial<SnapshotDataV1> | null;
  if (typeof s !== 'object' || s === null) return 'snapshot is not an object';
  if (s.format !== 1 && s.format !== 2) return `unknown snapshot format ${JSON.stringify(s.format)}`;
  if (!Number.isSafeInteger(s.journalRecord) || !Number.isSafeInteger(s.journalSegment)) return 'snapshot has no journal position';
  if (!Array.isArray(s.visitors) || !Array.isArray(s.threads) || !Array.isArray(s.posts)) return 'snapshot lacks visitors, threads or posts';
  if (typeof s.seqs !== 'object' || s.seqs === null || typeof s.events !== 'object' || s.events === null) return 'snapshot lacks seqs or events';
  if (s.format === 2) {
    const v2 = s as Partial<SnapshotData>;
    if (!Array.isArray(v2.votes) || !Array.isArray(v2.flags) || !Array.isArray(v2.verificationRequests) || !Array.isArray(v2.audit)) {
      return 'snapshot lacks votes, flags, verification requests or audit';
    }
  }
  return undefined;
}

export interface ThreadEntry {
  thread: Thread;
  /**
   * Lower-cased title and body, made by the first word search that reaches this thread and kept, so
   * that searches do not lower-case 100k threads per query and start-up does not either.
   */
  text?: string;
  posts: Post[];
}

/** The last `capacity` events of one site, oldest first; seqs in it are consecutive. */
export class EventRing {
  private items: ChangeEvent[] = [];
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(event: ChangeEvent): void {
    if (this.capacity <= 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(event);
    } else {
      this.items[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get oldestSeq(): number | undefined {
    return this.items.length === 0 ? undefined : this.items[this.start].seq;
  }

  /** Events with seq > afterSeq, at most `limit`; the caller checks that afterSeq is retained. */
  since(afterSeq: number, limit: number): ChangeEvent[] {
    const oldest = this.oldestSeq;
    if (oldest === undefined) return [];
    const out: ChangeEvent[] = [];
    for (let i = Math.max(afterSeq + 1 - oldest, 0); i < this.items.length && out.length < limit; i++) {
      out.push(this.items[(this.start + i) % this.items.length]);
    }
    return out;
  }

  toArray(): ChangeEvent[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

export interface SiteState {
  seq: number;
  /** Threads in seq order (ascending), for newest-first paging by binary search. */
  threads: ThreadEntry[];
  events: EventRing;
}

export interface ClientEntry {
  thread?: Thread;
  post?: Post;
}

export function clientKey(authorId: string, clientId: string): string {
  return `${authorId}\u0000${clientId}`;
}

export function voteKey(postId: string, voterId: string): string {
  return `${postId}\u0000${voterId}`;
}

type RequestStatus = VerificationRequest['status'];
type HiddenStatus = 'pending' | 'removed';

/**
 * The committed state and its indexes. It only ever changes through `apply`, the same code for live
 * commits and journal replay, so a restart rebuilds exactly what was there.
 *
 * Stored threads and posts are this state's own objects (events carry copies), updated in place so
 * that every index pointing at one sees the change. Everything handed out is copied by the caller.
 */
export class MemoryState {
  readonly visitors = new Map<string, Visitor>();
  /** Officers' usernames → member id. */
  readonly usernames = new Map<string, string>();
  readonly threads = new Map<string, ThreadEntry>();
  readonly posts = new Map<string, Post>();
  readonly sites = new Map<string, SiteState>();
  /**
   * authorId → clientId → the thread or post it created, for idempotent retries. Nested rather than
   * keyed by one joined string: start-up then builds no 100,000 key strings.
   */
  private readonly clientThreads = new Map<string, Map<string, Thread>>();
  private readonly clientPosts = new Map<string, Map<string, Post>>();
  private readonly threadsByAuthor = new Map<string, Thread[]>();
  private readonly postsByAuthor = new Map<string, Post[]>();
  private readonly hidden: Record<HiddenStatus, Map<string, Post>> = { pending: new Map(), removed: new Map() };

  /** By voteKey(postId, voterId); the group indexes hold the same Vote objects under the same keys. */
  readonly votes = new Map<string, Vote>();
  private readonly votesByVoter = new Map<string, Map<string, Vote>>();
  private readonly votesByAuthor = new Map<string, Map<string, Vote>>();
  private readonly votesByThread = new Map<string, Map<string, Vote>>();

  /** postId → memberId → flag. */
  private readonly flags = new Map<string, Map<string, Flag>>();

  readonly requests = new Map<string, VerificationRequest>();
  /** Creation order of each request, the tie-break for "newest first". */
  private readonly requestOrder = new Map<string, number>();
  private readonly requestsByMember = new Map<string, Map<string, VerificationRequest>>();
  private readonly requestsByStatus = new Map<RequestStatus, Map<string, VerificationRequest>>();

  /** In append order. */
  private readonly audit: AuditEntry[] = [];
  private readonly auditByMember = new Map<string, AuditEntry[]>();

  constructor(private readonly eventRetention: number) {}

  static fromSnapshot(data: StoredSnapshot, eventRetention: number): MemoryState {
    const state = new MemoryState(eventRetention);
    for (const visitor of data.visitors) state.setVisitor(visitor);
    for (const [site, seq] of Object.entries(data.seqs)) state.site(site).seq = seq;
    for (const thread of data.threads) state.addThread(thread);
    for (const site of state.sites.values()) {
      if (!isSortedBySeq(site.threads)) site.threads.sort((a, b) => a.thread.seq - b.thread.seq);
    }
    for (const post of data.posts) {
      const entry = state.threads.get(post.threadId);
      if (!entry) throw new Error(`post ${post.id} belongs to unknown thread ${post.threadId}`);
      state.addPost(entry, post);
    }
    for (const [site, events] of Object.entries(data.events)) {
      const ring = state.site(site).events;
      for (const event of events) ring.push(event);
    }
    if (data.format === 2) {
      for (const vote of data.votes) state.putVote(vote);
      for (const flag of data.flags) state.addFlag(flag);
      for (const request of data.verificationRequests) state.addRequest(request);
      for (const entry of data.audit) state.appendAudit(entry);
    }
    return state;
  }

  toSnapshot(position: { journalRecord: number; journalSegment: number }): SnapshotData {
    const threads: Thread[] = [];
    const posts: Post[] = [];
    for (const entry of this.threads.values()) {
      threads.push(entry.thread);
      for (const post of entry.posts) posts.push(post);
    }
    const seqs: Record<string, number> = {};
    const events: Record<string, ChangeEvent[]> = {};
    for (const [name, site] of this.sites) {
      seqs[name] = site.seq;
      events[name] = site.events.toArray();
    }
    const flags: Flag[] = [];
    for (const byMember of this.flags.values()) flags.push(...byMember.values());
    return {
      format: 2,
      ...position,
      savedAt: new Date().toISOString(),
      visitors: [...this.visitors.values()],
      threads,
      posts,
      seqs,
      events,
      votes: [...this.votes.values()],
      flags,
      verificationRequests: [...this.requests.values()],
      audit: [...this.audit],
    };
  }

  site(name: string): SiteState {
    let site = this.sites.get(name);
    if (!site) {
      site = { seq: 0, threads: [], events: new EventRing(this.eventRetention) };
      this.sites.set(name, site);
    }
    return site;
  }

  /** Applies one committed record. Throws when the record does not fit the state (replay checks). */
  apply(record: JournalRecord): void {
    switch (record.t) {
      case 'visitor.created':
        this.setVisitor({ ...record.visitor });
        return;
      case 'visitor.renamed': {
        const visitor = this.visitors.get(record.id);
        if (!visitor) throw new Error(`rename of unknown visitor ${record.id}`);
        this.visitors.set(record.id, { ...visitor, name: record.name, updatedAt: record.at });
        return;
      }
      case 'visitor.updated': {
        const visitor = this.visitors.get(record.id);
        if (!visitor) throw new Error(`update of unknown visitor ${record.id}`);
        this.setVisitor(applyMemberPatch(visitor, record.patch));
        return;
      }
      case 'change':
        this.applyEvent(record.event);
        return;
      case 'vote': {
        const target = record.vote ?? record.remove;
        const change = record.event.change;
        if (!target) throw new Error('vote record has neither a vote nor a removal');
        if (change.kind !== 'post.updated' || change.post.id !== target.postId) throw new Error(`vote on post ${target.postId} carries an event for another change`);
        this.applyEvent(record.event);
        if (record.vote) this.putVote({ ...record.vote });
        else this.removeVote(voteKey(target.postId, target.voterId));
        return;
      }
      case 'flag.added':
        if (!this.posts.has(record.flag.postId)) throw new Error(`flag on unknown post ${record.flag.postId}`);
        this.addFlag({ ...record.flag });
        return;
      case 'flags.cleared':
        this.flags.delete(record.postId);
        return;
      case 'verification.created':
        if (this.requests.has(record.request.id)) throw new Error(`verification request ${record.request.id} already exists`);
        this.addRequest({ ...record.request });
        return;
      case 'verification.decided': {
        const request = this.requests.get(record.id);
        if (!request) throw new Error(`decision on unknown verification request ${record.id}`);
        const decided: VerificationRequest = { ...request, status: record.status, decidedAt: record.decidedAt, decidedBy: record.decidedBy };
        if (record.decisionNote === undefined) delete decided.decisionNote;
        else decided.decisionNote = record.decisionNote;
        this.replaceRequest(request, decided);
        return;
      }
      case 'audit':
        this.appendAudit({ ...record.entry });
        return;
      default:
        throw new Error(`unknown record type ${JSON.stringify((record as { t: unknown }).t)}`);
    }
  }

  private applyEvent(event: ChangeEvent): void {
    const site = this.site(event.site);
    if (event.seq !== site.seq + 1) throw new Error(`site ${event.site} jumps from seq ${site.seq} to ${event.seq}`);
    const change = event.change;
    if (change.kind === 'thread.created') {
      // A copy: the stored thread changes later, the event must not.
      this.addThread({ ...change.thread });
    } else if (change.kind === 'post.created') {
      const entry = this.threads.get(change.post.threadId);
      if (!entry) throw new Error(`post ${change.post.id} belongs to unknown thread ${change.post.threadId}`);
      this.addPost(entry, { ...change.post });
      entry.thread.answerCount = change.answerCount;
      entry.thread.lastActivityAt = change.lastActivityAt;
    } else if (change.kind === 'post.updated') {
      const post = this.posts.get(change.post.id);
      if (!post) throw new Error(`update of unknown post ${change.post.id}`);
      if (post.threadId !== change.post.threadId || post.authorId !== change.post.authorId || post.site !== event.site) {
        throw new Error(`update of post ${post.id} moves it to another thread, author or site`);
      }
      this.hidden.pending.delete(post.id);
      this.hidden.removed.delete(post.id);
      replaceContents(post, change.post);
      if (post.hidden) this.hidden[post.hidden.status].set(post.id, post);
    } else if (change.kind === 'thread.updated') {
      const entry = this.threads.get(change.thread.id);
      if (!entry) throw new Error(`update of unknown thread ${change.thread.id}`);
      if (entry.thread.authorId !== change.thread.authorId || entry.thread.seq !== change.thread.seq || entry.thread.site !== event.site) {
        throw new Error(`update of thread ${entry.thread.id} changes its author, seq or site`);
      }
      replaceContents(entry.thread, change.thread);
      entry.text = undefined;
    } else {
      throw new Error(`unknown change kind ${JSON.stringify((change as { kind: unknown }).kind)}`);
    }
    site.seq = event.seq;
    site.events.push(event);
  }

  private setVisitor(visitor: Visitor): void {
    const before = this.visitors.get(visitor.id);
    if (before?.username !== undefined && before.username !== visitor.username && this.usernames.get(before.username) === visitor.id) {
      this.usernames.delete(before.username);
    }
    this.visitors.set(visitor.id, visitor);
    if (visitor.username !== undefined) this.usernames.set(visitor.username, visitor.id);
  }

  private addThread(thread: Thread): void {
    const entry: ThreadEntry = { thread, text: undefined, posts: [] };
    this.threads.set(thread.id, entry);
    this.site(thread.site).threads.push(entry);
    setIn(this.clientThreads, thread.authorId, thread.clientId, thread);
    pushTo(this.threadsByAuthor, thread.authorId, thread);
  }

  private addPost(entry: ThreadEntry, post: Post): void {
    entry.posts.push(post);
    this.posts.set(post.id, post);
    setIn(this.clientPosts, post.authorId, post.clientId, post);
    pushTo(this.postsByAuthor, post.authorId, post);
    if (post.hidden) this.hidden[post.hidden.status].set(post.id, post);
  }

  private putVote(vote: Vote): void {
    const key = voteKey(vote.postId, vote.voterId);
    const before = this.votes.get(key);
    this.votes.set(key, vote);
    regroup(this.votesByVoter, key, before?.voterId, vote.voterId, vote);
    regroup(this.votesByAuthor, key, before?.authorId, vote.authorId, vote);
    regroup(this.votesByThread, key, before?.threadId, vote.threadId, vote);
  }

  private removeVote(key: string): void {
    const before = this.votes.get(key);
    if (!before) return;
    this.votes.delete(key);
    regroup(this.votesByVoter, key, before.voterId, undefined, undefined);
    regroup(this.votesByAuthor, key, before.authorId, undefined, undefined);
    regroup(this.votesByThread, key, before.threadId, undefined, undefined);
  }

  /** The first flag of a member on a post stays; a second one changes nothing. */
  private addFlag(flag: Flag): void {
    let byMember = this.flags.get(flag.postId);
    if (!byMember) {
      byMember = new Map();
      this.flags.set(flag.postId, byMember);
    }
    if (!byMember.has(flag.memberId)) byMember.set(flag.memberId, flag);
  }

  private addRequest(request: VerificationRequest): void {
    this.requests.set(request.id, request);
    this.requestOrder.set(request.id, this.requestOrder.size);
    regroup(this.requestsByMember, request.id, undefined, request.memberId, request);
    regroup(this.requestsByStatus, request.id, undefined, request.status, request);
  }

  private replaceRequest(before: VerificationRequest, after: VerificationRequest): void {
    this.requests.set(after.id, after);
    regroup(this.requestsByMember, after.id, before.memberId, after.memberId, after);
    regroup(this.requestsByStatus, after.id, before.status, after.status, after);
  }

  private appendAudit(entry: AuditEntry): void {
    this.audit.push(entry);
    if (entry.memberId !== undefined) pushTo(this.auditByMember, entry.memberId, entry);
  }

  /** What this author's `clientId` created: a thread or a post (a key is used for one only). */
  byClientId(authorId: string, clientId: string): ClientEntry | undefined {
    const thread = this.clientThreads.get(authorId)?.get(clientId);
    if (thread) return { thread };
    const post = this.clientPosts.get(authorId)?.get(clientId);
    return post && { post };
  }

  /** A page of a site's threads, newest first. */
  listThreads(req: { site: string; words?: string[]; filter: ThreadFilter; limit: number; beforeSeq?: number }): { threads: Thread[]; nextBeforeSeq?: number } {
    const site = this.sites.get(req.site);
    if (!site || req.limit <= 0) return { threads: [] };
    const list = site.threads;
    const words = (req.words ?? []).map((w) => w.toLowerCase()).filter((w) => w.length > 0);
    const out: Thread[] = [];
    const start = req.beforeSeq === undefined ? list.length - 1 : firstIndexAtOrAfter(list, req.beforeSeq) - 1;
    for (let i = start; i >= 0; i--) {
      const entry = list[i];
      const answered = entry.thread.answerCount > 0;
      if (req.filter === 'unanswered' && answered) continue;
      if (req.filter === 'answered' && !answered) continue;
      if (words.length > 0) {
        const text = (entry.text ??= searchText(entry.thread));
        if (!words.every((w) => text.includes(w))) continue;
      }
      if (out.length === req.limit) return { threads: out, nextBeforeSeq: out[out.length - 1].seq };
      out.push({ ...entry.thread });
    }
    return { threads: out };
  }

  /** Copies of a member's threads and posts, each ordered by site, then seq. */
  activityOf(memberId: string): { threads: Thread[]; posts: Post[] } {
    const threads = (this.threadsByAuthor.get(memberId) ?? []).map((t) => ({ ...t }));
    const posts = (this.postsByAuthor.get(memberId) ?? []).map(copyPost);
    return { threads: threads.sort(bySiteAndSeq), posts: posts.sort(bySiteAndSeq) };
  }

  votesFor(authorId: string): Vote[] {
    return copyVotes(this.votesByAuthor.get(authorId));
  }

  votesBy(voterId: string): Vote[] {
    return copyVotes(this.votesByVoter.get(voterId));
  }

  votesInThreads(threadIds: string[]): Vote[] {
    const out: Vote[] = [];
    for (const id of new Set(threadIds)) {
      const votes = this.votesByThread.get(id);
      if (votes) for (const vote of votes.values()) out.push({ ...vote });
    }
    return out;
  }

  allVotes(): Vote[] {
    return copyVotes(this.votes);
  }

  /** Members who have flagged this post. */
  flaggedBy(postId: string): Set<string> {
    return new Set(this.flags.get(postId)?.keys());
  }

  flagsFor(postId: string): Flag[] {
    const byMember = this.flags.get(postId);
    return byMember ? Array.from(byMember.values(), (f) => ({ ...f })) : [];
  }

  /** Hidden posts with this status, most recently hidden first. */
  hiddenPosts(status: HiddenStatus, limit: number): Post[] {
    if (limit <= 0) return [];
    const list = [...this.hidden[status].values()].sort(
      (a, b) => compareDesc(a.hidden!.at, b.hidden!.at) || compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id),
    );
    return list.slice(0, limit).map(copyPost);
  }

  /** Requests newest (createdAt) first; among equal times, the later created first. */
  listRequests(req: { status?: RequestStatus; memberId?: string; limit: number }): VerificationRequest[] {
    if (req.limit <= 0) return [];
    let candidates: Iterable<VerificationRequest>;
    if (req.memberId !== undefined) candidates = this.requestsByMember.get(req.memberId)?.values() ?? [];
    else if (req.status !== undefined) candidates = this.requestsByStatus.get(req.status)?.values() ?? [];
    else candidates = this.requests.values();
    const list: VerificationRequest[] = [];
    for (const request of candidates) if (req.status === undefined || request.status === req.status) list.push(request);
    list.sort((a, b) => compareDesc(a.createdAt, b.createdAt) || this.requestOrder.get(b.id)! - this.requestOrder.get(a.id)!);
    return list.slice(0, req.limit).map((r) => ({ ...r }));
  }

  /** Audit entries, last appended first. */
  listAudit(req: { memberId?: string; limit: number }): AuditEntry[] {
    const list = req.memberId === undefined ? this.audit : (this.auditByMember.get(req.memberId) ?? []);
    const out: AuditEntry[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < req.limit; i--) out.push(copyAudit(list[i]));
    return out;
  }
}

/** A visitor with the patch applied: `null` removes a field; id and createdAt never change. */
export function applyMemberPatch(visitor: Visitor, patch: Record<string, unknown>): Visitor {
  const next: Record<string, unknown> = { ...visitor };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || key === 'createdAt') continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Visitor;
}

/** A copy that shares nothing mutable with `visitor`. */
export function copyVisitor(visitor: Visitor): Visitor {
  const copy = { ...visitor };
  if (copy.profile) copy.profile = { ...copy.profile };
  if (copy.verified) copy.verified = { ...copy.verified };
  if (copy.stats) copy.stats = { ...copy.stats };
  if (copy.activeDays) copy.activeDays = [...copy.activeDays];
  return copy;
}

export function copyPost(post: Post): Post {
  const copy = { ...post };
  if (copy.hidden) copy.hidden = { ...copy.hidden };
  return copy;
}

export function copyAudit(entry: AuditEntry): AuditEntry {
  const copy = { ...entry };
  if (copy.details) copy.details = { ...copy.details };
  return copy;
}

function copyVotes(votes: Map<string, Vote> | undefined): Vote[] {
  return votes ? Array.from(votes.values(), (v) => ({ ...v })) : [];
}

function searchText(thread: Thread): string {
  return `${thread.title}\n${thread.body}`.toLowerCase();
}

/** Makes `target` hold exactly the fields of `source`, keeping its identity for the indexes. */
function replaceContents<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(target)) if (!(key in source)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

function setIn<T>(index: Map<string, Map<string, T>>, outer: string, inner: string, value: T): void {
  let group = index.get(outer);
  if (!group) {
    group = new Map();
    index.set(outer, group);
  }
  group.set(inner, value);
}

function pushTo<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

/** Moves `key` from group `from` to group `to` (either may be absent), keeping its place when the group stays. */
function regroup<G, T>(index: Map<G, Map<string, T>>, key: string, from: G | undefined, to: G | undefined, value: T | undefined): void {
  if (from !== undefined && from !== to) {
    const group = index.get(from);
    group?.delete(key);
    if (group?.size === 0) index.delete(from);
  }
  if (to === undefined || value === undefined) return;
  let group = index.get(to);
  if (!group) {
    group = new Map();
    index.set(to, group);
  }
  group.set(key, value);
}

function bySiteAndSeq(a: { site: string; seq: number }, b: { site: string; seq: number }): number {
  return a.site < b.site ? -1 : a.site > b.site ? 1 : a.seq - b.seq;
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function isSortedBySeq(list: ThreadEntry[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].thread.seq >= list[i].thread.seq) return false;
  return true;
}

function firstIndexAtOrAfter(list: ThreadEntry[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].thread.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
