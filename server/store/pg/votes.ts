import type { ChangeEvent, Post, Vote } from '../../domain/model.js';
import { jsonCopy } from '../record-patch.js';
import { col, Columns } from './columns.js';
import type { Queryable } from './db.js';
import { interactive, type LaneOp } from './lanes.js';
import { getPost, savePost } from './posts.js';

export const VOTES = new Columns<Vote>({
  postId: col('post_id'),
  threadId: col('thread_id'),
  site: col('site'),
  voterId: col('voter_id'),
  authorId: col('author_id'),
  value: col('value', 'smallint'),
  castAt: col('cast_at'),
  counts: col('counts', 'boolean'),
});

type VoteRequest = { vote: Vote } | { remove: { postId: string; voterId: string; at: string } };

/**
 * Stores or removes a member's vote and sets the post's up/down counts to match, with the
 * post.updated change, in the transaction of the lane (which holds the site's lock, so no other
 * writer of this post runs in between). Undefined for no such post.
 */
export function putVoteOp(req: VoteRequest): LaneOp<{ post: Post; event: ChangeEvent } | undefined> {
  const vote = 'vote' in req ? jsonCopy(req.vote) : undefined;
  const { postId, voterId } = vote ?? (req as { remove: { postId: string; voterId: string } }).remove;
  const at = vote ? vote.castAt : (req as { remove: { at: string } }).remove.at;
  return interactive(async (tx, batch) => {
    const post = await getPost(tx, postId);
    if (!post) return undefined;
    batch.assertSite(post.site, `post ${post.id}`);
    if (vote) {
      if (vote.value !== 1 && vote.value !== -1) throw new Error(`vote value must be 1 or -1, not ${JSON.stringify(vote.value)}`);
      if (vote.site !== post.site || vote.threadId !== post.threadId || vote.authorId !== post.authorId) {
        throw new Error(`vote on post ${postId} names another site, thread or author than the post has`);
      }
    }
    const before = await getVote(tx, postId, voterId);
    let up = post.up ?? 0;
    let down = post.down ?? 0;
    if (before) before.value === 1 ? up-- : down--;
    if (vote) vote.value === 1 ? up++ : down++;
    const updated: Post = { ...post, up, down };
    if (vote) {
      void tx.query({
        name: 'osg_vote_put',
        text: `INSERT INTO votes (${VOTES.names.join(', ')}) VALUES (${VOTES.params(1)})
               ON CONFLICT (post_id, voter_id) DO UPDATE SET ${VOTES.names.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        values: VOTES.values(vote),
      }).catch(() => {}); // its failure fails the transaction, and savePost below with it
    } else {
      void tx.query({ name: 'osg_vote_remove', text: 'DELETE FROM votes WHERE post_id = $1 AND voter_id = $2', values: [postId, voterId] }).catch(() => {});
    }
    const event = await savePost(tx, updated, at);
    batch.announce(event);
    return { post: jsonCopy(updated), event };
  });
}

export async function getVote(db: Queryable, postId: string, voterId: string): Promise<Vote | undefined> {
  const { rows } = await db.query({ name: 'osg_vote_get', text: 'SELECT * FROM votes WHERE post_id = $1 AND voter_id = $2', values: [postId, voterId] });
  return rows[0] && VOTES.fromRow(rows[0]);
}

/** A voter's votes on any of these posts (the key (post_id, voter_id) serves each). */
export async function votesOn(db: Queryable, voterId: string, postIds: string[]): Promise<Vote[]> {
  if (postIds.length === 0) return [];
  return list(db, { name: 'osg_votes_on', text: 'SELECT * FROM votes WHERE voter_id = $1 AND post_id = ANY($2::text[])', values: [voterId, [...new Set(postIds)]] });
}

/** Votes on this member's posts. */
export async function votesFor(db: Queryable, authorId: string): Promise<Vote[]> {
  return list(db, { name: 'osg_votes_for', text: 'SELECT * FROM votes WHERE author_id = $1', values: [authorId] });
}

/** Votes this member cast. */
export async function votesBy(db: Queryable, voterId: string): Promise<Vote[]> {
  return list(db, { name: 'osg_votes_by', text: 'SELECT * FROM votes WHERE voter_id = $1', values: [voterId] });
}

export async function votesInThreads(db: Queryable, threadIds: string[]): Promise<Vote[]> {
  if (threadIds.length === 0) return [];
  return list(db, { name: 'osg_votes_in_threads', text: 'SELECT * FROM votes WHERE thread_id = ANY($1::text[])', values: [[...new Set(threadIds)]] });
}

export async function allVotes(db: Queryable): Promise<Vote[]> {
  return list(db, { name: 'osg_votes_all', text: 'SELECT * FROM votes', values: [] });
}

async function list(db: Queryable, query: { name: string; text: string; values: unknown[] }): Promise<Vote[]> {
  const { rows } = await db.query(query);
  return rows.map((row) => VOTES.fromRow(row));
}
