import type { AuditEntry, ChangeEvent, Flag, Post, Thread, ThreadFilter, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import type { JournalRecord } from './journal.js';

import {
  applyMemberPatch,
  bySiteAndSeq,
  copyPost,
  copyThread,
  compareDesc,
  copyVotes,
  EventRing,
  firstIndexAtOrAfter,
  isSortedBySeq,
  pushTo,
  regroup,
  replaceContents,
  searchText,
  setIn,
  type ClientEntry,
  type SiteState,
  type ThreadEntry,
  voteKey,
} from './memory-records.js';
import { FollowUpState, isFollowUpRecord } from './follow-up-state.js';
import { ModerationState } from './moderation-state.js';
import { isOfficerSessionRecord, OfficerSessionState } from './officer-session-state.js';
import type { SnapshotData, StoredSnapshot } from './snapshot-format.js';

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

  /** Flags, verification requests and the audit log. */
  private readonly moderation = new ModerationState();
  readonly requests = this.moderation.requests;

  readonly officerSessions = new OfficerSessionState();
  /** Follow-ups, their queue index, tracking counters and officers' notifications. */
  readonly followUps = new FollowUpState((threadId) => {
    const entry = this.threads.get(threadId);
    return entry && (entry.text ??= searchText(entry.thread));
  });

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
      for (const flag of data.flags) state.moderation.addFlag(flag);
      for (const request of data.verificationRequests) state.moderation.addRequest(request);
      for (const entry of data.audit) state.moderation.appendAudit(entry);
      state.officerSessions.load(data.officerSessions ?? []);
      state.followUps.load(data);
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
    const { flags, audit } = this.moderation.toSnapshot();
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
      audit,
      officerSessions: this.officerSessions.toSnapshot(),
      ...this.followUps.toSnapshot(),
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
    if (isOfficerSessionRecord(record)) return this.officerSessions.apply(record);
    if (isFollowUpRecord(record)) return this.followUps.apply(record, (event) => this.applyEvent(event));
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
      case 'change': {
        const author = record.member && this.visitors.get(record.member.id);
        if (record.member && !author) throw new Error(`post's update of unknown member ${record.member.id}`);
        this.applyEvent(record.event);
        if (author) this.setVisitor(applyMemberPatch(author, record.member!.patch));
        return;
      }
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
        this.moderation.addFlag({ ...record.flag });
        return;
      case 'flags.cleared':
        this.moderation.clearFlags(record.postId);
        return;
      case 'verification.created':
        if (this.requests.has(record.request.id)) throw new Error(`verification request ${record.request.id} already exists`);
        this.moderation.addRequest({ ...record.request });
        return;
      case 'verification.decided': {
        const request = this.requests.get(record.id);
        if (!request) throw new Error(`decision on unknown verification request ${record.id}`);
        const decided: VerificationRequest = { ...request, status: record.status, decidedAt: record.decidedAt, decidedBy: record.decidedBy };
        if (record.decisionNote === undefined) delete decided.decisionNote;
        else decided.decisionNote = record.decisionNote;
        this.moderation.replaceRequest(request, decided);
        return;
      }
      case 'audit':
        this.moderation.appendAudit({ ...record.entry });
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
      replaceContents(entry.thread, copyThread(change.thread));
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
      out.push(copyThread(entry.thread));
    }
    return { threads: out };
  }

  /** Copies of a member's threads and posts, each ordered by site, then seq. */
  activityOf(memberId: string): { threads: Thread[]; posts: Post[] } {
    const threads = (this.threadsByAuthor.get(memberId) ?? []).map(copyThread);
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

  /** A voter's votes on any of these posts. */
  votesOn(voterId: string, postIds: string[]): Vote[] {
    const out: Vote[] = [];
    for (const postId of new Set(postIds)) {
      const vote = this.votes.get(voteKey(postId, voterId));
      if (vote) out.push({ ...vote });
    }
    return out;
  }

  /** The answers of these threads, each thread's in seq order. */
  postsInThreads(threadIds: string[]): Post[] {
    return [...new Set(threadIds)].flatMap((id) => this.threads.get(id)?.posts.map(copyPost) ?? []);
  }

  allVotes(): Vote[] {
    return copyVotes(this.votes);
  }

  /** Hidden posts with this status, most recently hidden first. */
  hiddenPosts(status: HiddenStatus, limit: number): Post[] {
    if (limit <= 0) return [];
    const list = [...this.hidden[status].values()].sort(
      (a, b) => compareDesc(a.hidden!.at, b.hidden!.at) || compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id),
    );
    return list.slice(0, limit).map(copyPost);
  }

  // Flags, verification requests and the audit log: moderation-state.ts.
  flaggedBy(postId: string): Set<string> {
    return this.moderation.flaggedBy(postId);
  }

  flagsFor(postId: string): Flag[] {
    return this.moderation.flagsFor(postId);
  }

  flagsOn(postIds: string[], memberId?: string): Flag[] {
    return this.moderation.flagsOn(postIds, memberId);
  }

  listRequests(req: { status?: RequestStatus; memberId?: string; limit: number }): VerificationRequest[] {
    return this.moderation.listRequests(req);
  }

  listAudit(req: { memberId?: string; limit: number }): AuditEntry[] {
    return this.moderation.listAudit(req);
  }
}
