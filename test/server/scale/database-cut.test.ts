/** Two instances while PostgreSQL cannot be reached (a TcpProxy cut in front of it), then again when it returns. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../support/postgres.js';
import { ensureRedis, TEST_REDIS_URL, testPrefix } from '../../support/redis.js';
import { askOn, healthOnceStatus, startInstance, type Instance } from '../../support/scale-rig.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { TestClient } from '../../support/ws-client.js';

after(dropTestSchemas);

const ask = (on: Instance, token: string) => askOn(on, token, 'putus');

describe('PostgreSQL cut off from two instances', () => {
  it('refuses writes with 503 unavailable and retryAfterMs, reports it in /healthz, and recovers by itself on both', async (t) => {
    await ensureRedis();
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const target = new URL(TEST_DATABASE_URL);
    const cut = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await cut.start();
    t.after(() => cut.stop());
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${cut.port}`;
    const prefix = testPrefix();
    const a = await startInstance({ schema: schema.name, databaseUrl: url.toString(), redisUrl: TEST_REDIS_URL, prefix });
    t.after(() => a.stop());
    const b = await startInstance({ schema: schema.name, databaseUrl: url.toString(), redisUrl: TEST_REDIS_URL, prefix });
    t.after(() => b.stop());
    const { token } = await (await fetch(`${a.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const onA = await TestClient.connect(`ws://127.0.0.1:${a.port}/ws`);
    t.after(() => onA.close());
    onA.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await onA.waitFor('welcome');

    await cut.stop();
    for (const on of [a, b]) {
      const refused = await ask(on, token);
      assert.equal(refused.status, 503, JSON.stringify(refused.json));
      assert.equal(refused.json.error.code, 'unavailable');
      assert.ok(refused.json.error.retryAfterMs > 0);
      const health = await healthOnceStatus(on, 503);
      assert.equal(health.status, 503);
      assert.equal(health.json.database, 'down');
    }

    await cut.start();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 201 && Date.now() < deadline) {
      status = (await ask(b, token)).status;
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 201, 'B writes again without a restart');
    assert.equal((await ask(a, token)).status, 201, 'and so does A');
    await onA.waitFor('event', (f) => f.event.seq === 2, 5000);
    await onA.barrier();
    assert.deepEqual(onA.of('event').map((f) => f.event.seq), [1, 2], 'nothing refused was announced');
    let health = await (await fetch(`${a.url}/healthz`)).json();
    for (const deadline = Date.now() + 5000; health.database !== 'up' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = await (await fetch(`${a.url}/healthz`)).json();
    }
    assert.equal(health.database, 'up');
  });
});
