import type { ChangeEvent, MemberPatch, NewPost, NewThread, Post, Thread, Visitor } from '../domain/model.js';
import { applyMemberPatch, clientKey, copyPost, copyThread, copyVisitor, jsonCopy, patchRecord, withoutUndefined } from './memory-records.js';
import type { WriteContext } from './pending-writes.js';
import type { AuthorUpdate, CommitResult, PostPatch } from './store.js';

/**
 * The JSON store's writes of visitors, threads and posts. Each works out the record as it will be once
 * the writes queued before it land (from `pending`), journals it, and settles what it set when it is durable
 * or abandoned. docs/STORAGE.md, "Writes in flight".
 */
export class ContentWrites {
  constructor(private readonly store: WriteContext) {}

  private get pending() {
    return this.store.pending;
  }

  async createVisitor(req: { visitor: Visitor }): Promise<Visitor> {
    this.store.assertWritable();
    const { visitor } = req;
    if (this.pending.visitor(visitor.id)) throw new Error(`visitor ${visitor.id} already exists`);
    const stored = jsonCopy(visitor);
    this.pending.visitors.set(visitor.id, stored);
    await this.store.commit({ t: 'visitor.created', visitor: stored }, () => this.pending.visitors.settle(visitor.id));
    return copyVisitor(stored);
  }

  async renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined> {
    this.store.assertWritable();
    const current = this.pending.visitor(req.id);
    if (!current) return undefined;
    const renamed = { ...current, name: req.name, updatedAt: req.at };
    this.pending.visitors.set(req.id, renamed);
    await this.store.commit({ t: 'visitor.renamed', id: req.id, name: req.name, at: req.at }, () => this.pending.visitors.settle(req.id));
    return copyVisitor(renamed);
  }

  /** A patch value that is `null`, or present but `undefined`, removes that field. */
  async updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined> {
    this.store.assertWritable();
    const current = this.pending.visitor(req.id);
    if (!current) return undefined;
    const patch = patchRecord(req.patch);
    const updated = applyMemberPatch(current, patch);
    this.pending.visitors.set(req.id, updated);
    await this.store.commit({ t: 'visitor.updated', id: req.id, patch }, () => this.pending.visitors.settle(req.id));
    return copyVisitor(updated);
  }

  createThread(req: { thread: NewThread; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Thread>> {
    try {
      this.store.assertWritable();
    } catch (err) {
      return Promise.reject(err);
    }
    const key = clientKey(req.thread.authorId, req.thread.clientId);
    const earlier = this.store.state.byClientId(req.thread.authorId, req.thread.clientId);
    if (earlier) {
      if (!earlier.thread) return Promise.reject(clientIdReused(req.thread.clientId, 'an answer'));
      return Promise.resolve({ record: copyThread(earlier.thread), created: false });
    }
    const inFlight = this.pending.clients.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'thread') return Promise.reject(clientIdReused(req.thread.clientId, 'an answer'));
      return inFlight.result.then((r) => ({ record: r.record, created: false }));
    }

    let author: AuthorChange | undefined;
    try {
      author = this.authorChange(req.thread.authorId, req.authorUpdate);
    } catch (err) {
      return Promise.reject(err);
    }
    const seq = this.pending.nextSeq(req.thread.site);
    const thread: Thread = { ...withoutUndefined(req.thread), seq };
    const event: ChangeEvent = { site: thread.site, seq, at: thread.createdAt, change: { kind: 'thread.created', thread: { ...thread } } };
    this.pending.threads.set(thread.id, thread);
    const result = this.store.commit({ t: 'change', event, ...(author && { member: author.record }) }, () => {
      this.pending.threads.settle(thread.id);
      this.pending.clients.delete(key);
      if (author) this.pending.visitors.settle(thread.authorId);
    }).then(() => ({ record: { ...thread }, created: true, event, ...(author && { author: copyVisitor(author.updated) }) }));
    this.pending.clients.set(key, { kind: 'thread', result });
    return result;
  }

  createPost(req: { post: NewPost; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Post> | undefined> {
    try {
      this.store.assertWritable();
    } catch (err) {
      return Promise.reject(err);
    }
    const key = clientKey(req.post.authorId, req.post.clientId);
    const earlier = this.store.state.byClientId(req.post.authorId, req.post.clientId);
    if (earlier) {
      if (!earlier.post) return Promise.reject(clientIdReused(req.post.clientId, 'a thread'));
      return Promise.resolve({ record: { ...earlier.post }, created: false });
    }
    const inFlight = this.pending.clients.get(key);
    if (inFlight) {
      if (inFlight.kind !== 'post') return Promise.reject(clientIdReused(req.post.clientId, 'a thread'));
      return inFlight.result.then((r) => r && { record: r.record, created: false });
    }

    const thread = this.pending.thread(req.post.threadId);
    if (!thread) return Promise.resolve(undefined);
    if (thread.site !== req.post.site) {
      return Promise.reject(new Error(`post for thread ${thread.id} names site ${req.post.site}, the thread is on ${thread.site}`));
    }
    let author: AuthorChange | undefined;
    try {
      author = this.authorChange(req.post.authorId, req.authorUpdate);
    } catch (err) {
      return Promise.reject(err);
    }
    const seq = this.pending.nextSeq(thread.site);
    const post: Post = jsonCopy({ ...req.post, seq });
    const answerCount = thread.answerCount + 1;
    const lastActivityAt = post.createdAt;
    const event: ChangeEvent = { site: post.site, seq, at: post.createdAt, change: { kind: 'post.created', post, answerCount, lastActivityAt } };
    this.pending.threads.set(thread.id, { ...thread, answerCount, lastActivityAt });
    this.pending.posts.set(post.id, post);
    const result = this.store.commit({ t: 'change', event, ...(author && { member: author.record }) }, () => {
      this.pending.threads.settle(thread.id);
      this.pending.posts.settle(post.id);
      this.pending.clients.delete(key);
      if (author) this.pending.visitors.settle(post.authorId);
    }).then(() => ({ record: copyPost(post), created: true, event, ...(author && { author: copyVisitor(author.updated) }) }));
    this.pending.clients.set(key, { kind: 'post', result });
    return result;
  }

  async updatePost(req: { id: string; patch: PostPatch }): Promise<{ post: Post; event: ChangeEvent } | undefined> {
    this.store.assertWritable();
    const post = this.pending.post(req.id);
    if (!post) return undefined;
    const updated = patchPost(post, req.patch);
    const event: ChangeEvent = { site: post.site, seq: this.pending.nextSeq(post.site), at: patchTime(req.patch), change: { kind: 'post.updated', post: updated } };
    this.pending.posts.set(post.id, updated);
    await this.store.commit({ t: 'change', event }, () => this.pending.posts.settle(post.id));
    return { post: copyPost(updated), event };
  }

  async setAccepted(req: { threadId: string; postId: string | null; at: string }): Promise<{ thread: Thread; event: ChangeEvent } | undefined> {
    this.store.assertWritable();
    const thread = this.pending.thread(req.threadId);
    if (!thread) return undefined;
    const updated: Thread = { ...thread };
    if (req.postId === null) {
      delete updated.acceptedPostId;
      delete updated.acceptedAt;
    } else {
      if (this.pending.post(req.postId)?.threadId !== thread.id) return undefined;
      updated.acceptedPostId = req.postId;
      updated.acceptedAt = req.at;
    }
    const event: ChangeEvent = { site: thread.site, seq: this.pending.nextSeq(thread.site), at: req.at, change: { kind: 'thread.updated', thread: updated } };
    this.pending.threads.set(thread.id, updated);
    await this.store.commit({ t: 'change', event }, () => this.pending.threads.settle(thread.id));
    return { thread: { ...updated }, event };
  }

  /** A new post's change to its author, from the author as they will be once the writes in flight land. */
  private authorChange(id: string, update: AuthorUpdate | undefined): AuthorChange | undefined {
    const current = update && this.pending.visitor(id);
    const patch = current && update!(copyVisitor(current));
    if (!patch) return undefined;
    const record = patchRecord(patch);
    const updated = applyMemberPatch(current!, record);
    this.pending.visitors.set(id, updated);
    return { record: { id, patch: record }, updated };
  }
}

interface AuthorChange {
  record: { id: string; patch: Record<string, unknown> };
  updated: Visitor;
}

/** The post with the patch applied; `null` removes a field, an absent or undefined one is left alone. */
function patchPost(post: Post, patch: PostPatch): Post {
  const updated: Post = { ...post };
  const fields = updated as unknown as Record<string, unknown>;
  for (const key of ['body', 'editedAt', 'endorsedBy', 'endorsedAt', 'hidden'] as const) {
    const value = patch[key];
    if (value === null) delete fields[key];
    else if (value !== undefined) fields[key] = jsonCopy(value);
  }
  return updated;
}

/**
 * The time of a post.updated change: PostPatch carries no separate time, so the patch's own
 * timestamp is used, and the clock only for a change that has none (clearing an endorsement or a
 * hidden state).
 */
function patchTime(patch: PostPatch): string {
  return patch.editedAt ?? patch.endorsedAt ?? patch.hidden?.at ?? new Date().toISOString();
}

function clientIdReused(clientId: string, usedFor: string): Error {
  return new Error(`clientId ${clientId} was already used by this author for ${usedFor}`);
}
