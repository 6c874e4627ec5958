import type { ChangeEvent, NewThread, Post, Thread } from '../../domain/model.js';
import { copyVisitor } from '../memory-records.js';
import { withoutUndefined } from '../record-patch.js';
import type { AuthorUpdate, CommitResult, ListThreadsRequest } from '../store.js';
import { col, Columns, jsonCol } from './columns.js';
import { containsPattern, type Queryable } from './db.js';
import { nextSeqCte } from './events.js';
import { interactive, pipelined, type LaneOp } from './lanes.js';
import { authorLock, saveMemberCte, updatedAuthor, VISITORS } from './members.js';
import { POSTS } from './posts.js';

export const THREADS = new Columns<Thread>({
  id: col('id'),
  site: col('site'),
  seq: col('seq', 'bigint'),
  title: col('title'),
  body: col('body'),
  category: col('category'),
  authorId: col('author_id'),
  authorName: col('author_name'),
  clientId: col('client_id'),
  createdAt: col('created_at'),
  lastActivityAt: col('last_activity_at'),
  answerCount: col('answer_count', 'integer'),
  acceptedPostId: col('accepted_post_id'),
  acceptedAt: col('accepted_at'),
  // The public part of the thread's follow-up ({tracking, status}); follow-ups.ts writes it.
  followUp: jsonCol('follow_up'),
});

/** The text word search looks in; the same expression as the trigram index threads_words. */
const SEARCH_TEXT = `(title || E'\\n' || body)`;

const SEQ_FROM_COUNTER = { seq: 's.seq' } as const;
const THREAD_PARAMS = 6;

/**
 * $1 author, $2 clientId, $3 thread id, $4 site, $5 the event's change, $6 its time, then the thread's
 * columns, then (with the author) the author's row. The key goes in first: when it exists already,
 * nothing else is written and no seq is used.
 */
function createThreadStatement(withAuthor: boolean): { name: string; text: string } {
  const author = withAuthor ? `, ${saveMemberCte(THREAD_PARAMS + 1 + THREADS.count(SEQ_FROM_COUNTER), 1, 'EXISTS (SELECT FROM s)')}` : '';
  return {
    name: withAuthor ? 'osg_thread_create_author' : 'osg_thread_create',
    text: `WITH k AS (
             INSERT INTO client_keys (author_id, client_id, thread_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
           ), ${nextSeqCte(4, 'EXISTS (SELECT FROM k)')}, t AS (
             INSERT INTO threads (${THREADS.names.join(', ')}) SELECT ${THREADS.params(THREAD_PARAMS + 1, SEQ_FROM_COUNTER)} FROM s
           ), e AS (
             INSERT INTO events (site, seq, at, change)
             SELECT $4, s.seq, $6, jsonb_set($5::jsonb, '{thread,seq}', to_jsonb(s.seq)) FROM s
           )${author}
           SELECT seq FROM s`,
  };
}

const CREATE_THREAD = createThreadStatement(false);
const CREATE_THREAD_WITH_AUTHOR = createThreadStatement(true);

/**
 * Writes a new thread with the site's next seq, and `authorUpdate`'s change of its author in the same
 * statement; or — when the author already used this clientId — nothing (`created: false`). `existing`
 * finds what the key created then.
 */
export function createThreadOp(
  input: NewThread,
  existing: (db: Queryable) => Promise<CommitResult<Thread>>,
  authorUpdate?: AuthorUpdate,
): LaneOp<CommitResult<Thread>> {
  return pipelined(async (tx, batch) => {
    const thread = withoutUndefined(input);
    const author = updatedAuthor(batch, thread.authorId, authorUpdate);
    const change = { kind: 'thread.created' as const, thread: { ...thread, seq: 0 } };
    const { rows } = await tx.query<{ seq: number }>({
      ...(author ? CREATE_THREAD_WITH_AUTHOR : CREATE_THREAD),
      values: [
        thread.authorId,
        thread.clientId,
        thread.id,
        thread.site,
        JSON.stringify(change),
        thread.createdAt,
        ...THREADS.values(thread, SEQ_FROM_COUNTER),
        ...(author ? VISITORS.values(author) : []),
      ],
    });
    if (!rows[0]) return existing(tx);
    const record: Thread = { ...thread, seq: rows[0].seq };
    const event: ChangeEvent = { site: record.site, seq: record.seq, at: record.createdAt, change: { kind: 'thread.created', thread: { ...record } } };
    batch.announce(event);
    return { record, created: true, event, ...(author && { author: copyVisitor(author) }) };
  }, authorLock(input.authorId, authorUpdate));
}

const ACCEPT = {
  name: 'osg_thread_accept',
  text: `WITH ${nextSeqCte(1)}, u AS (
           UPDATE threads SET accepted_post_id = $4, accepted_at = $5 WHERE id = $6
         ), e AS (
           INSERT INTO events (site, seq, at, change) SELECT $1, s.seq, $2, $3::jsonb FROM s
         )
         SELECT seq FROM s`,
};

/** Sets or clears the accepted answer as one thread.updated change; undefined for no such thread or an answer of another. */
export function setAcceptedOp(req: { threadId: string; postId: string | null; at: string }): LaneOp<{ thread: Thread; event: ChangeEvent } | undefined> {
  return interactive(async (tx, batch) => {
    const thread = await getThreadRecord(tx, req.threadId);
    if (!thread) return undefined;
    batch.assertSite(thread.site, `thread ${thread.id}`);
    const updated: Thread = { ...thread };
    if (req.postId === null) {
      delete updated.acceptedPostId;
      delete updated.acceptedAt;
    } else {
      const { rows } = await tx.query({ name: 'osg_post_thread', text: 'SELECT thread_id FROM posts WHERE id = $1', values: [req.postId] });
      if (rows[0]?.thread_id !== thread.id) return undefined;
      updated.acceptedPostId = req.postId;
      updated.acceptedAt = req.at;
    }
    const change = { kind: 'thread.updated' as const, thread: updated };
    const { rows } = await tx.query<{ seq: number }>({
      ...ACCEPT,
      values: [thread.site, req.at, JSON.stringify(change), updated.acceptedPostId ?? null, updated.acceptedAt ?? null, thread.id],
    });
    const event: ChangeEvent = { site: thread.site, seq: rows[0].seq, at: req.at, change };
    batch.announce(event);
    return { thread: { ...updated }, event };
  });
}

export async function getThreadRecord(db: Queryable, id: string): Promise<Thread | undefined> {
  const { rows } = await db.query({ name: 'osg_thread_get', text: 'SELECT * FROM threads WHERE id = $1', values: [id] });
  return rows[0] && THREADS.fromRow(rows[0]);
}

/** The threads with these ids that exist. */
export async function getThreadRecords(db: Queryable, ids: string[]): Promise<Thread[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query({ name: 'osg_threads_get', text: 'SELECT * FROM threads WHERE id = ANY($1::text[])', values: [[...new Set(ids)]] });
  return rows.map((row) => THREADS.fromRow(row));
}

/** The answers of these threads, each thread's in seq order (the index (thread_id, seq)). */
export async function postsInThreads(db: Queryable, threadIds: string[]): Promise<Post[]> {
  if (threadIds.length === 0) return [];
  const { rows } = await db.query({
    name: 'osg_posts_in_threads',
    text: 'SELECT * FROM posts WHERE thread_id = ANY($1::text[]) ORDER BY thread_id, seq',
    values: [[...new Set(threadIds)]],
  });
  return rows.map((row) => POSTS.fromRow(row));
}

/** The thread and its posts in seq order from one snapshot, so the answer count matches the posts. */
export async function getThread(db: Queryable, id: string): Promise<{ thread: Thread; posts: Post[] } | undefined> {
  const { rows } = await db.query<{ thread: Record<string, unknown>; posts: Array<Record<string, unknown>> }>({
    name: 'osg_thread_with_posts',
    text: `SELECT to_jsonb(t) AS thread,
                  (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.seq), '[]'::jsonb) FROM posts p WHERE p.thread_id = t.id) AS posts
           FROM threads t WHERE t.id = $1`,
    values: [id],
  });
  const row = rows[0];
  return row && { thread: THREADS.fromRow(row.thread), posts: row.posts.map((p) => POSTS.fromRow(p)) };
}

/** A site's threads newest first (seq descending), filtered; one more than `limit` tells whether more remain. */
export async function listThreads(db: Queryable, req: ListThreadsRequest): Promise<{ threads: Thread[]; nextBeforeSeq?: number }> {
  if (req.limit <= 0) return { threads: [] };
  const values: unknown[] = [req.site];
  const where = ['site = $1'];
  if (req.beforeSeq !== undefined) where.push(`seq < $${values.push(req.beforeSeq)}`);
  if (req.filter === 'unanswered') where.push('answer_count = 0');
  if (req.filter === 'answered') where.push('answer_count > 0');
  for (const word of req.words ?? []) {
    if (word.length > 0) where.push(`${SEARCH_TEXT} ILIKE $${values.push(containsPattern(word))}`);
  }
  const { rows } = await db.query(`SELECT * FROM threads WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${values.push(req.limit + 1)}`, values);
  const threads = rows.slice(0, req.limit).map((row) => THREADS.fromRow(row));
  return rows.length > req.limit ? { threads, nextBeforeSeq: threads[threads.length - 1].seq } : { threads };
}

/** A member's threads, by site, then seq. */
export async function threadsBy(db: Queryable, authorId: string): Promise<Thread[]> {
  const { rows } = await db.query({ name: 'osg_threads_by', text: 'SELECT * FROM threads WHERE author_id = $1 ORDER BY site, seq', values: [authorId] });
  return rows.map((row) => THREADS.fromRow(row));
}
