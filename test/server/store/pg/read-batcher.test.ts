/** Reads made at about the same time go out as one statement, and each caller still gets exactly its own record. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { ReadBatcher } from '../../../../server/store/pg/read-batcher.js';
import { dropTestSchemas, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { newPost, newThread } from '../contract.js';

after(dropTestSchemas);

describe('ReadBatcher', () => {
  it('sends the reads of one turn together, at most `max` keys a statement, shares a key, and answers each caller', async () => {
    const fetched: string[][] = [];
    const batcher = new ReadBatcher<string, string>({
      key: (k) => k,
      copy: (v) => v,
      max: 4,
      fetch: async (keys) => {
        fetched.push(keys);
        return new Map(keys.filter((k) => !k.startsWith('missing')).map((k) => [k, `record ${k}`]));
      },
    });
    const keys = ['a', 'b', 'missing-1', 'a', 'c', 'd', 'e'];
    const answers = await Promise.all(keys.map((k) => batcher.get(k)));
    assert.deepEqual(answers, ['record a', 'record b', undefined, 'record a', 'record c', 'record d', 'record e']);
    assert.deepEqual(fetched, [['a', 'b', 'missing-1', 'c'], ['d', 'e']]);
    // A later turn is a statement of its own.
    assert.equal(await batcher.get('f'), 'record f');
    assert.deepEqual(fetched.at(-1), ['f']);
  });

  it('rejects every read of a failed statement, and the next turn reads again', async () => {
    let fail = true;
    const batcher = new ReadBatcher<string, string>({
      key: (k) => k,
      copy: (v) => v,
      fetch: async (keys) => {
        if (fail) throw new Error('database cut');
        return new Map(keys.map((k) => [k, k]));
      },
    });
    const outcomes = await Promise.allSettled([batcher.get('a'), batcher.get('b')]);
    assert.deepEqual(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message), ['database cut', 'database cut']);
    fail = false;
    assert.equal(await batcher.get('a'), 'a');
  });
});

describe('PgStore reads gathered by ReadBatcher', () => {
  it('answers many concurrent thread and clientId look-ups exactly as one at a time', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    t.after(() => store.close());
    const threads = [];
    for (const site of ['kanreg-1', 'kanreg-2']) threads.push((await store.createThread({ thread: newThread({ site }) })).record);
    const posts = [];
    for (const [i, thread] of threads.entries()) posts.push((await store.createPost({ post: newPost(thread.id, { site: thread.site, authorId: `v-${i}` }) }))!.record);

    // As they are now (answered), read without the batcher.
    for (const [i, thread] of threads.entries()) threads[i] = (await store.getThread({ id: thread.id }))!.thread;
    const threadIds = [threads[0].id, 'no-such-thread', threads[1].id, threads[0].id];
    const keys = [
      { authorId: threads[0].authorId, clientId: threads[0].clientId },
      { authorId: posts[1].authorId, clientId: posts[1].clientId },
      { authorId: posts[1].authorId, clientId: threads[0].clientId }, // another author's key
      { authorId: 'v-nobody', clientId: 'c-none' },
    ];
    const [gathered, found] = await Promise.all([
      Promise.all(threadIds.map((id) => store.getThreadRecord({ id }))),
      Promise.all(keys.map((k) => store.findByClientId(k))),
    ]);
    assert.deepEqual(gathered, [threads[0], undefined, threads[1], threads[0]]);
    assert.deepEqual(found, [{ thread: threads[0] }, { post: posts[1] }, undefined, undefined]);
    for (const [i, id] of threadIds.entries()) assert.deepEqual(await store.getThreadRecord({ id }), gathered[i]);
    gathered[0]!.title = 'changed by one caller';
    assert.notEqual(gathered[3]!.title, 'changed by one caller', 'callers asking for the same record get copies');
  });

  it('answers concurrent member look-ups, and getMembers, exactly as one at a time', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    t.after(() => store.close());
    const at = '2025-01-01T08:00:00.000Z';
    const members = await Promise.all(['a', 'b', 'c'].map((id) => store.createVisitor({ visitor: { id: `v-${id}`, name: `Anggota ${id}`, createdAt: at, updatedAt: at } })));
    const [one, many, none, again] = await Promise.all([
      store.getVisitor({ id: 'v-a' }),
      store.getMembers({ ids: ['v-c', 'v-missing', 'v-a', 'v-c'] }),
      store.getVisitor({ id: 'v-missing' }),
      store.getVisitor({ id: 'v-a' }),
    ]);
    assert.deepEqual(one, members[0]);
    assert.deepEqual(again, members[0]);
    assert.notEqual(one, again, 'each caller its own copy');
    const byId = (list: Array<{ id: string }>) => [...list].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(byId(many), byId([members[0], members[2]]));
    assert.equal(none, undefined);
    const renamed = await store.renameVisitor({ id: 'v-b', name: 'Nama baru', at });
    assert.deepEqual(await store.getVisitor({ id: 'v-b' }), renamed, 'a read after a write sees it');
  });
});
