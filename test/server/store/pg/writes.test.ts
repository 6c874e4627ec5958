/**
 * What only a shared database shows: two store instances over one schema (as two servers would
 * be), writes that fail in PostgreSQL, COMMIT as the moment of acknowledgement, event pruning.
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import type { ChangeEvent } from '../../../../server/domain/model.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { at, newPost, newThread, vote } from '../contract.js';

after(dropTestSchemas);

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** `count` stores over one fresh schema, closed and dropped when the test ends. */
async function instances(t: TestContext, count: number, options: { eventRetention?: number } = {}): Promise<{ stores: PgStore[]; schema: string }> {
  const schema = await testSchema();
  const stores = Array.from({ length: count }, () => new PgStore({ url: TEST_DATABASE_URL, schema: schema.name, ...options }));
  for (const store of stores) await store.open();
  t.after(async () => {
    for (const store of stores) await store.close();
    await schema.drop();
  });
  return { stores, schema: schema.name };
}

describe('PostgreSQL store: two instances on one database', () => {
  it('share one sequence per site: no gap, no repeat, each hearing its own changes in order', async (t) => {
    const { stores } = await instances(t, 2);
    const heard: ChangeEvent[][] = [[], []];
    stores.forEach((store, i) => store.subscribe((e) => heard[i].push(e)));
    const results = await Promise.all(range(80).map((i) => stores[i % 2].createThread({ thread: newThread() })));
    assert.deepEqual(results.map((r) => r.record.seq).sort((a, b) => a - b), range(80));
    for (const [i, own] of heard.entries()) {
      assert.equal(own.length, 40);
      assert.deepEqual(own.map((e) => e.seq), [...own.map((e) => e.seq)].sort((a, b) => a - b), `instance ${i} heard its events in seq order`);
    }
    for (const store of stores) {
      assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 80);
      assert.deepEqual((await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 }))?.map((e) => e.seq), range(80));
    }
  });

  it('create one thread and one answer for identical requests racing through both', async (t) => {
    const { stores } = await instances(t, 2);
    const threads = await Promise.all(stores.map((s) => s.createThread({ thread: newThread({ clientId: 'tap' }) })));
    assert.deepEqual(threads.map((r) => r.created).sort(), [false, true]);
    assert.deepEqual(threads[0].record, threads[1].record);
    const thread = threads[0].record;
    const posts = await Promise.all(stores.map((s) => s.createPost({ post: newPost(thread.id, { clientId: 'answer-tap' }) })));
    assert.deepEqual(posts.map((r) => r?.created).sort(), [false, true]);
    assert.deepEqual(posts[0]?.record, posts[1]?.record);
    assert.equal((await stores[1].getThreadRecord({ id: thread.id }))?.answerCount, 1);
    assert.equal(await stores[0].currentSeq({ site: 'kanreg-1' }), 2);
  });

  it('keep call order for writes that must look up their post first', async (t) => {
    const { stores } = await instances(t, 2);
    const [a, b] = stores;
    const { record: thread } = await a.createThread({ thread: newThread() });
    const post = (await a.createPost({ post: newPost(thread.id) }))!.record;
    // b has never seen the post: each write below first asks the database for its site.
    const [edited, voted, removed] = await Promise.all([
      b.updatePost({ id: post.id, patch: { body: 'Diperbarui.', editedAt: at(30) } }),
      b.putVote({ vote: vote(post, 'v-x', 1) }),
      b.putVote({ remove: { postId: post.id, voterId: 'v-x', at: at(41) } }),
    ]);
    assert.deepEqual([edited?.event.seq, voted?.event.seq, removed?.event.seq], [3, 4, 5]);
    assert.equal(voted?.post.body, 'Diperbarui.', 'the vote came after the edit');
    assert.deepEqual([removed?.post.up, removed?.post.down], [0, 0]);
    assert.deepEqual(await a.getPost({ id: post.id }), removed?.post);
  });
});

describe('PostgreSQL store: failures and acknowledgement', () => {
  it('fails only the write that PostgreSQL refuses; the others queued with it commit without a gap', async (t) => {
    const { stores } = await instances(t, 1);
    const [store] = stores;
    const { record: first } = await store.createThread({ thread: newThread() });
    const writes = range(10).map((i) => store.createThread({ thread: newThread(i === 5 ? { id: first.id } : {}) }));
    const settled = await Promise.allSettled(writes);
    assert.deepEqual(settled.map((s) => s.status), range(10).map((i) => (i === 5 ? 'rejected' : 'fulfilled')));
    assert.match(String((settled[4] as PromiseRejectedResult).reason), /duplicate key/);
    const seqs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.record.seq] : []));
    assert.deepEqual(seqs, range(9).map((i) => i + 1));
    assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 10);
  });

  it('acknowledges nothing that did not commit: a write refused at COMMIT rejects, is not heard, and uses no seq', async (t) => {
    const { stores, schema } = await instances(t, 1);
    const [store] = stores;
    // A deferred check runs at COMMIT, after every statement of the write succeeded.
    await queryIn(
      schema,
      `CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.body = 'refuse at commit' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`,
    );
    await queryIn(schema, 'CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON posts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_marked()');
    const { record: thread } = await store.createThread({ thread: newThread() });
    const heard: ChangeEvent[] = [];
    store.subscribe((e) => heard.push(e));

    const [refused, accepted] = await Promise.allSettled([
      store.createPost({ post: newPost(thread.id, { body: 'refuse at commit' }) }),
      store.createPost({ post: newPost(thread.id, { body: 'Diterima.' }) }),
    ]);
    assert.equal(refused.status, 'rejected');
    assert.match(String((refused as PromiseRejectedResult).reason), /refused at commit/);
    assert.equal(accepted.status, 'fulfilled');
    assert.equal((accepted as PromiseFulfilledResult<Awaited<ReturnType<PgStore['createPost']>>>).value?.record.seq, 2);
    assert.deepEqual(heard.map((e) => e.seq), [2]);
    const read = await store.getThread({ id: thread.id });
    assert.deepEqual([read?.thread.answerCount, read?.posts.map((p) => p.body)], [1, ['Diterima.']]);
    assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 2);
  });

  it('has a write committed, for every other connection, when its promise resolves', async (t) => {
    const { stores, schema } = await instances(t, 1);
    const [store] = stores;
    const { record: thread } = await store.createThread({ thread: newThread() });
    const seen = await Promise.all(
      range(20).map(async () => {
        const result = await store.createPost({ post: newPost(thread.id) });
        const rows = await queryIn(schema, 'SELECT 1 FROM posts WHERE id = $1', [result!.record.id]);
        return rows.length;
      }),
    );
    assert.deepEqual(seen, Array(20).fill(1));
  });

  it('refuses writes after close, also those that would first look up their post, leaving no promise unhandled', async (t) => {
    const { stores } = await instances(t, 1);
    const [store] = stores;
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    t.after(() => process.off('unhandledRejection', record));
    await store.close();
    await assert.rejects(store.updatePost({ id: 'never-seen', patch: { body: 'x', editedAt: at(1) } }), /store is closed/);
    await assert.rejects(store.putVote({ remove: { postId: 'never-seen', voterId: 'v-x', at: at(1) } }), /store is closed/);
    await assert.rejects(store.setAccepted({ threadId: 'never-seen', postId: null, at: at(1) }), /store is closed/);
    await assert.rejects(store.createThread({ thread: newThread() }), /store is closed/);
    // Unhandled rejections are reported after the microtask queue drains: let a macrotask pass.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  });

  it('keeps only the retained events in the table, and eventsSince says when older ones are gone', async (t) => {
    const { stores, schema } = await instances(t, 1, { eventRetention: 5 });
    const [store] = stores;
    const { record: thread } = await store.createThread({ thread: newThread() });
    await Promise.all(range(19).map(() => store.createPost({ post: newPost(thread.id) })));
    await store.createThread({ thread: newThread({ site: 'kanreg-2' }) });
    const kept = await queryIn<{ site: string; seq: number }>(schema, 'SELECT site, seq::int FROM events ORDER BY site, seq');
    assert.deepEqual(kept, [...[16, 17, 18, 19, 20].map((seq) => ({ site: 'kanreg-1', seq })), { site: 'kanreg-2', seq: 1 }]);
    assert.deepEqual((await store.eventsSince({ site: 'kanreg-1', afterSeq: 15, limit: 10 }))?.map((e) => e.seq), [16, 17, 18, 19, 20]);
    assert.equal(await store.eventsSince({ site: 'kanreg-1', afterSeq: 14, limit: 10 }), undefined);
  });
});
