/**
 * PostgreSQL itself stops and starts again under a running server (a cluster of the test's own, crashed with
 * `pg_ctl stop -m immediate`, so the restart replays the WAL): writes are refused with 503 while it is down,
 * nothing refused is stored or announced, everything acknowledged before is still there, and the server
 * writes again by itself once the database is back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ownPostgres } from '../../support/own-postgres.js';
import { askOn, healthOnceStatus, startInstance, type Instance } from '../../support/scale-rig.js';
import { TestClient } from '../../support/ws-client.js';

const ask = (on: Instance, token: string) => askOn(on, token, 'saat-mulai-ulang');

describe('PostgreSQL restarted under a running server', () => {
  it('refuses writes while it is down, keeps every acknowledged post through a crash restart, and writes again by itself', { timeout: 120_000 }, async (t) => {
    const db = await ownPostgres();
    t.after(() => db.destroy());
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('CREATE SCHEMA osg_t_restart');
    await admin.end();
    const server = await startInstance({ schema: 'osg_t_restart', databaseUrl: db.url });
    t.after(() => server.stop());

    const { token } = await (await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const watcher = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    t.after(() => watcher.close());
    watcher.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await watcher.waitFor('welcome');

    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const made = await ask(server, token);
      assert.equal(made.status, 201, JSON.stringify(made.json));
      acknowledged.push(made.json.id);
    }

    db.stop('immediate');
    const refused = await ask(server, token);
    assert.equal(refused.status, 503, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'unavailable');
    assert.ok(refused.json.error.retryAfterMs > 0);
    const health = await healthOnceStatus(server, 503);
    assert.equal(health.status, 503);
    assert.equal(health.json.database, 'down');

    db.start();
    // Bounded: the pool reconnects on its own; no restart of the server.
    let again = await ask(server, token);
    for (const deadline = Date.now() + 20_000; again.status !== 201 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await ask(server, token);
    }
    assert.equal(again.status, 201, `writes again after the restart: ${JSON.stringify(again.json)}`);
    acknowledged.push(again.json.id);

    for (const id of acknowledged) {
      const res = await fetch(`${server.url}/api/threads/${id}`);
      assert.equal(res.status, 200, `acknowledged thread ${id} survived the crash`);
      await res.body?.cancel();
    }
    const list = await (await fetch(`${server.url}/api/sites/kanreg1/threads?limit=50`)).json();
    assert.deepEqual(
      list.threads.map((thread: { id: string }) => thread.id).sort(),
      [...acknowledged].sort(),
      'only acknowledged questions are stored: none of the refused ones',
    );
    await watcher.waitFor('event', (f) => f.event.seq === acknowledged.length, 10_000);
    await watcher.barrier();
    assert.deepEqual(
      watcher.of('event').map((f) => f.event.seq),
      acknowledged.map((_, i) => i + 1),
      'one event per acknowledged question, without gap or repeat',
    );
  });
});
