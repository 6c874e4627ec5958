/** Votes and the counts kept with them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent, Post, Vote } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, vote } from './fixtures.js';

export function votesContract(c: ContractContext): void {
  describe('votes', () => {
    async function answer(): Promise<Post> {
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      return (await c.store.createPost({ post: newPost(thread.id) }))!.record;
    }

    it('adds, changes and removes a vote, keeping counts and sending one post.updated each with the next seq', async (t) => {
      t.after(c.done);
      const post = await answer(); // seqs 1, 2
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const added = await c.store.putVote({ vote: vote(post, 'v-x', 1) });
      assert.deepEqual([added?.post.up, added?.post.down], [1, 0]);
      assert.deepEqual(added?.event, { site: 'kanreg-1', seq: 3, at: at(40), change: { kind: 'post.updated', post: added?.post } });
      assert.deepEqual(await c.store.getVote({ postId: post.id, voterId: 'v-x' }), vote(post, 'v-x', 1));

      const changed = await c.store.putVote({ vote: vote(post, 'v-x', -1, { castAt: at(41) }) });
      assert.deepEqual([changed?.post.up, changed?.post.down], [0, 1]);
      assert.equal(changed?.event.seq, 4);
      assert.equal((await c.store.getVote({ postId: post.id, voterId: 'v-x' }))?.value, -1);

      await c.store.putVote({ vote: vote(post, 'v-y', -1) });
      const removed = await c.store.putVote({ remove: { postId: post.id, voterId: 'v-x', at: at(42) } });
      assert.deepEqual([removed?.post.up, removed?.post.down], [0, 1]);
      assert.equal(removed?.event.seq, 6);
      assert.equal(removed?.event.at, at(42));
      assert.equal(await c.store.getVote({ postId: post.id, voterId: 'v-x' }), undefined);

      assert.deepEqual(heard.map((e) => [e.seq, e.change.kind]), [[3, 'post.updated'], [4, 'post.updated'], [5, 'post.updated'], [6, 'post.updated']]);
      assert.deepEqual(heard.at(-1), removed?.event);
      assert.deepEqual((await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 10 }))?.map((e) => e.seq), [3, 4, 5, 6]);
      const stored = await c.store.getPost({ id: post.id });
      assert.deepEqual(stored, removed?.post);
      assert.deepEqual((await c.store.getThread({ id: post.threadId }))?.posts, [stored]);
    });

    it('keeps counts equal to the stored votes when one voter changes their vote many times at once', async (t) => {
      t.after(c.done);
      const post = await answer();
      const values: Array<1 | -1 | 0> = [1, -1, 1, 0, -1, -1, 0, 1, 1, -1];
      const results = await Promise.all(
        values.map((value, i) =>
          value === 0 ? c.store.putVote({ remove: { postId: post.id, voterId: 'v-x', at: at(i) } }) : c.store.putVote({ vote: vote(post, 'v-x', value, { castAt: at(i) }) }),
        ),
      );
      assert.deepEqual(results.map((r) => r?.event.seq), values.map((_, i) => i + 3));
      assert.deepEqual(results.map((r) => [r?.post.up, r?.post.down]), values.map((v) => [v === 1 ? 1 : 0, v === -1 ? 1 : 0]));
      const final = await c.store.getPost({ id: post.id });
      assert.deepEqual([final?.up, final?.down], [0, 1]);
      assert.equal((await c.store.getVote({ postId: post.id, voterId: 'v-x' }))?.value, -1);
      const reopened = await c.reopen();
      assert.deepEqual([(await reopened.getPost({ id: post.id }))?.up, (await reopened.getPost({ id: post.id }))?.down], [0, 1]);
    });

    it('counts many voters voting at once', async (t) => {
      t.after(c.done);
      const post = await answer();
      await Promise.all(Array.from({ length: 30 }, (_, i) => c.store.putVote({ vote: vote(post, `v-${i}`, i % 3 === 0 ? -1 : 1) })));
      const stored = await c.store.getPost({ id: post.id });
      assert.deepEqual([stored?.up, stored?.down], [20, 10]);
      assert.equal((await c.store.votesInThreads({ threadIds: [post.threadId] })).length, 30);
    });

    it('lists votes by author of the post, by voter, by thread and all of them', async (t) => {
      t.after(c.done);
      const { record: t1 } = await c.store.createThread({ thread: newThread() });
      const { record: t2 } = await c.store.createThread({ thread: newThread() });
      const a1 = (await c.store.createPost({ post: newPost(t1.id, { authorId: 'v-author' }) }))!.record;
      const a2 = (await c.store.createPost({ post: newPost(t2.id, { authorId: 'v-author' }) }))!.record;
      const b1 = (await c.store.createPost({ post: newPost(t1.id, { authorId: 'v-other' }) }))!.record;
      const votes = [vote(a1, 'v-x', 1), vote(a2, 'v-x', -1, { counts: false }), vote(b1, 'v-y', 1), vote(a1, 'v-y', 1)];
      for (const v of votes) await c.store.putVote({ vote: v });
      await c.store.putVote({ vote: vote(a2, 'v-z', 1) });
      await c.store.putVote({ remove: { postId: a2.id, voterId: 'v-z', at: at(50) } });
      const sorted = (list: Vote[]) => [...list].sort((x, y) => `${x.postId}/${x.voterId}`.localeCompare(`${y.postId}/${y.voterId}`));
      assert.deepEqual(sorted(await c.store.votesFor({ authorId: 'v-author' })), sorted([votes[0], votes[1], votes[3]]));
      assert.deepEqual(sorted(await c.store.votesBy({ voterId: 'v-x' })), sorted([votes[0], votes[1]]));
      assert.deepEqual(sorted(await c.store.votesInThreads({ threadIds: [t1.id] })), sorted([votes[0], votes[2], votes[3]]));
      assert.deepEqual(sorted(await c.store.votesInThreads({ threadIds: [t1.id, t2.id, t1.id, 'no-thread'] })), sorted(votes));
      assert.deepEqual(sorted(await c.store.allVotes()), sorted(votes));
      assert.deepEqual(await c.store.votesBy({ voterId: 'v-z' }), []);
      assert.deepEqual(await c.store.votesFor({ authorId: 'v-nobody' }), []);
      (await c.store.allVotes())[0].value = -1;
      assert.deepEqual(sorted(await c.store.allVotes()), sorted(votes), 'callers get copies');
    });

    it('resolves undefined for a vote on an unknown post and uses no seq', async (t) => {
      t.after(c.done);
      const post = await answer();
      assert.equal(await c.store.putVote({ vote: vote({ ...post, id: 'no-such-post' }, 'v-x', 1) }), undefined);
      assert.equal(await c.store.putVote({ remove: { postId: 'no-such-post', voterId: 'v-x', at: at(1) } }), undefined);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 2);
      assert.deepEqual(await c.store.allVotes(), []);
      assert.equal(await c.store.getVote({ postId: 'no-such-post', voterId: 'v-x' }), undefined);
    });
  });

}
