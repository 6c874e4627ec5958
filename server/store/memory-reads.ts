import type { AuditEntry, ChangeEvent, Flag, Post, Thread, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import { copyAudit, copyPost, copyThread, copyVisitor, voteKey } from './memory-records.js';
import type { MemoryState } from './memory-state.js';
import type { ListThreadsRequest, Store } from './store.js';

/** The Store methods MemoryReads answers, for both in-memory stores. */
const READS = [
  'getVisitor',
  'getMembers',
  'findMemberByUsername',
  'activityOf',
  'getThreadRecord',
  'getThreadRecords',
  'postsInThreads',
  'getThread',
  'findByClientId',
  'getPost',
  'getVote',
  'votesFor',
  'votesBy',
  'votesOn',
  'votesInThreads',
  'allVotes',
  'flagsFor',
  'flagsOn',
  'hiddenPosts',
  'getVerificationRequest',
  'listVerificationRequests',
  'listAudit',
  'listThreads',
  'currentSeq',
  'eventsSince',
] as const satisfies ReadonlyArray<keyof Store & keyof MemoryReads>;

export type StoreReads = Pick<Store, (typeof READS)[number]>;

/**
 * The store's read methods, each bound to `reads`: the JSON and memory stores take them with
 * `Object.assign(this, storeReads(…))` and declare them through `interface … extends StoreReads`.
 */
export function storeReads(reads: MemoryReads): StoreReads {
  return Object.fromEntries(READS.map((name) => [name, reads[name].bind(reads)])) as unknown as StoreReads;
}

/**
 * The Store's reads of the committed state, the same for the JSON store and the memory store. Everything
 * handed out is a copy. The state is asked for on each call: the JSON store replaces it when it loads.
 */
export class MemoryReads {
  constructor(private readonly state: () => MemoryState) {}

  async getVisitor(req: { id: string }): Promise<Visitor | undefined> {
    const visitor = this.state().visitors.get(req.id);
    return visitor && copyVisitor(visitor);
  }

  async getMembers(req: { ids: string[] }): Promise<Visitor[]> {
    const state = this.state();
    const out: Visitor[] = [];
    for (const id of new Set(req.ids)) {
      const visitor = state.visitors.get(id);
      if (visitor) out.push(copyVisitor(visitor));
    }
    return out;
  }

  async findMemberByUsername(req: { username: string }): Promise<Visitor | undefined> {
    const state = this.state();
    const id = state.usernames.get(req.username);
    const visitor = id === undefined ? undefined : state.visitors.get(id);
    return visitor && copyVisitor(visitor);
  }

  async activityOf(req: { memberId: string }): Promise<{ threads: Thread[]; posts: Post[] }> {
    return this.state().activityOf(req.memberId);
  }

  async getThreadRecord(req: { id: string }): Promise<Thread | undefined> {
    const entry = this.state().threads.get(req.id);
    return entry && copyThread(entry.thread);
  }

  async getThreadRecords(req: { ids: string[] }): Promise<Thread[]> {
    const state = this.state();
    return [...new Set(req.ids)].flatMap((id) => {
      const entry = state.threads.get(id);
      return entry ? [copyThread(entry.thread)] : [];
    });
  }

  async postsInThreads(req: { threadIds: string[] }): Promise<Post[]> {
    return this.state().postsInThreads(req.threadIds);
  }

  async getThread(req: { id: string }): Promise<{ thread: Thread; posts: Post[] } | undefined> {
    const entry = this.state().threads.get(req.id);
    if (!entry) return undefined;
    return { thread: copyThread(entry.thread), posts: entry.posts.map(copyPost) };
  }

  async findByClientId(req: { authorId: string; clientId: string }): Promise<{ thread?: Thread; post?: Post } | undefined> {
    const entry = this.state().byClientId(req.authorId, req.clientId);
    if (!entry) return undefined;
    return entry.thread ? { thread: copyThread(entry.thread) } : { post: copyPost(entry.post!) };
  }

  async getPost(req: { id: string }): Promise<Post | undefined> {
    const post = this.state().posts.get(req.id);
    return post && copyPost(post);
  }

  async getVote(req: { postId: string; voterId: string }): Promise<Vote | undefined> {
    const vote = this.state().votes.get(voteKey(req.postId, req.voterId));
    return vote && { ...vote };
  }

  async votesFor(req: { authorId: string }): Promise<Vote[]> {
    return this.state().votesFor(req.authorId);
  }

  async votesBy(req: { voterId: string }): Promise<Vote[]> {
    return this.state().votesBy(req.voterId);
  }

  async votesOn(req: { voterId: string; postIds: string[] }): Promise<Vote[]> {
    return this.state().votesOn(req.voterId, req.postIds);
  }

  async votesInThreads(req: { threadIds: string[] }): Promise<Vote[]> {
    return this.state().votesInThreads(req.threadIds);
  }

  async allVotes(): Promise<Vote[]> {
    return this.state().allVotes();
  }

  async flagsFor(req: { postId: string }): Promise<Flag[]> {
    return this.state().flagsFor(req.postId);
  }

  async flagsOn(req: { postIds: string[]; memberId?: string }): Promise<Flag[]> {
    return this.state().flagsOn(req.postIds, req.memberId);
  }

  async hiddenPosts(req: { status: 'pending' | 'removed'; limit: number }): Promise<Post[]> {
    return this.state().hiddenPosts(req.status, req.limit);
  }

  async getVerificationRequest(req: { id: string }): Promise<VerificationRequest | undefined> {
    const request = this.state().requests.get(req.id);
    return request && { ...request };
  }

  async listVerificationRequests(req: { status?: VerificationRequest['status']; memberId?: string; limit: number }): Promise<VerificationRequest[]> {
    return this.state().listRequests(req);
  }

  /** Newest first means last appended first. */
  async listAudit(req: { memberId?: string; limit: number }): Promise<AuditEntry[]> {
    return this.state().listAudit(req).map(copyAudit);
  }

  async listThreads(req: ListThreadsRequest): Promise<{ threads: Thread[]; nextBeforeSeq?: number }> {
    return this.state().listThreads(req);
  }

  async currentSeq(req: { site: string }): Promise<number> {
    return this.state().sites.get(req.site)?.seq ?? 0;
  }

  async eventsSince(req: { site: string; afterSeq: number; limit: number }): Promise<ChangeEvent[] | undefined> {
    const site = this.state().sites.get(req.site);
    const current = site?.seq ?? 0;
    const afterSeq = Math.max(req.afterSeq, 0);
    if (!site || afterSeq >= current || req.limit <= 0) return [];
    const oldest = site.events.oldestSeq ?? current + 1;
    if (afterSeq < oldest - 1) return undefined;
    return site.events.since(afterSeq, req.limit);
  }
}
