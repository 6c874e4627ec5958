/** Events since a seq (with retention) and subscribers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { newPost, newThread } from './fixtures.js';

export function eventsContract(c: ContractContext): void {
  describe('events since a seq', () => {
    it('returns the events after afterSeq in order, at most limit, and [] when up to date', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      for (let i = 0; i < 4; i++) await c.store.createPost({ post: newPost(thread.id) });
      const events = await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 });
      assert.deepEqual(events?.map((e) => e.seq), [1, 2, 3, 4, 5]);
      assert.equal(events?.[0].change.kind, 'thread.created');
      assert.deepEqual((await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 2 }))?.map((e) => e.seq), [3, 4]);
      assert.deepEqual(await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 5, limit: 10 }), []);
      assert.deepEqual(await c.store.eventsSince({ site: 'kanreg-3', afterSeq: 0, limit: 10 }), []);
    });

    it('gives undefined once the events after afterSeq are no longer retained, also after a reopen', async (t) => {
      t.after(c.done);
      const small = await c.makeStore({ eventRetention: 3 });
      let s = small.store;
      t.after(async () => {
        await s.close();
        await small.cleanup();
      });
      const { record: thread } = await s.createThread({ thread: newThread() });
      for (let i = 0; i < 5; i++) await s.createPost({ post: newPost(thread.id) });
      // Seqs 1..6 were committed; 4, 5, 6 are retained.
      for (let round = 0; round < 2; round++) {
        assert.deepEqual((await s.eventsSince({ site: 'kanreg-1', afterSeq: 3, limit: 10 }))?.map((e) => e.seq), [4, 5, 6]);
        assert.deepEqual((await s.eventsSince({ site: 'kanreg-1', afterSeq: 4, limit: 1 }))?.map((e) => e.seq), [5]);
        assert.equal(await s.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 10 }), undefined);
        assert.equal(await s.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), undefined);
        assert.deepEqual(await s.eventsSince({ site: 'kanreg-1', afterSeq: 6, limit: 10 }), []);
        await s.close();
        s = await small.reopen();
      }
    });
  });

  describe('subscribers', () => {
    it('hear every event in seq order, before the commit resolves, and stop after unsubscribing', async (t) => {
      t.after(c.done);
      const heard: ChangeEvent[] = [];
      const unsubscribe = c.store.subscribe((e) => heard.push(e));
      const { record: thread, event } = await c.store.createThread({ thread: newThread() });
      assert.deepEqual(heard, [event], 'the listener ran before createThread resolved');
      const posts = await Promise.all(Array.from({ length: 10 }, () => c.store.createPost({ post: newPost(thread.id) })));
      assert.deepEqual(heard.map((e) => e.seq), Array.from({ length: 11 }, (_, i) => i + 1));
      assert.deepEqual(heard.slice(1), posts.map((p) => p?.event));
      unsubscribe();
      await c.store.createThread({ thread: newThread() });
      assert.equal(heard.length, 11);
    });

    it('hear nothing for an idempotent retry', async (t) => {
      t.after(c.done);
      await c.store.createThread({ thread: newThread({ clientId: 'once' }) });
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));
      await c.store.createThread({ thread: newThread({ clientId: 'once' }) });
      assert.deepEqual(heard, []);
    });
  });

}
