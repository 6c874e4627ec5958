import type { ChangeEvent, NewPost, Post } from '../../domain/model.js';
import { jsonCopy, patchPost, patchTime } from '../record-patch.js';
import type { CommitResult, PostPatch } from '../store.js';
import { col, Columns, jsonCol } from './columns.js';
import type { Queryable } from './db.js';
import { eventValues, insertEventSql } from './events.js';
import type { LaneOp } from './lanes.js';

export const POSTS = new Columns<Post>({
  id: col('id'),
  threadId: col('thread_id'),
  site: col('site'),
  seq: col('seq', 'bigint'),
  body: col('body'),
  authorId: col('author_id'),
  authorName: col('author_name'),
  clientId: col('client_id'),
  createdAt: col('created_at'),
  official: col('official', 'boolean'),
  editedAt: col('edited_at'),
  up: col('up', 'integer'),
  down: col('down', 'integer'),
  endorsedBy: col('endorsed_by'),
  endorsedAt: col('endorsed_at'),
  // hidden_status and hidden_at are generated from it, for the moderation list's index.
  hidden: jsonCol('hidden'),
});

const FIRST_POST_PARAM = 7;
const CHANGE_PARAM = FIRST_POST_PARAM + POSTS.names.length;

const CREATE_POST = {
  name: 'osg_post_create',
  // $1 author, $2 clientId, $3 post id, $4 thread id, $5 site, $6 time, then the post's columns and
  // the event's change. Nothing is written (and no seq used) when the thread is missing, on another
  // site, or the key exists; the thread's site and the new answer count tell which.
  text: `WITH th AS (
           SELECT site FROM threads WHERE id = $4
         ), k AS (
           INSERT INTO client_keys (author_id, client_id, post_id) SELECT $1, $2, $3 FROM th WHERE th.site = $5
           ON CONFLICT DO NOTHING RETURNING 1
         ), t AS (
           UPDATE threads SET answer_count = answer_count + 1, last_activity_at = $6
           WHERE id = $4 AND EXISTS (SELECT 1 FROM k) RETURNING answer_count
         ), p AS (
           INSERT INTO posts (${POSTS.names.join(', ')}) SELECT ${POSTS.params(FIRST_POST_PARAM)} FROM t
         ), e AS (
           INSERT INTO events (site, seq, at, change)
           SELECT $5, $${FIRST_POST_PARAM + 3}::bigint, $6, jsonb_set($${CHANGE_PARAM}::jsonb, '{answerCount}', to_jsonb(t.answer_count)) FROM t
         )
         SELECT (SELECT site FROM th) AS thread_site, (SELECT answer_count FROM t) AS answer_count`,
};

/**
 * Writes an answer with the site's next seq and bumps its thread's answer count and activity time.
 * Undefined for no such thread; `existing` answers a clientId the author already used.
 */
export function createPostOp(input: NewPost, existing: (db: Queryable) => Promise<CommitResult<Post>>): LaneOp<CommitResult<Post> | undefined> {
  return async (tx, batch) => {
    const post: Post = jsonCopy({ ...input, seq: batch.nextSeq });
    const change = { kind: 'post.created' as const, post, answerCount: 0, lastActivityAt: post.createdAt };
    const { rows } = await tx.query<{ thread_site: string | null; answer_count: number | null }>({
      ...CREATE_POST,
      values: [post.authorId, post.clientId, post.id, post.threadId, post.site, post.createdAt, ...POSTS.values(post), JSON.stringify(change)],
    });
    const { thread_site: threadSite, answer_count: answerCount } = rows[0];
    if (threadSite === null) return undefined;
    if (threadSite !== post.site) throw new Error(`post for thread ${post.threadId} names site ${post.site}, the thread is on ${threadSite}`);
    if (answerCount === null) return existing(tx);
    change.answerCount = answerCount;
    const event: ChangeEvent = { site: post.site, seq: post.seq, at: post.createdAt, change };
    batch.take(event);
    return { record: jsonCopy(post), created: true, event };
  };
}

/** Applies a patch to a post as one post.updated change; undefined for no such post. */
export function updatePostOp(req: { id: string; patch: PostPatch }): LaneOp<{ post: Post; event: ChangeEvent } | undefined> {
  return async (tx, batch) => {
    const post = await getPost(tx, req.id);
    if (!post) return undefined;
    batch.assertSite(post.site, `post ${post.id}`);
    const updated = patchPost(post, req.patch);
    const event: ChangeEvent = { site: post.site, seq: batch.nextSeq, at: patchTime(req.patch), change: { kind: 'post.updated', post: updated } };
    await savePost(tx, updated, event);
    batch.take(event);
    return { post: jsonCopy(updated), event };
  };
}

const SAVE_POST = {
  name: 'osg_post_save',
  text: `WITH u AS (UPDATE posts SET (${POSTS.names.join(', ')}) = ROW(${POSTS.params(5)}) WHERE id = $5) ${insertEventSql(1)}`,
};

/** Writes the post as it now is, with the post.updated event that carries it. */
export async function savePost(tx: Queryable, post: Post, event: ChangeEvent): Promise<void> {
  await tx.query({ ...SAVE_POST, values: [...eventValues(event), ...POSTS.values(post)] });
}

export async function getPost(db: Queryable, id: string): Promise<Post | undefined> {
  const { rows } = await db.query({ name: 'osg_post_get', text: 'SELECT * FROM posts WHERE id = $1', values: [id] });
  return rows[0] && POSTS.fromRow(rows[0]);
}

/** A member's posts, by site, then seq. */
export async function postsBy(db: Queryable, authorId: string): Promise<Post[]> {
  const { rows } = await db.query({ name: 'osg_posts_by', text: 'SELECT * FROM posts WHERE author_id = $1 ORDER BY site, seq', values: [authorId] });
  return rows.map((row) => POSTS.fromRow(row));
}

/** Posts whose hidden state has this status, most recently hidden first. */
export async function hiddenPosts(db: Queryable, req: { status: 'pending' | 'removed'; limit: number }): Promise<Post[]> {
  if (req.limit <= 0) return [];
  const { rows } = await db.query({
    name: 'osg_posts_hidden',
    text: 'SELECT * FROM posts WHERE hidden_status = $1 ORDER BY hidden_at DESC, created_at DESC, id DESC LIMIT $2',
    values: [req.status, req.limit],
  });
  return rows.map((row) => POSTS.fromRow(row));
}
