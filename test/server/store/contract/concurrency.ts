/** Many writers at once, racing retries, and sequence numbers and events across a restart. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, vote } from './fixtures.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sorted = (seqs: number[]) => [...seqs].sort((a, b) => a - b);

export function concurrencyContract(c: ContractContext): void {
  describe('concurrent writers', () => {
    it('give one site gap-free, unrepeated seqs when threads, answers, edits and votes are written at once', async (t) => {
      t.after(c.done);
      const { record: first } = await c.store.createThread({ thread: newThread() });
      const answer = (await c.store.createPost({ post: newPost(first.id) }))!.record;
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const writes = await Promise.all(
        range(1, 60).map(async (i) => {
          if (i % 4 === 0) return (await c.store.createThread({ thread: newThread() })).record.seq;
          if (i % 4 === 1) return (await c.store.createPost({ post: newPost(first.id) }))!.record.seq;
          if (i % 4 === 2) return (await c.store.putVote({ vote: vote(answer, `v-${i}`, 1) }))!.event.seq;
          return (await c.store.updatePost({ id: answer.id, patch: { body: `edit ${i}`, editedAt: at(i) } }))!.event.seq;
        }),
      );
      assert.deepEqual(sorted(writes), range(3, 62), 'every seq once, none skipped');
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 62);
      assert.deepEqual(heard.map((e) => e.seq), range(3, 62), 'subscribers hear them in seq order');
      const events = await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 100 });
      assert.deepEqual(events, heard);
      assert.equal((await c.store.getThreadRecord({ id: first.id }))?.answerCount, 16);
      assert.equal((await c.store.getPost({ id: answer.id }))?.up, 15);
    });

    it('keep each site its own sequence when several sites are written at once', async (t) => {
      t.after(c.done);
      const sites = ['kanreg-1', 'kanreg-2', 'kanreg-3'];
      const results = await Promise.all(range(0, 44).map((i) => c.store.createThread({ thread: newThread({ site: sites[i % 3] }) })));
      for (const site of sites) {
        const seqs = results.filter((r) => r.record.site === site).map((r) => r.record.seq);
        assert.deepEqual(sorted(seqs), range(1, 15), site);
        assert.equal(await c.store.currentSeq({ site }), 15);
      }
    });

    it('create one thread for many identical requests racing, and answer each with it', async (t) => {
      t.after(c.done);
      const results = await Promise.all(range(1, 8).map(() => c.store.createThread({ thread: newThread({ clientId: 'same-tap' }) })));
      assert.equal(results.filter((r) => r.created).length, 1);
      const original = results.find((r) => r.created)!.record;
      for (const r of results) assert.deepEqual(r.record, original);
      assert.ok(results.every((r) => r.created || r.event === undefined));
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 1);
      assert.equal((await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 })).threads.length, 1);
    });

    it('create one answer for many identical requests racing, counting it once', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      const results = await Promise.all(range(1, 8).map(() => c.store.createPost({ post: newPost(thread.id, { clientId: 'same-answer' }) })));
      assert.equal(results.filter((r) => r?.created).length, 1);
      const original = results.find((r) => r?.created)!.record;
      for (const r of results) assert.deepEqual(r?.record, original);
      assert.equal((await c.store.getThread({ id: thread.id }))?.posts.length, 1);
      assert.equal((await c.store.getThreadRecord({ id: thread.id }))?.answerCount, 1);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 2);
    });

    it('refuse a clientId that the author already used for the other kind of record', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread({ authorId: 'v-1', clientId: 'k-1' }) });
      await assert.rejects(c.store.createPost({ post: newPost(thread.id, { authorId: 'v-1', clientId: 'k-1' }) }), /clientId k-1/);
      await c.store.createPost({ post: newPost(thread.id, { authorId: 'v-1', clientId: 'k-2' }) });
      await assert.rejects(c.store.createThread({ thread: newThread({ authorId: 'v-1', clientId: 'k-2' }) }), /clientId k-2/);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 2);
    });
  });

  describe('restarts', () => {
    it('continue the sequence where it stopped, and eventsSince spans the restart', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread() });
      await Promise.all(range(1, 9).map(() => c.store.createPost({ post: newPost(thread.id) })));
      const before = await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 });
      assert.deepEqual(before?.map((e) => e.seq), range(1, 10));

      const reopened = await c.reopen();
      const heard: number[] = [];
      reopened.subscribe((e) => heard.push(e.seq));
      const after = await Promise.all(range(1, 5).map(() => reopened.createPost({ post: newPost(thread.id) })));
      assert.deepEqual(sorted(after.map((r) => r!.record.seq)), range(11, 15));
      assert.deepEqual(heard, range(11, 15));
      assert.equal((await reopened.getThreadRecord({ id: thread.id }))?.answerCount, 14);

      const spanning = await reopened.eventsSince({ site: 'kanreg-1', afterSeq: 7, limit: 100 });
      assert.deepEqual(spanning?.map((e) => e.seq), range(8, 15));
      assert.deepEqual(spanning?.slice(0, 3), before?.slice(7), 'events from before the restart are unchanged');
      assert.deepEqual(spanning?.slice(3), after.map((r) => r!.event));
    });

    it('keep answering a retry from before the restart with the original', async (t) => {
      t.after(c.done);
      const { record: thread } = await c.store.createThread({ thread: newThread({ clientId: 'before-restart' }) });
      await c.reopen();
      const retries = await Promise.all(range(1, 3).map(() => c.store.createThread({ thread: newThread({ clientId: 'before-restart' }) })));
      for (const retry of retries) assert.deepEqual(retry, { record: thread, created: false });
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 1);
    });
  });
}
