/** Editing, endorsing and hiding posts; accepting answers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, vote } from './fixtures.js';

export function postsContract(c: ContractContext): void {
  describe('updating posts and accepting answers', () => {
    it('edits, endorses and hides a post, and null clears endorsement and hidden state', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const post = (await c.store.createPost({ post: newPost(thread.id) }))!.record;
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const edited = await c.store.updatePost({ id: post.id, patch: { body: 'Jawaban yang diperbaiki.', editedAt: at(30) } });
      assert.deepEqual(edited?.post, { ...post, body: 'Jawaban yang diperbaiki.', editedAt: at(30) });
      assert.deepEqual(edited?.event, { site: 'kanreg-1', seq: 3, at: at(30), change: { kind: 'post.updated', post: edited?.post } });

      const endorsed = await c.store.updatePost({ id: post.id, patch: { endorsedBy: 'v-officer', endorsedAt: at(31) } });
      assert.deepEqual(endorsed?.post, { ...edited?.post, endorsedBy: 'v-officer', endorsedAt: at(31) });
      const unendorsed = await c.store.updatePost({ id: post.id, patch: { endorsedBy: null, endorsedAt: null } });
      assert.deepEqual(unendorsed?.post, edited?.post);

      const hidden = { reason: 'spam' as const, at: at(33), status: 'pending' as const };
      const hid = await c.store.updatePost({ id: post.id, patch: { hidden } });
      assert.deepEqual(hid?.post.hidden, hidden);
      assert.deepEqual(await c.store.hiddenPosts({ status: 'pending', limit: 10 }), [hid?.post]);
      const removed = await c.store.updatePost({ id: post.id, patch: { hidden: { ...hidden, status: 'removed', by: 'v-officer' } } });
      assert.deepEqual(await c.store.hiddenPosts({ status: 'pending', limit: 10 }), []);
      assert.deepEqual(await c.store.hiddenPosts({ status: 'removed', limit: 10 }), [removed?.post]);
      const restored = await c.store.updatePost({ id: post.id, patch: { hidden: null } });
      assert.deepEqual(restored?.post, edited?.post);
      assert.deepEqual(await c.store.hiddenPosts({ status: 'removed', limit: 10 }), []);

      assert.deepEqual(heard.map((e) => e.seq), [3, 4, 5, 6, 7, 8]);
      assert.deepEqual(heard.map((e) => e.change.kind), Array(6).fill('post.updated'));
      assert.deepEqual(await c.store.getPost({ id: post.id }), restored?.post);
      assert.deepEqual((await c.store.getThread({ id: thread.id }))?.posts, [restored?.post]);
      assert.deepEqual((await c.store.findByClientId({ authorId: post.authorId, clientId: post.clientId }))?.post, restored?.post);
      const created = (await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 1, limit: 1 }))?.[0];
      assert.deepEqual(created?.change, { kind: 'post.created', post, answerCount: 1, lastActivityAt: post.createdAt }, 'earlier events stay as they were');
    });

    it('resolves undefined for an unknown post or thread, using no seq', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      assert.equal(await c.store.getPost({ id: 'missing' }), undefined);
      assert.equal(await c.store.updatePost({ id: 'missing', patch: { body: 'x', editedAt: at(1) } }), undefined);
      assert.equal(await c.store.setAccepted({ threadId: 'missing', postId: null, at: at(1) }), undefined);
      assert.equal(await c.store.setAccepted({ threadId: thread.id, postId: 'missing', at: at(1) }), undefined);
      const { record: other } = await c.store.createThread({ thread: newThread() });
      const elsewhere = (await c.store.createPost({ post: newPost(other.id) }))!.record;
      assert.equal(await c.store.setAccepted({ threadId: thread.id, postId: elsewhere.id, at: at(1) }), undefined, 'an answer of another thread');
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 3);
    });

    it('sets, changes and clears the accepted answer as thread.updated changes', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const p1 = (await c.store.createPost({ post: newPost(thread.id, { createdAt: at(10) }) }))!.record;
      const p2 = (await c.store.createPost({ post: newPost(thread.id, { createdAt: at(11) }) }))!.record;
      const before = (await c.store.getThreadRecord({ id: thread.id }))!;

      const first = await c.store.setAccepted({ threadId: thread.id, postId: p1.id, at: at(20) });
      assert.deepEqual(first?.thread, { ...before, acceptedPostId: p1.id, acceptedAt: at(20) });
      assert.deepEqual(first?.event, { site: 'kanreg-1', seq: 4, at: at(20), change: { kind: 'thread.updated', thread: first?.thread } });
      const second = await c.store.setAccepted({ threadId: thread.id, postId: p2.id, at: at(21) });
      assert.deepEqual(second?.thread, { ...before, acceptedPostId: p2.id, acceptedAt: at(21) });
      assert.equal(second?.event.seq, 5);
      const cleared = await c.store.setAccepted({ threadId: thread.id, postId: null, at: at(22) });
      assert.deepEqual(cleared?.thread, before);
      assert.equal(cleared?.event.seq, 6);
      assert.deepEqual(await c.store.getThreadRecord({ id: thread.id }), before);

      await c.store.setAccepted({ threadId: thread.id, postId: p2.id, at: at(23) });
      const p3 = await c.store.createPost({ post: newPost(thread.id, { createdAt: at(24) }) });
      const read = await c.store.getThread({ id: thread.id });
      assert.deepEqual(read?.thread, { ...before, answerCount: 3, lastActivityAt: at(24), acceptedPostId: p2.id, acceptedAt: at(23) });
      assert.equal(read?.posts.length, 3);
      assert.equal(p3?.record.seq, 8);
      const listed = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 1 });
      assert.deepEqual(listed.threads, [read?.thread]);
    });

    it('keeps accepting and answering consistent when they are in flight together', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const p1 = (await c.store.createPost({ post: newPost(thread.id) }))!.record;
      const [, accepted, , edited] = await Promise.all([
        c.store.createPost({ post: newPost(thread.id, { createdAt: at(30) }) }),
        c.store.setAccepted({ threadId: thread.id, postId: p1.id, at: at(31) }),
        c.store.putVote({ vote: vote(p1, 'v-x', 1) }),
        c.store.updatePost({ id: p1.id, patch: { endorsedBy: 'v-officer', endorsedAt: at(32) } }),
      ]);
      assert.equal(accepted?.thread.answerCount, 2, 'the accepted thread includes the answer queued before it');
      assert.equal(edited?.post.up, 1, 'the edit includes the vote queued before it');
      const read = await c.store.getThread({ id: thread.id });
      assert.deepEqual([read?.thread.answerCount, read?.thread.acceptedPostId], [2, p1.id]);
      assert.deepEqual(read?.posts[0], edited?.post);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 6);
    });
  });

}
