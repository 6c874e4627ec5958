/**
 * A post's author update on PostgreSQL, where one author's posts on several sites run in several lanes
 * and instances: the author's row, locked in the post's transaction, makes them take turns, and locks
 * taken in one order keep them from deadlocking.
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import type { Visitor } from '../../../../server/domain/model.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import type { AuthorUpdate, CommitResult } from '../../../../server/store/store.js';
import type { Post } from '../../../../server/domain/model.js';
import { clientIn, dropTestSchemas, TEST_DATABASE_URL, testSchema, waitUntilBlockedBy } from '../../../support/postgres.js';
import { at, newPost, newThread, visitor } from '../contract.js';

after(dropTestSchemas);

const SITES = ['kanreg-1', 'kanreg-2', 'kanreg-3'];
const answers = (author: Visitor) => author.stats?.answers ?? 0;
const countAnswer: AuthorUpdate = (author) => ({
  updatedAt: at(31),
  stats: { questions: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats, answers: answers(author) + 1 },
});

interface Logged {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** `count` stores over one fresh schema, each logging into `logs`; closed and dropped when the test ends. */
async function instances(t: TestContext, count: number): Promise<{ stores: PgStore[]; schema: string; logs: Logged[] }> {
  const schema = await testSchema();
  const logs: Logged[] = [];
  const stores = Array.from({ length: count }, () => new PgStore({ url: TEST_DATABASE_URL, schema: schema.name, log: (level, msg, fields) => logs.push({ level, msg, fields }) }));
  for (const store of stores) await store.open();
  t.after(async () => {
    for (const store of stores) await store.close();
    await schema.drop();
  });
  return { stores, schema: schema.name, logs };
}

/** A thread on each site, through the first store. */
async function threadsOn(store: PgStore): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const site of SITES) ids.set(site, (await store.createThread({ thread: newThread({ site }) })).record.id);
  return ids;
}

describe('PostgreSQL store: author updates across sites and instances', () => {
  it('count every answer of authors posting on three sites through two instances at once', async (t) => {
    const { stores, logs } = await instances(t, 2);
    const authors = await Promise.all(['Ani', 'Budi', 'Citra'].map((name) => stores[0].createVisitor({ visitor: visitor({ name }) })));
    const threads = await threadsOn(stores[0]);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const author = authors[i % 3];
        const site = SITES[Math.floor(i / 3) % 3];
        return stores[i % 2].createPost({ post: newPost(threads.get(site)!, { site, authorId: author.id }), authorUpdate: countAnswer });
      }),
    );
    for (const author of authors) {
      const own = results.filter((r): r is CommitResult<Post> => r?.record.authorId === author.id);
      assert.equal(own.length, 20);
      assert.deepEqual(own.map((r) => answers(r.author!)).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), 'each answer saw the ones committed before it');
      assert.equal(answers((await stores[1].getVisitor({ id: author.id }))!), 20);
    }
    assert.deepEqual(logs.filter((l) => l.level === 'warn'), [], 'no transaction rolled back');
  });

  it('lock authors in one order, so lanes that reach them together in opposite orders do not deadlock', async (t) => {
    const { stores, schema, logs } = await instances(t, 2);
    const [x, y] = await Promise.all(['Xena', 'Yusuf'].map((name) => stores[0].createVisitor({ visitor: visitor({ name }) })));
    const threads = await threadsOn(stores[0]);
    // The second instance reads the threads first, as the domain does: its writes then need no look-up and queue together.
    for (const id of threads.values()) await stores[1].getThreadRecord({ id });
    const post = (store: PgStore, site: string, author: Visitor) =>
      store.createPost({ post: newPost(threads.get(site)!, { site, authorId: author.id }), authorUpdate: countAnswer });
    // Hold X's row. Site 1's transaction (X, then Y) waits for it first; site 2's (Y, then X) comes second.
    // Locking in call order, site 2 would hold Y while waiting for X, and site 1, given X, would wait for Y.
    const holder = await clientIn(schema);
    t.after(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM visitors WHERE id = $1 FOR UPDATE', [x.id]);
    const first = [post(stores[0], 'kanreg-1', x), post(stores[0], 'kanreg-1', y)];
    await waitUntilBlockedBy(holder, 1);
    const second = [post(stores[1], 'kanreg-2', y), post(stores[1], 'kanreg-2', x)];
    await waitUntilBlockedBy(holder, 2);
    await holder.query('COMMIT');
    const results = await Promise.all([...first, ...second]);
    assert.deepEqual(results.map((r) => r?.created), [true, true, true, true]);
    assert.deepEqual(
      [x, y].map((a) => results.filter((r) => r?.record.authorId === a.id).map((r) => answers(r!.author!)).sort()),
      [
        [1, 2],
        [1, 2],
      ],
    );
    // A deadlock would have been broken by PostgreSQL (error 40P01) and the writes retried one by one.
    assert.deepEqual(logs.filter((l) => l.msg.startsWith('transaction rolled back')), []);
  });

  it('ask for no update, and change no one, when the thread does not exist, also on an instance that never saw it', async (t) => {
    const { stores } = await instances(t, 2);
    const author = await stores[0].createVisitor({ visitor: visitor() });
    const { record: thread } = await stores[0].createThread({ thread: newThread({ site: 'kanreg-2' }) });
    let asked = 0;
    const update: AuthorUpdate = (a) => (asked++, countAnswer(a));
    assert.equal(await stores[1].createPost({ post: newPost('no-such-thread', { authorId: author.id }), authorUpdate: update }), undefined);
    await assert.rejects(stores[1].createPost({ post: newPost(thread.id, { site: 'kanreg-1', authorId: author.id }), authorUpdate: update }), /names site kanreg-1, the thread is on kanreg-2/);
    assert.equal(asked, 0);
    const made = await stores[1].createPost({ post: newPost(thread.id, { site: 'kanreg-2', authorId: author.id }), authorUpdate: update });
    assert.deepEqual([asked, made?.record.seq, answers(made!.author!)], [1, 2, 1]);
    assert.equal(await stores[1].currentSeq({ site: 'kanreg-1' }), 0, 'the refused post took no seq');
  });
});
