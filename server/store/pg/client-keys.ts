import type { Post, Thread } from '../../domain/model.js';
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
