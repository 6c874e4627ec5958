import type { ChangeEvent, NewPost, Post } from '../../domain/model.js';
import { copyPost, copyVisitor } from '../memory-records.js';
import { jsonCopy, patchPost, patchTime } from '../record-patch.js';
import type { AuthorUpdate, CommitResult, PostPatch } from '../store.js';
import { col, Columns, jsonCol } from './columns.js';
import type { Queryable } from './db.js';
import { nextSeqCte } from './events.js';
import { interactive, pipelined, type LaneOp } from './lanes.js';
import { authorLock, saveMemberCte, updatedAuthor, VISITORS } from './members.js';

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

const SEQ_FROM_COUNTER = { seq: 's.seq' } as const;

const POST_PARAMS = 7;

/**
 * $1 author, $2 clientId, $3 post id, $4 thread id, $5 site, $6 time, $7 the event's change, then
 * the post's columns, then (with the author) the author's row. Nothing is written (and no seq used)
 * when the thread is missing, on another site, or the key exists; the thread's site and the seq tell
 * which.
 */
function createPostStatement(withAuthor: boolean): { name: string; text: string } {
  const author = withAuthor ? `, ${saveMemberCte(POST_PARAMS + 1 + POSTS.count(SEQ_FROM_COUNTER), 1, 'EXISTS (SELECT FROM s)')}` : '';
  return {
    name: withAuthor ? 'osg_post_create_author' : 'osg_post_create',
    text: `WITH th AS (
             SELECT site FROM threads WHERE id = $4
           ), k AS (
             INSERT INTO client_keys (author_id, client_id, post_id) SELECT $1, $2, $3 FROM th WHERE th.site = $5
             ON CONFLICT DO NOTHING RETURNING 1
           ), ${nextSeqCte(5, 'EXISTS (SELECT FROM k)')}, t AS (
             UPDATE threads SET answer_count = answer_count + 1, last_activity_at = $6
             WHERE id = $4 AND EXISTS (SELECT FROM s) RETURNING answer_count
           ), p AS (
             INSERT INTO posts (${POSTS.names.join(', ')}) SELECT ${POSTS.params(POST_PARAMS + 1, SEQ_FROM_COUNTER)} FROM s
           ), e AS (
             INSERT INTO events (site, seq, at, change)
             SELECT $5, s.seq, $6, jsonb_set(jsonb_set($7::jsonb, '{post,seq}', to_jsonb(s.seq)), '{answerCount}', to_jsonb(t.answer_count)) FROM s, t
           )${author}
           SELECT (SELECT site FROM th) AS thread_site, (SELECT seq FROM s) AS seq, (SELECT answer_count FROM t) AS answer_count`,
  };
}

const CREATE_POST = createPostStatement(false);
const CREATE_POST_WITH_AUTHOR = createPostStatement(true);

/**
 * Writes an answer with the site's next seq, bumps its thread's answer count and activity time, and
 * writes `authorUpdate`'s change of its author, all in one statement. Undefined for no such thread;
 * `existing` answers a clientId the author already used. With an author update the caller has made
 * sure the thread exists (the update must not be asked for a post that cannot be made).
 */
export function createPostOp(
  input: NewPost,
  existing: (db: Queryable) => Promise<CommitResult<Post>>,
  authorUpdate?: AuthorUpdate,
): LaneOp<CommitResult<Post> | undefined> {
  return pipelined(async (tx, batch) => {
    const post = jsonCopy(input);
    const author = updatedAuthor(batch, post.authorId, authorUpdate);
    const change = { kind: 'post.created' as const, post: { ...post, seq: 0 }, answerCount: 0, lastActivityAt: post.createdAt };
    const { rows } = await tx.query<{ thread_site: string | null; seq: number | null; answer_count: number | null }>({
      ...(author ? CREATE_POST_WITH_AUTHOR : CREATE_POST),
      values: [
        post.authorId,
        post.clientId,
        post.id,
        post.threadId,
        post.site,
        post.createdAt,
        JSON.stringify(change),
        ...POSTS.values(post, SEQ_FROM_COUNTER),
        ...(author ? VISITORS.values(author) : []),
      ],
    });
    const { thread_site: threadSite, seq, answer_count: answerCount } = rows[0];
    if (threadSite === null) return undefined;
    if (threadSite !== post.site) throw new Error(`post for thread ${post.threadId} names site ${post.site}, the thread is on ${threadSite}`);
    if (seq === null || answerCount === null) return existing(tx);
    const record: Post = { ...post, seq };
    const event: ChangeEvent = { site: post.site, seq, at: post.createdAt, change: { ...change, post: record, answerCount } };
    batch.announce(event);
    return { record: copyPost(record), created: true, event, ...(author && { author: copyVisitor(author) }) };
  }, authorLock(input.authorId, authorUpdate));
}

/** Applies a patch to a post as one post.updated change; undefined for no such post. */
export function updatePostOp(req: { id: string; patch: PostPatch }): LaneOp<{ post: Post; event: ChangeEvent } | undefined> {
  return interactive(async (tx, batch) => {
    const post = await getPost(tx, req.id);
    if (!post) return undefined;
    batch.assertSite(post.site, `post ${post.id}`);
    const updated = patchPost(post, req.patch);
    const event = await savePost(tx, updated, patchTime(req.patch));
    batch.announce(event);
    return { post: jsonCopy(updated), event };
  });
}

const SAVE_POST = {
  name: 'osg_post_save',
  // $1 site, $2 time, $3 the event's change, then the post's columns ($4 its id).
  text: `WITH ${nextSeqCte(1)}, u AS (
           UPDATE posts SET (${POSTS.names.join(', ')}) = ROW(${POSTS.params(4)}) WHERE id = $4
         ), e AS (
           INSERT INTO events (site, seq, at, change) SELECT $1, s.seq, $2, $3::jsonb FROM s
         )
         SELECT seq FROM s`,
};

/** Writes the post as it now is, with the site's next seq's post.updated change carrying it. */
export async function savePost(tx: Queryable, post: Post, at: string): Promise<ChangeEvent> {
  const change = { kind: 'post.updated' as const, post };
  const { rows } = await tx.query<{ seq: number }>({ ...SAVE_POST, values: [post.site, at, JSON.stringify(change), ...POSTS.values(post)] });
  return { site: post.site, seq: rows[0].seq, at, change };
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
