import type { Post, Thread } from '../../domain/model.js';
import { clientKey } from '../memory-records.js';
import { clientIdReused } from '../record-patch.js';
import type { CommitResult } from '../store.js';
import type { Queryable } from './db.js';
import { POSTS } from './posts.js';
import { THREADS } from './threads.js';

/** What the author's clientId created: a thread or a post (a key is used for one only). */
export async function findByClientId(db: Queryable, authorId: string, clientId: string): Promise<{ thread?: Thread; post?: Post } | undefined> {
  const { rows } = await db.query<{ thread: Record<string, unknown> | null; post: Record<string, unknown> | null }>({
    name: 'osg_client_key_find',
    text: `SELECT to_jsonb(t) AS thread, to_jsonb(p) AS post
           FROM client_keys k LEFT JOIN threads t ON t.id = k.thread_id LEFT JOIN posts p ON p.id = k.post_id
           WHERE k.author_id = $1 AND k.client_id = $2`,
    values: [authorId, clientId],
  });
  const row = rows[0];
  if (!row) return undefined;
  return row.thread ? { thread: THREADS.fromRow(row.thread) } : { post: POSTS.fromRow(row.post!) };
}

/** `findByClientId` for many (author, clientId) pairs in one statement, by `clientKey(author, clientId)`. */
export async function findManyByClientId(
  db: Queryable,
  keys: Array<{ authorId: string; clientId: string }>,
): Promise<Map<string, { thread?: Thread; post?: Post }>> {
  const { rows } = await db.query<{ author_id: string; client_id: string; thread: Record<string, unknown> | null; post: Record<string, unknown> | null }>({
    name: 'osg_client_keys_find',
    text: `SELECT k.author_id, k.client_id, to_jsonb(t) AS thread, to_jsonb(p) AS post
           FROM unnest($1::text[], $2::text[]) AS q(author_id, client_id)
           JOIN client_keys k ON k.author_id = q.author_id AND k.client_id = q.client_id
           LEFT JOIN threads t ON t.id = k.thread_id LEFT JOIN posts p ON p.id = k.post_id`,
    values: [keys.map((k) => k.authorId), keys.map((k) => k.clientId)],
  });
  return new Map(
    rows.map((row) => [clientKey(row.author_id, row.client_id), row.thread ? { thread: THREADS.fromRow(row.thread) } : { post: POSTS.fromRow(row.post!) }]),
  );
}

/** The thread an earlier request with this key created, for a retry; an error if the key made an answer. */
export async function earlierThread(db: Queryable, authorId: string, clientId: string): Promise<CommitResult<Thread>> {
  const earlier = await findByClientId(db, authorId, clientId);
  if (!earlier?.thread) throw clientIdReused(clientId, 'an answer');
  return { record: earlier.thread, created: false };
}

/** The answer an earlier request with this key created, for a retry; an error if the key made a thread. */
export async function earlierPost(db: Queryable, authorId: string, clientId: string): Promise<CommitResult<Post>> {
  const earlier = await findByClientId(db, authorId, clientId);
  if (!earlier?.post) throw clientIdReused(clientId, 'a thread');
  return { record: earlier.post, created: false };
}
