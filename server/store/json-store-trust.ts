import type { AuditEntry, ChangeEvent, Flag, Post, VerificationRequest, Vote } from '../domain/model.js';
import type { JournalRecord } from './journal.js';
import { copyPost, jsonCopy, voteKey } from './memory-records.js';
import type { WriteContext } from './pending-writes.js';

/**
 * The JSON store's writes of trust records: votes (with the post's counts, as one record), flags,
 * verification requests and the audit log. Same rules as ContentWrites.
 */
export class TrustWrites {
  constructor(private readonly store: WriteContext) {}

  private get pending() {
    return this.store.pending;
  }

  /**
   * The counts move by the difference to the voter's previous vote as it will be when this one
   * lands (a vote still in flight counts), so concurrent votes keep them equal to the stored votes.
   */
  async putVote(
    req: { vote: Vote } | { remove: { postId: string; voterId: string; at: string } },
  ): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.store.assertWritable();
    const vote = 'vote' in req ? jsonCopy(req.vote) : undefined;
    const { postId, voterId } = vote ?? (req as { remove: { postId: string; voterId: string } }).remove;
    const post = this.pending.post(postId);
    if (!post) return undefined;
    if (vote) {
      if (vote.value !== 1 && vote.value !== -1) throw new Error(`vote value must be 1 or -1, not ${JSON.stringify(vote.value)}`);
      if (vote.site !== post.site || vote.threadId !== post.threadId || vote.authorId !== post.authorId) {
        throw new Error(`vote on post ${postId} names another site, thread or author than the post has`);
      }
    }
    const key = voteKey(postId, voterId);
    const before = this.pending.vote(key);
    let up = post.up ?? 0;
    let down = post.down ?? 0;
    if (before) before.value === 1 ? up-- : down--;
    if (vote) vote.value === 1 ? up++ : down++;
    const updated: Post = { ...post, up, down };
    const at = vote ? vote.castAt : (req as { remove: { at: string } }).remove.at;
    const event: ChangeEvent = { site: post.site, seq: this.pending.nextSeq(post.site), at, change: { kind: 'post.updated', post: updated } };
    this.pending.posts.set(postId, updated);
    this.pending.votes.set(key, { vote });
    const record: JournalRecord = vote ? { t: 'vote', vote, event } : { t: 'vote', remove: { postId, voterId }, event };
    await this.store.commit(record, () => {
      this.pending.posts.settle(postId);
      this.pending.votes.settle(key);
    });
    return { post: copyPost(updated), event };
  }

  async addFlag(req: { flag: Flag }): Promise<Flag[]> {
    this.store.assertWritable();
    const flag = jsonCopy(req.flag);
    if (!this.pending.post(flag.postId)) throw new Error(`cannot flag post ${flag.postId}: it does not exist`);
    const pending = this.pending.flags.get(flag.postId);
    const members = pending?.members ?? this.store.state.flaggedBy(flag.postId);
    if (members.has(flag.memberId)) {
      await pending?.done;
    } else {
      const done = this.store.commit({ t: 'flag.added', flag }, () => this.pending.flags.settle(flag.postId));
      this.pending.flags.set(flag.postId, { members: new Set(members).add(flag.memberId), done });
      await done;
    }
    return this.store.state.flagsFor(flag.postId);
  }

  async clearFlags(req: { postId: string }): Promise<void> {
    this.store.assertWritable();
    const pending = this.pending.flags.get(req.postId);
    const members = pending?.members ?? this.store.state.flaggedBy(req.postId);
    if (members.size === 0) {
      await pending?.done;
      return;
    }
    const done = this.store.commit({ t: 'flags.cleared', postId: req.postId }, () => this.pending.flags.settle(req.postId));
    this.pending.flags.set(req.postId, { members: new Set(), done });
    await done;
  }

  async createVerificationRequest(req: { request: VerificationRequest }): Promise<VerificationRequest> {
    this.store.assertWritable();
    const request = jsonCopy(req.request);
    if (this.pending.request(request.id)) throw new Error(`verification request ${request.id} already exists`);
    this.pending.requests.set(request.id, request);
    await this.store.commit({ t: 'verification.created', request }, () => this.pending.requests.settle(request.id));
    return { ...request };
  }

  async decideVerificationRequest(req: {
    id: string;
    status: 'approved' | 'rejected';
    decidedAt: string;
    decidedBy: string;
    decisionNote?: string;
  }): Promise<VerificationRequest | undefined> {
    this.store.assertWritable();
    const current = this.pending.request(req.id);
    if (!current) return undefined;
    const { id, status, decidedAt, decidedBy, decisionNote } = req;
    const decided: VerificationRequest = { ...current, status, decidedAt, decidedBy };
    if (decisionNote === undefined) delete decided.decisionNote;
    else decided.decisionNote = decisionNote;
    this.pending.requests.set(id, decided);
    const record: JournalRecord = { t: 'verification.decided', id, status, decidedAt, decidedBy, ...(decisionNote === undefined ? {} : { decisionNote }) };
    await this.store.commit(record, () => this.pending.requests.settle(id));
    return { ...decided };
  }

  async appendAudit(req: { entry: AuditEntry }): Promise<void> {
    this.store.assertWritable();
    await this.store.commit({ t: 'audit', entry: jsonCopy(req.entry) }, () => {});
  }
}
