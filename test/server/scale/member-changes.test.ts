/** The member change log on PostgreSQL: a restart, or another instance, still sends the `member` frames a client missed. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dropTestSchemas, queryIn, testSchema } from '../../support/postgres.js';
import { startInstance, type Instance } from '../../support/scale-rig.js';
import { TestClient } from '../../support/ws-client.js';

after(dropTestSchemas);

async function call(on: Instance, method: string, path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(`${on.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.json();
}

let n = 0;
const ask = (on: Instance, token: string) =>
  call(on, 'POST', '/api/sites/kanreg1/threads', { title: `Pertanyaan anggota nomor ${n}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `mc-${n++}-${Date.now()}` }, token);

describe('member changes on PostgreSQL', () => {
  it('a client resuming on an instance started after it left gets the renamed member, not a resync', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const first = await startInstance({ schema: schema.name });
    let firstStopped = false;
    t.after(() => (firstStopped ? undefined : first.stop()));
    const { token, visitor } = await call(first, 'POST', '/api/visitors', {});
    await ask(first, token);

    const client = await TestClient.connect(`ws://127.0.0.1:${first.port}/ws`);
    client.send({ type: 'hello', v: 1, site: 'kanreg1' });
    const welcome = await client.waitFor('welcome');
    client.close();
    await client.closed;

    await call(first, 'PATCH', '/api/visitors/me', { name: 'Rina Wulandari' }, token);
    await ask(first, token);
    await first.stop();
    firstStopped = true;

    const second = await startInstance({ schema: schema.name });
    t.after(() => second.stop());
    const back = await TestClient.connect(`ws://127.0.0.1:${second.port}/ws`);
    t.after(() => back.close());
    back.send({ type: 'hello', v: 1, site: 'kanreg1', lastSeq: welcome.seq, generation: welcome.generation });
    const resumed = await back.waitFor('welcome');
    assert.equal(resumed.resync, false, 'no reload after a restart');
    const member = await back.waitFor('member', (f) => f.member.id === visitor.id);
    assert.equal(member.member.name, 'Rina Wulandari');
    assert.deepEqual(back.of('event').map((f) => f.event.seq), [welcome.seq + 1]);
  });
});
