/** Flags and hidden posts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Flag, Post } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread } from './fixtures.js';

export function flagsContract(c: ContractContext): void {
  describe('flags', () => {
    async function answer(): Promise<Post> {
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      return (await c.store.createPost({ post: newPost(thread.id) }))!.record;
    }
    const flag = (postId: string, memberId: string, over: Partial<Flag> = {}): Flag => ({ postId, memberId, reason: 'spam', weight: 1, at: at(50), ...over });

    it('keeps one flag per member and post, and returns all the post\'s flags', async (t) => {
      t.after(c.done);
      const post = await answer();
      assert.deepEqual(await c.store.addFlag({ flag: flag(post.id, 'v-a') }), [flag(post.id, 'v-a')]);
      assert.deepEqual(await c.store.addFlag({ flag: flag(post.id, 'v-a', { reason: 'tidak_pantas', at: at(51) }) }), [flag(post.id, 'v-a')]);
      const both = await c.store.addFlag({ flag: flag(post.id, 'v-b', { weight: 3 }) });
      assert.deepEqual(both, [flag(post.id, 'v-a'), flag(post.id, 'v-b', { weight: 3 })]);
      assert.deepEqual(await c.store.flagsFor({ postId: post.id }), both);
      assert.deepEqual(await c.store.flagsFor({ postId: 'other' }), []);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 2, 'flags are not sequenced changes');
    });

    it('keeps one flag when the same member flags twice at once', async (t) => {
      t.after(c.done);
      const post = await answer();
      const [a, b] = await Promise.all([c.store.addFlag({ flag: flag(post.id, 'v-a') }), c.store.addFlag({ flag: flag(post.id, 'v-a', { at: at(51) }) })]);
      assert.deepEqual(a, [flag(post.id, 'v-a')]);
      assert.deepEqual(b, [flag(post.id, 'v-a')]);
    });

    it('clears every flag of a post, after which the post can be flagged again', async (t) => {
      t.after(c.done);
      const post = await answer();
      const other = await answer();
      await c.store.addFlag({ flag: flag(post.id, 'v-a') });
      await c.store.addFlag({ flag: flag(post.id, 'v-b') });
      await c.store.addFlag({ flag: flag(other.id, 'v-a') });
      await c.store.clearFlags({ postId: post.id });
      assert.deepEqual(await c.store.flagsFor({ postId: post.id }), []);
      assert.deepEqual(await c.store.flagsFor({ postId: other.id }), [flag(other.id, 'v-a')]);
      await c.store.clearFlags({ postId: post.id });
      assert.deepEqual(await c.store.addFlag({ flag: flag(post.id, 'v-a', { at: at(55) }) }), [flag(post.id, 'v-a', { at: at(55) })]);
      await c.reopen();
      assert.deepEqual(await c.store.flagsFor({ postId: post.id }), [flag(post.id, 'v-a', { at: at(55) })]);
      assert.deepEqual(await c.store.flagsFor({ postId: other.id }), [flag(other.id, 'v-a')]);
    });

    it('lists hidden posts by status, most recently hidden first, at most limit', async (t) => {
      t.after(c.done);
      const posts = [await answer(), await answer(), await answer(), await answer()];
      const hide = (i: number, minute: number, status: 'pending' | 'removed') =>
        c.store.updatePost({ id: posts[i].id, patch: { hidden: { reason: 'spam', at: at(minute), status } } });
      await hide(0, 10, 'pending');
      await hide(1, 30, 'pending');
      await hide(2, 20, 'pending');
      await hide(3, 15, 'removed');
      const ids = async (status: 'pending' | 'removed', limit: number) => (await c.store.hiddenPosts({ status, limit })).map((p) => p.id);
      assert.deepEqual(await ids('pending', 10), [posts[1].id, posts[2].id, posts[0].id]);
      assert.deepEqual(await ids('pending', 2), [posts[1].id, posts[2].id]);
      assert.deepEqual(await ids('removed', 10), [posts[3].id]);
      await hide(1, 40, 'removed');
      assert.deepEqual(await ids('pending', 10), [posts[2].id, posts[0].id]);
      assert.deepEqual(await ids('removed', 10), [posts[1].id, posts[3].id]);
      await c.reopen();
      assert.deepEqual(await ids('pending', 10), [posts[2].id, posts[0].id]);
      assert.deepEqual(await ids('removed', 10), [posts[1].id, posts[3].id]);
    });
  });

}
