/** `npm start` on PostgreSQL: the server picks the store from OSG_DATABASE_URL and keeps data across restarts. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer } from '../../../support/child-server.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';

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
