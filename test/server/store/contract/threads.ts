/** Creating threads and posting answers: sequence numbers, counts, idempotency. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractContext } from './context.js';
import { at, newPost, newThread } from './fixtures.js';

export function threadsContract(c: ContractContext): void {
  describe('creating threads', () => {
    it('assigns seq 1, 2, 3 per site, independently for each site', async (t) => {
      t.after(c.done);
      const a1 = await c.store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
      const b1 = await c.store.createThread({ thread: newThread({ site: 'kanreg-2' }) });
      const a2 = await c.store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
      const a3 = await c.store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
      assert.deepEqual([a1.record.seq, a2.record.seq, a3.record.seq, b1.record.seq], [1, 2, 3, 1]);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 3);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-2' }), 1);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-9' }), 0);
    });

    it('returns the created thread with its event, and getThread finds it', async (t) => {
      t.after(c.done);
      const input = newThread();
      const result = await c.store.createThread({ thread: input });
      assert.equal(result.created, true);
      assert.deepEqual(result.record, { ...input, seq: 1 });
      assert.deepEqual(result.event, { site: input.site, seq: 1, at: input.createdAt, change: { kind: 'thread.created', thread: { ...input, seq: 1 } } });
      assert.deepEqual(await c.store.getThread({ id: input.id }), { thread: { ...input, seq: 1 }, posts: [] });
      assert.equal(await c.store.getThread({ id: 'missing' }), undefined);
    });

    it('gives the original back with created:false on a retry with the same clientId, writing nothing', async (t) => {
      t.after(c.done);
      const first = await c.store.createThread({ thread: newThread({ clientId: 'retry-1' }) });
      const retry = await c.store.createThread({ thread: newThread({ clientId: 'retry-1', title: 'second attempt' }) });
      assert.equal(retry.created, false);
      assert.equal(retry.event, undefined);
      assert.deepEqual(retry.record, first.record);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 1);
      assert.deepEqual(await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), [first.event]);
      assert.deepEqual(await c.store.findByClientId({ authorId: first.record.authorId, clientId: 'retry-1' }), { thread: first.record });
    });

    it('treats a retry that arrives while the original is still being written as the same thread', async (t) => {
      t.after(c.done);
      const [a, b] = await Promise.all([
        c.store.createThread({ thread: newThread({ clientId: 'double-click' }) }),
        c.store.createThread({ thread: newThread({ clientId: 'double-click' }) }),
      ]);
      assert.deepEqual([a.created, b.created], [true, false]);
      assert.deepEqual(b.record, a.record);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 1);
    });

    it('keys idempotency on the author: another author may use the same clientId', async (t) => {
      t.after(c.done);
      await c.store.createThread({ thread: newThread({ authorId: 'v-1', clientId: 'same' }) });
      const other = await c.store.createThread({ thread: newThread({ authorId: 'v-2', clientId: 'same' }) });
      assert.equal(other.created, true);
      assert.equal(await c.store.findByClientId({ authorId: 'v-3', clientId: 'same' }), undefined);
    });
  });

  describe('posting answers', () => {
    it('bumps the answer count and last activity, and lists posts in seq order', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const p1 = await c.store.createPost({ post: newPost(thread.id, { createdAt: at(10) }) });
      const p2 = await c.store.createPost({ post: newPost(thread.id, { createdAt: at(20) }) });
      assert.ok(p1 && p2);
      assert.deepEqual([p1.record.seq, p2.record.seq], [2, 3]);
      assert.deepEqual(p2.event?.change, { kind: 'post.created', post: p2.record, answerCount: 2, lastActivityAt: at(20) });
      const read = await c.store.getThread({ id: thread.id });
      assert.equal(read?.thread.answerCount, 2);
      assert.equal(read?.thread.lastActivityAt, at(20));
      assert.deepEqual(read?.posts, [p1.record, p2.record]);
      assert.deepEqual(await c.store.getThreadRecord({ id: thread.id }), read?.thread);
      assert.equal(await c.store.getThreadRecord({ id: 'missing' }), undefined);
    });

    it('counts answers right when many are posted at once', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const results = await Promise.all(Array.from({ length: 20 }, () => c.store.createPost({ post: newPost(thread.id) })));
      assert.deepEqual(results.map((r) => r?.record.seq), Array.from({ length: 20 }, (_, i) => i + 2));
      assert.deepEqual(results.map((r) => (r?.event?.change as { answerCount: number }).answerCount), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await c.store.getThread({ id: thread.id }))?.thread.answerCount, 20);
    });

    it('resolves undefined for an unknown thread and uses no seq', async (t) => {
      t.after(c.done);
      assert.equal(await c.store.createPost({ post: newPost('no-such-thread') }), undefined);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 0);
    });

    it('is idempotent on (authorId, clientId)', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const first = await c.store.createPost({ post: newPost(thread.id, { clientId: 'answer-1' }) });
      const retry = await c.store.createPost({ post: newPost(thread.id, { clientId: 'answer-1' }) });
      assert.equal(retry?.created, false);
      assert.equal(retry?.event, undefined);
      assert.deepEqual(retry?.record, first?.record);
      assert.equal((await c.store.getThread({ id: thread.id }))?.thread.answerCount, 1);
      assert.deepEqual(await c.store.findByClientId({ authorId: 'v-budi', clientId: 'answer-1' }), { post: first?.record });
    });
  });

}
