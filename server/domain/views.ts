import type { EventView, MemberSummary, PostView, ThreadView, VisitorView } from '../protocol.js';
import type { ChangeEvent, Post, Thread, Visitor } from './model.js';

/**
 * Public shapes of stored records. Anything added to a record stays private until it is added here.
 * `authors` holds current member summaries (badges and levels change after posting).
 */
export type Authors = ReadonlyMap<string, MemberSummary>;

export function threadView(t: Thread, authors?: Authors): ThreadView {
  const view: ThreadView = {
    id: t.id,
    site: t.site,
    seq: t.seq,
    title: t.title,
    body: t.body,
    category: t.category,
    authorId: t.authorId,
    authorName: t.authorName,
    clientId: t.clientId,
    createdAt: t.createdAt,
    lastActivityAt: t.lastActivityAt,
    answerCount: t.answerCount,
    status: t.answerCount > 0 ? 'answered' : 'unanswered',
  };
  if (t.acceptedPostId) view.acceptedPostId = t.acceptedPostId;
  // Only the public part (tracking number, status): the clocks and the assignee are the officers'.
  if (t.followUp) view.followUp = { tracking: t.followUp.tracking, status: t.followUp.status };
  const author = authors?.get(t.authorId);
  if (author) view.author = author;
  return view;
}

/** A hidden answer's text reaches only its author (`viewerId`) and officers (`full`). */
export function postView(p: Post, authors?: Authors, viewerId?: string, full = false): PostView {
  const up = p.up ?? 0;
  const down = p.down ?? 0;
  const view: PostView = {
    id: p.id,
    threadId: p.threadId,
    site: p.site,
    seq: p.seq,
    body: p.hidden && !full && viewerId !== p.authorId ? '' : p.body,
    authorId: p.authorId,
    authorName: p.authorName,
    clientId: p.clientId,
    createdAt: p.createdAt,
    official: p.official === true,
    up,
    down,
    score: up - down,
  };
  if (p.editedAt) view.editedAt = p.editedAt;
  if (p.endorsedAt && p.endorsedBy) view.endorsed = { at: p.endorsedAt, by: authors?.get(p.endorsedBy)?.name ?? 'Petugas BKN' };
  if (p.hidden) view.hidden = { reason: p.hidden.reason, status: p.hidden.status };
  const author = authors?.get(p.authorId);
  if (author) view.author = author;
  return view;
}

export function visitorView(v: Visitor): VisitorView {
  return { id: v.id, name: v.name, createdAt: v.createdAt };
}

/** Member ids an event shows (authors, endorsers), so their summaries can be fetched once. */
export function eventMemberIds(e: ChangeEvent): string[] {
  const c = e.change;
  if (c.kind === 'thread.created' || c.kind === 'thread.updated') return [c.thread.authorId];
  return c.post.endorsedBy ? [c.post.authorId, c.post.endorsedBy] : [c.post.authorId];
}

export function eventView(e: ChangeEvent, authors?: Authors): EventView {
  const c = e.change;
  const base = { site: e.site, seq: e.seq, at: e.at };
  switch (c.kind) {
    case 'thread.created':
    case 'thread.updated':
      return { ...base, change: { kind: c.kind, thread: threadView(c.thread, authors) } };
    case 'post.updated':
      return { ...base, change: { kind: c.kind, post: postView(c.post, authors) } };
    case 'post.created':
      return {
        ...base,
        change: {
          kind: c.kind,
          post: postView(c.post, authors),
          thread: {
            id: c.post.threadId,
            answerCount: c.answerCount,
            lastActivityAt: c.lastActivityAt,
            status: c.answerCount > 0 ? 'answered' : 'unanswered',
          },
        },
      };
  }
}
