/**
 * PostgreSQL going away under an open store: writes (and reads) are refused as unavailable — the domain
 * answers 503, never 500 — health says so, nothing half-done is kept, and the store takes writes again by
 * itself once the database answers. The network to the real database is cut by a TCP forwarder in front of
 * it (the shared server keeps running), or one connection is ended by pg_terminate_backend.
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { DatabaseHealth } from '../../../../server/store/pg/health.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { StoreUnavailableError } from '../../../../server/store/store.js';
import { clientIn, dropTestSchemas, TEST_DATABASE_URL, testSchema, waitUntilBlockedBy } from '../../../support/postgres.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';
import { newPost, newThread } from '../contract.js';

after(dropTestSchemas);

const unavailable = (err: unknown) => err instanceof StoreUnavailableError && err.reason === 'database_unavailable' && err.retryAfterMs > 0;

/** A proxy in front of the test database, and a URL through it. */
async function proxied(t: TestContext): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(TEST_DATABASE_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  t.after(() => proxy.stop());
  const url = new URL(TEST_DATABASE_URL);
  url.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: url.toString() };
}

describe('PostgreSQL store when the database cannot be reached', () => {
  it('refuses writes and reads as unavailable, says so in health, and takes writes again by itself once it answers', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const { proxy, url } = await proxied(t);
    // Every health check asks the database (no answer reused), so that what it says follows the cut at once.
    const store = new PgStore({ url, schema: schema.name, healthCacheMs: 0 });
    await store.open();
    t.after(() => store.close());
    const { record: first } = await store.createThread({ thread: newThread() });
    const generation = await store.generation();
    assert.deepEqual(await store.health(), { ok: true });

    await proxy.stop();
    await assert.rejects(store.createThread({ thread: newThread() }), unavailable);
    await assert.rejects(store.createPost({ post: newPost(first.id) }), unavailable);
    await assert.rejects(store.updateMember({ id: 'v-ani', patch: { updatedAt: '2026-01-01T00:00:00.000Z', reputation: 1 } }), unavailable);
    await assert.rejects(store.getThread({ id: first.id }), unavailable);
    const health = await store.health();
    assert.equal(health.ok, false);
    assert.equal(!health.ok && health.reason, 'database_unavailable');
    assert.equal(await store.generation(), generation, 'the last generation known');

    await proxy.start();
    assert.deepEqual(await store.health(), { ok: true });
    const { record: second } = await store.createThread({ thread: newThread() });
    assert.equal(second.seq, 2, 'the refused writes used no seq');
    assert.deepEqual((await store.getThread({ id: first.id }))?.thread.answerCount, 0, 'and kept nothing');
  });

  it('refuses a write whose connection is ended in the middle of its transaction, keeps nothing of it, and takes the next at once', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    t.after(() => store.close());
    const { record: thread } = await store.createThread({ thread: newThread() });

    // Hold the site's counter, so the write's transaction waits inside; then end exactly that backend.
    const holder = await clientIn(schema.name);
    t.after(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('SELECT seq FROM site_seq FOR UPDATE');
    // Its outcome is taken at once: the refusal may come while the test still waits for its own COMMIT below.
    const cut = store.createPost({ post: newPost(thread.id) }).then(
      (kept) => ({ kept }),
      (refused: unknown) => ({ refused }),
    );
    await waitUntilBlockedBy(holder, 1);
    const { rows } = await holder.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))',
    );
    assert.deepEqual(rows, [{ ended: true }]);
    await holder.query('COMMIT');
    const outcome = await cut;
    assert.ok('refused' in outcome && unavailable(outcome.refused), `refused as unavailable, not ${JSON.stringify(outcome)}`);

    const next = await store.createPost({ post: newPost(thread.id) });
    assert.equal(next?.record.seq, 2);
    assert.deepEqual((await store.getThread({ id: thread.id }))?.posts.map((p) => p.id), [next!.record.id]);
  });

  it('reports a database that takes no writes (a standby, read-only transactions) as unavailable', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open(); // creates the tables
    await store.close();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema.name} -c default_transaction_read_only=on`);
    const health = new DatabaseHealth({ url: url.toString(), timeoutMs: 5000, cacheMs: 0, log: () => {} });
    t.after(() => health.close());
    await health.start();
    const answer = await health.health();
    assert.equal(answer.ok, false);
    assert.equal(!answer.ok && answer.reason, 'database_unavailable');
    assert.match(!answer.ok ? answer.message : '', /takes no writes/);
  });
});
