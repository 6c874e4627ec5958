/** Reads of many records in one call, which the domain uses instead of one call per listed item. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Flag, Post, Thread, Vote } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, vote } from './fixtures.js';

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const byPost = (list: Vote[]) => [...list].sort((a, b) => (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0));

export function batchedReadsContract(c: ContractContext): void {
  describe('batched reads', () => {
    /** Two threads with three answers each, on two sites. */
    async function seed(): Promise<{ threads: Thread[]; posts: Post[][] }> {
      const threads: Thread[] = [];
      const posts: Post[][] = [];
      for (const site of ['kanreg-1', 'kanreg-2']) {
        const { record: thread } = await c.store.createThread({ thread: newThread({ site }) });
        const answers: Post[] = [];
        for (let i = 0; i < 3; i++) answers.push((await c.store.createPost({ post: newPost(thread.id, { site, authorId: `v-${i}` }) }))!.record);
        threads.push((await c.store.getThreadRecord({ id: thread.id }))!);
        posts.push(answers);
      }
      return { threads, posts };
    }

    it('reads the threads that exist by id, without repeats, as getThreadRecord does', async (t) => {
      t.after(c.done);
      const { threads } = await seed();
      const ids = [threads[1].id, 'no-such-thread', threads[0].id, threads[1].id];
      assert.deepEqual(byId(await c.store.getThreadRecords({ ids })), byId(threads));
      assert.deepEqual(await c.store.getThreadRecords({ ids: [] }), []);
      const [copy] = await c.store.getThreadRecords({ ids: [threads[0].id] });
      copy.title = 'changed';
      assert.deepEqual(await c.store.getThreadRecord({ id: threads[0].id }), threads[0], 'callers get copies');
    });

    it("reads the answers of several threads, each thread's in seq order, as getThread lists them", async (t) => {
      t.after(c.done);
      const { threads, posts } = await seed();
      const found = await c.store.postsInThreads({ threadIds: [threads[1].id, threads[0].id, 'no-such-thread', threads[0].id] });
      for (const [i, thread] of threads.entries()) {
        assert.deepEqual(found.filter((p) => p.threadId === thread.id), (await c.store.getThread({ id: thread.id }))!.posts);
        assert.deepEqual(found.filter((p) => p.threadId === thread.id).map((p) => p.id), posts[i].map((p) => p.id));
      }
      assert.equal(found.length, 6);
      assert.deepEqual(await c.store.postsInThreads({ threadIds: [] }), []);
    });

    it("reads one voter's votes on many posts at once, after changes and removals", async (t) => {
      t.after(c.done);
      const { posts } = await seed();
      const [a, b, d] = posts[0];
      const [e] = posts[1];
      await c.store.putVote({ vote: vote(a, 'v-x', 1) });
      await c.store.putVote({ vote: vote(b, 'v-x', 1) });
      await c.store.putVote({ vote: vote(b, 'v-x', -1, { castAt: at(41) }) });
      await c.store.putVote({ vote: vote(d, 'v-x', 1) });
      await c.store.putVote({ remove: { postId: d.id, voterId: 'v-x', at: at(42) } });
      await c.store.putVote({ vote: vote(e, 'v-x', 1) });
      await c.store.putVote({ vote: vote(a, 'v-y', -1) });
      const mine = await c.store.votesOn({ voterId: 'v-x', postIds: [a.id, b.id, d.id, 'no-such-post', a.id] });
      assert.deepEqual(byPost(mine), byPost([vote(a, 'v-x', 1), vote(b, 'v-x', -1, { castAt: at(41) })]));
      assert.deepEqual(await c.store.votesOn({ voterId: 'v-z', postIds: [a.id, b.id] }), []);
      assert.deepEqual(await c.store.votesOn({ voterId: 'v-x', postIds: [] }), []);
      for (const post of [a, b, d, e]) {
        const one = await c.store.getVote({ postId: post.id, voterId: 'v-x' });
        assert.deepEqual((await c.store.votesOn({ voterId: 'v-x', postIds: [post.id] }))[0], one);
      }
    });

    it("reads the flags on many posts at once, each post's in the order raised, or only one member's", async (t) => {
      t.after(c.done);
      const { posts } = await seed();
      const [a, b, d] = posts[0];
      const flag = (postId: string, memberId: string, minute: number): Flag => ({ postId, memberId, reason: 'spam', weight: 1, at: at(minute) });
      await c.store.addFlag({ flag: flag(b.id, 'v-q', 50) });
      await c.store.addFlag({ flag: flag(a.id, 'v-q', 51) });
      await c.store.addFlag({ flag: flag(b.id, 'v-p', 52) });
      await c.store.addFlag({ flag: flag(d.id, 'v-p', 53) });
      await c.store.clearFlags({ postId: d.id });
      const all = await c.store.flagsOn({ postIds: [b.id, a.id, d.id, 'no-such-post', b.id] });
      assert.equal(all.length, 3);
      for (const post of [a, b, d]) assert.deepEqual(all.filter((f) => f.postId === post.id), await c.store.flagsFor({ postId: post.id }));
      assert.deepEqual(await c.store.flagsOn({ postIds: [a.id, b.id, d.id], memberId: 'v-p' }), [flag(b.id, 'v-p', 52)]);
      assert.deepEqual(await c.store.flagsOn({ postIds: [a.id], memberId: 'v-nobody' }), []);
      assert.deepEqual(await c.store.flagsOn({ postIds: [] }), []);
    });
  });
}
