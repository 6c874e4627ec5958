/** `npm start` on PostgreSQL: the server picks the store from OSG_DATABASE_URL and keeps data across restarts. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer } from '../../../support/child-server.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';

after(dropTestSchemas);
const dataDir = mkdtempSync(join(tmpdir(), 'osg-pg-server-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function postThread(url: string, token: string, i: number): Promise<Response> {
  return fetch(`${url}/api/sites/kanreg1/threads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: `Pertanyaan nomor ${i}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `pg-${i}-xxxxxxxx` }),
  });
}

describe('the server on PostgreSQL', () => {
  it('stores through OSG_DATABASE_URL, writes no journal, and has everything after a restart', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const env = { OSG_DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}` };

    const first = await spawnServer(dataDir, env);
    t.after(() => first.proc.kill('SIGKILL'));
    assert.match(first.output(), /"msg":"store opened".*"kind":"postgres"/);
    const { token } = await (await fetch(`${first.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    for (const i of [1, 2]) assert.equal((await postThread(first.url, token, i)).status, 201);
    first.proc.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.deepEqual(readdirSync(dataDir).filter((f) => /journal|snapshot/.test(f)), [], 'nothing stored in the data directory');

    const second = await spawnServer(dataDir, env);
    t.after(() => second.proc.kill('SIGKILL'));
    assert.equal((await postThread(second.url, token, 3)).status, 201);
    const listed = await (await fetch(`${second.url}/api/sites/kanreg1/threads`)).json();
    assert.deepEqual(listed.threads.map((th: { title: string }) => th.title), ['Pertanyaan nomor 3', 'Pertanyaan nomor 2', 'Pertanyaan nomor 1']);
    assert.deepEqual(await queryIn(schema.name, 'SELECT site, seq::int FROM site_seq'), [{ site: 'kanreg1', seq: 3 }]);
    second.proc.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('answers 503 unavailable (never 500) and says so in /healthz while PostgreSQL cannot be reached, then recovers by itself', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const target = new URL(TEST_DATABASE_URL);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    t.after(() => proxy.stop());
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.searchParams.set('options', `-c search_path=${schema.name}`);

    const server = await spawnServer(dataDir, { OSG_DATABASE_URL: url.toString() });
    t.after(() => server.proc.kill('SIGKILL'));
    const { token } = await (await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    assert.equal((await postThread(server.url, token, 1)).status, 201);
    /** /healthz until it answers `status` (its store check is reused for a second). */
    const healthz = async (status: number) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const res = await fetch(`${server.url}/healthz`);
        if (res.status === status || Date.now() > deadline) return { status: res.status, body: await res.json() };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    await proxy.stop();
    const refused = await postThread(server.url, token, 2);
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error.code, 'unavailable');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const read = await fetch(`${server.url}/api/sites/kanreg1/threads`);
    assert.equal(read.status, 503, 'a read that needs the database is refused the same way');
    const health = await healthz(503);
    assert.deepEqual([health.status, health.body.status, health.body.reason, health.body.store], [503, 'failing', 'database_unavailable', 'postgres']);

    await proxy.start();
    assert.equal((await healthz(200)).status, 200);
    const accepted = await postThread(server.url, token, 3);
    assert.equal(accepted.status, 201);
    assert.equal((await accepted.json()).seq, 2, 'the refused question took no seq');
    assert.match(server.output(), /"status":503/);
    assert.doesNotMatch(server.output(), /"status":500/, 'no request failed as internal');
    server.proc.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('stops with one line naming the database (never the password) when it cannot reach it', async () => {
    const message = await spawnServer(dataDir, { OSG_DATABASE_URL: 'postgres://osg:rahasia-sekali@127.0.0.1:1/konsultasi' }).then(
      () => assert.fail('the server started without its database'),
      (err: Error) => err.message,
    );
    assert.match(message, /exited with 1/);
    assert.match(message, /osg-konsultasi: PostgreSQL store at 127\.0\.0\.1:1\/konsultasi: connect ECONNREFUSED/);
    assert.doesNotMatch(message, /rahasia-sekali/);
  });
});
