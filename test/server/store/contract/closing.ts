/** Closing, and what survives a close and reopen. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, readTrust, seedTrust, visitor, vote } from './fixtures.js';

export function closingContract(c: ContractContext): void {
  describe('closing', () => {
    it('waits for queued writes, then refuses new ones', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const writes = Array.from({ length: 10 }, () => c.store.createPost({ post: newPost(thread.id) }));
      await c.store.close();
      const results = await Promise.all(writes);
      assert.ok(results.every((r) => r?.created));
      await assert.rejects(c.store.createThread({ thread: newThread() }));
      await assert.rejects(c.store.createVisitor({ visitor: visitor() }));
    });

    it('keeps everything across close and reopen', async (t) => {
      t.after(c.done);
      const v = await c.store.createVisitor({ visitor: visitor() });
      await c.store.renameVisitor({ id: v.id, name: 'Renamed', at: at(30) });
      const { record: thread } = await c.store.createThread({ thread: newThread({ clientId: 'persist' }) });
      const post = await c.store.createPost({ post: newPost(thread.id, { clientId: 'persist-answer' }) });
      await c.store.createThread({ thread: newThread({ site: 'kanreg-2' }) });
      const before = {
        visitor: await c.store.getVisitor({ id: v.id }),
        thread: await c.store.getThread({ id: thread.id }),
        list: await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 }),
        events: await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }),
      };

      const reopened = await c.reopen();
      assert.deepEqual(await reopened.getVisitor({ id: v.id }), before.visitor);
      assert.equal(before.visitor?.name, 'Renamed');
      assert.deepEqual(await reopened.getThread({ id: thread.id }), before.thread);
      assert.deepEqual(await reopened.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 }), before.list);
      assert.deepEqual(await reopened.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), before.events);
      assert.equal(await reopened.currentSeq({ site: 'kanreg-2' }), 1);

      const retry = await reopened.createPost({ post: newPost(thread.id, { clientId: 'persist-answer' }) });
      assert.deepEqual(retry, { record: post?.record, created: false });
      const next = await reopened.createThread({ thread: newThread() });
      assert.equal(next.record.seq, 3, 'seq continues where it stopped');
    });

    it('keeps every trust record across close and reopen, and counts votes on from the stored ones', async (t) => {
      t.after(c.done);
      const seeded = await seedTrust(c.store);
      const before = await readTrust(c.store, seeded);
      assert.deepEqual(before.posts.map((p) => [p?.up, p?.down]), [[2, 0], [0, 1]]);
      assert.equal(before.thread?.thread.acceptedPostId, seeded.postIds[0]);
      assert.equal(before.byUsername?.id, seeded.officerId);
      assert.equal(before.requests.length, 2);

      const reopened = await c.reopen();
      assert.deepEqual(await readTrust(reopened, seeded), before);
      const changed = await reopened.putVote({ vote: vote(before.posts[0]!, seeded.memberId, -1) });
      assert.deepEqual([changed?.post.up, changed?.post.down], [1, 1]);
      assert.equal(changed?.event.seq, before.seq + 1);
    });
  });
}
